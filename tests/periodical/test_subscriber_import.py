"""Staff import of subscriber lists: all-or-nothing, row/column errors, consent decides who is mailed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from techbridge.core.permissions import actor_for
from techbridge.periodical.models import Subscriber
from techbridge.periodical.services import mailings
from techbridge.periodical.services.subscriber_import import import_subscribers
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = (
    "email,name,country,language,topics,consented\n"
    "ana@example.org,Ana,Philippines,en,policy; market,yes\n"
    "bo@example.org,Bo,Viet Nam,,,no\n"
)


def _run(staff, text: str, name="list.csv", **options):
    return import_subscribers(actor=actor_for(staff), path_or_file=SimpleUploadedFile(name, text.encode()),
                              filename=name, **options)


def test_import_with_bad_rows_writes_nothing_and_names_rows_and_columns(staff):
    text = GOOD + "not-an-email,X,Narnia,kl,astrology,maybe\nana@example.org,Dup,,,,\n"
    result = _run(staff, text)
    assert not result.report.ok
    found = {(issue.row, issue.column) for issue in result.report.issues}
    assert {(4, "email"), (4, "country"), (4, "language"), (4, "topics"), (4, "consented"), (5, "email")} <= found
    assert not Subscriber.objects.exists()


def test_consented_rows_are_mailable_and_others_wait_for_confirmation(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = _run(staff, GOOD, invite=True)
    assert result.report.ok and (result.created, result.invited) == (2, 1)
    ana, bo = Subscriber.objects.get(email="ana@example.org"), Subscriber.objects.get(email="bo@example.org")
    assert (ana.status, ana.consented, ana.topics, ana.country_id) == ("active", True, ["market", "policy"], "PH")
    assert (bo.status, bo.source) == ("pending", "import")
    assert mailings.audience_ids(audience={}) == [ana.pk]
    assert [m.to for m in mail.outbox] == [["bo@example.org"]] and "/subscribe/confirm/" in mail.outbox[0].body


def test_import_never_resubscribes_an_address_that_left(staff):
    factories.SubscriberFactory(email="ana@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    result = _run(staff, GOOD)
    assert result.kept_unsubscribed == 1
    assert Subscriber.objects.get(email="ana@example.org").status == Subscriber.Status.UNSUBSCRIBED


def test_import_reads_xlsx_and_dry_run_writes_nothing(staff, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["email", "name", "country", "language", "topics", "consented"])
    sheet.append(["xl@example.org", "Xl", "Thailand", "en", "", True])
    path = tmp_path / "list.xlsx"
    book.save(path)
    dry = import_subscribers(actor=actor_for(staff), path_or_file=path, filename="list.xlsx", dry_run=True)
    assert dry.report.ok and len(dry.rows) == 1 and not Subscriber.objects.exists()
    import_subscribers(actor=actor_for(staff), path_or_file=path, filename="list.xlsx")
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_import_page_is_staff_only_and_answers_422_with_the_problems(staff, member_a, client_for):
    upload = SimpleUploadedFile("list.csv", b"email,shoe_size\nx@example.org,42\n")
    assert client_for(member_a).post("/tech-monitor/staff/subscribers/import/", {"file": upload}).status_code == 403
    upload.seek(0)
    response = client_for(staff).post("/tech-monitor/staff/subscribers/import/", {"file": upload})
    assert response.status_code == 422 and b"shoe_size" in response.content
    good = SimpleUploadedFile("list.csv", GOOD.encode())
    response = client_for(staff).post("/tech-monitor/staff/subscribers/import/", {"file": good})
    assert response.status_code == 302 and Subscriber.objects.count() == 2
