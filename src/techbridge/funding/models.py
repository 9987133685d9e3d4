"""Contributions of ESCAP member States and associate members to the Centre: pledges, cash received, in kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import Country

#: ESCAP membership values of core.Country that may contribute.
CONTRIBUTOR_STATUSES = ("member", "associate")


class Kind(models.TextChoices):
    PLEDGE = "pledge", _("Pledge")
    CASH_RECEIVED = "cash_received", _("Cash received")
    IN_KIND = "in_kind", _("In kind (estimated value)")


class Contribution(models.Model):
    member_state = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="contributions",
                                     limit_choices_to={"escap_status__in": CONTRIBUTOR_STATUSES},
                                     verbose_name=_("member State or associate member"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    amount_usd = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True,
                                 help_text=_("E.g. a Commission decision such as 75/13."))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "member_state__name", "kind", "id"]
        indexes = [models.Index(fields=["year", "kind"])]
        verbose_name = _("contribution")

    def __str__(self) -> str:
        return f"{self.year} {self.member_state_id} {self.kind} {self.amount_usd}"
