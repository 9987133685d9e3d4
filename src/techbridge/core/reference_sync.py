"""Keep the reference tables in step with `techbridge.core.reference` after every migrate (idempotent)."""

from __future__ import annotations

from django.db import connections, transaction

from techbridge.core.reference import countries as country_ref
from techbridge.core.reference import isic, sdgs, vocabularies


def sync_reference_data(sender=None, using="default", **kwargs) -> None:
    """Upsert countries, SDGs, ISIC sectors and partnership types; never deletes rows in use."""
    from techbridge.core.models import SDG, Country, PartnershipType, Sector

    if Country._meta.db_table not in connections[using].introspection.table_names():
        return  # `migrate core zero` also sends post_migrate, after the tables are gone
    with transaction.atomic(using=using):
        _upsert(
            Country,
            "iso2",
            [
                Country(
                    iso2=c.iso2, iso3=c.iso3, name=c.name, escap_status=c.escap_status, subregion=c.subregion
                )
                for c in country_ref.all_countries()
            ],
            ["iso3", "name", "escap_status", "subregion"],
            using,
        )
        _upsert(SDG, "number", [SDG(number=n, title=str(t)) for n, t in sdgs.SDGS], ["title"], using)
        _upsert(
            Sector, "code", [Sector(code=c, title=str(t)) for c, t in isic.ISIC_SECTIONS], ["title"], using
        )
        _upsert(
            Sector,
            "code",
            [Sector(code=c, title=str(t), section_id=s) for c, t, s in isic.ISIC_DIVISIONS],
            ["title", "section"],
            using,
        )
        _upsert(
            PartnershipType,
            "code",
            [PartnershipType(code=c, label=str(label)) for c, label in vocabularies.PARTNERSHIP_TYPES],
            ["label"],
            using,
        )


def _upsert(model, key, objects, fields, using) -> None:
    existing = set(model.objects.using(using).values_list(key, flat=True))
    new = [obj for obj in objects if getattr(obj, key) not in existing]
    old = [obj for obj in objects if getattr(obj, key) in existing]
    if new:
        model.objects.using(using).bulk_create(new)
    if old:
        model.objects.using(using).bulk_update(old, fields)
