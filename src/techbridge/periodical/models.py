"""The Asia-Pacific Tech Monitor: issues, articles, authors, other publications, subscribers, mailings, readership.

Writes go through `techbridge.periodical.services`; rich text is sanitised there, so templates may trust it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import Country


class Topic(models.TextChoices):
    """The periodical's regular sections; subscribers pick the ones they want, articles belong to one."""

    TRENDS = "trends", _("Technology trends and developments")
    POLICY = "policy", _("Science, technology and innovation policy")
    MARKET = "market", _("Technology market")
    INNOVATION = "innovation", _("Innovation management")
    TRANSFER = "transfer", _("Technology transfer")
    OFFERS = "offers", _("Technology offers and requests")


class Issue(models.Model):
    volume = models.PositiveSmallIntegerField(_("volume"))
    number = models.PositiveSmallIntegerField(_("number"))
    period_start = models.DateField(_("period covered from"))
    period_end = models.DateField(_("period covered to"))
    theme = models.CharField(_("special theme"), max_length=300)
    editorial = models.TextField(_("editorial"), blank=True)
    cover = models.FileField(_("cover image"), upload_to="periodical/covers/%Y/", blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True, db_index=True,
                                    help_text=_("Empty: not public yet."))
    featured_profiles = models.ManyToManyField("exchange.Profile", blank=True, related_name="tech_monitor_issues",
                                               verbose_name=_("featured technology offers and requests"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-volume", "-number"]
        constraints = [models.UniqueConstraint(fields=["volume", "number"], name="periodical_issue_volume_number")]
        verbose_name = _("Tech Monitor issue")

    def __str__(self) -> str:
        return f"Vol. {self.volume} No. {self.number}: {self.theme}"

    @property
    def period_label(self) -> str:
        start, end = self.period_start, self.period_end
        if start.year == end.year:
            return f"{start:%b}–{end:%b} {end.year}"
        return f"{start:%b} {start.year}–{end:%b} {end.year}"

    @property
    def is_public(self) -> bool:
        return self.published_on is not None and self.published_on <= timezone.localdate()


class Author(models.Model):
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "affiliation"], name="periodical_author_unique")]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveSmallIntegerField(_("position in the issue"), default=0)
    topic = models.CharField(_("section"), max_length=20, choices=Topic.choices, default=Topic.TRENDS)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), max_length=2000, blank=True)
    body = models.TextField(_("body"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="periodical/articles/%Y/", blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True, help_text=_("Separated by commas."))
    authors = models.ManyToManyField(Author, through="ArticleAuthor", related_name="articles")

    class Meta:
        ordering = ["issue", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="periodical_article_author")]


class Publication(models.Model):
    """Manuals, policy briefs and reports published besides the periodical."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual")
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other publication")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True, db_index=True)
    file = models.FileField(_("PDF"), upload_to="periodical/publications/%Y/", blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Subscriber(models.Model):
    """An e-mail address that asked for (or was imported into) the periodical's mailing list."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    class Source(models.TextChoices):
        WEB = "web", _("web form")
        IMPORT = "import", _("imported list")

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("country"))
    language = models.CharField(_("language"), max_length=10, default="en")
    topics = models.JSONField(_("topics"), default=list, blank=True)
    countries = models.JSONField(_("countries of interest"), default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    consented = models.BooleanField(_("consent recorded before import"), default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def mailable(self) -> bool:
        return self.status == self.Status.ACTIVE


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        DONE = "done", _("sent")

    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="mailings")
    subject = models.CharField(_("subject"), max_length=200)
    html_body = models.TextField(_("HTML version"))
    text_body = models.TextField(_("plain-text version"))
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    test_sent_to = models.EmailField(blank=True)
    test_sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class OutboxMessage(models.Model):
    """One mailing for one recipient. The state machine is what guarantees at most one copy (see services.outbox)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNCERTAIN = "uncertain", _("uncertain: worker stopped during sending")
        SKIPPED = "skipped", _("skipped: no longer subscribed")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="outbox")
    subscriber = models.ForeignKey(Subscriber, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="deliveries")
    email = models.EmailField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    claim_token = models.CharField(max_length=32, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["mailing", "subscriber"], name="periodical_outbox_once")]
        indexes = [models.Index(fields=["mailing", "state", "next_attempt_at"])]


class PageView(models.Model):
    """Monthly view counts of an issue or article page, per reader country. No address, no cookie, no visitor id."""

    class Target(models.TextChoices):
        ISSUE = "issue", _("issue")
        ARTICLE = "article", _("article")

    target = models.CharField(max_length=10, choices=Target.choices)
    object_id = models.PositiveIntegerField()
    month = models.DateField(help_text=_("First day of the month."))
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO code; empty when unknown."))
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "object_id", "month", "country"],
                                               name="periodical_pageview_bucket")]
        indexes = [models.Index(fields=["month", "country"])]
