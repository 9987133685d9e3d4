"""Organiser pages: registrations to approve, "Schedule all", table plan, printable lists, check-in, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.web import paginate, request_actor, safe_next
from techbridge.events import agenda, stats
from techbridge.events import permissions as perms
from techbridge.events.forms import ReasonForm
from techbridge.events.models import Meeting, Registration, ScheduleRun
from techbridge.events.services import booking, day, registrations, requests, scheduling
from techbridge.events.views import render_event


def _managed(request, pk):
    actor = request_actor(request)
    return actor, get_object_or_404(perms.managed_events(actor), pk=pk)


@login_required
def registration_list(request, pk: int):
    actor, event = _managed(request, pk)
    status = request.GET.get("status", "pending")
    qs = event.registrations.select_related("user", "organisation__country", "participation_type")
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    return render_event(request, "events/registrations.html", {
        "event": event, "page": paginate(request, qs.order_by("created_at", "pk")), "status": status,
        "statuses": Registration.Status.choices, "reason_form": ReasonForm()})


@login_required
@require_POST
def decide(request, pk: int, rid: int, action: str):
    actor, event = _managed(request, pk)
    reg = get_object_or_404(event.registrations.all(), pk=rid)
    if action not in {"approve", "reject"}:
        raise Http404
    try:
        registrations.decide_registration(actor=actor, registration=reg, approve=action == "approve",
                                          reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s: %(status)s.") % {"name": reg.display_name,
                                                                "status": reg.get_status_display()})
    return redirect(safe_next(request, reverse("events:registrations", args=[pk])))


@login_required
def schedule(request, pk: int):
    actor, event = _managed(request, pk)
    run = ScheduleRun.objects.filter(event=event).first()
    meetings = Meeting.objects.filter(event=event)
    return render_event(request, "events/schedule.html", {
        "event": event, "run": run, "modes": scheduling.MODES,
        "counts": {"accepted": meetings.count(), "scheduled": meetings.filter(slot__isnull=False).count(),
                   "published": meetings.filter(published=True).count(),
                   "locked": meetings.filter(locked=True).count()},
        "ratio_percent": round(100 * run.report.get("ratio", 0), 2) if run and run.report else None,
    })


@login_required
@require_POST
def schedule_run(request, pk: int):
    actor, event = _managed(request, pk)
    try:
        job = scheduling.start_schedule(actor=actor, event=event, mode=request.POST.get("mode", "all"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("events:schedule", pk=pk)
    return redirect("core:job", pk=job.pk)


@login_required
@require_POST
def schedule_publish(request, pk: int):
    actor, event = _managed(request, pk)
    count = scheduling.publish_schedule(actor=actor, event=event)
    messages.success(request, _("%(n)d meetings published; participants have been told.") % {"n": count})
    return redirect("events:schedule", pk=pk)


@login_required
@require_POST
def meeting_action(request, pk: int, mid: int, action: str):
    """Organiser's actions on one meeting: lock/unlock, unschedule, check-in, priority flag."""
    actor, event = _managed(request, pk)
    m = get_object_or_404(Meeting.objects.filter(event=event).select_related("request"), pk=mid)
    try:
        if action in {"lock", "unlock"}:
            booking.set_locked(actor=actor, meeting=m, locked=action == "lock")
        elif action == "unschedule":
            booking.unschedule_meeting(actor=actor, meeting=m)
        elif action in {"held", "no_show", "reset"}:
            day.check_in(actor=actor, meeting=m, attendance="" if action == "reset" else action)
        elif action in {"boost", "unboost"}:
            requests.set_boost(actor=actor, request=m.request, boosted=action == "boost")
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect(safe_next(request, reverse("events:meeting", args=[pk, mid])))


@login_required
def table_plan(request, pk: int):
    actor, event = _managed(request, pk)
    plan = agenda.table_plan(event=event)
    if request.GET.get("format") == "pdf":
        pdf = agenda.render_pdf(template="events/print/plan.html", context={"event": event, "plan": plan})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="table-plan-{event.pk}.pdf"'
        return response
    return render_event(request, "events/plan.html", {"event": event, "plan": plan})


@login_required
def lists(request, pk: int):
    """Printable lists: participants with contact and country, and every participant's agenda on a page."""
    actor, event = _managed(request, pk)
    regs = list(perms.marketplace(event).order_by("organisation__name", "pk"))
    sheets = [{"registration": r, "rows": agenda.agenda_rows(registration=r)} for r in regs]
    context = {"event": event, "registrations": regs, "sheets": sheets}
    if request.GET.get("format") == "pdf":
        response = HttpResponse(agenda.render_pdf(template="events/print/lists.html", context=context),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="participant-lists-{event.pk}.pdf"'
        return response
    return render_event(request, "events/lists.html", context)


@login_required
def statistics(request, pk: int):
    actor, event = _managed(request, pk)
    if request.GET.get("format") == "csv":
        from techbridge.core.tabular.export import write_csv

        rows = stats.statistics_rows(event=event)
        response = HttpResponse(write_csv(rows=rows, columns=["dimension", "value", *stats.COLUMNS]),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-statistics.csv"'
        return response
    return render_event(request, "events/statistics.html",
                        {"event": event, "stats": stats.event_statistics(event=event), "columns": stats.COLUMNS})
