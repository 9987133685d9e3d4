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

import threading
import time

from django.db import connection
from django.db.models.signals import post_delete, post_save

from techbridge.exchange.models import Profile
from techbridge.exchange.search import id_in_sql

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


def _link_rows(ids: list[int]) -> list[tuple[str, int, str]]:
    """(relation, profile id, code) of every link of these profiles: the UNION ALL over the four link tables as
    one raw statement (the ORM spent longer compiling four querysets and their union than the database took to
    answer). Identifiers come from the models' metadata, quoted; the ids are parameters."""
    qn = connection.ops.quote_name
    parts, params = [], []
    for name in RELATIONS:
        field = Profile._meta.get_field(name)
        through = field.remote_field.through._meta
        source = qn(through.get_field(field.m2m_field_name()).column)
        target = qn(through.get_field(field.m2m_reverse_field_name()).column)
        where, where_params = id_in_sql(source, ids, vendor=connection.vendor)
        parts.append(f"SELECT '{name}', {source}, CAST({target} AS TEXT) FROM {qn(through.db_table)} "  # noqa: S608
                     f"WHERE {where}")
        params += where_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [(name, int(pk), str(code)) for name, pk, code in cursor.fetchall()]


def attach(profiles: list[Profile]) -> list[Profile]:
    """Give each profile its four relations (one query, plus a reload of the reference rows if one is new)."""
    if not profiles:
        return profiles
    rows = _link_rows([p.pk for p in profiles])
    refs = reference_rows()
    if any(code not in refs[name] for name, _pk, code in rows):
        refs = reference_rows(refresh=True)  # added since the rows were loaded (or in another process)
    order = {name: _order_key(name) for name in RELATIONS}
    found: dict[int, dict[str, list]] = {p.pk: {name: [] for name in RELATIONS} for p in profiles}
    for name, pk, code in rows:
        obj = refs[name].get(code)
        if obj is not None:
            found[pk][name].append(obj)
    for profile in profiles:
        cache = profile.__dict__.setdefault("_prefetched_objects_cache", {})
        for name in RELATIONS:
            qs = getattr(profile, name).all()
            qs._result_cache = sorted(found[profile.pk][name], key=order[name])
            qs._prefetch_done = True
            cache[name] = qs
    return profiles
