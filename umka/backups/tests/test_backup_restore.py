"""Backups that restore: back a school up, wipe it, restore it, and every
table's row count and every uploaded file's checksum are as before — on SQLite
and, when DATABASE_URL points at PostgreSQL, on PostgreSQL."""

import hashlib
import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from umka.accounts.models import User
from umka.backups import archive

# Whole transactions: the backup and the restore work on the database itself.
pytestmark = pytest.mark.django_db(transaction=True)


def _checksums(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _wipe(settings) -> None:
    """Everything gone: every table emptied, every uploaded file deleted."""
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()


@pytest.fixture
def school_with_files(settings, clock):
    from umka.requests.tests.factories import request_school, write

    school = request_school()
    write(school)
    for n in range(5):
        default_storage.save(
            f"requests/2026/{n}/работа-{n}.pdf", ContentFile(b"%PDF" * (n + 1))
        )
    default_storage.save("materials/видео.bin", ContentFile(bytes(range(256)) * 400))
    return school


def test_backup_wipe_restore_gives_back_every_row_and_file(
    school_with_files, settings, tmp_path
):
    settings.BACKUP_DIR = tmp_path / "backups"
    rows_before = archive.live_table_counts()
    files_before = _checksums(settings.MEDIA_ROOT)
    assert rows_before["accounts_user"] > 10
    assert len(files_before) == 6

    call_command("backup")
    (saved,) = settings.BACKUP_DIR.glob("umka-*.tar")
    manifest = archive.read_manifest(saved)
    assert manifest.tables == rows_before
    assert manifest.files == files_before
    assert manifest.data["engine"] == connection.vendor

    _wipe(settings)
    assert archive.live_table_counts()["accounts_user"] == 0
    assert _checksums(settings.MEDIA_ROOT) == {}

    call_command("restore", str(saved), "--yes")
    assert archive.live_table_counts() == rows_before
    assert _checksums(settings.MEDIA_ROOT) == files_before
    assert User.objects.filter(username="parent").exists()


def test_restore_refuses_a_damaged_archive_and_changes_nothing(
    school_with_files, settings, tmp_path
):

    settings.BACKUP_DIR = tmp_path / "backups"
    saved = archive.backup_create()
    damaged = tmp_path / "umka-damaged.tar"
    with tarfile.open(saved) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member)
            content = data.read() if data else b""
            if member.name.startswith("media/materials"):
                content = b"tampered" + content[8:]

            member.size = len(content)
            dst.addfile(member, io.BytesIO(content))
    rows_before = archive.live_table_counts()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--yes")
    assert archive.live_table_counts() == rows_before


def test_restore_asks_for_confirmation(school_with_files, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    saved = archive.backup_create()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(saved))


def test_rotation_keeps_the_newest(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    for day in range(1, 6):
        (settings.BACKUP_DIR / f"umka-202612{day:02d}T030000000000Z.tar").write_bytes(
            b""
        )
    (settings.BACKUP_DIR / "other.tar").write_bytes(b"")
    removed = archive.rotate(keep=2)
    assert [p.name[5:13] for p in removed] == ["20261201", "20261202", "20261203"]
    assert sorted(p.name for p in settings.BACKUP_DIR.iterdir()) == [
        "other.tar",
        "umka-20261204T030000000000Z.tar",
        "umka-20261205T030000000000Z.tar",
    ]
