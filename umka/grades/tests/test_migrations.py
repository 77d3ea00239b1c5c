"""The imports of grades made before the import engine are carried over to it:
every upload becomes a job of kind «grades» with its history, and each grade
points at it (migrations imports 0002 and grades 0002, both ways)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("grades", "0001_initial"), ("imports", "0001_initial")]
AFTER = [("grades", "0002_imports_are_engine_jobs")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_world(django_db_setup, django_db_blocker):
    """The schema before the engine; migrated back to the latest afterwards."""
    with django_db_blocker.unblock():
        yield _migrate(BEFORE)
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        _migrate(leaves)


@pytest.mark.django_db(transaction=True)
def test_grade_imports_become_engine_jobs_and_back(old_world):
    apps = old_world
    User = apps.get_model("accounts", "User")
    SchoolYear = apps.get_model("school", "AcademicYear")
    SchoolClass = apps.get_model("school", "SchoolClass")
    Subject = apps.get_model("school", "Subject")
    GradeImport = apps.get_model("grades", "GradeImport")
    Grade = apps.get_model("grades", "Grade")
    OldJob = apps.get_model("imports", "ImportJob")

    teacher = User.objects.create(username="teacher.m", last_name="Учитель")
    people = OldJob.objects.create(
        kind="parents", file_name="parents.csv", verify_links=False, status="done"
    )
    year = SchoolYear.objects.create(
        name="2026/2027", starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 8, 31)
    )
    school_class = SchoolClass.objects.create(year=year, grade=7, letter="А")
    algebra = Subject.objects.create(name="Алгебра")
    student = User.objects.create(username="ivanova.m", last_name="Иванова")
    uploads = []
    for number, status in enumerate(("done", "rejected"), start=1):
        upload = GradeImport.objects.create(
            status=status,
            created_by=teacher,
            file_name=f"journal-{number}.xlsx",
            file_size=100 * number,
            file_sha256="ab" * 32,
            total_rows=number,
            summary={"rows": number, "created": number},
            errors=[{"row": 2, "column": "Оценка", "message": "m", "params": {}}]
            if status == "rejected"
            else [],
            error_count=1 if status == "rejected" else 0,
        )
        GradeImport.objects.filter(pk=upload.pk).update(
            created_at=dt.datetime(2026, 11, number, 9, 0, tzinfo=dt.UTC)
        )
        uploads.append(GradeImport.objects.get(pk=upload.pk))
    grade = Grade.objects.create(
        student=student,
        school_class=school_class,
        subject=algebra,
        date=dt.date(2026, 11, 2),
        value=4,
        topic="Дроби",
        topic_key="дроби",
        batch=uploads[0],
    )

    apps = _migrate(AFTER)
    Job = apps.get_model("imports", "ImportJob")
    people = Job.objects.get(pk=people.pk)
    assert people.options == {"verify_links": False}
    jobs = list(Job.objects.filter(kind="grades").order_by("created_at"))
    assert [j.options["grade_import_id"] for j in jobs] == [u.pk for u in uploads]
    for job, upload in zip(jobs, uploads, strict=True):
        assert job.status == upload.status
        assert job.created_by_id == teacher.pk
        assert job.created_at == upload.created_at
        assert (job.file_name, job.file_size, job.file_sha256) == (
            upload.file_name,
            upload.file_size,
            upload.file_sha256,
        )
        assert (job.summary, job.errors, job.error_count) == (
            upload.summary,
            upload.errors,
            upload.error_count,
        )
    NewGrade = apps.get_model("grades", "Grade")
    assert NewGrade.objects.get(pk=grade.pk).import_job_id == jobs[0].pk

    apps = _migrate(BEFORE)
    GradeImport = apps.get_model("grades", "GradeImport")
    back = list(GradeImport.objects.order_by("created_at"))
    assert [b.file_name for b in back] == ["journal-1.xlsx", "journal-2.xlsx"]
    assert apps.get_model("grades", "Grade").objects.get(pk=grade.pk).batch_id == (
        back[0].pk
    )
    assert (
        not apps.get_model("imports", "ImportJob")
        .objects.filter(kind="grades")
        .exists()
    )
    assert (
        apps.get_model("imports", "ImportJob").objects.get(pk=people.pk).verify_links
        is False
    )
