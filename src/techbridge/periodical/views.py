"""Public pages of the Tech Monitor (archive, issue, article, feed) and the subscriber's own pages.

Issue and article pages count a view per country and month (services.readership) and set no cookie. Subscriber
pages are reached through signed links only (techbridge.periodical.tokens).
"""

from __future__ import annotations

import json
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.sanitize import plain_text
from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.periodical import permissions as perms
from techbridge.periodical import tokens
from techbridge.periodical.forms import PreferencesForm, SubscribeForm
from techbridge.periodical.models import ArticleAuthor, OutboxMessage, PageView, Publication
from techbridge.periodical.services import readership, subscriptions
from techbridge.periodical.services.mailings import public_featured

#: A transparent 1x1 GIF, answered to the open-tracking image of mailings.
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def _bylines():
    return Prefetch("articleauthor_set", queryset=ArticleAuthor.objects.select_related("author__country"))


def archive(request):
    actor = request_actor(request)
    issues = perms.visible_issues(actor)
    years = sorted({d.year for d in issues.values_list("period_end", flat=True)}, reverse=True)
    themes = sorted(set(issues.values_list("theme", flat=True)))
    year, theme = request.GET.get("year", ""), request.GET.get("theme", "")
    if year.isdigit():
        issues = issues.filter(period_end__year=int(year))
    if theme:
        issues = issues.filter(theme=theme)
    issues = issues.annotate(article_count=Count("articles")).order_by("-period_start", "-number")
    return render(request, "periodical/archive.html", {
        "page": paginate(request, issues), "years": years, "themes": themes, "year": year, "theme": theme,
        "publications": perms.visible_publications(actor)[:5],
    })


def issue_detail(request, pk: int):
    actor = request_actor(request)
    issue = get_object_or_404(perms.visible_issues(actor), pk=pk)
    readership.view_from_request(request=request, target=PageView.Target.ISSUE, object_id=issue.pk)
    articles = issue.articles.prefetch_related(_bylines())
    return render(request, "periodical/issue.html", {"issue": issue, "articles": articles,
                                                     "featured": public_featured(issue)})


def article_detail(request, pk: int):
    actor = request_actor(request)
    article = get_object_or_404(perms.visible_articles(actor).select_related("issue").prefetch_related(_bylines()),
                                pk=pk)
    readership.view_from_request(request=request, target=PageView.Target.ARTICLE, object_id=article.pk)
    return render(request, "periodical/article.html", {"article": article, "issue": article.issue})


def article_pdf(request, pk: int):
    article = get_object_or_404(perms.visible_articles(request_actor(request)), pk=pk)
    if not article.pdf:
        raise Http404
    response = FileResponse(article.pdf.open("rb"), content_type="application/pdf",
                            filename=article.pdf_name or "article.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def publications(request):
    qs = perms.visible_publications(request_actor(request))
    kind = request.GET.get("kind", "")
    if kind in Publication.Kind.values:
        qs = qs.filter(kind=kind)
    return render(request, "periodical/publications.html", {"page": paginate(request, qs), "kind": kind,
                                                            "kinds": Publication.Kind.choices})


def publication_file(request, pk: int):
    publication = get_object_or_404(perms.visible_publications(request_actor(request)), pk=pk)
    if not publication.file:
        raise Http404
    return FileResponse(publication.file.open("rb"), content_type="application/pdf",
                        filename=f"{publication.title[:60]}.pdf")


def feed(request):
    """Atom feed of the latest published issues, each with its articles."""
    site = settings.SITE_URL
    atom = feedgenerator.Atom1Feed(
        title=_("Asia-Pacific Tech Monitor"), link=f"{site}{reverse('periodical:archive')}",
        description=_("Technology trends, policy, markets, innovation management and technology transfer."),
        language="en", feed_url=f"{site}{reverse('periodical:feed')}")
    issues = perms.visible_issues(request_actor(request)).prefetch_related("articles").order_by("-published_on")[:20]
    for issue in issues:
        link = f"{site}{reverse('periodical:issue', args=[issue.pk])}"
        titles = "; ".join(a.title for a in issue.articles.all())
        published = timezone.make_aware(datetime.combine(issue.published_on, time(0)))
        atom.add_item(title=str(issue), link=link, unique_id=link, pubdate=published, updateddate=published,
                      description=plain_text(issue.editorial)[:1000] + (f" — {titles}" if titles else ""),
                      categories=[issue.theme])
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.request_subscription(email=form.cleaned_data["email"],
                                               client_ip=request.META.get("REMOTE_ADDR", ""),
                                               **form.service_values())
        except subscriptions.RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("periodical:subscribe_sent")
    if form.errors and status == 200:
        status = 422
    return render(request, "periodical/subscribe.html", {"form": form}, status=status)


def subscribe_sent(request):
    return render(request, "periodical/message.html", {
        "title": _("Check your inbox"),
        "text": _("If the address can receive the Tech Monitor, a message with a confirmation link is on its way. "
                  "The link is valid for %(hours)d hours.") % {"hours": tokens.confirm_max_age() // 3600}})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button (mail scanners open links); the POST confirms."""
    try:
        subscriber = tokens.read(token=token, salt=tokens.CONFIRM_SALT, max_age=tokens.confirm_max_age())
    except tokens.ExpiredToken:
        return render(request, "periodical/message.html", {
            "title": _("This link has expired"),
            "text": _("Confirmation links are valid for a limited time. Please subscribe again."),
            "subscribe_again": True}, status=410)
    except tokens.InvalidToken:
        raise Http404 from None
    if request.method == "POST":
        try:
            subscriber = subscriptions.confirm_subscription(token=token)
        except tokens.InvalidToken:
            raise Http404 from None
        return render(request, "periodical/message.html", {
            "title": _("You are subscribed"), "confirmed": True,
            "text": _("Thank you: %(email)s will receive the Asia-Pacific Tech Monitor.") % {"email": subscriber.email},
            "manage_url": tokens.manage_url(subscriber)})
    return render(request, "periodical/confirm.html", {"subscriber": subscriber})


def _subscriber_from(token: str, salt: str):
    try:
        return tokens.read(token=token, salt=salt)
    except tokens.InvalidToken:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    subscriber = _subscriber_from(token, tokens.MANAGE_SALT)
    initial = {"name": subscriber.name, "country": subscriber.country_id or "", "language": subscriber.language,
               "topics": subscriber.topics, "countries": subscriber.countries}
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.update_preferences(subscriber=subscriber, **form.service_values())
            saved = True
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "periodical/manage.html", {
        "subscriber": subscriber, "form": form, "token": token, "saved": saved,
        "unsubscribe_token": tokens.make(subscriber=subscriber, salt=tokens.UNSUBSCRIBE_SALT)},
        status=422 if form.errors else 200)


def export(request, token: str):
    subscriber = _subscriber_from(token, tokens.MANAGE_SALT)
    data = subscriptions.export_data(subscriber=subscriber)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="tech-monitor-subscription.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def delete(request, token: str):
    subscriber = _subscriber_from(token, tokens.MANAGE_SALT)
    subscriptions.delete_subscriber(subscriber=subscriber)
    return render(request, "periodical/message.html", {
        "title": _("Your data has been deleted"),
        "text": _("Your address and preferences are erased. You will receive no more mail from us.")})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without any token but the signed URL
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscriber = _subscriber_from(token, tokens.UNSUBSCRIBE_SALT)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        subscriptions.unsubscribe(subscriber=subscriber, method="one-click" if one_click else "page")
        return render(request, "periodical/message.html", {
            "title": _("You are unsubscribed"), "unsubscribed": True,
            "text": _("%(email)s will receive no more Tech Monitor mailings.") % {"email": subscriber.email}})
    return render(request, "periodical/unsubscribe.html", {"subscriber": subscriber})


def opened(request, token: str):
    """The mailing's 1-pixel image: records the first open of that copy (nothing about the reader)."""
    row_id = tokens.read_open_token(token)
    if row_id is not None:
        OutboxMessage.objects.filter(pk=row_id, opened_at__isnull=True).update(opened_at=timezone.now())
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
