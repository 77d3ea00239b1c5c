"""`manage.py restore <archive> --yes`: replace the data with an archive's and
verify every table's row count and every file's checksum."""

import time
from pathlib import Path

from django.core.management.base import CommandError

from umka.backups.archive import BackupError, backup_restore
from umka.core.entry_points import SchoolCommand


class Command(SchoolCommand):
    help = "Restore a backup archive (replaces the current data)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the current data is replaced."
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        if not yes:
            raise CommandError("Restoring replaces the current data: add --yes.")
        started = time.perf_counter()
        try:
            manifest = backup_restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {archive}: {len(manifest.tables)} tables, "
            f"{sum(manifest.tables.values())} rows, {len(manifest.files)} files, "
            f"verified, in {time.perf_counter() - started:.1f} s"
        )
