"""Two bookings of one slot at the same moment, in two real PostgreSQL transactions (one thread and one
connection each). First the race is shown to exist without the row lock and the unique constraints; then the
lock alone, and the constraints alone, each let exactly one booking win."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from techbridge.core.permissions import actor_for
from techbridge.events.models import Meeting, MeetingSeat
from techbridge.events.services import requests
from techbridge.events.services.booking import _place
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GUARDS = [(Meeting, "unique_meeting_table"), (MeetingSeat, "unique_seat_per_slot")]


def _meeting(event, a, b) -> Meeting:
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    return Meeting.objects.get(request=req)


@contextmanager
def _without_constraints():
    """Drop the two unique constraints for the 'no defence' demonstration, and restore them afterwards."""
    constraints = [(model, next(c for c in model._meta.constraints if c.name == name)) for model, name in GUARDS]
    with connection.schema_editor() as editor:
        for model, constraint in constraints:
            editor.remove_constraint(model, constraint)
    try:
        yield
    finally:
        MeetingSeat.objects.all().delete()
        Meeting.objects.update(slot=None, table=None)
        with connection.schema_editor() as editor:
            for model, constraint in constraints:
                editor.add_constraint(model, constraint)


def _race(meeting_ids: list[int], slot_id: int, *, lock: bool, both_check_first: bool) -> list[str]:
    """Book two meetings into one slot from two threads that start together; return 'won'/'lost' per thread.

    With `both_check_first` both transactions finish their checks before either writes (a second barrier),
    the worst interleaving; otherwise the first to get the lock sleeps a little to keep the window open.
    """
    start = threading.Barrier(2)
    checked = threading.Barrier(2)
    results = ["", ""]

    def after_check():
        if both_check_first:
            checked.wait(timeout=10)
        else:
            time.sleep(0.3)

    def worker(i: int) -> None:
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                _place(meeting_id=meeting_ids[i], slot_id=slot_id, table=None, lock=lock, after_check=after_check)
            results[i] = "won"
        except ValidationError:
            results[i] = "lost"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_same_person_booked_twice_in_one_slot_without_lock_or_constraint():
    event = factories.event_with_slots(tables=5)
    a, b, c = (factories.approved_participant(event=event) for _ in range(3))
    m1, m2 = _meeting(event, a, b), _meeting(event, a, c)
    slot = event.slots.first()
    with _without_constraints():
        results = _race([m1.pk, m2.pk], slot.pk, lock=False, both_check_first=True)
        assert results == ["won", "won"]
        assert MeetingSeat.objects.filter(registration=a, slot=slot).count() == 2  # a is in two places at once


def test_last_table_taken_twice_without_lock_or_constraint():
    event = factories.event_with_slots(tables=1)
    a, b, c, d = (factories.approved_participant(event=event) for _ in range(4))
    m1, m2 = _meeting(event, a, b), _meeting(event, c, d)
    slot = event.slots.first()
    with _without_constraints():
        results = _race([m1.pk, m2.pk], slot.pk, lock=False, both_check_first=True)
        assert results == ["won", "won"]
        assert list(Meeting.objects.filter(slot=slot).values_list("table", flat=True)) == [1, 1]  # over-filled


@pytest.mark.parametrize("same_person", [True, False], ids=["same-person", "last-table"])
def test_row_lock_lets_exactly_one_booking_win(same_person):
    event = factories.event_with_slots(tables=5 if same_person else 1)
    a, b, c, d = (factories.approved_participant(event=event) for _ in range(4))
    m1, m2 = _meeting(event, a, b), _meeting(event, a if same_person else c, c if same_person else d)
    slot = event.slots.first()
    with _without_constraints():  # the lock alone must be enough
        results = _race([m1.pk, m2.pk], slot.pk, lock=True, both_check_first=False)
        assert sorted(results) == ["lost", "won"]
        assert Meeting.objects.filter(slot=slot).count() == 1
        assert MeetingSeat.objects.filter(slot=slot).count() == 2


def test_unique_constraints_alone_stop_the_second_booking():
    event = factories.event_with_slots(tables=5)
    a, b, c = (factories.approved_participant(event=event) for _ in range(3))
    m1, m2 = _meeting(event, a, b), _meeting(event, a, c)
    slot = event.slots.first()
    results = _race([m1.pk, m2.pk], slot.pk, lock=False, both_check_first=True)
    assert sorted(results) == ["lost", "won"]
    assert MeetingSeat.objects.filter(registration=a, slot=slot).count() == 1
