"""Participant pages: registration, availability, marketplace, meeting requests, booking, agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.models import Organisation
from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.events import agenda, recommend
from techbridge.events import permissions as perms
from techbridge.events.forms import MarketplaceFilters, OutcomeForm, RegistrationForm, RequestForm
from techbridge.events.models import MeetingRequest, Registration
from techbridge.events.services import booking, day, registrations, requests
from techbridge.events.views import render_event


def _event(request, pk):
    actor = request_actor(request)
    return actor, get_object_or_404(perms.visible_events(actor), pk=pk)


def _own(actor, event) -> Registration:
    reg = perms.own_registration(actor, event)
    if reg is None:
        raise Http404
    return reg


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    actor, event = _event(request, pk)
    if perms.own_registration(actor, event) is not None:
        return redirect("events:detail", pk=pk)
    organisations = (Organisation.objects.all() if actor.is_staff
                     else Organisation.objects.filter(pk__in=actor.organisation_ids))
    if not organisations.exists():
        messages.info(request, _("Register your organisation first."))
        return redirect("core:organisation_create")
    form = RegistrationForm(request.POST or None, event=event, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            registrations.register(actor=actor, event=event, organisation_id=form.cleaned_data["organisation"],
                                   values=form.service_values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Registered. The organisers will confirm your participation."))
            return redirect("events:detail", pk=pk)
    return render_event(request, "events/form_page.html", {"form": form, "event": event, "title": _("Register")},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, pk: int):
    actor, event = _event(request, pk)
    reg = _own(actor, event)
    initial = {"headline": reg.headline, "offers": reg.offers, "needs": reg.needs, "max_meetings": reg.max_meetings,
               "participation_type": reg.participation_type_id,
               "profiles": list(reg.profiles.values_list("pk", flat=True))}
    form = RegistrationForm(request.POST or None, event=event, initial=initial, editing=True,
                            organisations=Organisation.objects.filter(pk=reg.organisation_id))
    if request.method == "POST" and form.is_valid():
        try:
            registrations.update_registration(actor=actor, registration=reg, values=form.service_values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:detail", pk=pk)
    return render_event(request, "events/form_page.html", {"form": form, "event": event,
                                                     "title": _("My participation")},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def availability(request, pk: int):
    actor, event = _event(request, pk)
    reg = _own(actor, event)
    status = 200
    if request.method == "POST":
        chosen = [s for s in request.POST.getlist("blocked") if s.isdigit()]
        try:
            registrations.set_unavailable(actor=actor, registration=reg, slot_ids=chosen)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 422
        else:
            messages.success(request, _("Availability saved."))
            return redirect("events:availability", pk=pk)
    blocked = set(reg.blocked.values_list("slot_id", flat=True))
    return render_event(request, "events/availability.html", {"event": event, "registration": reg, "blocked": blocked,
                                                        "slots": agenda.local_slots(event=event)}, status=status)


@login_required
def marketplace(request, pk: int):
    actor, event = _event(request, pk)
    if not perms.can_see_marketplace(actor, event):
        raise PermissionDenied(_("The marketplace is open to approved participants."))
    filters = MarketplaceFilters(request.GET or None, event=event)
    qs = perms.marketplace(event).prefetch_related("profiles")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            q = data["q"]
            qs = qs.filter(Q(headline__icontains=q) | Q(offers__icontains=q) | Q(needs__icontains=q)
                           | Q(organisation__name__icontains=q) | Q(profiles__title__icontains=q)).distinct()
        if data["country"]:
            qs = qs.filter(organisation__country_id=data["country"])
        if data["type"]:
            qs = qs.filter(participation_type_id=data["type"])
    own = perms.own_registration(actor, event)
    recommended = []
    if own is not None and own.status == Registration.Status.APPROVED and not request.GET.get("page"):
        recommended = recommend.recommend(registration=own, candidates=perms.marketplace(event)
                                          .prefetch_related("profiles"), limit=5)
    return render_event(request, "events/marketplace.html", {
        "event": event, "filters": filters, "page": paginate(request, qs.order_by("organisation__name", "pk")),
        "recommended": recommended, "own": own})


@login_required
def participant(request, pk: int, rid: int):
    actor, event = _event(request, pk)
    if not perms.can_see_marketplace(actor, event):
        raise PermissionDenied(_("The marketplace is open to approved participants."))
    other = get_object_or_404(perms.marketplace(event).prefetch_related("profiles"), pk=rid)
    own = perms.own_registration(actor, event)
    existing = None
    if own is not None:
        existing = MeetingRequest.objects.filter(
            Q(requester=own, recipient=other) | Q(requester=other, recipient=own),
            status__in=MeetingRequest.ACTIVE).first()
    return render_event(request, "events/participant.html", {"event": event, "other": other, "own": own,
                                                       "existing": existing, "form": RequestForm()})


@login_required
@require_POST
def send_request(request, pk: int, rid: int):
    actor, event = _event(request, pk)
    other = get_object_or_404(perms.marketplace(event), pk=rid)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            req = requests.send_request(actor=actor, event=event, recipient=other,
                                        message=form.cleaned_data["message"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting confirmed.") if req.status == "accepted"
                             else _("Request sent."))
            return redirect("events:requests", pk=pk)
    own = perms.own_registration(actor, event)
    return render_event(request, "events/participant.html", {"event": event, "other": other, "own": own,
                                                       "existing": None, "form": form}, status=422)


@login_required
def request_list(request, pk: int):
    actor, event = _event(request, pk)
    qs = perms.visible_requests(actor, event).select_related("meeting__slot")
    own = perms.own_registration(actor, event)
    if own is not None and not request.GET.get("all"):
        incoming = qs.filter(recipient=own)
        outgoing = qs.filter(requester=own)
    else:
        incoming, outgoing = qs, qs.none()
    return render_event(request, "events/requests.html", {"event": event, "own": own,
                                                    "incoming": paginate(request, incoming),
                                                    "outgoing": outgoing[:200]})


@login_required
@require_POST
def respond(request, pk: int, qid: int, action: str):
    actor, event = _event(request, pk)
    req = get_object_or_404(perms.visible_requests(actor, event), pk=qid)
    text = request.POST.get("response", "")[:500]
    try:
        if action == "accept":
            requests.accept_request(actor=actor, request=req, response=text)
        elif action == "decline":
            requests.decline_request(actor=actor, request=req, response=text)
        elif action == "cancel":
            requests.cancel_request(actor=actor, request=req)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, {"accept": _("Meeting accepted."), "decline": _("Request declined."),
                                   "cancel": _("Cancelled.")}[action])
    return redirect("events:requests", pk=pk)


@login_required
def meeting(request, pk: int, mid: int):
    actor, event = _event(request, pk)
    m = get_object_or_404(perms.visible_meetings(actor, event), pk=mid)
    manager = perms.can_manage(actor, event)
    may_book = manager or (event.booking_open and not m.published)
    free = booking.free_slots(meeting=m) if may_book else []
    return render_event(request, "events/meeting.html", {
        "event": event, "meeting": m, "manager": manager,
        "free": [(s, agenda.slot_local(event=event, slot=s)) for s in free],
        "outcome_form": OutcomeForm(initial={"outcome": m.outcome or None, "notes": m.outcome_notes}),
        "slot_local": agenda.slot_local(event=event, slot=m.slot) if m.slot_id else None})


@login_required
@require_POST
def book(request, pk: int, mid: int):
    actor, event = _event(request, pk)
    m = get_object_or_404(perms.visible_meetings(actor, event), pk=mid)
    slot = get_object_or_404(event.slots.all(), pk=request.POST.get("slot") or 0)
    table = request.POST.get("table", "")
    try:
        booking.book_meeting(actor=actor, meeting=m, slot=slot, table=int(table) if table.isdigit() else None)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Booked."))
    return redirect("events:meeting", pk=pk, mid=mid)


@login_required
@require_POST
def outcome(request, pk: int, mid: int):
    actor, event = _event(request, pk)
    m = get_object_or_404(perms.visible_meetings(actor, event), pk=mid)
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"outcome": [_("Choose an outcome.")]})
        day.record_outcome(actor=actor, meeting=m, outcome=form.cleaned_data["outcome"],
                           notes=form.cleaned_data["notes"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Outcome recorded. Thank you."))
    return redirect("events:meeting", pk=pk, mid=mid)


def _agenda_owner(request, pk: int) -> tuple:
    """The signed-in participant's registration, or (organisers) the one named by ?registration=."""
    actor, event = _event(request, pk)
    rid = request.GET.get("registration", "")
    if rid.isdigit() and perms.can_manage(actor, event):
        return event, get_object_or_404(Registration, pk=int(rid), event=event)
    return event, _own(actor, event)


@login_required
def agenda_html(request, pk: int):
    event, reg = _agenda_owner(request, pk)
    return render_event(request, "events/agenda.html", {
        "event": event, "registration": reg, "rows": agenda.agenda_rows(registration=reg),
        "waiting": agenda.unscheduled_meetings(registration=reg),
        "query": f"?registration={reg.pk}" if reg.user_id != request.user.pk else ""})


@login_required
def agenda_pdf(request, pk: int):
    event, reg = _agenda_owner(request, pk)
    response = HttpResponse(agenda.agenda_pdf(registration=reg), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}-{reg.pk}.pdf"'
    return response


@login_required
def agenda_ics(request, pk: int):
    event, reg = _agenda_owner(request, pk)
    response = HttpResponse(agenda.agenda_ics(registration=reg), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}-{reg.pk}.ics"'
    return response

