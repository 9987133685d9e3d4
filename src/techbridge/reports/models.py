"""Staff edits of the annual report's narrative: one paragraph replaced, per year and per activity or section.

Why only narrative: the figures of a report are always computed from the data (reports.figures); staff may
reword what the generator wrote about an activity or a section, and that wording survives re-generation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NarrativeOverride(models.Model):
    """Replacement text for one paragraph of one year's report.

    `key` is ``activity:<code>`` for an activity's paragraph, or a section key (``introduction``,
    ``area:<programme area>``, ``exchange``, ``publications``, ``contributions``).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("paragraph"), max_length=80)
    text = models.TextField(_("text"), max_length=5000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "key"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="reports_narrative_year_key")]
        verbose_name = _("edited report paragraph")
        verbose_name_plural = _("edited report paragraphs")

    def __str__(self) -> str:
        return f"{self.year} {self.key}"
