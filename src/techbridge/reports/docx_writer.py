"""The annual report as a Word document (python-docx), laid out from the same `ReportContent` as HTML and PDF.

Why Word: staff forward the report to member States and the Governing Council, who comment in Word. Tables
of a thousand rows are written straight as table XML — python-docx's `add_row()` + `cells` re-reads the
whole grid for every row, which made a 1,000-activity annex take most of the time budget.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from techbridge.reports.content import CENTRE_NAME, ReportContent


def _cell(text: str, *, bold: bool = False):
    cell = OxmlElement("w:tc")
    paragraph = OxmlElement("w:p")
    run = OxmlElement("w:r")
    if bold:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:b"))
        run.append(properties)
    node = OxmlElement("w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    paragraph.append(run)
    cell.append(paragraph)
    return cell


def add_table(document, *, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A bordered table ("Table Grid" style) with a bold header row repeated on every page."""
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    body = table._tbl
    head = OxmlElement("w:tr")
    head_properties = OxmlElement("w:trPr")
    head_properties.append(OxmlElement("w:tblHeader"))
    head.append(head_properties)
    for text in header:
        head.append(_cell(str(text), bold=True))
    body.append(head)
    for row in rows:
        line = OxmlElement("w:tr")
        for value in row:
            line.append(_cell(str(value)))
        body.append(line)


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
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{entry.heading}: ").bold = True
            paragraph.add_run(entry.paragraph.text)

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
