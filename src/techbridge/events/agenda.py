"""Agendas: a participant's meetings as rows, HTML, PDF (WeasyPrint) and iCalendar; the organiser's table plan.

Times are stored in UTC and shown in the event's time zone; the .ics file carries UTC times so every calendar
application converts them itself.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.events.models import Event, Meeting, Registration, Slot


@dataclass(frozen=True)
class AgendaRow:
    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    table: int
    counterpart: Registration
    message: str

    @property
    def counterpart_label(self) -> str:
        return f"{self.counterpart.display_name} ({self.counterpart.organisation.name})"


def _zone(event: Event):
    return zoneinfo.ZoneInfo(event.time_zone)


def agenda_rows(*, registration: Registration) -> list[AgendaRow]:
    """The participant's scheduled meetings in time order, each with the person they meet (local times)."""
    tz = _zone(registration.event)
    meetings = (Meeting.objects.filter(Q(request__requester=registration) | Q(request__recipient=registration),
                                       slot__isnull=False)
                .select_related("slot", "request__requester__user", "request__requester__organisation__country",
                                "request__recipient__user", "request__recipient__organisation__country")
                .order_by("slot__starts_at"))
    rows = []
    for m in meetings:
        req = m.request
        other = req.recipient if req.requester_id == registration.pk else req.requester
        rows.append(AgendaRow(meeting=m, starts_at=timezone.localtime(m.slot.starts_at, tz),
                              ends_at=timezone.localtime(m.slot.ends_at, tz), table=m.table, counterpart=other,
                              message=req.message))
    return rows


def unscheduled_meetings(*, registration: Registration):
    """Accepted meetings of the participant still waiting for a slot."""
    return (Meeting.objects.filter(Q(request__requester=registration) | Q(request__recipient=registration),
                                   slot__isnull=True)
            .select_related("request__requester__user", "request__recipient__user",
                            "request__requester__organisation", "request__recipient__organisation"))


def agenda_ics(*, registration: Registration) -> bytes:
    """An iCalendar file with one event per scheduled meeting (stable UIDs, so re-imports update them)."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    event = registration.event
    cal = Calendar()
    cal.add("prodid", "-//TechBridge//Brokerage events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{event.name} — {registration.display_name}")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "techbridge"
    for row in agenda_rows(registration=registration):
        item = VEvent()
        item.add("uid", f"event{event.pk}-meeting{row.meeting.pk}@{host}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", row.meeting.slot.starts_at)
        item.add("dtend", row.meeting.slot.ends_at)
        item.add("summary", _("Meeting with %(who)s") % {"who": row.counterpart_label})
        place = event.online_url if event.online else ", ".join(p for p in (event.venue, event.city) if p)
        table = _("Table %(n)d") % {"n": row.table}
        item.add("location", f"{place} — {table}" if place else table)
        item.add("description", row.message or event.name)
        cal.add_component(item)
    return cal.to_ical()


def _no_network(url: str, *args, **kwargs):
    """WeasyPrint URL fetcher that refuses everything: agendas embed no remote fonts or images."""
    raise ValueError(f"agenda PDFs load no external resources ({url[:60]})")


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render a print template to PDF offline (system fonts only)."""
    import weasyprint

    event = context.get("event")
    with timezone.override(event.time_zone if event is not None else timezone.get_current_timezone()):
        html = render_to_string(template, context)
    return weasyprint.HTML(string=html, url_fetcher=_no_network).write_pdf()


def agenda_pdf(*, registration: Registration) -> bytes:
    return render_pdf(template="events/print/agenda.html",
                      context={"event": registration.event, "registration": registration,
                               "rows": agenda_rows(registration=registration)})


def table_plan(*, event: Event) -> list[dict]:
    """One entry per slot: its local time and a list with the meeting (or None) at every table."""
    tz = _zone(event)
    slots = list(Slot.objects.filter(event=event).select_related("session").order_by("starts_at"))
    by_slot: dict[int, dict[int, Meeting]] = {s.pk: {} for s in slots}
    for m in (Meeting.objects.filter(event=event, slot__isnull=False)
              .select_related("request__requester__user", "request__recipient__user",
                              "request__requester__organisation", "request__recipient__organisation")):
        by_slot[m.slot_id][m.table] = m
    plan = []
    for s in slots:
        cells = [by_slot[s.pk].get(t) for t in range(1, s.session.tables + 1)]
        plan.append({"slot": s, "session": s.session, "starts_at": timezone.localtime(s.starts_at, tz),
                     "ends_at": timezone.localtime(s.ends_at, tz), "cells": cells,
                     "used": sum(1 for c in cells if c is not None)})
    return plan


def local_slots(*, event: Event) -> list[tuple[Slot, datetime]]:
    tz = _zone(event)
    return [(s, timezone.localtime(s.starts_at, tz))
            for s in Slot.objects.filter(event=event).select_related("session").order_by("starts_at")]


def slot_local(*, event: Event, slot: Slot) -> datetime:
    """A slot's start in the event's time zone."""
    return timezone.localtime(slot.starts_at, _zone(event))
