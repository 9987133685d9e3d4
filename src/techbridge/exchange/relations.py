"""A profile's four reference relations (sectors, SDGs, partnership types, target countries) in one query.

Why: the profile page and the API show all four on every profile, and prefetching them costs four queries per
page — on the profile page, more than half of its queries, and most of the time it spends outside the
matching engine. Here the codes come from the four link tables in one `UNION ALL` query, and the reference rows
they point to (a few hundred in all, changed only by a reference sync or the admin) are kept per process for
REFERENCE_SECONDS, dropped at once when this process saves or deletes one.

`attach` fills each profile's prefetch cache, so `profile.sectors.all()` and the rest answer from memory exactly
as after `prefetch_related` (same objects, same order: the related model's default ordering).
"""

from __future__ import annotations

import functools
import threading
import time

from django.db import connection
from django.db.models.signals import post_delete, post_save

from techbridge.exchange.models import Profile

RELATIONS = ("sectors", "sdgs", "partnership_types", "target_countries")
REFERENCE_SECONDS = 300

_lock = threading.Lock()
_reference: dict = {"loaded_at": None, "rows": {}}


def _related_model(name: str):
    return Profile._meta.get_field(name).related_model


def _order_key(name: str):
    fields = _related_model(name)._meta.ordering or ["pk"]
    return lambda obj: tuple(getattr(obj, f.lstrip("-")) for f in fields)


def reference_rows(*, refresh: bool = False) -> dict[str, dict[str, object]]:
    """{relation: {code as text: reference object}} for the four relations, loaded at most every REFERENCE_SECONDS."""
    with _lock:
        loaded = _reference["loaded_at"]
        if refresh or loaded is None or time.monotonic() - loaded > REFERENCE_SECONDS:
            _reference["rows"] = {name: {str(obj.pk): obj for obj in _related_model(name).objects.all()}
                                  for name in RELATIONS}
            _reference["loaded_at"] = time.monotonic()
        return _reference["rows"]


def forget_reference(**_kwargs) -> None:
    """A reference row changed in this process: the next `attach` reloads them."""
    with _lock:
        _reference["loaded_at"] = None


for _name in RELATIONS:
    post_save.connect(forget_reference, sender=_related_model(_name), dispatch_uid=f"relations-save-{_name}")
    post_delete.connect(forget_reference, sender=_related_model(_name), dispatch_uid=f"relations-delete-{_name}")


@functools.lru_cache(maxsize=64)
def _link_sql(vendor: str, count: int) -> str:
    """The UNION ALL over the four link tables, written once per process and shape (the ORM spent longer
    compiling four querysets and their union than the database took to answer)."""
    qn = connection.ops.quote_name
    ids = "= ANY(%s)" if vendor == "postgresql" else f"IN ({', '.join(['%s'] * count)})"
    parts = []
    for name in RELATIONS:
        field = Profile._meta.get_field(name)
        source = field.remote_field.through._meta.get_field(field.m2m_field_name()).column
        target = field.remote_field.through._meta.get_field(field.m2m_reverse_field_name()).column
        table = qn(field.remote_field.through._meta.db_table)
        # Identifiers from the models' metadata, quoted; the ids are parameters.
        parts.append(f"SELECT '{name}', {qn(source)}, CAST({qn(target)} AS TEXT) FROM {table} "  # noqa: S608
                     f"WHERE {qn(source)} {ids}")
    return " UNION ALL ".join(parts)


def _link_rows(ids: list[int]) -> list[tuple[str, int, str]]:
    if connection.vendor == "postgresql":
        sql, params = _link_sql("postgresql", 1), [list(ids)] * len(RELATIONS)
    else:
        sql, params = _link_sql(connection.vendor, len(ids)), list(ids) * len(RELATIONS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(name, int(pk), str(code)) for name, pk, code in cursor.fetchall()]


def attach(profiles: list[Profile]) -> list[Profile]:
    """Give each profile its four relations (one query, plus a reload of the reference rows if one is new)."""
    if not profiles:
        return profiles
    rows = _link_rows([p.pk for p in profiles])
    refs = reference_rows()
    if any(code not in refs[name] for name, _pk, code in rows):
        refs = reference_rows(refresh=True)  # added since the rows were loaded (or in another process)
    found: dict[int, dict[str, list]] = {p.pk: {name: [] for name in RELATIONS} for p in profiles}
    for name, pk, code in rows:
        obj = refs[name].get(code)
        if obj is not None:
            found[pk][name].append(obj)
    for profile in profiles:
        cache = profile.__dict__.setdefault("_prefetched_objects_cache", {})
        for name in RELATIONS:
            qs = getattr(profile, name).all()
            qs._result_cache = sorted(found[profile.pk][name], key=_order_key(name))
            qs._prefetch_done = True
            cache[name] = qs
    return profiles
