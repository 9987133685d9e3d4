"""Data safety: mail only after commit, reversible migrations, the audit-log viewer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from techbridge.core import audit
from techbridge.core.permissions import actor_for
from techbridge.exchange import services as exchange_services
from tests import factories


class Boom(Exception):
    pass


@pytest.mark.django_db
def test_rolled_back_service_call_sends_no_mail(member_a, org_a, focal_bt, django_capture_on_commit_callbacks):
    profile = factories.ProfileFactory(organisation=org_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        exchange_services.submit_profile(actor=actor_for(member_a), profile=profile)
        raise Boom
    assert callbacks == [] and mail.outbox == []
    profile.refresh_from_db()
    assert profile.status == "draft"


@pytest.mark.django_db
def test_committed_service_call_sends_mail(member_a, org_a, focal_bt, django_capture_on_commit_callbacks):
    """The control for the test above: the same call, committed, does mail the focal point."""
    profile = factories.ProfileFactory(organisation=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        exchange_services.submit_profile(actor=actor_for(member_a), profile=profile)
    assert [m.to for m in mail.outbox] == [[focal_bt.email]]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_migration_reverses_to_zero_and_back():
    executor = MigrationExecutor(connection)
    apps_with_migrations = sorted({app for app, _name in executor.loader.graph.leaf_nodes()})
    irreversible = []
    for node in executor.loader.graph.nodes.values():
        for operation in node.operations:
            if not operation.reversible:
                irreversible.append(f"{node.app_label}.{node.name}: {operation.describe()}")
    ours = [entry for entry in irreversible if entry.split(".")[0] in
            {"core", "exchange", "matching", "events", "programme", "periodical", "funding", "reports"}]
    assert not ours, ours
    call_command("migrate", "core", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    assert set(apps_with_migrations) <= {app for app, _ in MigrationExecutor(connection).loader.applied_migrations}


@pytest.mark.django_db
def test_audit_log_viewer_filters_and_paginates(client_for, staff, member_a, org_a):
    actor = actor_for(member_a)
    for _ in range(60):
        audit.record(actor=actor, action="update", obj=org_a)
    audit.record(actor=actor_for(staff), action="create", obj=org_a)
    client = client_for(staff)
    page = client.get("/audit/")
    assert page.status_code == 200 and "Page 1 of 2" in page.content.decode()
    only_staff = client.get("/audit/", {"actor": "staff@", "object_type": "core.organisation"})
    assert only_staff.content.decode().count("<tr>") == 2  # header + one entry
    by_object = client.get("/audit/", {"object_id": str(org_a.pk), "action": "create"})
    assert "create" in by_object.content.decode()
    assert client_for(member_a).get("/audit/").status_code == 403
