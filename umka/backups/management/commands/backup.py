"""`manage.py backup`: one archive of the database(s) and uploaded files into
BACKUP_DIR, then the oldest beyond BACKUP_KEEP are deleted."""

import time
from pathlib import Path

from django.core.management.base import CommandError

from umka.backups.archive import BackupError, backup_create, rotate
from umka.core.entry_points import SchoolCommand


class Command(SchoolCommand):
    help = "Back up the database, the task queue and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="Instead of BACKUP_DIR.")
        parser.add_argument("--keep", type=int, help="Instead of BACKUP_KEEP.")

    def handle(self, *args, dir=None, keep=None, **options):  # noqa: A002
        started = time.perf_counter()
        try:
            archive = backup_create(dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        removed = rotate(dir, keep)
        size = archive.stat().st_size / 1e6
        self.stdout.write(
            f"{archive} ({size:.1f} MB) in {time.perf_counter() - started:.1f} s; "
            f"{len(removed)} old archive(s) removed"
        )
