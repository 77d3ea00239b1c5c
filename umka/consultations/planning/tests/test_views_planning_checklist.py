"""The attestation checklist on a session's page (R12): the three items, their
notes and materials, who may change and download them, and «mark as held»."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from umka.consultations.models import ChecklistItem, ChecklistMaterial, Occurrence
from umka.consultations.planning.tests.test_views_planning import (
    approve,
    as_user,
    attestation,
    page,
    plan,
    state,
    who,
)
from umka.consultations.tests.factories import small_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return small_school()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(kind: str) -> bytes:
    """A minimal OOXML (docx/xlsx/pptx) or ODF text package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            part = {
                "docx": "word/document.xml",
                "xlsx": "xl/workbook.xml",
                "pptx": "ppt/presentation.xml",
            }[kind]
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def session(school):
    return attestation(school, classes=[school.class_7a]).occurrences.get()


def items_of(occurrence) -> dict[str, ChecklistItem]:
    return {item.kind: item for item in occurrence.checklist.all()}


def tick(client, item, done=True, note="Разобрали"):
    data = {f"item{item.pk}-note": note}
    if done:
        data[f"item{item.pk}-done"] = "on"
    return client.post(reverse("consultations:checklist_item", args=[item.pk]), data)


def upload(client, item, name: str, content: bytes, title: str = ""):
    return client.post(
        reverse("consultations:checklist_material", args=[item.pk]),
        {
            f"material{item.pk}-file": SimpleUploadedFile(name, content),
            f"material{item.pk}-title": title,
        },
    )


@pytest.mark.requirement("R12")
def test_session_page_shows_the_three_items_and_why_it_cannot_be_held(
    client, school, session, clock
):
    clock.travel(session.ends_at)
    html = page(
        as_user(client, school.teacher).get(
            reverse("consultations:session", args=[session.pk])
        )
    )
    assert "Инструктаж о процедуре промежуточной аттестации" in html
    assert "Разбор алгоритмов решения наиболее сложных задач" in html
    assert "Разъяснение критериев оценивания" in html
    assert html.count('class="card checklist-item') == 3
    # «Mark as held» is there but disabled, with the reason next to it.
    button = re.search(r"<button[^>]*held-why[^>]*>", html)
    assert button
    assert "disabled" in button.group(0)
    why = html[html.index('id="held-why"') :]
    assert "все три пункта" in why[: why.index("</p>")]
    assert "(R12)" not in why[: why.index("</p>")]


@pytest.mark.requirement("R12")
def test_checklist_flow_until_the_session_is_held(client, school, session, clock):
    as_user(client, school.teacher)
    items = items_of(session)
    response = tick(client, items["briefing"], note="Регламент и оформление")
    assert response.status_code == 302
    assert response["Location"].endswith("#item-briefing")
    response = upload(client, items["hard_tasks"], "Задачи 5 и 7.pdf", PDF)
    assert response.status_code == 302
    tick(client, items["hard_tasks"], note="№ 5, 7")

    clock.travel(session.ends_at)
    as_user(client, school.teacher)  # the sign-in of a month ago has expired
    url = reverse("consultations:session_held", args=[session.pk])
    response = client.post(url)
    assert response.status_code == 200
    alert = re.search(r'role="alert"[^>]*>(.*?)</div>', page(response), re.S).group(1)
    assert "все три пункта" in alert
    assert "(R12)" not in alert
    assert "критериев оценивания" in alert
    session.refresh_from_db()
    assert session.status == Occurrence.Status.PLANNED

    tick(client, items["criteria"], note="Таблица баллов")
    html = page(client.get(reverse("consultations:session", args=[session.pk])))
    button = re.search(r"<button[^>]*>\s*Отметить|<button[^>]*>\s*Mark as held", html)
    assert button
    assert "disabled" not in button.group(0)
    response = client.post(url)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Occurrence.Status.HELD
    notes = dict(session.checklist.values_list("kind", "note"))
    assert notes == {
        "briefing": "Регламент и оформление",
        "hard_tasks": "№ 5, 7",
        "criteria": "Таблица баллов",
    }
    # The checklist of a held session is closed.
    before = state()
    response = tick(client, items["criteria"], done=False)
    assert response.status_code == 200
    assert "чек-лист закрыт" in page(response)
    assert state() == before


def test_unticking_an_item_keeps_the_note(client, school, session):
    as_user(client, school.teacher)
    item = items_of(session)["criteria"]
    tick(client, item, note="Таблица")
    tick(client, item, done=False, note="Таблица, переделать")
    item.refresh_from_db()
    assert not item.done
    assert item.done_at is None
    assert item.note == "Таблица, переделать"


@pytest.mark.parametrize("approved", [False, True])
@pytest.mark.parametrize(
    "name",
    [
        "student",
        "parent",
        "other_student",
        "other_parent",
        "other_teacher",
        "administrator",
    ],
)
def test_only_the_organiser_or_a_coordinator_fills_the_checklist(
    client, school, session, name, approved
):
    if approved:
        approve(school)
    item = items_of(session)["briefing"]
    before = state()
    as_user(client, who(school, name))
    assert tick(client, item).status_code == 404
    assert upload(client, item, "a.pdf", PDF).status_code == 404
    assert state() == before
    assert not ChecklistMaterial.objects.exists()


def test_anonymous_cannot_fill_the_checklist(client, school, session):
    item = items_of(session)["briefing"]
    response = tick(client, item)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not ChecklistItem.objects.filter(done=True).exists()


@pytest.mark.requirement("R12")
def test_deputy_fills_the_checklist_of_a_teachers_consultation(client, school, session):
    as_user(client, school.deputy)
    assert tick(client, items_of(session)["briefing"]).status_code == 302
    assert ChecklistItem.objects.filter(done=True, done_by=school.deputy).exists()


# --- Materials ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Разбор.pdf", PDF),
        ("Критерии.docx", office("docx")),
        ("Баллы.xlsx", office("xlsx")),
        ("Слайды.pptx", office("pptx")),
        ("Памятка.odt", office("odt")),
        ("Доска.jpg", JPG),
        ("Схема.png", PNG),
        ("Порядок.txt", "Порядок аттестации\r\n".encode()),
        ("Старый.txt", "Порядок аттестации".encode("cp1251")),
    ],
)
def test_allowed_materials_are_attached(client, school, session, name, content):
    item = items_of(session)["hard_tasks"]
    response = upload(as_user(client, school.teacher), item, name, content)
    assert response.status_code == 302
    material = ChecklistMaterial.objects.get()
    assert material.item == item
    assert material.title == name
    assert material.uploaded_by == school.teacher


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("picture.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("renamed.pdf", b"MZ\x90\x00 not a pdf"),
        ("renamed.docx", PDF),
        ("zip.docx", office("xlsx")),  # a workbook called a document
        ("fake.png", JPG),
        ("binary.txt", b"\x00\x01\x02binary"),
        ("empty.pdf", b""),
        ("noextension", PDF),
    ],
)
def test_other_files_are_refused_with_a_reason(client, school, session, name, content):
    item = items_of(session)["hard_tasks"]
    response = upload(as_user(client, school.teacher), item, name, content)
    assert response.status_code == 200
    html = page(response)
    section = html[html.index('id="item-hard_tasks"') :]
    assert 'role="alert"' in section[: section.index("</article>")]
    assert not ChecklistMaterial.objects.exists()


def test_a_long_file_name_is_kept_within_the_limits(client, school, session):
    item = items_of(session)["hard_tasks"]
    name = "Разбор заданий " * 20 + ".pdf"
    response = upload(as_user(client, school.teacher), item, name, PDF)
    assert response.status_code == 302
    material = ChecklistMaterial.objects.get()
    assert len(material.title) <= 200
    assert len(material.file.name) <= 100
    assert material.file.name.endswith(".pdf")


def test_a_file_over_20_mb_is_refused(client, school, session):
    item = items_of(session)["hard_tasks"]
    big = PDF + b"0" * (20 * 1024 * 1024)
    response = upload(as_user(client, school.teacher), item, "big.pdf", big)
    assert response.status_code == 200
    assert "20" in page(response)
    assert not ChecklistMaterial.objects.exists()


def _attach(client, school, session) -> ChecklistMaterial:
    item = items_of(session)["hard_tasks"]
    upload(as_user(client, school.teacher), item, "Разбор.pdf", PDF, title="Разбор")
    client.logout()
    return ChecklistMaterial.objects.get()


@pytest.mark.parametrize(
    ("name", "draft", "approved"),
    [
        ("teacher", 200, 200),
        ("deputy", 200, 200),
        ("administrator", 200, 200),
        ("student", 404, 200),  # the audience, once the schedule is approved
        ("parent", 404, 200),
        ("other_student", 404, 404),
        ("other_parent", 404, 404),
        ("other_teacher", 404, 404),
    ],
)
def test_materials_are_downloaded_only_by_those_who_see_the_consultation(
    client, school, session, name, draft, approved
):
    material = _attach(client, school, session)
    url = reverse("consultations:material", args=[material.pk])
    as_user(client, who(school, name))
    response = client.get(url)
    assert response.status_code == draft
    approve(school)
    response = client.get(url)
    assert response.status_code == approved
    if approved == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")


def test_material_download_needs_sign_in(client, school, session):
    material = _attach(client, school, session)
    response = client.get(reverse("consultations:material", args=[material.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_materials_are_linked_through_the_checking_view(client, school, session):
    from django.conf import settings

    material = _attach(client, school, session)
    html = page(
        as_user(client, school.teacher).get(
            reverse("consultations:session", args=[session.pk])
        )
    )
    assert reverse("consultations:material", args=[material.pk]) in html
    assert material.file.name not in html
    assert settings.MEDIA_URL + "consultations" not in html


def test_audience_reads_the_checklist_but_cannot_change_it(client, school, session):
    _attach(client, school, session)
    approve(school)
    html = page(
        as_user(client, school.parent).get(
            reverse("consultations:session", args=[session.pk])
        )
    )
    assert html.count('class="card checklist-item') == 3
    assert "Разбор" in html
    assert "/checklist/" not in html  # no forms
    assert "/held/" not in html


def test_a_session_that_is_not_an_attestation_has_no_checklist(client, school):
    occurrence = plan(school).occurrences.get()
    html = page(
        as_user(client, school.teacher).get(
            reverse("consultations:session", args=[occurrence.pk])
        )
    )
    assert 'class="card checklist-item' not in html
    assert 'id="checklist"' not in html


def test_attestation_session_is_ok_for_everyday_use_after_move(client, school, session):
    """Moving a session keeps its checklist."""
    items_before = set(session.checklist.values_list("pk", flat=True))
    response = as_user(client, school.teacher).post(
        reverse("consultations:session_move", args=[session.pk]),
        {"new_date": "2026-12-11", "new_time": "15:00", "reason": "Олимпиада"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at.date() == dt.date(2026, 12, 11)
    assert set(session.checklist.values_list("pk", flat=True)) == items_before


# --- One save for the whole checklist (issue 14) -----------------------------------


def save_all(client, occurrence, marks: dict[str, tuple[bool, str]]):
    data = {}
    for kind, item in items_of(occurrence).items():
        done, note = marks.get(kind, (item.done, item.note))
        data[f"item{item.pk}-note"] = note
        if done:
            data[f"item{item.pk}-done"] = "on"
    return client.post(
        reverse("consultations:checklist_save", args=[occurrence.pk]), data
    )


@pytest.mark.requirement("R12")
def test_the_whole_checklist_is_saved_in_one_action(client, school, session):
    as_user(client, school.teacher)
    page_html = client.get(reverse("consultations:session", args=[session.pk]))
    html = page_html.content.decode()
    assert html.count('form="checklist-form"') >= 6  # 3 × (mark, note)
    assert 'id="checklist-save"' in html

    response = save_all(
        client,
        session,
        {kind: (True, f"Сделано: {kind}") for kind in items_of(session)},
    )
    assert response.status_code == 302
    assert all(item.done for item in items_of(session).values())
    assert items_of(session)["briefing"].note == "Сделано: briefing"


@pytest.mark.requirement("R12")
@pytest.mark.parametrize(
    "name", ["student", "parent", "other_teacher", "administrator"]
)
def test_others_cannot_save_the_checklist(client, school, session, name):
    before = state()
    as_user(client, who(school, name))
    response = save_all(client, session, {"briefing": (True, "x")})
    assert response.status_code == 404
    assert state() == before
