"""The index stays current: the change log, several processes, `techbridge reindex` and the staff button."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.core.models import ApiToken, Job
from techbridge.core.permissions import actor_for
from techbridge.exchange import services as exchange_services
from techbridge.matching.models import IndexChange
from techbridge.matching.services import index, matches
from tests import factories
from tests.matching.helpers import publish

pytestmark = pytest.mark.django_db(transaction=True)

NEED = {"title": "Rice husk removal machine for small mills",
        "summary": "We need a machine that removes husks from paddy rice in small mills."}
OFFER = {"title": "Compact paddy dehusker with rubber rolls",
         "summary": "A rubber-roll dehusker that removes husks from paddy rice, for small mills."}


def test_publishing_logs_a_change_that_another_process_index_applies(org_a, org_b, member_a, member_b, staff):
    need = publish(owner=member_a, organisation=org_a, staff=staff, kind="request", **NEED)
    other_process = index.ProcessIndex()  # what a second web process holds in memory
    other_process.ensure_current()
    assert str(need.pk) in other_process.engines[index.NEEDS].fields
    offer = publish(owner=member_b, organisation=org_b, staff=staff, **OFFER)
    assert list(IndexChange.objects.filter(profile_id=offer.pk).values_list("op", flat=True))[-1] == "upsert"
    other_process.ensure_current()
    assert str(offer.pk) in other_process.engines[index.OFFERS].fields
    assert other_process.stats["builds"] == 1  # applied from the log, not rebuilt
    exchange_services.run_transition(actor=actor_for(member_b), profile=offer, name="archive")
    other_process.ensure_current()
    assert str(offer.pk) not in other_process.engines[index.OFFERS].fields


def test_late_committed_change_with_a_lower_id_is_not_lost(org_b, member_b, staff):
    """Ids of concurrent transactions may become visible out of order; recent rows are re-read."""
    proc = index.ProcessIndex()
    proc.ensure_current()
    offer = factories.offer(organisation=org_b, title="Biogas digester for dairy farms")
    late = IndexChange.objects.create(profile_id=offer.pk, op="upsert")
    IndexChange.objects.create(op="upsert", profile_id=None)  # a higher id seen first …
    proc.last_id = late.id + 1  # … as if the process had already read past the late row
    proc.ensure_current()
    assert str(offer.pk) in proc.engines[index.OFFERS].fields


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local test server
        return json.loads(response.read())


def test_profile_published_in_this_process_is_matched_by_another_server_within_seconds(
        org_a, org_b, member_a, member_b, staff, tmp_path):
    need = publish(owner=member_a, organisation=org_a, staff=staff, kind="request", **NEED)
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=member_a, name="test", key_hash=ApiToken.hash(raw), prefix=raw[:8])
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "TECHBRIDGE_HOME": str(tmp_path / "server"),
           "TECHBRIDGE_SEMANTIC": "0", "SECRET_KEY": settings.SECRET_KEY, "DEBUG": "0"}
    log = tmp_path / "server.log"
    with open(log, "wb") as sink:
        server = subprocess.Popen([sys.executable, "-m", "techbridge", "runserver", f"127.0.0.1:{port}",
                                   "--noreload"], env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api/v1/matching/profiles/{need.pk}/matches"
    try:
        deadline = time.monotonic() + 60
        first = None
        while first is None and time.monotonic() < deadline and server.poll() is None:
            try:
                first = _get(url, raw)
            except OSError:
                time.sleep(0.3)
        assert first is not None, log.read_text()
        assert first["matches"] == []  # the server has built its index before the offer exists
        offer = publish(owner=member_b, organisation=org_b, staff=staff, **OFFER)
        published_at = time.monotonic()
        found = []
        while not found and time.monotonic() - published_at < 10:
            found = [m for m in _get(url, raw)["matches"] if m["id"] == offer.pk]
            time.sleep(0.2)
        assert found, "the other process never saw the new offer"
        assert time.monotonic() - published_at < 5
        assert "dehusker" in " ".join(found[0]["explanation"]).lower() or found[0]["matched_terms"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_reindex_command_rebuilds_and_reports(org_b, capsys):
    factories.offer(organisation=org_b, title="Solar dryer")
    before = IndexChange.objects.count()
    call_command("reindex", "--no-progress")
    out = capsys.readouterr().out
    assert "1 published profiles indexed" in out and "lexical + structured only" in out
    assert IndexChange.objects.filter(op="rebuild").count() == 1 and IndexChange.objects.count() == before + 1


def test_staff_rebuild_button_runs_a_job(staff, member_a, client_for, org_b):
    factories.offer(organisation=org_b, title="Solar dryer")
    assert client_for(member_a).post("/matching/staff/index/").status_code == 403
    response = client_for(staff).post("/matching/staff/index/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.result["profiles"] == 1
    assert "off" in client_for(staff).get("/matching/staff/index/").content.decode()


def test_expired_profile_never_matches_even_before_the_expiry_task_runs(org_a, org_b, member_a, staff):
    from datetime import timedelta

    from django.utils import timezone

    need = publish(owner=member_a, organisation=org_a, staff=staff, kind="request", **NEED)
    offer = factories.offer(organisation=org_b, **OFFER)
    assert [m.profile.pk for m in matches.matches_for(actor=actor_for(member_a), profile=need)] == [offer.pk]
    type(offer).objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    index.PROCESS_INDEX.reset()
    assert matches.matches_for(actor=actor_for(member_a), profile=need) == []


def test_searches_ask_the_change_log_at_most_once_per_interval_but_see_own_writes_at_once(org_b):
    proc = index.ProcessIndex()
    proc.ensure_current()
    first = factories.offer(organisation=org_b, title="Biogas digester for dairy farms")
    IndexChange.objects.create(profile_id=first.pk, op="upsert")  # written by another process
    with CaptureQueriesContext(connection) as ctx:
        proc.engine(index.OFFERS)
        proc.engine(index.NEEDS)
    assert len(ctx) == 0  # looked a moment ago: no query
    assert str(first.pk) not in proc.engines[index.OFFERS].fields
    proc.checked_at -= index.SYNC_INTERVAL  # the interval passes
    assert str(first.pk) in proc.engine(index.OFFERS).fields

    # This process's own write (the global index, as every web process holds it) is seen at the next search.
    index.PROCESS_INDEX.ensure_current()
    own = factories.offer(organisation=org_b, title="Solar dryer for mangoes")
    index.index_profiles(profile_ids=[own.pk])
    assert str(own.pk) in index.PROCESS_INDEX.engine(index.OFFERS).fields


def test_a_look_at_the_log_begun_before_an_own_write_does_not_hide_it(org_b):
    proc = index.ProcessIndex()
    proc.ensure_current()
    offer = factories.offer(organisation=org_b, title="Solar dryer for mangoes")
    real_apply = proc._apply_changes

    def apply_then_write():
        real_apply()  # the look reads the log before the write below lands
        IndexChange.objects.create(profile_id=offer.pk, op="upsert")
        proc.mark_stale()

    proc._apply_changes = apply_then_write
    proc.checked_at = 0.0
    proc.engine(index.OFFERS)
    proc._apply_changes = real_apply
    assert str(offer.pk) in proc.engine(index.OFFERS).fields
