"""Files of materials in S3-compatible object storage (django-storages), tested
against a real S3 server on the loopback: moto in server mode, started here."""

import socket

import pytest
from django.urls import reverse

from umka.materials import services
from umka.materials.tests import documents
from umka.materials.tests.factories import make_material
from umka.materials.thumbnails import make_thumbnail, pdftoppm

pytestmark = pytest.mark.django_db

BUCKET = "umka-materials"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_server, monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(
        item["Key"]
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    )


def test_materials_are_stored_served_and_deleted_in_s3(
    client, school, s3, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        material = make_material(
            school, kind="video", name="Урок.mp4", data=documents.MP4
        )
    stored = material.file.file.name
    assert keys(s3) == [stored]
    assert stored.startswith("materials/")
    assert stored.endswith(".mp4")
    body = s3.get_object(Bucket=BUCKET, Key=stored)["Body"].read()
    assert body == documents.MP4

    client.force_login(school.student)
    url = reverse("materials:file", args=[material.pk])
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == documents.MP4[10:20]
    client.force_login(school.other_student)
    assert client.get(url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=school.teacher, material=material)
    assert keys(s3) == []


@pytest.mark.skipif(pdftoppm() is None, reason="poppler-utils is not installed")
def test_a_pdf_in_s3_gets_its_thumbnail(school, s3):
    material = make_material(school, kind="file", publish=False)
    assert make_thumbnail(material.file.pk)
    material.file.refresh_from_db()
    assert keys(s3) == sorted([material.file.file.name, material.file.thumbnail.name])


def test_a_refused_upload_leaves_nothing_in_s3(school, s3):
    with pytest.raises(Exception, match="не соответствует"):
        make_material(school, kind="file", data=documents.docx("x"))
    assert keys(s3) == []
