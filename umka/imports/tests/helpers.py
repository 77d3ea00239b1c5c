"""Small helpers shared by the import tests."""

import csv
import io

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.imports import registry, services
from umka.imports.headers import HeaderMap
from umka.imports.models import ImportJob


def csv_bytes(
    rows: list[list[object]], *, delimiter=";", encoding="utf-8-sig"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def map_headers(kind: str, headers: list[object]) -> HeaderMap:
    """The header row of a file of `kind` as the engine maps it."""
    return registry.get(kind).map_headers(headers)


def make_admin(**kwargs):
    return make_person(Role.ADMINISTRATOR, **kwargs)


def run_import(
    django_capture_on_commit_callbacks,
    *,
    actor,
    kind: str,
    data: bytes,
    file_name: str = "people.csv",
    year=None,
    dry_run: bool = False,
    **options,
) -> ImportJob:
    """Upload as the view does and let the (immediate) task run; return the job.
    Other keywords are the kind's options (`verify_links=False`)."""
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=actor,
            kind=kind,
            file_name=file_name,
            data=data,
            year=year,
            options=options,
            dry_run=dry_run,
        )
    job.refresh_from_db()
    return job
