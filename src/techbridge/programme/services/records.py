"""Writes outside the spreadsheet imports: partner institution details, activity narratives and outcomes, experts.

Why separate from the imports: these facts (an institution's country and type, the narrative, survey scores,
who the resource persons were) are not in the staff's spreadsheets; they are typed once, by staff, on the
platform or by the demo loader, and go through the same checks and audit trail.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.countries import UnknownCountry, resolve_country
from techbridge.core.permissions import Actor, require_staff
from techbridge.programme.models import Activity, Expert, Institution, InstitutionType, normalise_name

#: Fields of an activity that `update_activity` may set (the imported ones come from the sheet).
DETAIL_FIELDS = {"narrative": 10000, "evaluation_summary": 5000}
SCORE_FIELDS = ["pre_survey_score", "post_survey_score"]


def _country(value: str | None, *, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return resolve_country(value)
    except UnknownCountry as error:
        raise ValidationError({field: [str(error)]}) from None


def save_institution(*, actor: Actor, name: str, country: str | None = None, type: str = "",
                     website: str = "") -> Institution:
    """Create a partner institution or complete an existing one found by name (case- and space-insensitive).

    Why "complete": imports create institutions from a name alone; staff add the country and type later.
    Blank arguments never erase what is already known.
    """
    require_staff(actor)
    clean = " ".join(str(name).split())
    if not clean or len(clean) > 250:
        raise ValidationError({"name": [_("Give a name of at most 250 characters.")]})
    if type and type not in InstitutionType.values:
        raise ValidationError({"type": [_("Unknown institution type %(type)s.") % {"type": type}]})
    website = (website or "").strip()
    if website:  # shown as a link: only web addresses, never javascript: or data: URLs
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise ValidationError({"website": [_("Give a web address starting with http:// or https://.")]}) \
                from None
    iso2 = _country(country, field="country")
    with transaction.atomic():
        institution = Institution.objects.select_for_update().filter(normalised_name=normalise_name(clean)).first()
        created = institution is None
        if created:
            institution = Institution(name=clean)
        before = (institution.country_id, institution.type, institution.website)
        institution.country_id = iso2 or institution.country_id
        institution.type = type or institution.type
        institution.website = website or institution.website
        if created or before != (institution.country_id, institution.type, institution.website):
            institution.save()
            audit.record(actor=actor, action="create" if created else "update", obj=institution)
    return institution


def update_activity(*, actor: Actor, activity: Activity, values: dict) -> Activity:
    """Set an activity's narrative, outcomes (knowledge-survey scores, evaluation summary) and online flag."""
    require_staff(actor)
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for field, limit in DETAIL_FIELDS.items():
        if field in values:
            text = str(values[field] or "").strip()
            if len(text) > limit:
                errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
            clean[field] = text
    for field in SCORE_FIELDS:
        if field in values:
            clean[field] = _score(values[field], field=field, errors=errors)
    unknown = set(values) - set(DETAIL_FIELDS) - set(SCORE_FIELDS)
    if unknown:
        errors["__all__"] = [_("These fields cannot be set here: %(f)s") % {"f": ", ".join(sorted(unknown))}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for field, value in clean.items():
            setattr(activity, field, value)
        activity.updated_at = timezone.now()
        activity.save(update_fields=[*clean, "updated_at"])
        audit.record(actor=actor, action="update", obj=activity, detail={"fields": sorted(clean)})
    return activity


def _score(value, *, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        errors[field] = [_("A percentage between 0 and 100.")]
        return None
    return number.quantize(Decimal("0.01"))


def add_expert(*, actor: Actor, name: str, country: str | None, activity: Activity, organisation: str = "",
               expertise: str = "") -> Expert:
    """Record a resource person or expert for an activity; the same person (name and country) is reused."""
    require_staff(actor)
    clean = " ".join(str(name).split())
    if not clean or len(clean) > 200:
        raise ValidationError({"name": [_("Give a name of at most 200 characters.")]})
    iso2 = _country(country, field="country")
    with transaction.atomic():
        expert = next((e for e in Expert.objects.filter(country_id=iso2, name__iexact=clean)
                       if normalise_name(e.name) == normalise_name(clean)), None)
        if expert is None:
            expert = Expert.objects.create(name=clean, country_id=iso2, organisation=organisation[:250],
                                           expertise=expertise[:300])
            audit.record(actor=actor, action="create", obj=expert)
        if not expert.activities.filter(pk=activity.pk).exists():
            expert.activities.add(activity)
            audit.record(actor=actor, action="add-activity", obj=expert, detail={"activity": activity.code})
    return expert
