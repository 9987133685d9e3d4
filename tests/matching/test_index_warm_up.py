"""The index is built before the first request (gunicorn hooks) and search rankings never outlive a change."""

from __future__ import annotations

import gc
import threading

import pytest

from techbridge import gunicorn_conf
from techbridge.core.permissions import ANONYMOUS
from techbridge.exchange.search import ProfileFilters, search_profiles
from techbridge.matching.services import index
from tests import factories
from tests.matching.helpers import publish

pytestmark = pytest.mark.django_db(transaction=True)


class _Log:
    def __init__(self):
        self.lines: list[str] = []

    def info(self, msg, *args):
        self.lines.append(msg % args)

    def exception(self, msg, *args):
        self.lines.append("ERROR " + msg % args)


def test_gunicorn_hooks_build_in_the_master_and_catch_up_in_workers(org_b, monkeypatch):
    monkeypatch.delenv("TECHBRIDGE_WARM_INDEX", raising=False)
    factories.offer(organisation=org_b, title="Paddy dehusker with rubber rolls")
    server = type("Server", (), {"log": _Log()})()
    builds = index.PROCESS_INDEX.stats["builds"]
    try:
        gunicorn_conf.when_ready(server)
    finally:
        gc.unfreeze()
    assert index.PROCESS_INDEX.built and index.PROCESS_INDEX.stats["builds"] == builds + 1
    assert "'profiles': 1" in server.log.lines[0]
    before = {t.ident for t in threading.enumerate()}
    worker = type("Worker", (), {"log": _Log(), "pid": 1})()
    gunicorn_conf.post_worker_init(worker)
    for t in threading.enumerate():
        if t.ident not in before and t.name == "matching-index-catch-up":
            t.join(timeout=30)
    gc.unfreeze()
    assert worker.log.lines and "ERROR" not in worker.log.lines[0]
    assert index.PROCESS_INDEX.stats["builds"] == builds + 1  # the worker replayed the log, no rebuild


def test_warm_up_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("TECHBRIDGE_WARM_INDEX", "0")
    gunicorn_conf.when_ready(type("Server", (), {"log": _Log()})())
    assert not index.PROCESS_INDEX.built


def test_search_box_ranking_is_recomputed_after_a_publication(org_a, org_b, member_b, staff):
    factories.offer(organisation=org_a, title="Rice polisher for small mills")
    qs, ranked = search_profiles(ANONYMOUS, ProfileFilters(q="rice husk removal"), public_only=True)
    assert ranked and [p.title for p in qs] == ["Rice polisher for small mills"]
    publish(owner=member_b, organisation=org_b, staff=staff, title="Rice husk removal machine")
    qs, _ranked = search_profiles(ANONYMOUS, ProfileFilters(q="rice husk removal"), public_only=True)
    assert [p.title for p in qs][0] == "Rice husk removal machine"
