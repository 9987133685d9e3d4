from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.core.permissions import actor_for
from techbridge.events.models import Registration, Unavailability
from techbridge.events.services import booking, registrations, requests
from tests import factories

pytestmark = pytest.mark.django_db


def test_register_links_published_profiles_and_tells_organisers(member_a, org_a, staff,
                                                                  django_capture_on_commit_callbacks):
    event = factories.event_with_slots()
    event.organisers.add(staff)
    profile = factories.PublishedProfileFactory(organisation=org_a)
    ptype = factories.ParticipationTypeFactory(event=event, name="Technology provider")
    with django_capture_on_commit_callbacks(execute=True):
        reg = registrations.register(actor=actor_for(member_a), event=event, organisation_id=org_a.pk,
                                     values={"offers": "Solar dryers", "participation_type_id": ptype.pk,
                                             "profile_ids": [profile.pk]})
    assert reg.status == Registration.Status.PENDING
    assert list(reg.profiles.all()) == [profile]
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert AuditEntry.objects.filter(action="register", object_id=str(reg.pk)).exists()


def test_register_refuses_closed_registration_foreign_organisation_and_twice(member_a, org_a, org_b):
    closed = factories.event_with_slots(registration_closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        registrations.register(actor=actor_for(member_a), event=closed, organisation_id=org_a.pk, values={})
    assert "event" in exc.value.message_dict
    event = factories.event_with_slots()
    with pytest.raises(ValidationError) as exc:
        registrations.register(actor=actor_for(member_a), event=event, organisation_id=org_b.pk, values={})
    assert "organisation" in exc.value.message_dict
    other_profile = factories.PublishedProfileFactory(organisation=org_b)
    with pytest.raises(ValidationError) as exc:
        registrations.register(actor=actor_for(member_a), event=event, organisation_id=org_a.pk,
                               values={"profile_ids": [other_profile.pk]})
    assert "profiles" in exc.value.message_dict
    registrations.register(actor=actor_for(member_a), event=event, organisation_id=org_a.pk, values={})
    with pytest.raises(ValidationError):
        registrations.register(actor=actor_for(member_a), event=event, organisation_id=org_a.pk, values={})


def test_decide_registration_requires_reason_to_reject_and_mails(staff, member_a, org_a,
                                                                 django_capture_on_commit_callbacks):
    event = factories.event_with_slots()
    reg = factories.RegistrationFactory(event=event, user=member_a, organisation=org_a,
                                        status=Registration.Status.PENDING)
    with pytest.raises(ValidationError):
        registrations.decide_registration(actor=actor_for(staff), registration=reg, approve=False, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        registrations.decide_registration(actor=actor_for(staff), registration=reg, approve=True)
    reg.refresh_from_db()
    assert reg.status == Registration.Status.APPROVED and reg.decided_at is not None
    assert mail.outbox[-1].to == [member_a.email] and "confirmed" in mail.outbox[-1].body


def test_set_unavailable_replaces_blocked_set_but_not_over_a_booked_meeting(staff):
    event = factories.event_with_slots()
    a = factories.approved_participant(event=event)
    b = factories.approved_participant(event=event)
    slots = list(event.slots.order_by("starts_at"))
    registrations.set_unavailable(actor=actor_for(a.user), registration=a, slot_ids=[slots[0].pk, slots[1].pk])
    registrations.set_unavailable(actor=actor_for(a.user), registration=a, slot_ids=[slots[1].pk, slots[2].pk])
    assert set(Unavailability.objects.filter(registration=a).values_list("slot_id", flat=True)) == {
        slots[1].pk, slots[2].pk}
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    booking.book_meeting(actor=actor_for(staff), meeting=req.meeting, slot=slots[3])
    with pytest.raises(ValidationError):
        registrations.set_unavailable(actor=actor_for(b.user), registration=b, slot_ids=[slots[3].pk])
    other_event = factories.event_with_slots()
    with pytest.raises(ValidationError):
        registrations.set_unavailable(actor=actor_for(a.user), registration=a,
                                      slot_ids=[other_event.slots.first().pk])
