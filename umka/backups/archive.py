"""Backups that restore: the database, the task queue's database (when it is a
SQLite file) and the uploaded files, in one tar archive with a manifest.

The manifest holds every table's row count and every file's SHA-256, taken from
the same snapshot as the dump (PostgreSQL: pg_dump on the snapshot the counts
were read in; SQLite: the counts are read from the copy), so a restore can prove
it brought back exactly what was saved.

    backup_create(directory) -> Path        # the new archive
    backup_restore(archive) -> Manifest     # replaces the data; verified
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction

FORMAT = "umka-backup/1"
PREFIX = "umka-"
SUFFIX = ".tar"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Manifest:
    data: dict

    @property
    def tables(self) -> dict[str, int]:
        return self.data["tables"]

    @property
    def files(self) -> dict[str, str]:
        return self.data["files"]


# --- Reading what there is ----------


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def live_table_counts() -> dict[str, int]:
    """Row counts of every table of the default database, as it is now."""
    with connection.cursor() as cursor:
        return table_counts(cursor, connection.introspection.table_names(cursor))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_checksums(root: Path | None = None) -> dict[str, str]:
    """SHA-256 of every uploaded file, by its path under MEDIA_ROOT."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _local_media() -> Path | None:
    """MEDIA_ROOT when uploads are stored there (not in an object storage)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def _tasks_file() -> Path | None:
    """The task queue's SQLite file (Huey's default without Redis), if any."""
    huey = getattr(settings, "HUEY", {})
    if huey.get("huey_class") != "huey.SqliteHuey" or not huey.get("filename"):
        return None
    return Path(huey["filename"])


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env=None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


# --- Backup ----------


def _dump_sqlite(target: Path) -> dict[str, int]:
    """The online backup API copies the live database page by page, consistent
    even while others write; the counts are read from the copy."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return table_counts(cursor, tables)


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of the snapshot in which the counts are read (one instant)."""
    args, env = _pg_env()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=env,
        )
    return counts


def _copy_sqlite_file(source: Path, target: Path) -> None:
    with (
        contextlib.closing(sqlite3.connect(source)) as live,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)


def backup_create(
    directory: Path | None = None, *, now: dt.datetime | None = None
) -> Path:
    """Write one archive into `directory` (BACKUP_DIR) and return its path."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(tz=dt.UTC)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    media = _local_media()
    with tempfile.TemporaryDirectory(dir=directory) as work:
        work = Path(work)
        if vendor == "sqlite":
            dump = work / "database.sqlite3"
            tables = _dump_sqlite(dump)
        else:
            dump = work / "database.pgdump"
            tables = _dump_postgresql(dump)
        members = [(dump, dump.name)]
        tasks = _tasks_file()
        if tasks is not None and tasks.is_file():
            _copy_sqlite_file(tasks, work / "tasks.sqlite3")
            members.append((work / "tasks.sqlite3", "tasks.sqlite3"))
        files = media_checksums(media) if media else {}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": vendor,
            "database": dump.name,
            "tasks": "tasks.sqlite3" if len(members) > 1 else None,
            "tables": tables,
            "files": files,
            # Files in an object storage (S3_BUCKET) are kept by its versioning.
            "media": "local" if media else "object storage: not in the archive",
            "database_sha256": _sha256(dump),
        }
        (work / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1)
        )
        name = f"{PREFIX}{now:%Y%m%dT%H%M%S%f}Z{SUFFIX}"
        partial = work / name
        with tarfile.open(partial, "w") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            for path, arcname in members:
                tar.add(path, arcname=arcname)
            for relative in files:
                tar.add(media / relative, arcname=f"media/{relative}")
        final = directory / name
        # A half-written archive never carries the final name.
        os.replace(partial, final)
    return final


def rotate(directory: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete all but the newest `keep` (BACKUP_KEEP) archives; return those gone."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    archives = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    old = archives[: max(len(archives) - keep, 0)]
    for path in old:
        path.unlink()
    return old


# --- Restore ----------


def read_manifest(archive: Path) -> Manifest:
    with tarfile.open(archive) as tar:
        try:
            member = tar.extractfile("manifest.json")
        except KeyError:
            member = None
        if member is None:
            raise BackupError(f"{archive} has no manifest: not an Umka backup.")
        data = json.loads(member.read())
    if data.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown format {data.get('format')!r}.")
    return Manifest(data)


def _extract(archive: Path, into: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")


def _restore_sqlite(dump: Path) -> None:
    connection.close()
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(dump)) as saved:
        saved.backup(connection.connection)


def _restore_postgresql(dump: Path) -> None:
    args, env = _pg_env()
    for conn in connections.all():
        conn.close()
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(dump),
        ],
        env=env,
    )


def _restore_media(files: Path, manifest: Manifest) -> None:
    """The archive's files replace MEDIA_ROOT's (swapped in, then the old go)."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
    if files.is_dir():
        shutil.copytree(files, fresh, dirs_exist_ok=True)
    old = media.with_name(media.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media.exists():
        media.rename(old)
    fresh.rename(media)
    if old.exists():
        shutil.rmtree(old)


def verify(manifest: Manifest) -> list[str]:
    """What differs between the data now and the manifest (empty: identical)."""
    problems = []
    counts = live_table_counts()
    for table, expected in sorted(manifest.tables.items()):
        if counts.get(table) != expected:
            problems.append(
                f"table {table}: {counts.get(table)} rows, {expected} saved"
            )
    files = media_checksums() if _local_media() else {}
    for path, digest in sorted(manifest.files.items()):
        if files.get(path) != digest:
            problems.append(f"file {path}: missing or changed")
    return problems


def backup_restore(archive: Path) -> Manifest:
    """Replace the database, the task queue and the uploaded files with the
    archive's, then verify every table's row count and every file's checksum."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest.data["engine"] != connection.vendor:
        raise BackupError(
            f"The archive holds a {manifest.data['engine']} database; "
            f"this site runs on {connection.vendor}."
        )
    parent = Path(settings.BACKUP_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent) as work:
        work = Path(work)
        _extract(archive, work)
        dump = work / manifest.data["database"]
        if _sha256(dump) != manifest.data["database_sha256"]:
            raise BackupError(f"{archive}: the database dump is damaged.")
        for path, digest in manifest.files.items():
            if _sha256(work / "media" / path) != digest:
                raise BackupError(f"{archive}: the file {path} is damaged.")
        if connection.vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        tasks = _tasks_file()
        if manifest.data.get("tasks") and tasks is not None:
            tasks.parent.mkdir(parents=True, exist_ok=True)
            _copy_sqlite_file(work / manifest.data["tasks"], tasks)
        if manifest.data.get("media", "local") == "local" and _local_media():
            _restore_media(work / "media", manifest)
    # Cached pages and rows describe the data before the restore.
    cache.clear()
    problems = verify(manifest)
    if problems:
        raise BackupError("Restored, but not identical: " + "; ".join(problems[:20]))
    return manifest
