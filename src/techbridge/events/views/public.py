"""Event list and page, and the organiser's setup (event form, sessions, participation types, booking phase)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.events import permissions as perms
from techbridge.events.forms import EventForm, ParticipationTypeForm, SessionForm, in_zone
from techbridge.events.models import Meeting, MeetingRequest, Registration, Session
from techbridge.events.services import events as event_services
from techbridge.events.views import render_event


def event_list(request):
    actor = request_actor(request)
    qs = perms.visible_events(actor).select_related("country").order_by("-starts_on", "-id")
    return render_event(request, "events/list.html", {"page": paginate(request, qs),
                                                "can_create": perms.can_create_event(actor)})


def detail(request, pk: int):
    actor = request_actor(request)
    event = get_object_or_404(perms.visible_events(actor).select_related("country"), pk=pk)
    registration = perms.own_registration(actor, event)
    manager = perms.can_manage(actor, event)
    context = {
        "event": event, "registration": registration, "manager": manager,
        "sessions": event.sessions.all(), "types": event.participation_types.all(),
        "participants": event.registrations.filter(status=Registration.Status.APPROVED).count(),
        "can_register": registration is None and actor.is_authenticated and (event.registration_open or manager),
    }
    if manager:
        context["pending"] = event.registrations.filter(status=Registration.Status.PENDING).count()
        context["accepted"] = MeetingRequest.objects.filter(event=event, status="accepted").count()
        context["scheduled"] = Meeting.objects.filter(event=event, slot__isnull=False).count()
    return render_event(request, "events/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    actor = request_actor(request)
    if not perms.can_create_event(actor):
        raise PermissionDenied(_("Only the centre's staff create events."))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.create_event(actor=actor, values=form.service_values(),
                                                organiser_ids=[actor.user_id])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Event created. Add its sessions next."))
            return redirect("events:setup", pk=event.pk)
    return render_event(request, "events/form_page.html", {"form": form, "title": _("New brokerage event")},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    actor = request_actor(request)
    event = get_object_or_404(perms.managed_events(actor), pk=pk)
    form = EventForm(request.POST or None, initial=EventForm.initial_from(event))
    if request.method == "POST" and form.is_valid():
        try:
            event_services.update_event(actor=actor, event=event, values=form.service_values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect("events:detail", pk=event.pk)
    return render_event(request, "events/form_page.html", {"form": form, "event": event, "title": _("Edit event")},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request, pk: int):
    """Sessions (and so slots), tables and participation types, on one page."""
    actor = request_actor(request)
    event = get_object_or_404(perms.managed_events(actor), pk=pk)
    session_form = SessionForm(request.POST if request.POST.get("action") == "session" else None)
    type_form = ParticipationTypeForm(request.POST if request.POST.get("action") == "type" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "session" and session_form.is_valid():
                data = session_form.cleaned_data
                event_services.add_session(actor=actor, event=event, name=data["name"], tables=data["tables"],
                                           starts_at=in_zone(data["starts_at"], event.time_zone),
                                           ends_at=in_zone(data["ends_at"], event.time_zone))
                messages.success(request, _("Session added with its slots."))
                return redirect("events:setup", pk=pk)
            if request.POST.get("action") == "type" and type_form.is_valid():
                event_services.add_participation_type(actor=actor, event=event, **type_form.cleaned_data)
                messages.success(request, _("Participation type added."))
                return redirect("events:setup", pk=pk)
            if request.POST.get("action") == "tables":
                session = get_object_or_404(Session, pk=request.POST.get("session") or 0, event=event)
                tables = request.POST.get("tables", "")
                event_services.set_tables(actor=actor, session=session, tables=int(tables) if tables.isdigit() else -1)
                messages.success(request, _("Tables updated."))
                return redirect("events:setup", pk=pk)
            if request.POST.get("action") == "delete_session":
                session = get_object_or_404(Session, pk=request.POST.get("session") or 0, event=event)
                event_services.delete_session(actor=actor, session=session)
                messages.success(request, _("Session deleted."))
                return redirect("events:setup", pk=pk)
        except ValidationError as exc:
            target = session_form if request.POST.get("action") == "session" else type_form
            if target.is_bound:
                apply_service_errors(target, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("events:setup", pk=pk)
    sessions = []
    for session in event.sessions.all():
        slots = [event_services.local(event=event, moment=s.starts_at) for s in session.slots.all()]
        sessions.append({"session": session, "slots": slots,
                         "starts_at": event_services.local(event=event, moment=session.starts_at),
                         "ends_at": event_services.local(event=event, moment=session.ends_at)})
    failed = session_form.errors or type_form.errors
    return render_event(request, "events/setup.html",
                        {"event": event, "sessions": sessions, "session_form": session_form, "type_form": type_form,
                         "types": event.participation_types.all()}, status=422 if failed else 200)


@login_required
@require_POST
def booking_phase(request, pk: int):
    actor = request_actor(request)
    event = get_object_or_404(perms.managed_events(actor), pk=pk)
    event_services.set_booking_phase(actor=actor, event=event, open_=request.POST.get("open") == "1")
    messages.success(request, _("Booking phase opened.") if event.booking_open else _("Booking phase closed."))
    return redirect("events:detail", pk=pk)
