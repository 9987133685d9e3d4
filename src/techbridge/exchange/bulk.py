"""Bulk loading of already-vetted profiles (open-data imports, benchmarks, migrations from other databases).

Staff only. Each row is validated exactly like a web or API submission (the same `_apply_values`), then the batch
is written with bulk inserts and published in one transaction per batch, with one audit entry per profile, so a
collection of tens of thousands of profiles loads in seconds instead of minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from techbridge.core.jobs import Progress, no_progress
from techbridge.core.models import AuditEntry, Organisation
from techbridge.core.permissions import Actor, require_staff
from techbridge.exchange.models import REFERENCE_PREFIX, Profile, ReferenceSequence, Status
from techbridge.exchange.services import RELATIONS, _apply_values
from techbridge.exchange.signals import profiles_bulk_changed


def import_published_profiles(*, actor: Actor, organisation_id: int, rows: Iterable[dict], kind: str,
                              batch_size: int = 500, progress: Progress | None = None,
                              total: int = 0) -> list[int]:
    """Validate every row, then insert and publish them in batches; returns the new profile ids.

    The whole import is one transaction: any invalid row (named by its number) leaves nothing written.
    """
    require_staff(actor)
    with transaction.atomic():
        return _import(actor=actor, organisation_id=organisation_id, rows=rows, kind=kind, batch_size=batch_size,
                       progress=progress, total=total)


def _import(*, actor, organisation_id, rows, kind, batch_size, progress, total) -> list[int]:
    progress = progress or no_progress
    organisation = Organisation.objects.get(pk=organisation_id)
    ids: list[int] = []
    batch: list[tuple[Profile, dict]] = []
    for number, values in enumerate(rows, start=1):
        profile = Profile(kind=kind, organisation=organisation, created_by_id=actor.user_id)
        values = dict(values)
        values.setdefault("country", organisation.country_id)
        try:
            relations = _apply_values(profile, values)
        except ValidationError as exc:
            raise ValidationError(
                {f"row {number}: {field}": msgs for field, msgs in exc.message_dict.items()}
            ) from exc
        batch.append((profile, relations))
        if len(batch) >= batch_size:
            ids.extend(_write(actor, batch))
            batch = []
            progress(len(ids), total or len(ids), f"{len(ids)} profiles")
    if batch:
        ids.extend(_write(actor, batch))
    progress(len(ids), len(ids), f"{len(ids)} profiles")
    transaction.on_commit(lambda: profiles_bulk_changed.send(sender=Profile, profile_ids=list(ids)))
    return ids


def _write(actor: Actor, batch: list[tuple[Profile, dict]]) -> list[int]:
    now = timezone.now()
    expires = now + timedelta(days=settings.TECHBRIDGE_PROFILE_VALIDITY_DAYS)
    with transaction.atomic():
        for profile, _relations in batch:
            profile.status = Status.PUBLISHED
            profile.published_at = profile.validated_at = profile.submitted_at = now
            profile.validated_by_id = actor.user_id
            profile.expires_at = expires
        _assign_references([p for p, _r in batch], day=now.strftime("%Y%m%d"))
        created = Profile.objects.bulk_create([p for p, _r in batch])
        if not all(p.pk for p in created):  # backends without RETURNING: look the ids up by reference
            by_ref = dict(Profile.objects.filter(reference__in=[p.reference for p in created])
                          .values_list("reference", "pk"))
            for profile in created:
                profile.pk = profile.id = by_ref[profile.reference]
        for name in RELATIONS:
            field = Profile._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links = [
                through(**{source: profile.pk, target: value})
                for profile, relations in batch
                for value in relations.get(name, [])
            ]
            through.objects.bulk_create(links, ignore_conflicts=True)
        AuditEntry.objects.bulk_create([
            AuditEntry(actor_id=actor.user_id, action="bulk_publish", object_type="exchange.profile",
                       object_id=str(profile.pk), from_state="", to_state=Status.PUBLISHED)
            for profile, _r in batch
        ])
    return [p.pk for p, _r in batch]


def _assign_references(profiles: list[Profile], *, day: str) -> None:
    """Reserve a run of sequence numbers per (prefix, country, day) with one locked update each."""
    groups: dict[str, list[Profile]] = {}
    for profile in profiles:
        groups.setdefault(f"{REFERENCE_PREFIX[profile.kind]}{profile.country_id}{day}", []).append(profile)
    for key, members in groups.items():
        sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(key=key)
        start = sequence.last
        sequence.last += len(members)
        sequence.save(update_fields=["last"])
        for offset, profile in enumerate(members, start=1):
            profile.reference = f"{key}{start + offset:03d}"
