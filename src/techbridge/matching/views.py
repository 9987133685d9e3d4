"""Thin web views of the matching app: Matches tab, expressions of interest, alerts, the staff index page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.jobs import start_job
from techbridge.core.permissions import require_staff
from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.exchange import extensions
from techbridge.exchange.models import Profile, Status
from techbridge.exchange.permissions import visible_profiles
from techbridge.matching import permissions as perms
from techbridge.matching.forms import AlertSettingsForm, DecisionForm, InterestForm, SavedSearchForm
from techbridge.matching.models import IndexChange, ProfileVector, SavedSearch
from techbridge.matching.services import alerts, index, interests, matches


def profile_matches(request, pk: int):
    actor = request_actor(request)
    profile = get_object_or_404(visible_profiles(actor).select_related("organisation", "country"), pk=pk)
    if not matches.can_see_matches(actor, profile):
        raise PermissionDenied(_("Only the profile's owners and staff see its matches."))
    found = matches.matches_for(actor=actor, profile=profile, k=20)
    on, reason = index.semantic_status()
    return render(request, "matching/profile_matches.html", {
        "profile": profile, "matches": found, "semantic": on, "semantic_reason": reason,
        "profile_tabs": extensions.tabs_for(actor, profile), "current_tab": "matches"})


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, pk: int):
    actor = request_actor(request)
    profile = get_object_or_404(Profile.objects.filter(status=Status.PUBLISHED), pk=pk)
    form = InterestForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            eoi = interests.send_interest(actor=actor, profile=profile, values=form.service_values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Sent. The owner has been told; you will hear when they answer."))
            return redirect("matching:interest", pk=eoi.pk)
    return render(request, "matching/interest_form.html", {"form": form, "profile": profile},
                  status=422 if form.errors else 200)


@login_required
def interest_list(request):
    actor = request_actor(request)
    qs = perms.visible_interests(actor)
    box = request.GET.get("box", "received")
    if box == "sent":
        qs = qs.filter(sender_id=actor.user_id)
    elif not (box == "all" and actor.is_staff):
        box = "received"
        qs = qs.filter(profile__organisation_id__in=actor.organisation_ids)
    return render(request, "matching/interest_list.html", {"page": paginate(request, qs), "box": box})


@login_required
def interest_detail(request, pk: int):
    actor = request_actor(request)
    eoi = get_object_or_404(perms.visible_interests(actor), pk=pk)
    return render(request, "matching/interest_detail.html", {
        "eoi": eoi, "can_decide": perms.can_decide(actor, eoi), "form": DecisionForm(),
        "sender_contact": interests.contact_of_sender(actor=actor, eoi=eoi),
        "profile_contact": interests.contact_of_profile(actor=actor, eoi=eoi),
        "is_sender": eoi.sender_id == actor.user_id})


@login_required
@require_POST
def interest_decide(request, pk: int, decision: str):
    actor = request_actor(request)
    eoi = get_object_or_404(perms.visible_interests(actor), pk=pk)
    if decision not in {"accept", "decline"}:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    note = form.data.get("decision_note", "")
    try:
        interests.decide_interest(actor=actor, eoi=eoi, accept=decision == "accept", note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Answer sent."))
    return redirect("matching:interest", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request):
    actor = request_actor(request)
    row = alerts.settings_for(user=request.user)
    form = AlertSettingsForm(request.POST or None, instance=row, prefix="settings")
    if request.method == "POST" and form.is_valid():
        try:
            alerts.update_settings(actor=actor, **{k: form.cleaned_data[k] for k in
                                                   ("frequency", "profile_matches", "min_score")})
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Alert settings saved."))
            return redirect("matching:alerts")
    searches = SavedSearch.objects.filter(user=request.user)
    return render(request, "matching/alerts.html", {
        "form": form, "search_form": SavedSearchForm(), "page": paginate(request, searches),
        "settings_row": row}, status=422 if form.errors else 200)


@login_required
@require_POST
def saved_search_create(request):
    actor = request_actor(request)
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            alerts.save_search(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Search saved: new results will reach you in your alerts."))
            return redirect("matching:alerts")
    row = alerts.settings_for(user=request.user)
    return render(request, "matching/alerts.html", {
        "form": AlertSettingsForm(instance=row, prefix="settings"), "search_form": form,
        "page": paginate(request, SavedSearch.objects.filter(user=request.user)), "settings_row": row},
        status=422)


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    actor = request_actor(request)
    search = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=pk)
    alerts.delete_search(actor=actor, search=search)
    messages.success(request, _("Saved search deleted."))
    return redirect("matching:alerts")


@csrf_exempt  # mail clients POST the one-click unsubscribe (RFC 8058) without a CSRF token; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":
        return render(request, "matching/unsubscribe.html", {"token": token, "done": False})
    try:
        alerts.unsubscribe(token=token)
    except ValidationError:
        return render(request, "matching/unsubscribe.html", {"token": token, "invalid": True}, status=400)
    return render(request, "matching/unsubscribe.html", {"token": token, "done": True})


@login_required
@require_http_methods(["GET", "POST"])
def staff_index(request):
    actor = request_actor(request)
    require_staff(actor)
    if request.method == "POST":
        from techbridge.matching.tasks import reindex_job_task

        job = start_job(actor=actor, kind=_("Rebuild of the matching index"), task=reindex_job_task, params={})
        return redirect(reverse("core:job", args=[job.pk]))
    on, reason = index.semantic_status()
    counts = dict(Profile.objects.filter(status=Status.PUBLISHED).values("kind").annotate(n=Count("pk"))
                  .values_list("kind", "n"))
    return render(request, "matching/staff_index.html", {
        "semantic": on, "semantic_reason": reason, "model_key": index.model_key(), "published": counts,
        "vectors": ProfileVector.objects.filter(model_key=index.model_key()).count(),
        "last_change": IndexChange.objects.order_by("-id").first()})

