"""Member-State contributions: the import (atomic, row/column errors), the command, figures and staff pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from techbridge.core.permissions import actor_for
from techbridge.funding import figures, services
from techbridge.funding.models import Contribution
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = (
    "member_state,year,kind,amount_usd,note\n"
    "China,2019,pledge,30000,Decision 75/13\n"
    "Macao,2019,Pledge,5000,\n"
    "Lao PDR,2019,cash_received,1250.50,first instalment\n"
    "Bhutan,2019,in kind,8000,workshop venue\n"
)


def _csv(text: str, name: str = "c.csv"):
    return SimpleUploadedFile(name, text.encode())


def test_import_with_bad_rows_writes_nothing_and_reports_each_row_and_column(staff):
    text = GOOD + ("France,2019,pledge,100,\n"          # row 6: non-regional member — accepted
                   "Germany,2019,pledge,100,\n"         # row 7: not an ESCAP member
                   "Korea,20x9,donation,1500.00,\n"    # row 8: ambiguous country, bad year and kind
                   "Thailand,2019,cash_received,0,\n"   # row 9: zero amount
                   "Narnia,2019,pledge,-5,\n")          # row 10: unknown country, negative amount
    result = services.import_contributions(actor=actor_for(staff), path_or_file=_csv(text), filename="c.csv")
    assert not result.report.ok
    issues = {(i.row, i.column) for i in result.report.issues}
    assert issues == {(7, "member_state"), (8, "member_state"), (8, "year"), (8, "kind"), (9, "amount_usd"),
                      (10, "member_state"), (10, "amount_usd")}
    messages = result.report.as_text()
    assert "Germany is not an ESCAP member" in messages and "ambiguous" in messages
    assert not Contribution.objects.exists()


def test_import_writes_all_rows_with_resolved_members(staff):
    result = services.import_contributions(actor=actor_for(staff), path_or_file=_csv(GOOD), filename="c.csv")
    assert result.report.ok and result.created == 4
    assert sorted(Contribution.objects.values_list("member_state_id", "kind", "amount_usd")) == [
        ("BT", "in_kind", Decimal("8000.00")), ("CN", "pledge", Decimal("30000.00")),
        ("LA", "cash_received", Decimal("1250.50")), ("MO", "pledge", Decimal("5000.00"))]


def test_import_is_staff_only(member_a):
    with pytest.raises(PermissionDenied):
        services.import_contributions(actor=actor_for(member_a), path_or_file=_csv(GOOD), filename="c.csv")


def test_command_dry_run_writes_nothing_and_bad_file_fails(tmp_path, capsys):
    path = tmp_path / "contributions.csv"
    path.write_text(GOOD)
    call_command("import-contributions", str(path), "--dry-run")
    assert "4 rows are valid" in capsys.readouterr().out and not Contribution.objects.exists()
    call_command("import-contributions", str(path))
    assert Contribution.objects.count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("member_state,year,kind,amount_usd,note\nGermany,2019,pledge,1,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-contributions", str(bad))
    assert "row 2, column 'member_state'" in capsys.readouterr().err
    assert Contribution.objects.count() == 4


def test_command_reads_xlsx(tmp_path):
    book = Workbook()
    book.active.append(["member_state", "year", "kind", "amount_usd", "note"])
    book.active.append(["India", 2019, "pledge", 400000, "host country"])
    path = tmp_path / "c.xlsx"
    book.save(path)
    call_command("import-contributions", str(path))
    assert Contribution.objects.get().amount_usd == Decimal("400000.00")


def test_record_contribution_validates_fields(staff):
    with pytest.raises(ValidationError) as exc:
        services.record_contribution(actor=actor_for(staff), member_state="Brazil", year=1900, kind="gift",
                                     amount_usd="0")
    assert set(exc.value.message_dict) == {"member_state", "year", "kind", "amount_usd"}


def test_figures_give_pledged_received_in_kind_and_by_member():
    factories.ContributionFactory(member_state_id="CN", kind="pledge", amount_usd=Decimal("30000"))
    factories.ContributionFactory(member_state_id="CN", kind="cash_received", amount_usd=Decimal("15000"),
                                  date=date(2019, 6, 1))
    factories.ContributionFactory(member_state_id="CN", kind="cash_received", amount_usd=Decimal("999"),
                                  year=2019, date=date(2020, 2, 1))  # paid in 2020: outside a 2019 range
    factories.ContributionFactory(member_state_id="BT", kind="in_kind", amount_usd=Decimal("8000"))
    factories.ContributionFactory(member_state_id="TH", year=2018, amount_usd=Decimal("1"))
    result = figures.contribution_figures(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert (result["pledged"], result["received"], result["in_kind"]) == (Decimal("30000"), Decimal("15000"),
                                                                           Decimal("8000"))
    china = next(row for row in result["by_member"] if row["iso2"] == "CN")
    assert china["received_share"] == 50
    assert result["in_kind_members"] == ["Bhutan"]


def test_staff_pages_show_pledged_against_received_and_refuse_others(staff, member_a, client_for):
    factories.ContributionFactory(member_state_id="CN", kind="pledge", amount_usd=Decimal("30000"))
    factories.ContributionFactory(member_state_id="CN", kind="cash_received", amount_usd=Decimal("15000"))
    assert client_for(member_a).get("/contributions/").status_code == 403
    page = client_for(staff).get("/contributions/?year=2019").content.decode()
    assert 'id="total-pledge">30,000.00<' in page and "50%" in page
    response = client_for(staff).post("/contributions/import/", {"file": _csv("member_state,year\nX,1\n")})
    assert response.status_code == 422 and b"import-issues" in response.content
    response = client_for(staff).post("/contributions/new/", {"member_state": "IN", "year": 2019,
                                                              "kind": "pledge", "amount_usd": "400000"})
    assert response.status_code == 302 and Contribution.objects.filter(member_state_id="IN").exists()
