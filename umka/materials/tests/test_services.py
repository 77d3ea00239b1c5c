"""Writing materials: drafts, publication, versions that can be opened and
restored, and bad input refused with a Russian message, nothing half-stored."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.materials import services
from umka.materials.models import (
    Material,
    MaterialFile,
    MaterialText,
    MaterialVersion,
)
from umka.materials.tests import documents
from umka.materials.tests.factories import make_material

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def state():
    return (
        Material.objects.count(),
        MaterialFile.objects.count(),
        MaterialVersion.objects.count(),
        AuditEntry.objects.filter(action__startswith="materials.").count(),
        stored_files(),
    )


def create_file(school, name, data, **kwargs):
    return services.material_create(
        actor=school.teacher,
        kind=kwargs.pop("kind", "file"),
        title=kwargs.pop("title", "Файл"),
        classes=[school.class_7a],
        upload=documents.upload(name, data),
        **kwargs,
    )


def refused(school, name, data, **kwargs) -> DomainError:
    before = state()
    with pytest.raises(DomainError) as caught:
        create_file(school, name, data, **kwargs)
    assert state() == before
    return caught.value


@pytest.mark.requirement("R2")
def test_a_new_material_is_a_draft_with_its_first_version(school):
    material = make_material(school, publish=False)
    assert material.publish_at is None
    version = material.versions.get()
    assert (version.number, version.changed_by, version.title) == (
        1,
        school.teacher,
        material.title,
    )
    assert AuditEntry.objects.filter(action="materials.created").count() == 1


@pytest.mark.requirement("R2")
def test_every_change_keeps_a_version_that_can_be_restored(school, clock):
    material = make_material(school, kind="file", data=documents.pdf("Первый"))
    first_file = material.file
    clock.advance(hours=1)
    services.material_update(
        actor=school.teacher,
        material=material,
        title="Новая карточка",
        upload=documents.upload("Вторая.pdf", documents.pdf("Второй")),
        note="Новый вариант",
    )
    material.refresh_from_db()
    assert (material.version, material.title, material.file.name) == (
        2,
        "Новая карточка",
        "Вторая.pdf",
    )
    second = material.versions.get(number=2)
    assert (second.note, second.changed_by) == ("Новый вариант", school.teacher)
    services.material_restore(
        actor=school.teacher, material=material, version=material.versions.get(number=1)
    )
    material.refresh_from_db()
    assert material.version == 3
    assert material.title == "Линейные уравнения: карточка"
    assert material.file == first_file
    assert material.versions.get(number=3).note == "Восстановлена версия 1"
    assert "Первый" in MaterialText.objects.get(material=material).body
    # The published material stays published through the changes.
    assert material.publish_at is not None


@pytest.mark.requirement("R2")
def test_a_change_lists_what_changed_in_the_version(school):
    material = make_material(school)
    services.material_update(
        actor=school.teacher,
        material=material,
        classes=[school.class_7a],
        description="Подробнее",
    )
    assert material.versions.get(number=2).note == "описание"


def test_another_teacher_may_not_change_a_material(school):
    material = make_material(school)
    with pytest.raises(DomainError):
        services.material_update(
            actor=school.other_teacher, material=material, title="Чужое"
        )
    with pytest.raises(DomainError):
        services.material_delete(actor=school.student, material=material)
    material.refresh_from_db()
    assert material.title == "Линейные уравнения: карточка"


def test_a_teacher_may_not_address_a_class_they_do_not_teach(school):
    with pytest.raises(DomainError) as caught:
        make_material(school, classes=[school.class_7b])
    assert "7Б" in caught.value.message
    assert not Material.objects.exists()


def test_a_material_for_classes_names_them(school):
    with pytest.raises(DomainError) as caught:
        make_material(school, classes=[])
    assert caught.value.code == "classes"


@pytest.mark.requirement("R2")
def test_publication_now_then_back_to_drafts(school):
    material = make_material(school, publish=False)
    services.material_publish(actor=school.teacher, material=material)
    with pytest.raises(DomainError, match="уже опубликован"):
        services.material_publish(actor=school.teacher, material=material)
    services.material_withdraw(actor=school.teacher, material=material)
    material.refresh_from_db()
    assert material.publish_at is None


def test_deleting_a_material_removes_its_files_once_nothing_refers_to_them(
    school, django_capture_on_commit_callbacks
):
    material = make_material(school, kind="file")
    services.material_update(
        actor=school.teacher,
        material=material,
        upload=documents.upload("Второй.pdf", documents.pdf("Второй")),
    )
    assert len(stored_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=school.teacher, material=material)
    assert (Material.objects.count(), MaterialFile.objects.count()) == (0, 0)
    assert stored_files() == []


# --- Bad input ----------------------------------------------------------------------


def test_a_file_whose_extension_lies_is_refused(school):
    error = refused(school, "Контрольная.pdf", documents.docx("Текст"))
    assert error.code == "content_mismatch"
    assert "не соответствует" in error.message


def test_an_empty_file_is_refused(school):
    error = refused(school, "Пусто.pdf", b"")
    assert error.message == "Файл «Пусто.pdf» пустой."


def test_a_file_over_the_limit_is_refused(school, settings):
    settings.MATERIALS_MAX_MB = 0.001
    error = refused(school, "Большой.pdf", documents.pdf("x" * 10) + b" " * 2000)
    assert error.code == "too_big"
    assert "больше" in error.message


def test_a_video_must_be_a_video(school):
    error = refused(school, "Урок.pdf", documents.pdf(), kind="video")
    assert error.code == "type_not_allowed"
    assert "MP4" in error.message


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Учитель\\Карточка.pdf", "Карточка.pdf"),
        ('Карточка "итоговая" <7А>.pdf', "Карточка итоговая 7А.pdf"),
    ],
)
def test_names_with_slashes_and_quotes_are_made_safe(school, name, kept):
    material = create_file(school, name, documents.pdf())
    assert material.file.name == kept
    assert material.file.file.name.startswith("materials/")
    assert ".." not in material.file.file.name


def test_a_300_character_name_is_shortened_and_keeps_its_extension(school):
    material = create_file(school, "Д" * 300 + ".pdf", documents.pdf())
    assert len(material.file.name) == 120
    assert material.file.name.endswith(".pdf")


def test_a_300_character_title_is_refused_with_its_length(school):
    with pytest.raises(DomainError) as caught:
        make_material(school, title="Т" * 300)
    assert "300" in caught.value.message
    assert "200" in caught.value.message


def test_a_link_must_be_a_web_address(school):
    for url in ("javascript:alert(1)", "ftp://example.org/x", "не ссылка"):
        with pytest.raises(DomainError) as caught:
            make_material(school, kind="link", url=url)
        assert caught.value.code == "url"
    assert not Material.objects.exists()


@pytest.mark.requirement("R2")
def test_an_unreadable_pdf_is_stored_and_says_its_text_could_not_be_read(school):
    material = create_file(school, "Скан.pdf", documents.BROKEN_PDF)
    assert material.file.text_status == "unreadable"
    assert material.file.text == ""
    assert MaterialText.objects.get(material=material).title == "Файл"


def test_nothing_is_half_stored_when_the_write_fails(school, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_index", broken)
    before = state()
    with pytest.raises(RuntimeError):
        create_file(school, "Карточка.pdf", documents.pdf())
    assert state() == before


def test_the_quota_refuses_a_file_that_does_not_fit(school, settings):
    create_file(school, "Первый.pdf", documents.pdf())
    used = MaterialFile.objects.get().size
    settings.MATERIALS_QUOTA_MB = (used + 100) / 1024 / 1024
    error = refused(school, "Второй.pdf", documents.pdf("Второй"))
    assert error.code == "quota"
    assert "заполнено" in error.message or "Хранилище" in error.message


def test_a_scheduled_publication_keeps_its_time(school):
    material = make_material(school, publish=False)
    at = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
    services.material_publish(actor=school.teacher, material=material, at=at)
    material.refresh_from_db()
    assert material.publish_at == at
    assert AuditEntry.objects.filter(action="materials.scheduled").count() == 1


def _consultation(school, organiser):
    import datetime as dt

    from umka.consultations.models import Consultation, ScheduleDocument

    schedule, _created = ScheduleDocument.objects.get_or_create(year=school.year)
    return Consultation.objects.create(
        schedule=schedule,
        organiser=organiser,
        subject=school.algebra,
        form=Consultation.Form.CHAT,
        starts_on=dt.date(2026, 11, 17),
        start_time=dt.time(15, 0),
        duration_minutes=45,
        created_by=organiser,
    )


@pytest.mark.requirement("R2")
def test_a_material_is_attached_to_a_consultation_its_author_organises(school):
    own = _consultation(school, school.teacher)
    material = make_material(school, consultation=own)
    assert material.consultation == own
    other = _consultation(school, school.other_teacher)
    with pytest.raises(DomainError) as caught:
        make_material(school, title="Чужая", consultation=other)
    assert caught.value.code == "consultation"
    assert Material.objects.count() == 1
