"""The back office for requests: read-only, and only for those who see every
request anyway (a superuser; an administrator who is also a deputy head or the
director). The school administrator as such does not see requests (README)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.requests.models import SharedTopicNotice
from umka.requests.tests.factories import pdf, write

MODELS = ("request", "sharedtopicnotice")
#: Measured: the same for 3 and 20 rows.
MAX_QUERIES = 12


def _url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:requests_{model}_{view}", args=args)


@pytest.fixture
def overseer(client, db):
    """A back-office user who also answers for requests."""
    user = make_person(Role.ADMINISTRATOR, Role.DEPUTY_HEAD)
    client.force_login(user)
    return user


@pytest.fixture
def req(school):
    return write(school, files=[pdf("Контрольная 1.pdf")])


@pytest.fixture
def objects(school, req, clock):
    notice = SharedTopicNotice.objects.create(
        school_class=school.class_7a,
        subject=school.algebra,
        topic_key="уравнения",
        topic="Уравнения",
        request_count=3,
        created_at=clock.moment,
    )
    return {"request": req, "sharedtopicnotice": notice}


@pytest.mark.parametrize("model", MODELS)
def test_overseer_opens_lists_and_pages(client, overseer, objects, model):
    listing = client.get(_url(model))
    page = client.get(_url(model, "change", objects[model].pk))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert listing.context["cl"].result_count == 1


def test_request_page_shows_the_thread_and_links_files_to_the_checked_download(
    client, overseer, req
):
    attachment = req.attachments.get()

    page = client.get(_url("request", "change", req.pk))

    html = page.content.decode()
    download = reverse("requests:attachment", args=[attachment.pk])
    assert f'href="{download}"' in html
    assert "Контрольная 1.pdf" in html
    assert attachment.file.name not in html  # never the media path
    formsets = {f.formset.prefix: f for f in page.context["inline_admin_formsets"]}
    assert len(formsets["messages"].formset.queryset) == req.messages.count()
    # The link works for the reader of the back office.
    assert client.get(download).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_nothing_can_be_added_changed_or_deleted(client, overseer, objects, model):
    pk = objects[model].pk

    assert client.get(_url(model, "add")).status_code == 403
    assert client.get(_url(model, "delete", pk)).status_code == 403
    assert client.post(_url(model, "change", pk), {}).status_code == 403
    page = client.get(_url(model, "change", pk))
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]


@pytest.mark.parametrize("model", MODELS)
def test_school_administrator_alone_does_not_see_requests(
    client, school, objects, model
):
    client.force_login(school.administrator)

    assert client.get(_url(model)).status_code == 403
    assert client.get(_url(model, "change", objects[model].pk)).status_code == 403
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert _url("request") not in index.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_a_teacher_has_no_access(client, school, objects, model):
    client.force_login(school.teacher)

    assert client.get(_url(model)).status_code == 404
    assert client.get(_url(model, "change", objects[model].pk)).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_request_list_takes_a_bounded_number_of_queries(
    client, school, overseer, django_assert_max_num_queries
):
    write(school)
    write(school, topic="Системы уравнений")
    write(school, topic="Рациональные числа")
    client.get(_url("request"))  # Warm up: the first request fills caches.
    few = _queries(client, _url("request"))
    for n in range(17):
        write(school, topic=f"Тема {n}")

    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(_url("request")).status_code == 200
    assert _queries(client, _url("request")) == few
