"""Figures of brokerage events for the annual report: meetings requested, held and their outcomes in a period.

The reports app calls these with the reporting period (dates, inclusive) instead of reading events' tables.
A request counts in the period it was sent; a meeting counts in the period of its slot.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from techbridge.events.models import Event, Meeting, MeetingRequest, Registration


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def meetings_requested(*, start: date, end: date) -> int:
    """Meeting requests sent in the period (whatever became of them)."""
    low, high = _bounds(start, end)
    return MeetingRequest.objects.filter(created_at__gte=low, created_at__lt=high).count()


def meetings_accepted(*, start: date, end: date) -> int:
    low, high = _bounds(start, end)
    return MeetingRequest.objects.filter(created_at__gte=low, created_at__lt=high,
                                         status=MeetingRequest.Status.ACCEPTED).count()


def meetings_held(*, start: date, end: date) -> int:
    """Meetings checked in as held whose slot falls in the period."""
    low, high = _bounds(start, end)
    return Meeting.objects.filter(slot__starts_at__gte=low, slot__starts_at__lt=high,
                                  attendance=Meeting.Attendance.HELD).count()


def outcomes(*, start: date, end: date) -> dict[str, int]:
    """Reported follow-up outcomes of meetings in the period: {"no_interest": n, "further_talks": n, ...}."""
    low, high = _bounds(start, end)
    counts = dict(Meeting.objects.filter(slot__starts_at__gte=low, slot__starts_at__lt=high)
                  .exclude(outcome="").values_list("outcome").annotate(n=Count("id")))
    return {value: counts.get(value, 0) for value in Meeting.Outcome.values if value}


def events_in_period(*, start: date, end: date) -> list[dict]:
    """One row per event held in the period (it starts on or before `end` and ends on or after `start`)."""
    rows = []
    approved = Q(registrations__status=Registration.Status.APPROVED)
    qs = (Event.objects.filter(starts_on__lte=end, ends_on__gte=start)
          .annotate(participants=Count("registrations", filter=approved, distinct=True))
          .order_by("starts_on", "pk"))
    for event in qs:
        meetings = Meeting.objects.filter(event=event)
        rows.append({"event": event.name, "starts_on": event.starts_on, "ends_on": event.ends_on,
                     "city": event.city, "participants": event.participants,
                     "requested": MeetingRequest.objects.filter(event=event).count(),
                     "scheduled": meetings.filter(slot__isnull=False).count(),
                     "held": meetings.filter(attendance=Meeting.Attendance.HELD).count()})
    return rows


def summary(*, start: date, end: date) -> dict:
    """Everything above in one dict, for the report's brokerage-events section."""
    return {"requested": meetings_requested(start=start, end=end),
            "accepted": meetings_accepted(start=start, end=end),
            "held": meetings_held(start=start, end=end),
            "outcomes": outcomes(start=start, end=end),
            "events": events_in_period(start=start, end=end)}
