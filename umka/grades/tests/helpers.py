import csv
import io

from umka.grades.models import Grade
from umka.imports import services
from umka.imports.models import ImportJob

HEADER = ["ФИО", "Класс", "Предмет", "Дата", "Оценка", "Тема", "Вид работы"]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(
    django_capture_on_commit_callbacks,
    *,
    actor,
    data: bytes,
    file_name="grades.csv",
    dry_run=False,
) -> ImportJob:
    """Upload as the view does and let the (immediate) task run; return the job."""
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=actor, kind="grades", file_name=file_name, data=data, dry_run=dry_run
        )
    job.refresh_from_db()
    return job


def grade_state() -> list:
    """Every stored grade, to compare before and after."""
    return list(Grade.objects.order_by("pk").values())
