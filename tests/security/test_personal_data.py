"""Personal data export and erasure across apps, and the retention period for participants and subscribers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from techbridge.core.models import AuditEntry, Membership, User
from techbridge.core.permissions import actor_for
from techbridge.core.security.personal_data import erase_person, export_person, sources
from techbridge.core.security.retention import purge_expired
from techbridge.exchange.models import Profile
from techbridge.periodical.models import Subscriber
from techbridge.programme.models import Participant
from tests import factories

EMAIL = "karma@example.bt"


@pytest.fixture
def person(org_a):
    user = factories.MemberFactory(organisation=org_a, email=EMAIL, full_name="Karma Wangchuk")
    factories.ProfileFactory(organisation=org_a, contact_email=EMAIL, contact_name="Karma Wangchuk")
    factories.SubscriberFactory(email=EMAIL)
    factories.ParticipantFactory(name="Karma Wangchuk")
    event = factories.EventFactory()
    factories.approved_participant(event=event, user=user)
    return user


@pytest.mark.django_db
def test_personal_data_export_finds_person_in_every_app(person, staff):
    exported = export_person(actor=actor_for(staff), email=EMAIL, name="Karma Wangchuk")
    assert set(exported["data"]) >= {"core.user", "core.membership", "exchange.profile_contact",
                                     "events.registration", "periodical.subscriber", "programme.participant"}
    assert exported["data"]["core.user"][0]["email"] == EMAIL
    json.dumps(exported)  # JSON-ready


@pytest.mark.django_db
def test_personal_data_erase_leaves_nothing_to_export(person, staff, org_a):
    counts = erase_person(actor=actor_for(staff), email=EMAIL, name="Karma Wangchuk")
    assert counts["core.user"] == 1 and counts["periodical.subscriber"] == 1
    assert export_person(actor=actor_for(staff), email=EMAIL, name="Karma Wangchuk")["data"] == {}
    assert not User.objects.filter(email=EMAIL).exists()
    assert Profile.objects.filter(organisation=org_a).count() == 1  # the profile stays, without the contact
    assert Participant.objects.count() == 1  # the participant stays for the figures, without the name
    assert AuditEntry.objects.filter(action="erase_person").count() == 1
    assert EMAIL not in json.dumps(list(AuditEntry.objects.values("detail")))


@pytest.mark.django_db
def test_personal_data_only_staff(person, member_a):
    with pytest.raises(PermissionDenied):
        export_person(actor=actor_for(member_a), email=EMAIL)
    with pytest.raises(PermissionDenied):
        erase_person(actor=actor_for(member_a), email=EMAIL)
    assert User.objects.filter(email=EMAIL).exists()


@pytest.mark.django_db
def test_personal_data_sources_name_real_fields():
    from django.apps import apps

    for source in sources():
        model = apps.get_model(source.model)
        names = {f.name for f in model._meta.get_fields()}
        assert set(source.fields) <= names, source.key


@pytest.mark.django_db
def test_personal_data_command_export_and_erase(person, staff, capsys):
    call_command("personal_data", "export", EMAIL, "--as", staff.email)
    assert EMAIL in capsys.readouterr().out
    call_command("personal_data", "erase", EMAIL, "--as", staff.email, "--yes")
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Membership.objects.filter(user__email=EMAIL).exists()


@pytest.mark.django_db
def test_retention_purges_only_records_past_the_period(settings):
    settings.TECHBRIDGE_RETENTION_DAYS = 365
    old = factories.ParticipantFactory(activity=factories.ActivityFactory(start_date=dt.date(2019, 1, 1)))
    recent_activity = factories.ActivityFactory(start_date=timezone.now().date() - dt.timedelta(days=10))
    recent = factories.ParticipantFactory(activity=recent_activity)
    long_ago = timezone.now() - dt.timedelta(days=400)
    gone = factories.SubscriberFactory(status="unsubscribed", unsubscribed_at=long_ago)
    stale_pending = factories.SubscriberFactory(status="pending", confirmed_at=None, created_at=long_ago)
    fresh_unsub = factories.SubscriberFactory(status="unsubscribed", unsubscribed_at=timezone.now())
    active_old = factories.SubscriberFactory(created_at=long_ago)

    assert purge_expired() == {"participants": 1, "subscribers": 2}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.name == "" and recent.name != ""
    remaining = set(Subscriber.objects.values_list("pk", flat=True))
    assert remaining == {fresh_unsub.pk, active_old.pk} and gone.pk not in remaining
    assert stale_pending.pk not in remaining
    assert purge_expired() == {"participants": 0, "subscribers": 0}  # idempotent


@pytest.mark.django_db
def test_purge_expired_command(capsys):
    call_command("purge_expired", "--days", "0")
    assert "anonymised" in capsys.readouterr().out
