"""Matchmaking records: stored embeddings, the index change log, alerts and expressions of interest.

The ranking itself lives in the pure `techbridge.matching.engine`; these tables are what several web processes
and task workers share so that each one's in-memory engine stays in step (see `services/index.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProfileVector(models.Model):
    """Passage vectors of one profile's text; `text_hash` lets unchanged text skip re-embedding."""

    profile = models.OneToOneField("exchange.Profile", on_delete=models.CASCADE, primary_key=True,
                                   related_name="matching_vector")
    model_key = models.CharField(max_length=120)
    text_hash = models.CharField(max_length=64)
    passages = models.PositiveSmallIntegerField()
    dim = models.PositiveSmallIntegerField(default=384)
    vectors = models.BinaryField()  # float16, row-major (passages x dim)
    updated_at = models.DateTimeField(default=timezone.now)


class IndexChange(models.Model):
    """Append-only log: every process applies the entries newer than the last one it saw before searching."""

    class Op(models.TextChoices):
        UPSERT = "upsert", _("index")
        REMOVE = "remove", _("remove")
        REBUILD = "rebuild", _("rebuild everything")

    id = models.BigAutoField(primary_key=True)
    profile_id = models.BigIntegerField(null=True, blank=True)  # no FK: removals outlive deleted profiles
    op = models.CharField(max_length=8, choices=Op.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]


class ExternalId(models.Model):
    """An identifier a profile carries in another collection (open-data imports, benchmark ids)."""

    profile = models.ForeignKey("exchange.Profile", on_delete=models.CASCADE, related_name="external_ids")
    source = models.CharField(max_length=40)
    value = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "value"], name="unique_external_id")]


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As soon as possible")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Never")


class AlertSettings(models.Model):
    """How often one person receives match alerts; `unsubscribed_at` records a one-click unsubscribe."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alerts")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    profile_matches = models.BooleanField(_("new matches for my organisation's profiles"), default=True)
    min_score = models.FloatField(_("minimum score"), default=0.5)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)


class SavedSearch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("what you are looking for"), max_length=500)
    kind = models.CharField(_("type"), max_length=10, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class AlertDelivery(models.Model):
    """One match told to one person, once: the unique row is what makes a second alert impossible."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=40)  # "profile:<id>" (their own profile) or "search:<id>"
    match = models.ForeignKey("exchange.Profile", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source", "match"], name="unique_alert_delivery")]


class ExpressionOfInterest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    profile = models.ForeignKey("exchange.Profile", on_delete=models.CASCADE, related_name="interests")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_interests")
    sender_organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+")
    sender_profile = models.ForeignKey("exchange.Profile", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("your related profile"))
    message = models.TextField(_("message"), max_length=2000)
    offer_or_seek = models.TextField(_("what you offer or seek"), max_length=1000)
    why_this = models.TextField(_("why this profile"), max_length=1000)
    next_step = models.TextField(_("proposed next step"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decision_note = models.CharField(_("note to the sender"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["profile", "sender"], name="one_interest_per_sender")]
        verbose_name = _("expression of interest")

    def __str__(self) -> str:
        return f"EoI {self.pk} on {self.profile_id}"
