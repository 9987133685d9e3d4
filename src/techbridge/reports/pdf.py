"""The annual report as PDF: WeasyPrint renders the print HTML in parts, side by side, and pypdf joins them.

Why parts: a year of 1,000 activities is some 150 pages of text, and WeasyPrint lays out and draws them in
one thread — about 15 s of CPU on the development machine, most of it Pango line breaking and glyph
drawing, which no simpler markup avoids (the markup is already plain blocks). The print HTML (`for_print`)
starts a new page where the report has natural breaks — chapter 2, each programme area, each annex — and
marks each with `PART_BREAK`. Every part is then a WeasyPrint document of its own that lays out exactly as
within the whole, rendered in a pool of worker processes (forked where safe, so nothing is imported
twice), longest first. The main process renders the first part itself once the charts it holds are drawn
(`late`), then joins the parts with pypdf and adds what belongs to the whole document: page numbers (a part
cannot know its first page number, so they are stamped into the footer afterwards, where WeasyPrint put
them), the outline of headings, their named destinations, the title and the language. Nothing is kept
between builds; each one starts and ends its own pool.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

#: Where the print HTML may be cut into documents of their own (each part starts a new page).
PART_BREAK = mark_safe("<!--pdf-part-->")
#: Worker processes besides the main one (the machines have 2 cores); TECHBRIDGE_PDF_WORKERS overrides it
#: (0: every part in the calling process, as the benchmark's one-process baseline does).
WORKERS = 2
_PX = 0.75  # WeasyPrint's CSS pixel in PDF points
#: The footer's page number: 9 pt grey (#5b6675), centred, its baseline as WeasyPrint placed it for the
#: 2 cm bottom margin. Helvetica is one of the PDF's standard fonts: nothing to embed; its digits are all
#: 0.556 em wide, so a number is centred without measuring.
_NUMBER = {"size": 9, "baseline": 25.23, "digit": 0.556, "colour": "0.357 0.4 0.459"}
_NUMBER_FONT = "/TBPageNumber"


@dataclass(frozen=True)
class Part:
    """One rendered part: its PDF and what the joined document needs of it (positions in PDF points)."""

    pdf: bytes
    bookmarks: list[tuple[int, str, int, float, float]]  # (level, label, page in part, left, top)
    anchors: list[tuple[str, int, float, float]]  # (id, page in part, left, top)


def split_parts(html: str) -> list[str]:
    """The print HTML as standalone documents, one per part, each with the full head (styles)."""
    head, _body_tag, rest = html.partition("<body>")
    body = rest.rpartition("</body>")[0]
    return [f"{head}<body>{chunk}</body>\n</html>\n" for chunk in body.split(PART_BREAK)]


def render_part(html: str) -> Part:
    """WeasyPrint's PDF of one part; only data: URIs may be fetched, so it never uses the network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    bookmarks, anchors = [], []
    for number, page in enumerate(document.pages):
        for level, label, (x, y), _state in page.bookmarks:
            bookmarks.append((level, label, number, x * _PX, (page.height - y) * _PX))
        for name, (x, y, *_rest) in page.anchors.items():
            anchors.append((name, number, x * _PX, (page.height - y) * _PX))
    return Part(pdf=document.write_pdf(), bookmarks=bookmarks, anchors=anchors)


def _process_context():
    """Fork when this process has a single thread: workers start at once with WeasyPrint imported. Forking a
    process with other threads (a threaded job queue, a test server) risks deadlocks; those spawn instead."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def default_workers() -> int:
    value = os.environ.get("TECHBRIDGE_PDF_WORKERS", "").strip()
    return int(value) if value.isdigit() else WORKERS


def render_pdf(*, html: str, title: str, lang: str = "en", late: Callable[[str], str] | None = None,
               workers: int | None = None) -> bytes:
    """The PDF of the print HTML: parts after the first go to `workers` processes; `late(first part)` runs
    meanwhile in this process and returns the first part's final HTML (the report draws its charts there),
    which this process renders before it takes over the parts that no worker has started."""
    import weasyprint  # noqa: F401 - imported before the workers fork, so they start with it

    parts = split_parts(html)
    workers = default_workers() if workers is None else workers
    if workers < 1 or len(parts) == 1:
        rendered = [render_part(late(parts[0]) if late else parts[0])]
        rendered += [render_part(part) for part in parts[1:]]
        return join(rendered, title=title, lang=lang)
    # Forked workers share this process's memory; objects frozen here are left alone by their garbage
    # collector, which would otherwise walk (and copy, page by page) everything the parent holds.
    gc.freeze()
    try:
        return _render_in_pool(parts, late=late, workers=workers, title=title, lang=lang)
    finally:
        gc.unfreeze()


def _render_in_pool(parts: list[str], *, late, workers: int, title: str, lang: str) -> bytes:
    with ProcessPoolExecutor(max_workers=workers, mp_context=_process_context()) as pool:
        longest_first = sorted(range(1, len(parts)), key=lambda index: -len(parts[index]))
        futures = {index: pool.submit(render_part, parts[index]) for index in longest_first}
        rendered = {0: render_part(late(parts[0]) if late else parts[0])}
        # Then this process helps: it takes the parts no worker has started yet, smallest first.
        for index in reversed(longest_first):
            if futures[index].cancel():
                rendered[index] = render_part(parts[index])
        for index, future in futures.items():
            if index not in rendered:
                try:
                    rendered[index] = future.result()
                except BrokenProcessPool:  # a worker died (killed, out of memory): render here instead
                    logger.warning("PDF worker process lost; rendering part %d in the main process", index)
                    rendered[index] = render_part(parts[index])
    return join([rendered[index] for index in range(len(parts))], title=title, lang=lang)


def join(parts: list[Part], *, title: str, lang: str) -> bytes:
    """One PDF from the parts in order, with page numbers (not on the title page), outline and destinations."""
    import weasyprint
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    offsets = []
    for part in parts:
        offsets.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
    for number, page in enumerate(writer.pages, start=1):
        if number > 1:
            _stamp_number(page, number)
    _outline(writer, parts, offsets)
    _destinations(writer, parts, offsets)
    writer.add_metadata({"/Title": title, "/Producer": f"WeasyPrint {weasyprint.__version__}, pypdf"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stamp_number(page, number: int) -> None:
    """Draw `number` in the page's footer, after its content, in a graphics state of its own."""
    from pypdf.generic import DictionaryObject, NameObject

    resources = page["/Resources"].get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = resources[NameObject("/Font")] = DictionaryObject()
    fonts = fonts.get_object()
    if _NUMBER_FONT not in fonts:
        fonts[NameObject(_NUMBER_FONT)] = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
    text = str(number)
    width = float(page.mediabox.width)
    left = (width - _NUMBER["digit"] * _NUMBER["size"] * len(text)) / 2
    stamp = (f"BT {_NUMBER_FONT} {_NUMBER['size']} Tf {_NUMBER['colour']} rg {left:.3f} {_NUMBER['baseline']} Td "
             f"({text}) Tj ET\n").encode("ascii")
    contents = page["/Contents"].get_object()
    streams = [item.get_object() for item in contents] if isinstance(contents, list) else [contents]
    streams[0].set_data(b"q\n" + streams[0].get_data())
    streams[-1].set_data(streams[-1].get_data() + b"\nQ\n" + stamp)


def _outline(writer, parts: list[Part], offsets: list[int]) -> None:
    """Bookmarks of the headings, nested by level across parts as WeasyPrint nests them in one document."""
    from pypdf.generic import Fit

    open_items: list[tuple[int, object]] = []  # (level, outline item) from the outermost
    for part, offset in zip(parts, offsets, strict=True):
        for level, label, page, left, top in part.bookmarks:
            while open_items and open_items[-1][0] >= level:
                open_items.pop()
            parent = open_items[-1][1] if open_items else None
            item = writer.add_outline_item(title=label, page_number=offset + page, parent=parent,
                                           fit=Fit.xyz(left=left, top=top, zoom=0))
            open_items.append((level, item))


def _destinations(writer, parts: list[Part], offsets: list[int]) -> None:
    """Named destinations of the elements with an id (links such as report.pdf#annex-1)."""
    from pypdf.generic import Destination, Fit, TextStringObject

    for part, offset in zip(parts, offsets, strict=True):
        for name, page, left, top in part.anchors:
            destination = Destination(TextStringObject(name), writer.pages[offset + page].indirect_reference,
                                      Fit.xyz(left=left, top=top, zoom=0))
            writer.add_named_destination_object(destination)
