"""The annual report as a Word document (python-docx), laid out from the same `ReportContent` as HTML and PDF.

Why Word: staff forward the report to member States and the Governing Council, who comment in Word. Tables
of a thousand rows are written straight as table XML — python-docx's `add_row()` + `cells` re-reads the
whole grid for every row, which made a 1,000-activity annex take most of the time budget. The thousand
activity paragraphs are written as run XML too: python-docx's `run.text` walks the text one character at a
time (for tabs and line breaks), about half of the document's build time; text with those characters still
goes through it, so the XML is the same either way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt
from lxml.etree import SubElement

from techbridge.reports.content import CENTRE_NAME, ReportContent

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SPECIAL = frozenset("\t\r\n")


def _add_run(parent, text: str, *, bold: bool = False, cell: bool = False) -> None:
    """Append `<w:r>` with one `<w:t>` (as python-docx writes text without tabs or line breaks) to `parent`.

    Table cells always get a `<w:t xml:space="preserve">`, even when empty.
    """
    run = SubElement(parent, _W + "r")
    if bold:
        SubElement(SubElement(run, _W + "rPr"), _W + "b")
    if text or cell:
        node = SubElement(run, _W + "t")
        if cell or len(text.strip()) < len(text):
            node.set(_SPACE, "preserve")
        node.text = text


def add_runs(paragraph, runs: Sequence[tuple[str, bool]]) -> None:
    """Append (text, bold) runs to a paragraph; plain text skips python-docx's character-by-character path."""
    for text, bold in runs:
        if _SPECIAL.intersection(text):
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
        else:
            _add_run(paragraph._p, text, bold=bold)


def _add_row(table, values: Sequence[str], *, header: bool = False) -> None:
    row = SubElement(table, _W + "tr")
    if header:
        SubElement(SubElement(row, _W + "trPr"), _W + "tblHeader")
    for value in values:
        _add_run(SubElement(SubElement(row, _W + "tc"), _W + "p"), str(value), bold=header, cell=True)


def add_table(document, *, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A bordered table ("Table Grid" style) with a bold header row repeated on every page."""
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    _add_row(table._tbl, header, header=True)
    for row in rows:
        _add_row(table._tbl, row)


def _image(document, png: bytes, *, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(15))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = document.add_paragraph(caption)
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER


def render_docx(*, content: ReportContent, charts: Sequence[tuple[str, bytes]], period: str) -> bytes:
    """The .docx bytes: title page, key figures, sections, publications, contributions, charts, annexes."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)

    for _blank in range(6):
        document.add_paragraph()
    title = document.add_heading(content.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (CENTRE_NAME, _("Reporting period: %(period)s") % {"period": period}):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading(_("1. Key figures"), level=1)
    document.add_paragraph(content.introduction.text)
    add_table(document, header=[_("Figure"), _("Value")], rows=content.key_figures)
    for caption, png in charts:
        _image(document, png, caption=caption)

    document.add_heading(_("2. Capacity-building activities"), level=1)
    if not content.sections:
        document.add_paragraph(_("No activities were recorded in the period."))
    for number, area in enumerate(content.sections, start=1):
        document.add_heading(f"{number}. {area.title}", level=2)
        document.add_paragraph(area.intro.text)
        for entry in area.activities:
            add_runs(document.add_paragraph(), [(f"{entry.heading}: ", True), (entry.paragraph.text, False)])

    document.add_heading(_("3. Technology exchange and brokerage"), level=1)
    document.add_paragraph(content.exchange.text)
    document.add_heading(_("4. Publications"), level=1)
    document.add_paragraph(content.publications.text)
    document.add_heading(_("5. Contributions"), level=1)
    document.add_paragraph(content.contributions.text)
    if content.contribution_rows:
        add_table(document, header=[_("Member State"), _("Pledged"), _("Received"), _("In kind")],
                  rows=content.contribution_rows)

    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_heading(_("Annex I. Activities and partner institutions"), level=1)
    add_table(document, header=[_("Code"), _("Activity"), _("Dates"), _("Partner institutions")],
              rows=content.annex_activities)
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_heading(_("Annex II. Publications"), level=1)
    if content.publication_rows:
        add_table(document, header=[_("Type"), _("Title"), _("Date")], rows=content.publication_rows)
    else:
        document.add_paragraph(_("No publications in the period."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
