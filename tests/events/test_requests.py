import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.permissions import actor_for
from techbridge.events.models import Meeting, MeetingRequest, MeetingSeat, Registration
from techbridge.events.services import booking, requests
from tests import factories

pytestmark = pytest.mark.django_db
Status = MeetingRequest.Status


@pytest.fixture
def pair():
    event = factories.event_with_slots()
    return event, factories.approved_participant(event=event), factories.approved_participant(event=event)


def test_send_request_mails_recipient_and_accept_creates_meeting(pair, django_capture_on_commit_callbacks):
    event, a, b = pair
    with django_capture_on_commit_callbacks(execute=True):
        req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b, message="About dryers")
    assert req.status == Status.REQUESTED and not Meeting.objects.exists()
    assert mail.outbox[-1].to == [b.user.email] and "About dryers" in mail.outbox[-1].body
    with pytest.raises(PermissionDenied):
        requests.accept_request(actor=actor_for(a.user), request=req)
    with django_capture_on_commit_callbacks(execute=True):
        requests.accept_request(actor=actor_for(b.user), request=req, response="Gladly")
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED and req.meeting.slot is None
    assert {tuple(m.to) for m in mail.outbox[-2:]} == {(a.user.email,), (b.user.email,)}


def test_reverse_request_makes_existing_one_mutual_and_accepted(pair):
    event, a, b = pair
    first = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    second = requests.send_request(actor=actor_for(b.user), event=event, recipient=a, message="Me too")
    assert second.pk == first.pk
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED and first.mutual and first.priority == 2
    assert MeetingRequest.objects.count() == 1 and Meeting.objects.count() == 1
    with pytest.raises(ValidationError):
        requests.send_request(actor=actor_for(a.user), event=event, recipient=b)


def test_auto_accept_confirms_at_once_unless_a_cap_is_reached(pair):
    event, a, b = pair
    event.auto_accept = True
    event.max_meetings = 1
    event.save()
    c = factories.approved_participant(event=event)
    first = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    assert first.status == Status.ACCEPTED
    second = requests.send_request(actor=actor_for(a.user), event=event, recipient=c)
    assert second.status == Status.REQUESTED  # a already has its one meeting: a human decides
    with pytest.raises(ValidationError):
        requests.accept_request(actor=actor_for(c.user), request=second)


def test_send_request_refused_when_booking_closed_self_or_not_approved(pair):
    event, a, b = pair
    with pytest.raises(ValidationError):
        requests.send_request(actor=actor_for(a.user), event=event, recipient=a)
    pending = factories.approved_participant(event=event, status=Registration.Status.PENDING)
    with pytest.raises(ValidationError):
        requests.send_request(actor=actor_for(a.user), event=event, recipient=pending)
    with pytest.raises(PermissionDenied):
        requests.send_request(actor=actor_for(pending.user), event=event, recipient=a)
    event.booking_open = False
    event.save()
    with pytest.raises(ValidationError) as exc:
        requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    assert "event" in exc.value.message_dict


def test_decline_then_new_request_allowed(pair):
    event, a, b = pair
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.decline_request(actor=actor_for(b.user), request=req, response="Not our field")
    req.refresh_from_db()
    assert req.status == Status.DECLINED and req.response == "Not our field"
    again = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    assert again.pk != req.pk and again.status == Status.REQUESTED


def test_cancel_accepted_meeting_frees_its_seats(pair, staff):
    event, a, b = pair
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    booking.book_meeting(actor=actor_for(staff), meeting=req.meeting, slot=event.slots.first())
    assert MeetingSeat.objects.count() == 2
    outsider = factories.MemberFactory()
    with pytest.raises(PermissionDenied):
        requests.cancel_request(actor=actor_for(outsider), request=req)
    requests.cancel_request(actor=actor_for(b.user), request=req)
    req.refresh_from_db()
    assert req.status == Status.CANCELLED
    assert MeetingSeat.objects.count() == 0 and Meeting.objects.count() == 0


def test_recipient_cannot_cancel_an_open_request_only_decline(pair):
    event, a, b = pair
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    with pytest.raises(ValidationError):
        requests.cancel_request(actor=actor_for(b.user), request=req)
