"""The back office for grades and their imports (jobs of the import engine):
read-only, for the school administrator."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.tests.factories import make_student
from umka.grades.tests.factories import add_grade
from umka.imports.models import ImportJob

MODELS = ("grade", "importjob")
APPS = {"grade": "grades", "importjob": "imports"}
#: Measured: the same for 3 and 20 rows (the grade list's filters need 3 more).
MAX_QUERIES = {"grade": 15, "importjob": 12}


def _url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:{APPS[model]}_{model}_{view}", args=args)


@pytest.fixture
def objects(school):
    job = ImportJob.objects.create(
        kind="grades",
        file_name="7А алгебра.xlsx",
        created_by=school.administrator,
        source=b"PK secret contents",
        status=ImportJob.Status.DONE,
    )
    return {"grade": add_grade(school), "importjob": job}


@pytest.mark.parametrize("model", MODELS)
def test_school_administrator_opens_lists_and_pages(client, school, objects, model):
    client.force_login(school.administrator)

    listing = client.get(_url(model))
    page = client.get(_url(model, "change", objects[model].pk))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert listing.context["cl"].result_count == 1


def test_import_page_does_not_show_the_file(client, school, objects):
    client.force_login(school.administrator)

    page = client.get(_url("importjob", "change", objects["importjob"].pk))

    assert "secret contents" not in page.content.decode()
    assert "7А алгебра.xlsx" in page.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_nothing_can_be_added_changed_or_deleted(client, school, objects, model):
    client.force_login(school.administrator)
    pk = objects[model].pk

    assert client.get(_url(model, "add")).status_code == 403
    assert client.get(_url(model, "delete", pk)).status_code == 403
    assert client.post(_url(model, "change", pk), {}).status_code == 403
    page = client.get(_url(model, "change", pk))
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]


@pytest.mark.parametrize("model", MODELS)
def test_a_teacher_has_no_access(client, school, objects, model):
    client.force_login(school.teacher)

    assert client.get(_url(model)).status_code == 404
    assert client.get(_url(model, "change", objects[model].pk)).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more(school, count: int) -> None:
    for _n in range(count):
        add_grade(school, student=make_student())
        ImportJob.objects.create(
            kind="grades", file_name="f.csv", created_by=school.teacher
        )


@pytest.mark.parametrize("model", MODELS)
def test_lists_take_a_bounded_number_of_queries(
    client, school, model, django_assert_max_num_queries
):
    client.force_login(school.administrator)
    _more(school, 3)
    client.get(_url(model))  # Warm up: the first request fills caches.
    few = _queries(client, _url(model))
    _more(school, 17)

    with django_assert_max_num_queries(MAX_QUERIES[model]):
        assert client.get(_url(model)).status_code == 200
    assert _queries(client, _url(model)) == few
