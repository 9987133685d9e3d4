"""A throwaway database for the matching benchmarks, filled through the platform's own import and index services.

Why not the engine alone: the benchmark must measure what users get — profiles validated by the exchange's
bulk import, their text as the platform indexes it (fields, HTML cleaning, length limits), vectors stored in
the database, and the same per-process index the web pages query.
"""

from __future__ import annotations

import html
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

FIELD_LIMIT = 3900  # the exchange allows 4,000 characters per text field, measured after HTML escaping
TEXT_FIELDS = ("description", "advantages", "technical_spec")


@contextmanager
def throwaway_database(*, tag: str):
    """Create a migrated temporary database (SQLite file in a temp dir, or `<name>_bench_<tag>` on PostgreSQL)."""
    from django.test.utils import override_settings

    creation, settings_dict = connection.creation, connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix=f"techbridge-bench-{tag}-"))
    if connection.vendor == "sqlite":
        settings_dict.setdefault("TEST", {})["NAME"] = str(folder / "bench.sqlite3")
    else:
        settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_bench_{tag}"
    original = settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with override_settings(TECHBRIDGE_INDEX_DIR=folder / "index", MEDIA_ROOT=folder / "media"):
            yield folder
    finally:
        creation.destroy_test_db(original, verbosity=0)


def split_text(*, text: str, parts: int = len(TEXT_FIELDS)) -> list[str]:
    """Cut a long text at spaces into pieces that each fit one exchange text field (after escaping)."""
    out, rest = [], text.strip()
    while rest and len(out) < parts:
        if len(html.escape(rest, quote=False)) <= FIELD_LIMIT:
            out.append(rest)
            break
        cut = FIELD_LIMIT
        while len(html.escape(rest[:cut], quote=False)) > FIELD_LIMIT:
            cut -= 100
        space = rest.rfind(" ", 0, cut)
        cut = space if space > cut // 2 else cut
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return out


def summary_of(*, text: str, limit: int = 480) -> str:
    """The opening of a text, cut at a word, as the profile summary (the exchange requires one)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit]


def record_values(*, record: dict) -> dict:
    """A benchmark record (id, title, text, category) as exchange profile values."""
    text = " ".join((record.get("text") or "").split())
    values = {"title": (record.get("title") or record["id"])[:256], "summary": summary_of(text=text) or "-",
              "keywords": (record.get("category") or "")[:500]}
    for name, piece in zip(TEXT_FIELDS, split_text(text=text), strict=False):
        values[name] = piece
    return values


def setup_actor():
    """A staff user and two organisations in one country: one owns the offers, one the requests (the
    platform never matches an organisation with itself); structured fit stays neutral."""
    from techbridge.core.models import Organisation, User
    from techbridge.core.permissions import actor_for

    user = User.objects.create_user("bench@techbridge.local", is_staff=True)
    offering = Organisation.objects.create(name="Benchmark offers", type="other", country_id="US")
    seeking = Organisation.objects.create(name="Benchmark requests", type="other", country_id="US")
    return actor_for(user), offering, seeking


def import_records(*, actor, organisation, records: list[dict], kind: str, progress=None) -> dict[str, int]:
    """Bulk-import records as published profiles and remember their benchmark ids; returns {bench id: pk}."""
    from techbridge.exchange.bulk import import_published_profiles
    from techbridge.matching.models import ExternalId

    ids = import_published_profiles(actor=actor, organisation_id=organisation.pk, kind=kind,
                                    rows=(record_values(record=r) for r in records), progress=progress,
                                    total=len(records))
    ExternalId.objects.bulk_create([ExternalId(profile_id=pk, source="bench", value=r["id"])
                                    for r, pk in zip(records, ids, strict=True)], batch_size=1000)
    return {r["id"]: pk for r, pk in zip(records, ids, strict=True)}
