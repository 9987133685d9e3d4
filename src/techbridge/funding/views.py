"""Staff pages for member-State contributions: by year, by member, by kind; pledged against received."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.funding import figures, services
from techbridge.funding import permissions as perms
from techbridge.funding.forms import ContributionForm, ContributionImportForm
from techbridge.funding.models import Kind


def _staff(request):
    actor = request_actor(request)
    if not perms.can_view(actor):
        raise PermissionDenied(_("Only the centre's staff see contributions."))
    return actor


@login_required
def overview(request):
    actor = _staff(request)
    qs = perms.visible_contributions(actor).select_related("member_state")
    years = sorted(set(qs.values_list("year", flat=True)), reverse=True)
    year, kind, member = request.GET.get("year", ""), request.GET.get("kind", ""), request.GET.get("member", "")
    selected = qs
    if year.isdigit():
        selected = selected.filter(year=int(year))
    if member:
        selected = selected.filter(member_state_id=member.upper()[:2])
    listed = selected.filter(kind=kind) if kind in Kind.values else selected
    return render(request, "funding/overview.html", {
        "years": years, "year": year, "kind": kind, "member": member, "kinds": Kind.choices,
        "totals": figures.totals(queryset=selected), "by_member": figures.by_member(queryset=selected),
        "by_year": figures.by_year(queryset=qs), "page": paginate(request, listed.order_by("-year", "kind", "id")),
        "form": ContributionForm(), "import_form": ContributionImportForm(),
    })


@login_required
@require_http_methods(["POST"])
def create(request):
    actor = _staff(request)
    form = ContributionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_contribution(actor=actor, member_state=data["member_state"], year=data["year"],
                                         kind=data["kind"], amount_usd=str(data["amount_usd"]), note=data["note"],
                                         on=data["date"], reference=data["reference"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Contribution recorded."))
            return redirect("funding:overview")
    return render(request, "funding/form.html", {"form": form}, status=422)


@login_required
@require_POST
def import_view(request):
    actor = _staff(request)
    form = ContributionImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.import_contributions(actor=actor, path_or_file=upload, filename=upload.name,
                                               dry_run=form.cleaned_data["dry_run"])
        if result.report.ok:
            if form.cleaned_data["dry_run"]:
                messages.success(request, _("The file is valid: %(n)d rows.") % {"n": len(result.rows)})
            else:
                messages.success(request, _("Imported %(n)d contributions.") % {"n": result.created})
            return redirect("funding:overview")
    return render(request, "funding/import_result.html", {"form": form, "result": result}, status=422)
