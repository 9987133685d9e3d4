"""Technology offers, technology requests and equipment requests (one table, `kind` tells them apart).

Field sizes follow the Enterprise Europe Network's profile format so profiles can be exchanged with EEN-style
databases. The workflow lives in `techbridge.exchange.workflow`; writes go through `services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import SDG, Country, Organisation, PartnershipType, Sector
from techbridge.core.reference import vocabularies


class Kind(models.TextChoices):
    OFFER = "offer", _("Technology offer")
    REQUEST = "request", _("Technology request")
    EQUIPMENT = "equipment", _("Equipment request")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for validation")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


#: EEN-style reference prefixes: T(echnology) O(ffer) / R(equest), E(quipment) R(equest).
REFERENCE_PREFIX = {Kind.OFFER: "TO", Kind.REQUEST: "TR", Kind.EQUIPMENT: "ER"}


class Profile(models.Model):
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, db_index=True)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    title = models.CharField(_("title"), max_length=256)
    summary = models.TextField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    advantages = models.TextField(_("advantages and innovation"), max_length=4000, blank=True)
    technical_spec = models.TextField(
        _("technical specification or expertise sought"), max_length=4000, blank=True
    )
    stage = models.CharField(
        _("stage of development"), max_length=40, choices=vocabularies.STAGES, blank=True
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    ipr_status = models.CharField(
        _("IPR status"), max_length=40, choices=vocabularies.IPR_STATUSES, blank=True
    )
    ipr_notes = models.TextField(_("IPR notes"), max_length=1000, blank=True)
    keywords = models.CharField(_("technology keywords"), max_length=500, blank=True)
    partnership_types = models.ManyToManyField(
        PartnershipType, blank=True, verbose_name=_("partnership types")
    )
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("sectors (ISIC)"))
    sdgs = models.ManyToManyField(SDG, blank=True, verbose_name=_("SDGs"))

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="profiles")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="profiles")
    target_countries = models.ManyToManyField(Country, blank=True, related_name="targeted_by")
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    # Equipment requests (machinery needs of cottage and small industries).
    item = models.CharField(_("item"), max_length=200, blank=True)
    specification = models.TextField(_("specification"), max_length=2000, blank=True)
    capacity = models.CharField(_("capacity"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    budget_min_usd = models.DecimalField(
        _("budget from (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_max_usd = models.DecimalField(
        _("budget to (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    extended = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind", "country"]),
            # Lists show the newest first (`-published_at, -id`): with the id in the index a page is read
            # straight off it instead of sorting every match (a broad search on 100,000 profiles).
            models.Index(fields=["published_at", "id"], name="exchange_profile_recent"),
        ]
        verbose_name = _("profile")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Attachment(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    private = models.BooleanField(_("private"), default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class ReferenceSequence(models.Model):
    """Per (prefix, country, day) counter behind EEN-style references such as TOBT20261125001."""

    key = models.CharField(max_length=16, primary_key=True)
    last = models.PositiveIntegerField(default=0)
