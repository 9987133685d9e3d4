"""Thin web views for the technology exchange; every decision is made in services and permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core import audit
from techbridge.core.models import Country, Organisation
from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.exchange import extensions, presenters, services
from techbridge.exchange import permissions as perms
from techbridge.exchange.forms import AttachmentForm, ProfileForm, RejectForm
from techbridge.exchange.models import Attachment, Kind, Profile, Status
from techbridge.exchange.search import ProfileFilters, facet_counts, filter_profiles, search_profiles
from techbridge.exchange.workflow import available_transitions

#: Lists count at most this many matches ("more than 1,000 profiles"): counting 100,000 would dominate the page.
LIST_COUNT_CAP = 1000


def browse(request, country: str | None = None):
    actor = request_actor(request)
    filters = ProfileFilters.from_query(request.GET)
    if country:
        filters.country = country
    qs, ranked = search_profiles(actor, filters, public_only=not filters.mine)
    page = paginate(request, presenters.for_cards(qs), count_cap=LIST_COUNT_CAP)
    return render(
        request,
        "exchange/browse.html",
        {
            "page": page,
            "ranked": ranked,
            "filters": filters,
            "facets": facet_counts(qs),
            "kinds": Kind.choices,
        },
    )


def detail(request, pk: int):
    actor = request_actor(request)
    profile = presenters.load_one(perms.visible_profiles(actor), pk=pk)
    show_private = perms.can_see_private(actor, profile)
    return render(
        request,
        "exchange/detail.html",
        {
            "profile": profile,
            "show_private": show_private,
            "attachments": [a for a in profile.attachments.all() if show_private or not a.private],
            "transitions": available_transitions(actor, profile),
            "can_edit": perms.can_edit(actor, profile),
            "reject_form": RejectForm(),
            "attachment_form": AttachmentForm(),
            "history": audit.history(profile)[:20]
            if show_private or perms.can_validate(actor, profile)
            else [],
            "profile_tabs": extensions.tabs_for(actor, profile),
            "panels": extensions.panels_for(actor, profile),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    actor = request_actor(request)
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    organisations = (
        Organisation.objects.all()
        if actor.is_staff
        else Organisation.objects.filter(pk__in=actor.organisation_ids)
    )
    if not organisations.exists():
        messages.info(request, _("Register your organisation first."))
        return redirect("core:organisation_create")
    if kind not in Kind.values:
        return render(
            request,
            "exchange/choose_kind.html",
            {"kinds": Kind.choices, "organisation": request.GET.get("organisation", "")},
        )
    org_param = request.GET.get("organisation") or request.POST.get("organisation") or ""
    organisation = (
        organisations.filter(pk=int(org_param)).first() if org_param.isdigit() else organisations.first()
    )
    if organisation is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    form = ProfileForm(request.POST or None, kind=kind, initial={"country": organisation.country_id})
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.create_profile(
                actor=actor, kind=kind, organisation_id=organisation.pk, values=form.service_values()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it for validation when it is ready."))
            return redirect("exchange:detail", pk=profile.pk)
    return render(
        request,
        "exchange/form.html",
        {"form": form, "kind": kind, "kind_label": Kind(kind).label, "organisation": organisation},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    actor = request_actor(request)
    profile = get_object_or_404(perms.visible_profiles(actor), pk=pk)
    if not perms.can_edit(actor, profile):
        raise PermissionDenied(_("You may not edit this profile."))
    form = ProfileForm(request.POST or None, kind=profile.kind, initial=ProfileForm.initial_from(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(actor=actor, profile=profile, values=form.service_values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("exchange:detail", pk=profile.pk)
    return render(
        request,
        "exchange/form.html",
        {
            "form": form,
            "kind": profile.kind,
            "profile": profile,
            "kind_label": profile.get_kind_display(),
            "organisation": profile.organisation,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def transition(request, pk: int, name: str):
    actor = request_actor(request)
    profile = get_object_or_404(perms.visible_profiles(actor), pk=pk)
    try:
        if name == "reject":
            form = RejectForm(request.POST)
            reason = form.data.get("reason", "")
            services.reject_profile(actor=actor, profile=profile, reason=reason)
        elif name == "validate":
            services.validate_profile(actor=actor, profile=profile)
        else:
            services.run_transition(actor=actor, profile=profile, name=name)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("exchange:detail", pk=pk)
    messages.success(
        request,
        _("Done: the profile is now %(status)s.")
        % {"status": Profile.objects.get(pk=pk).get_status_display().lower()},
    )
    if name in {"validate", "reject"} and request.POST.get("from") == "queue":
        return redirect("exchange:queue")
    return redirect("exchange:detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    actor = request_actor(request)
    profile = get_object_or_404(perms.visible_profiles(actor), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("exchange:detail", pk=pk)
    try:
        services.add_attachment(
            actor=actor,
            profile=profile,
            upload=form.cleaned_data["file"],
            private=form.cleaned_data["private"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("File attached."))
    return redirect("exchange:detail", pk=pk)


def attachment_download(request, pk: int, attachment_id: int):
    actor = request_actor(request)
    profile = get_object_or_404(perms.visible_profiles(actor), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, profile=profile)
    if attachment.private and not perms.can_see_private(actor, profile):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def queue(request):
    actor = request_actor(request)
    if not (actor.is_staff or actor.is_focal_point):
        raise PermissionDenied(_("Only national focal points and staff validate profiles."))
    qs = (
        perms.validation_queue(actor).select_related("country", "organisation").order_by("submitted_at", "id")
    )
    return render(
        request, "exchange/queue.html", {"page": paginate(request, qs), "reject_form": RejectForm()}
    )


def countries(request):
    rows = (
        Country.objects.exclude(escap_status="")
        .annotate(
            requests=Count(
                "profiles",
                filter=Q(
                    profiles__status=Status.PUBLISHED, profiles__kind__in=[Kind.REQUEST, Kind.EQUIPMENT]
                ),
            ),
            offers=Count("profiles", filter=Q(profiles__status=Status.PUBLISHED, profiles__kind=Kind.OFFER)),
        )
        .order_by("name")
    )
    return render(request, "exchange/countries.html", {"countries": rows})


def country_portal(request, iso2: str):
    country = get_object_or_404(Country, iso2=iso2.upper())
    actor = request_actor(request)
    filters = ProfileFilters.from_query(request.GET)
    filters.country = country.iso2
    qs = filter_profiles(actor, filters, public_only=True)
    page = paginate(request, presenters.for_cards(qs.order_by("-published_at", "-id")), count_cap=LIST_COUNT_CAP)
    focal = actor.is_staff or country.iso2 in actor.focal_countries
    pending = perms.validation_queue(actor).filter(country=country).count() if focal else 0
    return render(
        request,
        "exchange/country.html",
        {
            "country": country,
            "page": page,
            "filters": filters,
            "facets": facet_counts(qs),
            "pending": pending,
            "kinds": Kind.choices,
        },
    )


def open_data(request):
    return render(request, "exchange/open_data.html")
