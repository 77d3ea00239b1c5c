"""The first page of a PDF as a picture, made by the task queue once the upload
is committed (poppler's pdftoppm), served only after the policy."""

import shutil

import pytest
from django.urls import reverse

from umka.materials import services
from umka.materials.models import MaterialFile
from umka.materials.tests import documents
from umka.materials.tests.factories import make_material
from umka.materials.thumbnails import make_thumbnail

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("pdftoppm") is None, reason="poppler-utils is not installed"
    ),
]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_a_pdf_gets_its_first_page_as_a_picture_after_commit(
    client, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        material = make_material(school, kind="file")
    stored = MaterialFile.objects.get()
    assert stored.thumbnail.name == f"materials/thumbnails/{stored.key}.png"
    client.force_login(school.student)
    page = client.get(reverse("materials:detail", args=[material.pk])).content.decode()
    assert 'id="material-preview"' in page
    picture = client.get(reverse("materials:thumbnail", args=[material.pk]))
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content).startswith(PNG_MAGIC)
    client.force_login(school.other_student)
    assert (
        client.get(reverse("materials:thumbnail", args=[material.pk])).status_code
        == 404
    )


def test_no_picture_before_the_task_ran_and_none_for_an_unreadable_pdf(
    client, school, django_capture_on_commit_callbacks
):
    material = make_material(school, kind="file")
    assert not MaterialFile.objects.get().thumbnail
    client.force_login(school.student)
    assert (
        client.get(reverse("materials:thumbnail", args=[material.pk])).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        broken = services.material_create(
            actor=school.teacher,
            kind="file",
            title="Скан",
            classes=[school.class_7a],
            upload=documents.upload("Скан.pdf", documents.BROKEN_PDF),
        )
    assert not broken.file.thumbnail
    assert make_thumbnail(broken.file.pk) is False


def test_only_pdfs_get_pictures(school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_material(
            school,
            kind="file",
            name="Ответы.docx",
            data=documents.docx("Ответы"),
            publish=False,
        )
    assert callbacks == []
    assert not MaterialFile.objects.get().thumbnail
