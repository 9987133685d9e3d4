"""The capacity-building programme: activities, partner institutions, resource persons and participants.

Why these shapes: the annual report (issue #7) computes its figures from these tables, so every fact is stored
once. Participants are either individual records (`Participant`) or, where only a head count is known, the
activity's aggregate (`participants_count` + `participant_countries`); `techbridge.programme.figures` decides
per activity which one counts, never both. Writes go through `techbridge.programme.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import SDG, Country


class ActivityType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", _("Training")
    STUDY_MISSION = "study_mission", _("Study mission")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    CONSULTATION = "consultation", _("Consultation")
    DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
    WEBINAR = "webinar", _("Webinar")
    EXHIBITION = "exhibition", _("Exhibition")


class CentreRole(models.TextChoices):
    ORGANISED = "organised", _("Organised")
    CO_ORGANISED = "co_organised", _("Co-organised")
    SUPPORTED = "supported", _("Supported")
    CONTRIBUTED = "contributed", _("Contributed")


class ProgrammeArea(models.TextChoices):
    NATIONAL_INNOVATION_SYSTEMS = "national_innovation_systems", _("National innovation systems")
    EMERGING_TECHNOLOGIES = "emerging_technologies", _("Emerging technologies")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")
    KNOWLEDGE_PRODUCTS = "knowledge_products", _("Knowledge products")
    OTHER = "other", _("Other")


class InstitutionType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry / government")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    UN_ENTITY = "un_entity", _("UN entity")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ASSOCIATION = "association", _("Association")


class StakeholderType(models.TextChoices):
    POLICY_MAKER = "policy_maker", _("Policy maker")
    SME = "sme", _("SME")
    ACADEMIA = "academia", _("Academia")
    RD_INSTITUTION = "rd_institution", _("R&D institution")
    TT_INTERMEDIARY = "tt_intermediary", _("Technology transfer intermediary")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNSTATED = "unstated", _("Not stated")


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    RESOURCE_PERSON = "resource_person", _("Resource person")
    ORGANISER = "organiser", _("Organiser")


def normalise_name(name: str) -> str:
    """Matching key for institution and person names: case- and space-insensitive.

    Why: "Royal  Monetary Authority of bhutan" typed in one sheet must find the institution created from another.
    """
    return " ".join(str(name).split()).casefold()


class Institution(models.Model):
    """A partner institution; one row per real institution, matched on `normalised_name`."""

    name = models.CharField(_("name"), max_length=250)
    normalised_name = models.CharField(max_length=250, unique=True, editable=False)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="programme_institutions", verbose_name=_("country"))
    type = models.CharField(_("type"), max_length=30, choices=InstitutionType.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)


class Activity(models.Model):
    """One capacity-building activity (workshop, training, mission …); `code` is the import key."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices, db_index=True)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="programme_activities", verbose_name=_("host country"))
    online = models.BooleanField(_("online"), default=False)
    centre_role = models.CharField(_("the centre's role"), max_length=20, choices=CentreRole.choices)
    programme_area = models.CharField(_("programme area"), max_length=40, choices=ProgrammeArea.choices)
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="programme_activities", verbose_name=_("SDGs"))
    narrative = models.TextField(_("narrative"), blank=True, max_length=10000)
    partners = models.ManyToManyField(Institution, blank=True, related_name="activities",
                                      verbose_name=_("partner institutions"))
    participants_count = models.PositiveIntegerField(
        _("participants (head count)"), null=True, blank=True,
        help_text=_("Used only when no individual participant records exist."))
    participant_countries = models.ManyToManyField(Country, blank=True, related_name="programme_participations",
                                                   verbose_name=_("participant countries"))
    pre_survey_score = models.DecimalField(_("pre-activity knowledge score (%)"), max_digits=5, decimal_places=2,
                                           null=True, blank=True,
                                           validators=[MinValueValidator(0), MaxValueValidator(100)])
    post_survey_score = models.DecimalField(_("post-activity knowledge score (%)"), max_digits=5,
                                            decimal_places=2, null=True, blank=True,
                                            validators=[MinValueValidator(0), MaxValueValidator(100)])
    evaluation_summary = models.TextField(_("evaluation summary"), blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="programme_activity_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def place(self) -> str:
        if self.online:
            return str(_("Online"))
        parts = [self.city, self.country.name if self.country_id else ""]
        return ", ".join(part for part in parts if part)


class Expert(models.Model):
    """A resource person or expert the centre drew on; the report lists them with their countries."""

    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="programme_experts", verbose_name=_("country"))
    organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    expertise = models.CharField(_("expertise"), max_length=300, blank=True)
    activities = models.ManyToManyField(Activity, blank=True, related_name="experts", verbose_name=_("activities"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("resource person / expert")
        verbose_name_plural = _("resource persons / experts")

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """One person at one activity. Personal data: only staff see these records."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="programme_participants",
                                verbose_name=_("country"))
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=20, choices=StakeholderType.choices,
                                        default=StakeholderType.OTHER)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices,
                            default=ParticipantRole.PARTICIPANT)

    class Meta:
        ordering = ["activity", "name", "id"]
        verbose_name = _("participant")
        # Covers the report's figures (records per activity, per country, stakeholder type and gender) so
        # they are read from the index alone, not from a hundred thousand rows.
        indexes = [models.Index(fields=["activity", "role", "country", "stakeholder_type", "gender"],
                                name="programme_p_figures_idx")]

    def __str__(self) -> str:
        return self.name


class ImportKind(models.TextChoices):
    ACTIVITIES = "activities", _("Activities")
    PARTICIPANTS = "participants", _("Participants")


class ImportUpload(models.Model):
    """A spreadsheet uploaded on the web import page, kept between its preview and the import job."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file = models.FileField(upload_to="programme/imports/%Y/%m/")
    filename = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    preview = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
