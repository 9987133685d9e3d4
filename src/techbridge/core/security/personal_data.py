"""Personal data of one person across every app: export it (right of access) and erase it (right to erasure).

Each app declares where it keeps personal data with `register(PersonalDataSource(...))`: how to find a person's
rows (by email address and, for records without one, by name), which fields to export, and how to erase them
(delete the row, or blank the personal fields and keep the row for the figures). Sources of apps that exist are
registered at the bottom of this module; a new app adds its own in its AppConfig.ready() (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet

from techbridge.core import audit
from techbridge.core.permissions import Actor, require_staff


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class PersonalDataSource:
    """Where one model keeps personal data.

    `find(person)` returns the person's rows; `fields` are exported; `erase` is "delete", or a dict of
    field -> replacement value (blanking), or a callable(row) for erasure needing a service (e.g. cascades).
    """

    key: str
    model: str
    find: Callable[[Person], QuerySet]
    fields: list[str]
    erase: str | dict | Callable = "delete"
    note: str = ""
    order: int = 50


_SOURCES: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> None:
    """Declare a source (idempotent by key; AppConfig.ready() may run twice in tests)."""
    _SOURCES[source.key] = source


def sources() -> list[PersonalDataSource]:
    ensure_builtin()
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def _value(row, name: str):
    value = getattr(row, name)
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "url"):  # files
        return value.name
    return value


def export_person(*, actor: Actor, email: str, name: str = "") -> dict:
    """Everything the platform holds about one person, as JSON-ready data grouped by source."""
    require_staff(actor)
    person = Person(email=(email or "").strip().lower(), name=(name or "").strip())
    result: dict[str, list[dict]] = {}
    for source in sources():
        rows = [{"id": row.pk, **{f: _value(row, f) for f in source.fields}} for row in source.find(person)]
        if rows:
            result[source.key] = rows
    return {"person": {"email": person.email, "name": person.name}, "data": result}


def erase_person(*, actor: Actor, email: str, name: str = "") -> dict[str, int]:
    """Erase one person everywhere in one transaction; returns rows touched per source. Audited."""
    require_staff(actor)
    person = Person(email=(email or "").strip().lower(), name=(name or "").strip())
    counts: dict[str, int] = {}
    with transaction.atomic():
        # Blank and service-based erasures first, deletions last (a deleted user cascades to their rows).
        for source in sorted(sources(), key=lambda s: (s.erase == "delete", s.order)):
            rows = list(source.find(person))
            if not rows:
                continue
            counts[source.key] = len(rows)
            for row in rows:
                if source.erase == "delete":
                    row.delete()
                elif isinstance(source.erase, dict):
                    for field_name, replacement in source.erase.items():
                        setattr(row, field_name, replacement)
                    row.save(update_fields=list(source.erase))
                else:
                    source.erase(row)
        if counts:
            user_model = apps.get_model("core", "User")
            marker = user_model(pk=0)  # the audit names the erasure, never the erased address
            audit.record(actor=actor, action="erase_person", obj=marker, detail={"sources": counts})
    return counts


def _model(label: str):
    return apps.get_model(label)


def _register_builtin() -> None:
    """Sources of the apps present today. Only models that exist are registered."""
    installed = {config.label for config in apps.get_app_configs()}
    register(PersonalDataSource(
        key="core.user", model="core.User", order=90,
        find=lambda p: _model("core.User").objects.filter(email__iexact=p.email),
        fields=["email", "full_name", "phone", "position", "date_joined", "last_login"],
        erase="delete", note="cascades to memberships, focal-point posts, API tokens, event registrations"))
    register(PersonalDataSource(
        key="core.membership", model="core.Membership",
        find=lambda p: _model("core.Membership").objects.filter(user__email__iexact=p.email),
        fields=["organisation", "role"], erase="delete"))
    register(PersonalDataSource(
        key="core.organisation_contact", model="core.Organisation",
        find=lambda p: _model("core.Organisation").objects.filter(email__iexact=p.email),
        fields=["name", "email", "phone"], erase={"email": "", "phone": ""}))
    register(PersonalDataSource(
        key="core.audit_actor", model="core.AuditEntry",
        find=lambda p: _model("core.AuditEntry").objects.filter(actor__email__iexact=p.email),
        fields=["created_at", "action", "object_type", "object_id"], erase={"actor": None},
        note="the trail stays; the person is unlinked"))
    if "exchange" in installed:
        register(PersonalDataSource(
            key="exchange.profile_contact", model="exchange.Profile",
            find=lambda p: _model("exchange.Profile").objects.filter(contact_email__iexact=p.email),
            fields=["reference", "title", "contact_name", "contact_email", "contact_phone"],
            erase={"contact_name": "", "contact_email": "", "contact_phone": ""}))
    if "events" in installed:
        register(PersonalDataSource(
            key="events.registration", model="events.Registration",
            find=lambda p: _model("events.Registration").objects.filter(user__email__iexact=p.email),
            fields=["event", "organisation", "status", "headline", "offers", "needs"], erase="delete"))
    if "periodical" in installed:
        def erase_subscriber(row) -> None:
            from techbridge.periodical.services.subscriptions import delete_subscriber

            delete_subscriber(subscriber=row)

        register(PersonalDataSource(
            key="periodical.subscriber", model="periodical.Subscriber",
            find=lambda p: _model("periodical.Subscriber").objects.filter(email__iexact=p.email),
            fields=["email", "name", "country", "language", "topics", "status", "created_at", "confirmed_at"],
            erase=erase_subscriber))
    if "programme" in installed:
        register(PersonalDataSource(
            key="programme.participant", model="programme.Participant",
            find=lambda p: (_model("programme.Participant").objects.filter(name__iexact=p.name) if p.name
                            else _model("programme.Participant").objects.none()),
            fields=["activity", "name", "organisation", "country", "stakeholder_type", "gender", "role"],
            erase={"name": "", "organisation": ""},
            note="no address is kept: found by name; country, gender and type stay for the figures"))


_register_builtin_done = False


def ensure_builtin() -> None:
    global _register_builtin_done
    if not _register_builtin_done:
        _register_builtin()
        _register_builtin_done = True


__all__ = ["Person", "PersonalDataSource", "register", "sources", "export_person", "erase_person",
           "ensure_builtin"]
