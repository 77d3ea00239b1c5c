"""An import whose worker died (killed, restarted, out of memory) does not stay
«in progress» for ever: it is marked failed with a message, and nothing of it was
applied (issue 15)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from umka.accounts.models import User
from umka.audit.models import AuditEntry
from umka.imports import services
from umka.imports.models import ImportJob
from umka.imports.tests.helpers import csv_bytes, make_admin
from umka.school.tests.factories import AcademicYearFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс", "Логин"],
    ["Иванова", "Мария", "Петровна", "17.05.2013", "7А", ""],
]


def running_job(admin, started_minutes_ago: float) -> ImportJob:
    return ImportJob.objects.create(
        kind="students",
        created_by=admin,
        file_name="students.csv",
        file_size=10,
        file_sha256="0" * 64,
        source=csv_bytes(ROWS),
        year=AcademicYearFactory(),
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=started_minutes_ago),
    )


@override_settings(IMPORT_STALE_MINUTES=30)
def test_an_import_whose_worker_died_is_marked_failed_with_a_message():
    admin = make_admin()
    users = User.objects.count()
    dead = running_job(admin, 31)
    alive = running_job(admin, 5)

    assert services.import_stale_fail() == 1

    dead.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED
    assert dead.finished_at is not None
    assert dead.errors[0]["message"].startswith("The import was interrupted")
    assert "30 minutes" in dead.failure
    assert dead.source == b""  # the file is not kept
    assert AuditEntry.objects.filter(target_id=str(dead.pk)).exists()
    alive.refresh_from_db()
    assert alive.status == ImportJob.Status.RUNNING
    assert User.objects.count() == users  # nothing was applied
    # A second sweep finds nothing more.
    assert services.import_stale_fail() == 0


def test_the_failed_job_page_says_so_in_russian(client):
    admin = make_admin()
    dead = running_job(admin, 120)
    services.import_stale_fail()
    client.force_login(admin)
    page = client.get(f"/imports/{dead.pk}/").content.decode()
    assert "Загрузка прервалась" in page


def test_a_job_that_finished_meanwhile_keeps_its_outcome():
    admin = make_admin()
    job = running_job(admin, 120)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    assert services.import_stale_fail() == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
