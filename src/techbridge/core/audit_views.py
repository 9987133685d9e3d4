"""The audit-log viewer for the centre's staff: who did what to which record, filtered and paginated."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import AuditEntry
from techbridge.core.permissions import require_staff
from techbridge.core.web import paginate, request_actor


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (email contains)"), required=False, max_length=254)
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    object_type = forms.CharField(label=_("Object type (e.g. exchange.profile)"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)


def filtered_entries(*, actor_email: str = "", action: str = "", object_type: str = "", object_id: str = ""):
    """Audit entries matching every given filter, newest first (the admin cannot filter by actor and object)."""
    qs = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    if actor_email:
        qs = qs.filter(actor__email__icontains=actor_email)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type.lower())
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs


@login_required
def audit_log(request):
    require_staff(request_actor(request))
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = filtered_entries(
        actor_email=data.get("actor", ""),
        action=data.get("action", ""),
        object_type=data.get("object_type", ""),
        object_id=data.get("object_id", ""),
    )
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()[:200]
    return render(
        request, "core/audit_log.html", {"form": form, "page": paginate(request, qs, per_page=50), "actions": actions}
    )
