"""Write path for organisations, memberships, focal-point posts and API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.countries import UnknownCountry, resolve_country
from techbridge.core.models import ApiToken, FocalPoint, Membership, Organisation, User
from techbridge.core.permissions import Actor, forget_actor, require, require_signed_in, require_staff


def create_organisation(
    *,
    actor: Actor,
    name: str,
    type: str,
    country: str,
    size: str = "",
    city: str = "",
    website: str = "",
    description: str = "",
    email: str = "",
    phone: str = "",
) -> Organisation:
    """Register an organisation; its creator becomes its administrator so they can publish profiles for it."""
    require_signed_in(actor)
    try:
        country_id = resolve_country(country)
    except UnknownCountry as exc:
        raise ValidationError({"country": str(exc)}) from exc
    organisation = Organisation(
        name=(name or "").strip(),
        type=type,
        size=size,
        country_id=country_id,
        city=city,
        website=website,
        description=description,
        email=email,
        phone=phone,
    )
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        Membership.objects.create(user=actor.user, organisation=organisation, role=Membership.Role.ADMIN)
        audit.record(actor=actor, action="create", obj=organisation)
    forget_actor(actor.user)
    return organisation


def add_member(*, actor: Actor, organisation: Organisation, email: str, role: str = "member") -> Membership:
    """Let an organisation's administrator (or staff) add an existing user to it."""
    require(
        actor.is_staff or organisation.pk in actor.admin_organisation_ids,
        _("Only the organisation's administrators may add members."),
    )
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError({"email": _("No account uses this address; ask the person to sign up first.")})
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    with transaction.atomic():
        membership, _created = Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        audit.record(
            actor=actor, action="add_member", obj=organisation, detail={"user": user.pk, "role": role}
        )
    forget_actor(user)
    return membership


def appoint_focal_point(*, actor: Actor, user: User, country: str, institution: str = "") -> FocalPoint:
    """Staff appoint a national focal point, who then validates that country's profiles."""
    require_staff(actor)
    try:
        country_id = resolve_country(country)
    except UnknownCountry as exc:
        raise ValidationError({"country": str(exc)}) from exc
    with transaction.atomic():
        post, _created = FocalPoint.objects.get_or_create(
            user=user, country_id=country_id, defaults={"institution": institution}
        )
        audit.record(actor=actor, action="appoint_focal_point", obj=user, detail={"country": country_id})
    forget_actor(user)
    return post


def create_api_token(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the raw value is returned once and never stored."""
    require_signed_in(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("Give the token a name of at most 100 characters.")})
    raw = ApiToken.generate_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor.user, name=name, key_hash=ApiToken.hash(raw), prefix=raw[:8]
        )
        audit.record(actor=actor, action="create_token", obj=token)
    return token, raw


def revoke_api_token(*, actor: Actor, token: ApiToken) -> None:
    require(token.user_id == actor.user_id or actor.is_staff)
    with transaction.atomic():
        audit.record(actor=actor, action="revoke_token", obj=token)
        token.delete()
