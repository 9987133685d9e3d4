"""Staff pages of the periodical: readership dashboard, subscriber list and import, mailings and their delivery."""

from __future__ import annotations

from datetime import date, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.periodical import figures
from techbridge.periodical import permissions as perms
from techbridge.periodical.forms import MailingForm, SubscriberImportForm, TestSendForm
from techbridge.periodical.models import Issue, Mailing, OutboxMessage, Subscriber
from techbridge.periodical.services import mailings, outbox, subscriber_import


def staff_only(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not perms.can_manage_list(request_actor(request)):
            raise PermissionDenied(_("Only the centre's staff manage the periodical's list."))
        return view(request, *args, **kwargs)

    return wrapper


def _range(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(day=1) - timedelta(days=365)
        start = start.replace(day=1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@staff_only
def dashboard(request):
    start, end = _range(request)
    by_month = figures.readership_by_month(start=start, end=end)
    peak = max([row["views"] for row in by_month] or [1])
    return render(request, "periodical/staff/dashboard.html", {
        "start": start, "end": end,
        "by_month": [{**row, "percent": int(100 * row["views"] / peak)} for row in by_month],
        "by_country": figures.readership_by_country(start=start, end=end)[:20],
        "growth": figures.subscriber_growth(start=start, end=end),
        "subscribers_now": figures.subscribers_at(when=timezone.localdate()),
        "subscribers_by_country": figures.subscribers_by_country()[:20],
        "mailings": figures.mailing_stats(start=start, end=end),
    })


@staff_only
def subscribers(request):
    qs = Subscriber.objects.select_related("country")
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in Subscriber.Status.values:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(email__icontains=query) | Q(name__icontains=query))
    return render(request, "periodical/staff/subscribers.html", {
        "page": paginate(request, qs.order_by("-created_at", "id")), "status": status, "q": query,
        "statuses": Subscriber.Status.choices, "form": SubscriberImportForm()})


@staff_only
@require_POST
def subscriber_import_view(request):
    form = SubscriberImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = subscriber_import.import_subscribers(
            actor=request_actor(request), path_or_file=upload, filename=upload.name,
            invite=form.cleaned_data["invite"], dry_run=form.cleaned_data["dry_run"])
        if result.report.ok:
            if form.cleaned_data["dry_run"]:
                messages.success(request, _("The file is valid: %(n)d rows.") % {"n": len(result.rows)})
            else:
                messages.success(request, _("Imported: %(c)d new, %(u)d updated, %(k)d kept unsubscribed, "
                                            "%(i)d invited to confirm.")
                                 % {"c": result.created, "u": result.updated, "k": result.kept_unsubscribed,
                                    "i": result.invited})
            return redirect("periodical:staff_subscribers")
    return render(request, "periodical/staff/import_result.html", {"form": form, "result": result}, status=422)


@staff_only
def mailing_list(request):
    qs = Mailing.objects.select_related("issue")
    issues = Issue.objects.order_by("-period_start")[:40]
    return render(request, "periodical/staff/mailings.html", {"page": paginate(request, qs), "issues": issues})


@staff_only
@require_POST
def mailing_create(request):
    raw = request.POST.get("issue", "")
    issue = get_object_or_404(Issue, pk=int(raw) if raw.isdigit() else 0)
    mailing = mailings.compose_from_issue(actor=request_actor(request), issue=issue)
    messages.success(request, _("Draft mailing created from the issue. Check it, send a test, then send."))
    return redirect("periodical:staff_mailing", pk=mailing.pk)


def _mailing_context(mailing: Mailing, **extra) -> dict:
    found = outbox.counts(mailing_id=mailing.pk)
    total = sum(found.values())
    done = total - found[OutboxMessage.State.PENDING] - found[OutboxMessage.State.SENDING]
    problems = mailing.outbox.filter(state__in=[OutboxMessage.State.FAILED, OutboxMessage.State.UNCERTAIN])
    return {"mailing": mailing, "counts": found, "total": total, "done": done,
            "percent": int(100 * done / total) if total else 0, "problems": problems[:200],
            "retrying": mailing.outbox.filter(state=OutboxMessage.State.PENDING, attempts__gt=0).count(), **extra}


@staff_only
@require_http_methods(["GET", "POST"])
def mailing_detail(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    actor = request_actor(request)
    form = MailingForm(request.POST or None, initial=MailingForm.initial_from(mailing))
    if request.method == "POST" and form.is_valid():
        try:
            mailings.update_mailing(actor=actor, mailing=mailing, subject=form.cleaned_data["subject"],
                                    html_body=form.cleaned_data["html_body"],
                                    text_body=form.cleaned_data["text_body"], audience=form.audience())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Mailing saved."))
            return redirect("periodical:staff_mailing", pk=pk)
    audience = len(mailings.audience_ids(audience=mailing.audience)) if mailing.status == Mailing.Status.DRAFT else 0
    return render(request, "periodical/staff/mailing.html", _mailing_context(
        mailing, form=form, test_form=TestSendForm(initial={"to": getattr(actor.user, "email", "")}),
        audience_size=audience), status=422 if form.errors else 200)


@staff_only
def mailing_progress(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    return render(request, "periodical/partials/mailing_progress.html", _mailing_context(mailing))


@staff_only
def mailing_preview(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    return render(request, "periodical/staff/preview.html", {"mailing": mailing})


@staff_only
@require_POST
def mailing_test(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    form = TestSendForm(request.POST)
    if form.is_valid():
        try:
            mailings.send_test(actor=request_actor(request), mailing=mailing, to=form.cleaned_data["to"])
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except OSError as exc:
            messages.error(request, _("The mail server refused the test: %(e)s") % {"e": exc})
        else:
            messages.success(request, _("Test sent to %(to)s.") % {"to": form.cleaned_data["to"]})
    else:
        messages.error(request, _("Enter a valid e-mail address for the test."))
    return redirect("periodical:staff_mailing", pk=pk)


@staff_only
@require_POST
def mailing_send(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    try:
        count = mailings.queue_mailing(actor=request_actor(request), mailing=mailing)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Sending to %(n)d subscribers.") % {"n": count})
    return redirect("periodical:staff_mailing", pk=pk)


@staff_only
@require_POST
def outbox_resolve(request, pk: int, row_id: int):
    row = get_object_or_404(OutboxMessage, pk=row_id, mailing_id=pk)
    try:
        mailings.resolve_uncertain(actor=request_actor(request), row=row, decision=request.POST.get("decision", ""))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("periodical:staff_mailing", pk=pk)
