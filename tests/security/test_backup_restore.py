"""Backup and restore round trip: every table compared row by row, media byte by byte."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core import serializers
from django.core.management import call_command

from techbridge.core.security.backup import (
    BackupError,
    LosslessEncoder,
    backup_models,
    create_backup,
    restore_backup,
)
from tests.security.world import World


def snapshot() -> dict[str, list]:
    result = {}
    for model in backup_models():
        rows = json.loads(serializers.serialize("json", model._default_manager.order_by("pk"), cls=LosslessEncoder))
        result[model._meta.label_lower] = rows
    return result


def media_tree(root) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _populated_world() -> World:
    world = World()
    for name in ("draft_a", "submitted_a", "private_attachment_a", "job_a", "meeting_a", "draft_event", "article",
                 "publication", "outbox_row", "activity", "institution", "programme_import"):
        getattr(world, name)
    return world


def _empty_database() -> None:
    for model in reversed(backup_models()):
        model._default_manager.all().delete()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_every_table_and_file(tmp_path, settings):
    _populated_world()
    before = snapshot()
    media_before = media_tree(settings.MEDIA_ROOT)
    assert sum(len(rows) for rows in before.values()) > 100 and len(media_before) >= 4
    archive = tmp_path / "backup.tar.gz"
    summary = create_backup(path=archive)
    assert summary.rows == sum(len(rows) for rows in before.values())

    _empty_database()
    for file in settings.MEDIA_ROOT.rglob("*"):
        if file.is_file():
            file.unlink()
    assert snapshot()["core.user"] == []

    restored = restore_backup(path=archive)
    after = snapshot()
    assert restored.rows == summary.rows
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs after restore"
    assert media_tree(settings.MEDIA_ROOT) == media_before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_non_empty_database_and_changes_nothing(tmp_path):
    _populated_world()
    archive = tmp_path / "backup.tar.gz"
    create_backup(path=archive)
    before = snapshot()
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(path=archive)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_restore_replace_after_changes_brings_back_backup(tmp_path):
    world = _populated_world()
    archive = tmp_path / "backup.tar.gz"
    create_backup(path=archive)
    before = snapshot()
    world.draft_a.title = "changed after the backup"
    world.draft_a.save()
    restore_backup(path=archive, replace=True)
    assert snapshot() == before


@pytest.mark.django_db
def test_restore_refuses_path_traversal_archive(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        manifest = json.dumps({"format": "techbridge-backup/1", "counts": {}}).encode()
        for name, data in (("manifest.json", manifest), ("media/../../outside.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="unsafe"):
        restore_backup(path=archive)
    assert not (tmp_path.parent / "outside.txt").exists()


@pytest.mark.django_db
def test_restore_refuses_foreign_archive(tmp_path):
    archive = tmp_path / "other.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("hello.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(BackupError):
        restore_backup(path=archive)


@pytest.mark.django_db(transaction=True)
def test_backup_command_and_restore_command_round_trip(tmp_path, capsys):
    _populated_world()
    before = snapshot()
    archive = tmp_path / "cli.tar.gz"
    call_command("backup", str(archive))
    _empty_database()
    call_command("restore", str(archive))
    assert snapshot() == before
    assert "restored" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_restore_keeps_times_to_the_microsecond(tmp_path):
    """Django's JSON keeps milliseconds only; a backup must give back the exact times it was given."""
    import datetime as dt

    from techbridge.exchange.models import Profile

    world = _populated_world()
    exact = dt.datetime(2026, 3, 4, 5, 6, 7, 123, tzinfo=dt.UTC)  # 123 µs: below a millisecond
    Profile.objects.filter(pk=world.draft_a.pk).update(updated_at=exact)
    archive = tmp_path / "backup.tar.gz"
    create_backup(path=archive)
    Profile.objects.filter(pk=world.draft_a.pk).update(updated_at=exact + dt.timedelta(days=1))
    restore_backup(path=archive, replace=True)
    assert Profile.objects.get(pk=world.draft_a.pk).updated_at == exact
