"""`techbridge report annual` in every format, from a year imported through the programme's import service."""

import io
import json

import pytest
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from techbridge.programme.models import Activity
from techbridge.reports.export import build_report
from tests import factories
from tests.reports.sheets import import_contributions_sheet, import_year

pytestmark = pytest.mark.django_db

IP_PARAGRAPH = ("The Centre jointly organised the International Workshop on IP Management and Technology Licensing "
                "with Ministry of Higher Education, Science, Research and Innovation and Thailand Institute of "
                "Scientific and Technological Research in Bangkok, Thailand on 18–20 June 2019. The workshop "
                "brought together 44 participants from Iran (Islamic Republic of), Lao People's Democratic "
                "Republic, Republic of Korea and Viet Nam.")


def _report(tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    call_command("report", "annual", "--year", "2019", "--format", fmt, "--output", str(target),
                 stderr=io.StringIO())
    return target


def _docx_text(path):
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts), document


def _pdf_text(path):
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def test_report_json_figures(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    import_contributions_sheet(tmp_path=tmp_path, actor=staff_actor)
    out = io.StringIO()
    call_command("report", "annual", "--year", "2019", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["year"] == 2019
    assert data["activities"] == 4 and data["participants"] == 169
    assert data["host_countries"] == ["BT", "IN", "TH", "UZ"]
    assert data["partner_institutions"] == 5
    assert data["activities_by_area"] == {"national_innovation_systems": 2, "technology_transfer": 2}
    assert (data["pledges_usd"], data["received_usd"], data["in_kind_usd"]) == (445000, 50000, 50000)
    assert data["contributions_by_member"] == {
        "BD": {"cash_received": 20000}, "BT": {"in_kind": 50000},
        "CN": {"pledge": 30000, "cash_received": 30000}, "IN": {"pledge": 400000}, "TH": {"pledge": 15000}}


def test_report_docx_contains_numbers_and_paragraphs(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    import_contributions_sheet(tmp_path=tmp_path, actor=staff_actor)
    text, document = _docx_text(_report(tmp_path, "docx"))
    assert document.paragraphs[6].text == "Annual report 2019"
    assert ("In 2019, the Centre delivered or contributed to 4 capacity-building activities in 4 countries "
            "(Bhutan, India, Thailand and Uzbekistan) in collaboration with 5 partner institutions, reaching "
            "169 participants from 10 countries.") in text
    assert IP_PARAGRAPH in text
    assert "The study mission brought together 3 participants from Bhutan and India." in text
    assert "Annex I. Activities and partner institutions" in text and "Royal Monetary Authority of Bhutan" in text
    assert "Conference of the previous year" not in text
    assert ("Member States pledged US$445,000 (China, India and Thailand). A total of US$50,000 was received "
            "from Bangladesh and China. In-kind contributions were valued at US$50,000.") in text
    contributions = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in document.tables[1].rows}
    assert contributions["India"] == ["US$400,000", "US$0", "US$0"]
    assert len(document.inline_shapes) == 2  # participants by country, activities by area
    key_figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert key_figures["Participants"] == "169" and key_figures["Capacity-building activities"] == "4"


def test_report_pdf_and_html_say_the_same(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    import_contributions_sheet(tmp_path=tmp_path, actor=staff_actor)
    pdf_path = _report(tmp_path, "pdf")
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pdf = _pdf_text(pdf_path)
    html = _report(tmp_path, "html").read_text(encoding="utf-8")
    assert "169 participants from 10 countries" in pdf
    assert "Bangkok, Thailand on 18–20 June 2019" in pdf
    assert "brought together 44 participants from" in pdf
    assert "Annex II. Publications" in pdf
    assert "Member States pledged US$445,000 (China, India and Thailand)." in pdf
    assert "Royal Monetary Authority of Bhutan" in pdf
    assert IP_PARAGRAPH.replace("'", "&#x27;") in html
    assert html.count('src="data:image/png;base64,') == 2


def test_report_follows_data_changes(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    Activity.objects.filter(code="RW-2019-03").delete()
    Activity.objects.filter(code="WS-2019-02").update(participants_count=50)
    text, _document = _docx_text(build_report_file(tmp_path, "docx"))
    assert "3 capacity-building activities" in text and "reaching 95 participants" in text
    assert "brought together 50 participants" in text
    assert "Tashkent" not in text


def build_report_file(tmp_path, fmt):
    built = build_report(year=2019, fmt=fmt)
    path = tmp_path / built.file_name
    path.write_bytes(built.data)
    return path


def test_report_uses_staff_narrative_but_computed_figures(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    factories.NarrativeOverrideFactory(key="activity:WS-2019-02",
                                       text="Forty-four experts met in Bangkok to discuss licensing.")
    text, _document = _docx_text(build_report_file(tmp_path, "docx"))
    assert "Forty-four experts met in Bangkok to discuss licensing." in text
    assert IP_PARAGRAPH not in text
    assert "reaching 169 participants" in text
