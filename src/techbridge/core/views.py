"""Home page, the signed-in user's dashboard, organisation registration, API tokens and error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from techbridge.core import services
from techbridge.core.forms import OrganisationForm, TokenForm
from techbridge.core.models import Organisation
from techbridge.core.web import apply_service_errors, request_actor
from techbridge.exchange import presenters
from techbridge.exchange.models import Profile, Status
from techbridge.exchange.permissions import validation_queue


def home(request):
    published = Profile.objects.filter(status=Status.PUBLISHED)
    figures = {
        "offers": published.filter(kind="offer").count(),
        "requests": published.filter(kind="request").count(),
        "equipment": published.filter(kind="equipment").count(),
        "countries": published.values("country_id").distinct().count(),
    }
    latest = presenters.for_cards(published.order_by("-published_at"))[:6]
    return render(request, "core/home.html", {"figures": figures, "latest": latest})


@login_required
def dashboard(request):
    actor = request_actor(request)
    organisations = Organisation.objects.filter(pk__in=actor.organisation_ids).select_related("country")
    profiles = Profile.objects.filter(organisation_id__in=actor.organisation_ids).select_related("country")
    return render(
        request,
        "core/dashboard.html",
        {
            "organisations": organisations,
            "profiles": profiles.order_by("-updated_at")[:20],
            "queue_count": validation_queue(actor).count() if (actor.is_staff or actor.is_focal_point) else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_organisation(actor=request_actor(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Organisation registered. You can now publish profiles for it."))
            return redirect("core:dashboard")
    return render(request, "core/organisation_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    actor = request_actor(request)
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.create_api_token(actor=actor, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request, "core/tokens.html", {"form": form, "raw": raw, "tokens": actor.user.api_tokens.all()}
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    return render(request, "errors/error.html", {"code": 400, "message": _("Bad request.")}, status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("You are not allowed to see this page.")
    return render(request, "errors/error.html", {"code": 403, "message": message}, status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # API clients get JSON, also for paths no operation matches (e.g. a non-integer id).
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/error.html", {"code": 404, "message": _("Page not found.")}, status=404)


def server_error(request):
    return HttpResponse(
        _("Something went wrong on our side. The error has been logged."),
        status=500,
        content_type="text/plain",
    )


@login_required
def job_detail(request, pk):
    """A job's progress page; with htmx the progress block refreshes itself every second until done."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from techbridge.core.models import Job

    job = get_object_or_404(Job, pk=pk)
    actor = request_actor(request)
    if not (actor.is_staff or job.owner_id == actor.user_id):
        raise PermissionDenied
    template = "core/job_progress.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, pk):
    from django.core.exceptions import PermissionDenied
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    from techbridge.core.models import Job

    job = get_object_or_404(Job, pk=pk)
    actor = request_actor(request)
    if not (actor.is_staff or job.owner_id == actor.user_id):
        raise PermissionDenied
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "result")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk: int):
    """An organisation's members; its administrators (and staff) add members by email."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from techbridge.core.forms import MemberForm

    actor = request_actor(request)
    organisation = get_object_or_404(Organisation.objects.select_related("country"), pk=pk)
    if not (actor.is_staff or organisation.pk in actor.organisation_ids):
        raise PermissionDenied
    can_manage = actor.is_staff or organisation.pk in actor.admin_organisation_ids
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_member(actor=actor, organisation=organisation, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Member added."))
                return redirect("core:organisation", pk=pk)
    members = organisation.memberships.select_related("user").order_by("user__email")
    return render(request, "core/organisation.html", {"organisation": organisation, "members": members,
                                                      "form": form, "can_manage": can_manage},
                  status=422 if form.errors else 200)
