from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.core.permissions import actor_for
from techbridge.exchange import services
from techbridge.exchange.models import Profile, Status
from tests import factories

pytestmark = pytest.mark.django_db


def _draft(member, org, **values):
    base = {"title": "Rice husk gasifier", "summary": "A 20 kW gasifier for rice mills."}
    base.update(values)
    return services.create_profile(actor=actor_for(member), kind="offer", organisation_id=org.pk, values=base)


def test_create_profile_assigns_een_reference_and_draft_state(member_a, org_a):
    profile = _draft(member_a, org_a)
    today = timezone.now().strftime("%Y%m%d")
    assert profile.reference == f"TOBT{today}001"
    assert profile.status == Status.DRAFT
    second = _draft(member_a, org_a)
    assert second.reference == f"TOBT{today}002"
    entry = AuditEntry.objects.get(object_id=str(profile.pk), action="create")
    assert entry.actor_id == member_a.pk and entry.to_state == "draft"


def test_submit_then_validate_publishes_with_expiry_and_audit(
    member_a, org_a, focal_bt, django_capture_on_commit_callbacks
):
    profile = _draft(member_a, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_profile(actor=actor_for(member_a), profile=profile)
    assert profile.status == Status.SUBMITTED
    assert any("awaits your validation" in m.body for m in mail.outbox)
    services.validate_profile(actor=actor_for(focal_bt), profile=profile)
    profile.refresh_from_db()
    assert profile.status == Status.PUBLISHED
    assert profile.validated_by_id == focal_bt.pk
    assert profile.expires_at - profile.published_at == timedelta(days=365)
    trail = list(
        AuditEntry.objects.filter(object_id=str(profile.pk))
        .order_by("id")
        .values_list("action", "from_state", "to_state")
    )
    assert trail == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("validate", "submitted", "validated"),
        ("publish", "validated", "published"),
    ]


def test_reject_requires_reason_and_edit_returns_to_draft(member_a, org_a, focal_bt):
    profile = _draft(member_a, org_a)
    services.submit_profile(actor=actor_for(member_a), profile=profile)
    with pytest.raises(ValidationError) as exc:
        services.reject_profile(actor=actor_for(focal_bt), profile=profile, reason="  ")
    assert "reason" in exc.value.message_dict
    services.reject_profile(actor=actor_for(focal_bt), profile=profile, reason="Summary is too vague.")
    profile.refresh_from_db()
    assert profile.status == Status.REJECTED and profile.rejection_reason == "Summary is too vague."
    services.update_profile(
        actor=actor_for(member_a), profile=profile, values={"summary": "Clearer summary."}
    )
    profile.refresh_from_db()
    assert profile.status == Status.DRAFT
    services.submit_profile(actor=actor_for(member_a), profile=profile)
    assert Profile.objects.get(pk=profile.pk).rejection_reason == ""


def test_focal_point_of_other_country_cannot_validate(member_a, org_a, focal_in):
    profile = _draft(member_a, org_a)
    services.submit_profile(actor=actor_for(member_a), profile=profile)
    with pytest.raises(PermissionDenied):
        services.validate_profile(actor=actor_for(focal_in), profile=profile)
    assert Profile.objects.get(pk=profile.pk).status == Status.SUBMITTED


def test_owner_cannot_validate_own_profile(member_a, org_a):
    profile = _draft(member_a, org_a)
    services.submit_profile(actor=actor_for(member_a), profile=profile)
    with pytest.raises(PermissionDenied):
        services.validate_profile(actor=actor_for(member_a), profile=profile)


def test_staff_can_validate_any_country(member_a, org_a, staff):
    profile = _draft(member_a, org_a)
    services.submit_profile(actor=actor_for(member_a), profile=profile)
    services.validate_profile(actor=actor_for(staff), profile=profile)
    assert Profile.objects.get(pk=profile.pk).status == Status.PUBLISHED


def test_transition_from_wrong_state_is_refused(member_a, org_a, focal_bt, staff):
    profile = _draft(member_a, org_a)
    with pytest.raises(PermissionDenied):  # focal points never see drafts
        services.validate_profile(actor=actor_for(focal_bt), profile=profile)
    with pytest.raises(ValidationError) as exc:
        services.validate_profile(actor=actor_for(staff), profile=profile)
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.run_transition(actor=actor_for(member_a), profile=profile, name="fly-away")


def test_expire_due_profiles_expires_and_audits(org_a):
    due = factories.PublishedProfileFactory(
        organisation=org_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    fresh = factories.PublishedProfileFactory(organisation=org_a)
    assert services.expire_due_profiles() == 1
    due.refresh_from_db()
    fresh.refresh_from_db()
    assert due.status == Status.EXPIRED and fresh.status == Status.PUBLISHED
    assert AuditEntry.objects.filter(object_id=str(due.pk), action="expire", actor__isnull=True).exists()


def test_extend_only_once(member_a, org_a):
    profile = factories.PublishedProfileFactory(
        organisation=org_a, expires_at=timezone.now() - timedelta(days=1), status=Status.EXPIRED
    )
    services.extend_profile(actor=actor_for(member_a), profile=profile)
    profile.refresh_from_db()
    assert profile.status == Status.PUBLISHED and profile.extended
    assert profile.expires_at > timezone.now() + timedelta(days=360)
    with pytest.raises(ValidationError):
        services.extend_profile(actor=actor_for(member_a), profile=profile)


def test_expiry_reminder_sent_once_two_weeks_before(member_a, org_a, django_capture_on_commit_callbacks):
    factories.PublishedProfileFactory(organisation=org_a, expires_at=timezone.now() + timedelta(days=10))
    factories.PublishedProfileFactory(organisation=org_a, expires_at=timezone.now() + timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_expiry_reminders() == 1
        assert services.send_expiry_reminders() == 0
    reminders = [m for m in mail.outbox if "expires" in m.subject]
    assert {m.to[0] for m in reminders} == {member_a.email, "karma@example.bt"}


def test_archive_removes_from_public(member_a, org_a):
    profile = factories.PublishedProfileFactory(organisation=org_a)
    services.archive_profile(actor=actor_for(member_a), profile=profile)
    assert Profile.objects.get(pk=profile.pk).status == Status.ARCHIVED


def test_withdraw_returns_submitted_to_draft(member_a, org_a):
    profile = _draft(member_a, org_a)
    services.submit_profile(actor=actor_for(member_a), profile=profile)
    services.run_transition(actor=actor_for(member_a), profile=profile, name="withdraw")
    assert Profile.objects.get(pk=profile.pk).status == Status.DRAFT


def test_member_of_other_organisation_cannot_edit_or_submit(member_a, org_a, member_b):
    profile = _draft(member_a, org_a)
    with pytest.raises(PermissionDenied):
        services.update_profile(actor=actor_for(member_b), profile=profile, values={"title": "Hijacked"})
    with pytest.raises(PermissionDenied):
        services.submit_profile(actor=actor_for(member_b), profile=profile)
    assert Profile.objects.get(pk=profile.pk).title == "Rice husk gasifier"


def test_anonymous_cannot_create(org_a):
    from techbridge.core.permissions import ANONYMOUS

    with pytest.raises(PermissionDenied):
        services.create_profile(
            actor=ANONYMOUS, kind="offer", organisation_id=org_a.pk, values={"title": "x", "summary": "y"}
        )
    assert Profile.objects.count() == 0
