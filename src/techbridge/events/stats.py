"""Event statistics by country and by participation type: the funnel from registration to signed agreement.

A meeting involves two participants, so in a breakdown it counts once for each side's country (or type); the
totals row counts every request and meeting once.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from techbridge.events.models import Event, Meeting, MeetingRequest, Registration

COLUMNS = ["registrations", "approved", "requests", "accepted", "scheduled", "held", "no_interest",
           "further_talks", "agreement_signed"]


def _empty() -> dict:
    return dict.fromkeys(COLUMNS, 0)


def event_statistics(*, event: Event) -> dict:
    """{"total": row, "by_country": [(name, row)], "by_type": [(name, row)]}, rows keyed by COLUMNS."""
    regs = {r.pk: r for r in Registration.objects.filter(event=event).select_related(
        "organisation__country", "participation_type")}
    keys = {pk: (r.organisation.country.name, r.participation_type.name if r.participation_type else _("(none)"))
            for pk, r in regs.items()}
    total = _empty()
    groups: list[dict[str, dict]] = [defaultdict(_empty), defaultdict(_empty)]

    def add(reg_ids, column):
        total[column] += 1
        for reg_id in reg_ids:
            for group, key in zip(groups, keys[reg_id], strict=True):
                group[key][column] += 1

    for pk, r in regs.items():
        add([pk], "registrations")
        if r.status == Registration.Status.APPROVED:
            add([pk], "approved")
    for requester, recipient, status in MeetingRequest.objects.filter(event=event).values_list(
            "requester_id", "recipient_id", "status"):
        add([requester], "requests")
        if status == MeetingRequest.Status.ACCEPTED:
            add([requester, recipient], "accepted")
    for a, b, slot, attendance, outcome in Meeting.objects.filter(event=event).values_list(
            "request__requester_id", "request__recipient_id", "slot_id", "attendance", "outcome"):
        if slot is not None:
            add([a, b], "scheduled")
        if attendance == Meeting.Attendance.HELD:
            add([a, b], "held")
        if outcome:
            add([a, b], outcome)
    return {"total": total, "by_country": sorted(groups[0].items()), "by_type": sorted(groups[1].items())}


def statistics_rows(*, event: Event) -> list[dict]:
    """The same figures flattened for a CSV/XLSX export: one row per (dimension, value)."""
    stats = event_statistics(event=event)
    rows = [{"dimension": "total", "value": "", **stats["total"]}]
    for dimension in ("by_country", "by_type"):
        rows += [{"dimension": dimension.removeprefix("by_"), "value": name, **row} for name, row in stats[dimension]]
    return rows
