"""Pages of the library: a role matrix for every view (status and nothing
changed), downloads with range requests and X-Accel-Redirect, the list's query
count constant with the library's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.core.tests.payloads import xss_payloads
from umka.materials.models import Material, MaterialOpening, MaterialVersion
from umka.materials.tests import documents
from umka.materials.tests.factories import ROLES, as_role, make_material

pytestmark = pytest.mark.django_db


def state():
    return [
        list(Material.objects.order_by("pk").values()),
        MaterialVersion.objects.count(),
        AuditEntry.objects.filter(action__startswith="materials.").count(),
    ]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


#: Who may open a published material of 7А (a page).
SEES_7A = {"student", "parent", "teacher", "other_teacher", "deputy", "administrator"}
EDITS = {"teacher", "deputy", "administrator"}


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", ROLES)
def test_material_page_role_matrix(client, school, role):
    material = make_material(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("materials:detail", args=[material.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in SEES_7A:
        assert response.status_code == 200
        assert (
            '<span class="math inline">2x + 3 = 7</span>' in response.content.decode()
        )
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    "name", ["edit", "versions", "opened", "version", "version_file"]
)
@pytest.mark.parametrize("role", ROLES)
def test_editor_pages_role_matrix(client, school, role, name):
    material = make_material(school, kind="file")
    args = (
        [material.pk, 1]
        if name.startswith("version_") or name == "version"
        else [material.pk]
    )
    before = state()
    response = as_role(client, school, role).get(
        reverse(f"materials:{name}", args=args)
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in EDITS:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", ["publish", "withdraw", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_editor_actions_role_matrix(client, school, role, name):
    material = make_material(school, publish=name == "withdraw")
    before = state()
    response = as_role(client, school, role).post(
        reverse(f"materials:{name}", args=[material.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
        assert state() == before
    elif role in EDITS:
        assert response.status_code == 302
        assert state() != before
    else:
        assert response.status_code == 404
        assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_new_material_page_role_matrix(client, school, role):
    before = state()
    response = as_role(client, school, role).get(reverse("materials:new"))
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("teacher", "other_teacher", "deputy", "administrator"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    assert state() == before


def post_new(client, school, data: bytes):
    client.force_login(school.teacher)
    return client.post(
        reverse("materials:new"),
        {
            "kind": "file",
            "purpose": "learning",
            "audience": "classes",
            "title": "Карточка",
            "classes": [school.class_7a.pk],
            "subject": school.algebra.pk,
            "upload": documents.upload("Карточка.pdf", data),
        },
    )


def test_a_teacher_uploads_a_pdf_for_7a_through_the_form(client, school):
    response = post_new(client, school, documents.pdf())
    material = Material.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("materials:detail", args=[material.pk])
    assert material.publish_at is None


def test_the_form_shows_a_refused_upload_in_russian_and_stores_nothing(client, school):
    response = post_new(client, school, documents.docx("Текст"))
    assert response.status_code == 200
    assert "не соответствует расширению" in response.content.decode()
    assert not Material.objects.exists()


def test_an_unreadable_pdf_says_search_could_not_read_it(client, school):
    material = make_material(school, kind="file", data=documents.BROKEN_PDF)
    client.force_login(school.student)
    page = client.get(reverse("materials:detail", args=[material.pk])).content.decode()
    assert 'id="material-text-unreadable"' in page
    assert "Поиску не удалось прочитать текст" in page


def test_hostile_titles_and_pages_are_shown_as_text(client, school):
    for payload in xss_payloads():
        make_material(school, title=payload[:200], body=payload)
    client.force_login(school.student)
    page = client.get(reverse("materials:index")).content.decode()
    assert "<script>alert" not in page
    for material in Material.objects.all():
        detail = client.get(reverse("materials:detail", args=[material.pk]))
        assert "<script>alert" not in detail.content.decode()


# --- Downloads ----------------------------------------------------------------------


@pytest.fixture
def video(school):
    return make_material(
        school, kind="video", title="Урок", name="Урок.mp4", data=documents.MP4
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.requirement("R2")
def test_a_video_answers_range_requests_for_scrubbing(client, school, video):
    client.force_login(school.student)
    url = reverse("materials:file", args=[video.pk]) + "?inline=1"
    size = len(documents.MP4)
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert whole["Content-Disposition"].startswith("inline;")
    assert body(whole) == documents.MP4
    part = client.get(url, HTTP_RANGE="bytes=100-1099")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1099/{size}"
    assert part["Content-Length"] == "1000"
    assert body(part) == documents.MP4[100:1100]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert (tail.status_code, body(tail)) == (206, documents.MP4[-10:])
    open_end = client.get(url, HTTP_RANGE=f"bytes={size - 5}-")
    assert body(open_end) == documents.MP4[-5:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={size + 10}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert stale.status_code == 200


def test_a_download_is_an_attachment_unless_it_may_show_in_place(client, school):
    material = make_material(
        school, kind="file", name="Ответы.docx", data=documents.docx("Ответы")
    )
    client.force_login(school.student)
    response = client.get(reverse("materials:file", args=[material.pk]) + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''%D0%9E%D1%82%D0%B2%D0%B5%D1%82%D1%8B.docx"
        in (response["Content-Disposition"])
    )
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.requirement("R2")
def test_in_production_nginx_sends_the_file_after_the_check(client, school, settings):
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_ROOT = str(settings.MEDIA_ROOT)
    settings.SENDFILE_URL = "/protected-media"
    material = make_material(school, kind="file")
    client.force_login(school.student)
    response = client.get(reverse("materials:file", args=[material.pk]))
    assert response.status_code == 200
    stored = material.file.file.name
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored}"
    assert response.content == b""
    client.force_login(school.other_student)
    response = client.get(reverse("materials:file", args=[material.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_range_requests_beyond_the_first_byte_do_not_count_as_openings(
    client, school, video
):
    client.force_login(school.student)
    url = reverse("materials:file", args=[video.pk])
    client.get(url, HTTP_RANGE="bytes=0-")
    client.get(url, HTTP_RANGE="bytes=500-600")
    client.get(url, HTTP_RANGE="bytes=700-800")
    assert MaterialOpening.objects.get(person=school.student).times == 1


# --- Query counts -------------------------------------------------------------------

#: The list: session, user, roles, the notification badge, the page's materials
#: and their count, the classes of the page's rows, the filter options (subjects,
#: classes); the administration also the storage used.
LIST_QUERIES = {"student": 9, "parent": 9, "teacher": 9, "deputy": 10}


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", list(LIST_QUERIES))
def test_the_list_and_search_take_the_same_queries_whatever_the_library_size(
    client, school, role
):
    client.force_login(getattr(school, role))

    def count(query=""):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("materials:index") + query)
            assert response.status_code == 200
        return len(ctx)

    make_material(school, title="Уравнения 1")
    small = (count(), count("?q=уравнения"))
    for n in range(12):
        make_material(
            school, title=f"Уравнения {n + 2}", kind="file" if n % 2 else "link"
        )
    assert (count(), count("?q=уравнения")) == small
    assert small[0] == LIST_QUERIES[role]
