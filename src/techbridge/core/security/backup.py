"""Portable backups: every model's rows as Django-serialised JSON plus the uploaded-media tree, in one tar.gz.

Portable because the archive holds no SQL: a backup taken on SQLite restores into PostgreSQL and back. Restore
loads into a migrated database inside one transaction (all rows or none), resets PostgreSQL sequences, and only
then moves media into place, so a failed restore leaves both the database and the media untouched.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "techbridge-backup/1"
#: Rebuilt by `migrate` itself; restoring them would clash with the rows migrate created.
SKIPPED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class LosslessEncoder(DjangoJSONEncoder):
    """Django's JSON encoder keeps times to the millisecond; a backup keeps them to the microsecond, so a
    restored row equals the row backed up (and what sorts by time sorts the same after a restore)."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The archive is not a TechBridge backup, is damaged, or the target database is not empty."""


@dataclass(frozen=True)
class BackupSummary:
    rows: int
    models: int
    media_files: int


def backup_models() -> list:
    """Concrete models in dependency order (the natural order `dumpdata` uses), minus the rebuilt ones."""
    from django.core.serializers import sort_dependencies

    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module is not None]
    ordered = sort_dependencies(app_list, allow_cycles=True)
    return [m for m in ordered if not m._meta.proxy and m._meta.managed and m._meta.label_lower not in SKIPPED_MODELS]


def _serialise(model) -> bytes:
    stream = io.StringIO()
    serializers.serialize(
        "json",
        model._default_manager.order_by("pk").iterator(chunk_size=2000),
        stream=stream,
        cls=LosslessEncoder,
        use_natural_foreign_keys=False,
        use_natural_primary_keys=False,
    )
    return stream.getvalue().encode()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(*, path: Path, media_root: Path | None = None, progress=None) -> BackupSummary:
    """Write the database and the media tree to `path` (a .tar.gz) from one consistent snapshot."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    models = backup_models()
    counts: dict[str, int] = {}
    media_files = 0
    tmp = Path(str(path) + ".partial")
    with transaction.atomic(), tarfile.open(tmp, "w:gz") as archive:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for index, model in enumerate(models):
            label = model._meta.label_lower
            data = _serialise(model)
            counts[label] = model._default_manager.count()
            _add_bytes(archive, f"data/{index:03d}-{label}.json", data)
            if progress:
                progress(index + 1, len(models), label)
        if media_root.exists():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                archive.add(file, arcname=f"media/{file.relative_to(media_root).as_posix()}", recursive=False)
                media_files += 1
        applied = sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": connection.vendor,
                    "counts": counts, "media_files": media_files, "migrations": applied}
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    tmp.replace(path)
    return BackupSummary(rows=sum(counts.values()), models=len(models), media_files=media_files)


def read_manifest(*, path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"not a readable backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def _user_rows_exist() -> bool:
    """Whether the database already holds content (beyond what migrate creates itself)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return user_model._default_manager.exists()


def restore_backup(
    *, path: Path, media_root: Path | None = None, replace: bool = False, progress=None
) -> BackupSummary:
    """Load a backup into this (migrated) database atomically, then put its media in place.

    Refuses a database that already has users unless `replace`, which first empties every backed-up table
    in the same transaction.
    """
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(path=path)
    rows = 0
    with tempfile.TemporaryDirectory(prefix="techbridge-restore-") as staging:
        staging_media = Path(staging) / "media"
        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            bad = [m.name for m in members if not _safe_member(m.name) or not (m.isfile() or m.isdir())]
            if bad:
                raise BackupError(f"unsafe entries in the archive: {bad[:5]}")
            data_members = sorted((m for m in members if m.name.startswith("data/")), key=lambda m: m.name)
            with transaction.atomic():
                if _user_rows_exist():
                    if not replace:
                        raise BackupError("the database is not empty; restore into a fresh one or pass --replace")
                    for model in reversed(backup_models()):
                        model._default_manager.all().delete()
                for index, member in enumerate(data_members):
                    for obj in serializers.deserialize("json", archive.extractfile(member).read().decode()):
                        obj.save()
                        rows += 1
                    if progress:
                        progress(index + 1, len(data_members), member.name)
                _reset_sequences()
            for member in members:
                if member.isfile() and member.name.startswith("media/"):
                    target = staging_media / PurePosixPath(member.name).relative_to("media")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(member) as source, open(target, "wb") as out:
                        shutil.copyfileobj(source, out)
        media_files = 0
        if staging_media.exists():
            for file in staging_media.rglob("*"):
                if file.is_file():
                    destination = media_root / file.relative_to(staging_media)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(file), destination)
                    media_files += 1
    return BackupSummary(rows=rows, models=len(manifest["counts"]), media_files=media_files)


def _reset_sequences() -> None:
    """After loading explicit primary keys, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
