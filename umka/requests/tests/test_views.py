"""Request screens. Each view has a role matrix asserting the status code and that
nothing changed; the list pins its query count."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.notifications.models import Notification
from umka.requests import answering
from umka.requests.models import Request, RequestAttachment, RequestMessage
from umka.requests.tests.factories import PDF, answered, pdf, write

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "deputy",
    "administrator",
]


def as_(client, school, name):
    if name != "anonymous":
        client.force_login(getattr(school, name))
    return client


def state() -> list:
    """Everything a refused request must leave as it was."""
    return [
        list(Request.objects.order_by("pk").values()),
        list(RequestMessage.objects.order_by("pk").values()),
        list(RequestAttachment.objects.order_by("pk").values()),
        # (signing in writes its own entry)
        AuditEntry.objects.filter(action__startswith="requests.").count(),
        Notification.objects.count(),
    ]


# --- The list --------------------------------------------------------------------


@pytest.mark.parametrize("name", ROLES)
def test_list_role_matrix(client, school, name):
    req = write(school)
    before = state()
    # «all» is only the overseers' tab; everyone else falls back to their own.
    response = as_(client, school, name).get(reverse("requests:list"), {"tab": "all"})
    if name == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 200
        listed = f'id="request-{req.pk}"' in response.content.decode()
        assert listed == (name in ("student", "parent", "teacher", "deputy"))
    assert state() == before


@pytest.mark.requirement("R5", "R13")
def test_list_never_shows_a_student_another_students_request(client, school):
    mine = write(school, actor=school.student)
    theirs = write(school, actor=school.classmate, student=school.classmate)
    client.force_login(school.student)
    for tab in ("mine", "assigned", "all"):
        page = client.get(reverse("requests:list"), {"tab": tab}).content.decode()
        assert f'id="request-{mine.pk}"' in page
        assert f'id="request-{theirs.pk}"' not in page


def test_list_tabs_per_role(client, school):
    req = write(school)
    client.force_login(school.deputy)
    response = client.get(reverse("requests:list"), {"tab": "all"})
    assert response.context["tabs"] == ["assigned", "all"]
    assert f'id="request-{req.pk}"' in response.content.decode()
    mine = client.get(reverse("requests:list"), {"tab": "assigned"})
    assert f'id="request-{req.pk}"' not in mine.content.decode()
    client.force_login(school.teacher)
    response = client.get(reverse("requests:list"), {"tab": "all"})
    assert response.context["tab"] == "assigned"  # not theirs to choose
    assert f'id="request-{req.pk}"' in response.content.decode()


def test_list_filters_and_highlights_overdue(client, school, clock):
    late = write(school)
    clock.set(2026, 11, 20, 9, 0)
    fresh = write(school, topic="Системы уравнений")
    clock.set(2026, 11, 20, 12, 0)  # the first is overdue now
    answering.request_take(actor=school.teacher, req=fresh)
    client.force_login(school.teacher)
    page = client.get(reverse("requests:list")).content.decode()
    assert f'id="request-{late.pk}" data-status="new" class="is-overdue"' in page
    assert f'id="request-{fresh.pk}" data-status="in_progress">' in page
    assert "просрочено" in page
    assert "осталось 3 рабочих дня" in page
    only_new = client.get(reverse("requests:list"), {"status": "new"})
    assert [r.pk for r in only_new.context["rows"]] == [late.pk]
    overdue = client.get(reverse("requests:list"), {"overdue": "1"})
    assert [r.pk for r in overdue.context["rows"]] == [late.pk]
    by_topic = client.get(reverse("requests:list"), {"topic": "системы уравнений."})
    assert [r.pk for r in by_topic.context["rows"]] == [fresh.pk]


@pytest.mark.parametrize("name", ["parent", "teacher", "deputy"])
def test_list_query_count_does_not_grow(client, school, name):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("requests:list"), {"tab": tab})
        assert response.status_code == 200
        return len(captured)

    tab = {"parent": "mine", "teacher": "assigned", "deputy": "all"}[name]
    client.force_login(getattr(school, name))
    for _n in range(3):
        write(school)
    few = queries()
    assert len(client.get(reverse("requests:list"), {"tab": tab}).context["rows"]) == 3
    for n in range(27):
        write(school, topic=f"Тема {n}")
    many = queries()
    assert few == many


# --- A new request ------------------------------------------------------------------


NEW_MATRIX = {
    "anonymous": 302,
    "student": 200,
    "other_student": 200,
    "parent": 200,
    "other_parent": 200,
    "teacher": 404,
    "other_teacher": 404,
    "deputy": 404,
    "administrator": 404,
}


@pytest.mark.parametrize("name", ROLES)
def test_new_form_role_matrix(client, school, name):
    before = state()
    response = as_(client, school, name).get(reverse("requests:new"))
    assert response.status_code == NEW_MATRIX[name]
    post = client.post(reverse("requests:new"), {})
    assert post.status_code == NEW_MATRIX[name]
    assert state() == before


def form(school, **overrides) -> dict:
    data = {
        "student": str(school.student.pk),
        "addressee": "subject_teacher",
        "subject": str(school.algebra.pk),
        "category": "topic",
        "topic": "Уравнения с одной переменной",
        "text": "Не получается решить № 345",
        "preferred_answer": "written",
    }
    data.update(overrides)
    return data


def test_a_parent_writes_a_request_with_a_file(client, school):
    client.force_login(school.parent)
    response = client.post(
        reverse("requests:new"), {**form(school), "files": [pdf(), pdf("2.pdf")]}
    )
    req = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == req.get_absolute_url()
    assert req.author == school.parent
    assert req.assignee == school.teacher
    assert req.preferred_answer == "written"
    assert sorted(req.attachments.values_list("name", flat=True)) == [
        "2.pdf",
        "работа.pdf",
    ]


@pytest.mark.requirement("R9")
def test_a_parent_cannot_post_a_request_for_someone_elses_child(client, school):
    client.force_login(school.parent)
    for student in (school.classmate, school.other_student):
        response = client.post(
            reverse("requests:new"), form(school, student=str(student.pk))
        )
        assert response.status_code == 200
        assert response.context["form"].errors["student"]
    assert not Request.objects.exists()


def test_new_form_shows_a_refusal_and_keeps_the_text(client, school):
    client.force_login(school.other_parent)  # 7Б has no class teacher
    data = form(
        school,
        student=str(school.other_student.pk),
        addressee="class_teacher",
        subject="",
        text="Мой длинный вопрос",
    )
    response = client.post(reverse("requests:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "нет классного руководителя" in page
    assert "Мой длинный вопрос" in page
    assert "Traceback" not in page
    assert not Request.objects.exists()


def test_new_form_refuses_a_bad_file_next_to_the_field(client, school):
    client.force_login(school.parent)
    fake = SimpleUploadedFile("фото.jpg", PDF)
    response = client.post(reverse("requests:new"), {**form(school), "files": [fake]})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not Request.objects.exists()


def test_new_form_subjects_and_topics_follow_the_child(client, school):
    client.force_login(school.parent)
    response = client.get(
        reverse("requests:new"),
        {"student": school.student.pk, "subject": school.algebra.pk, "text": "Набрано"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    subjects = list(response.context["form"].fields["subject"].queryset)
    assert subjects == [school.algebra, school.physics]
    assert '<option value="Уравнения с одной переменной">' in page
    assert "Набрано" in page


def test_a_subject_teacher_request_needs_a_subject(client, school):
    client.force_login(school.parent)
    response = client.post(reverse("requests:new"), form(school, subject=""))
    assert response.context["form"].errors["subject"]


# --- A request's page ---------------------------------------------------------------

DETAIL_MATRIX = {
    "anonymous": 302,
    "student": 200,
    "other_student": 404,
    "parent": 200,
    "other_parent": 404,
    "teacher": 200,
    "other_teacher": 404,
    "deputy": 200,
    "administrator": 404,
}


@pytest.mark.parametrize("name", ROLES)
def test_detail_role_matrix(client, school, name):
    req = write(school, files=[pdf()])
    before = state()
    response = as_(client, school, name).get(reverse("requests:detail", args=[req.pk]))
    assert response.status_code == DETAIL_MATRIX[name]
    attachment = req.attachments.get()
    download = client.get(reverse("requests:attachment", args=[attachment.pk]))
    assert download.status_code == DETAIL_MATRIX[name]
    if download.status_code == 200:
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Disposition"].startswith("attachment")
        assert download["Content-Type"] == "application/pdf"
    assert state() == before


def test_detail_shows_the_deadline_and_the_thread(client, school):
    req = write(school)
    answering.request_reply(actor=school.teacher, req=req, text="Уточните номер")
    client.force_login(school.parent)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Пт 20.11.2026 10:00" in page
    assert "осталось 3 рабочих дня" in page
    assert "Уточните номер" in page
    assert 'id="reply-form"' in page
    assert 'id="answer-form"' not in page


def test_detail_actions_per_role(client, school):
    req = write(school)
    client.force_login(school.teacher)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    for form_id in ("request-take", "answer-form", "reply-form", "redirect-form"):
        assert f'id="{form_id}"' in page
    assert 'id="rate-form"' not in page
    client.force_login(school.student)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Nothing to do here now." in page or "Сейчас здесь нечего делать" in page


# --- Actions: role matrices ---------------------------------------------------------

ACTIONS = {
    # action: (answered first?, data, who succeeds, who may see but not act)
    "take": (False, {}, {"teacher"}, {"student", "parent", "deputy"}),
    "reply": (False, {"text": "Вопрос"}, {"parent", "teacher", "deputy"}, {"student"}),
    "answer": (
        False,
        {"kind": "written", "text": "Ответ"},
        {"teacher"},
        {"student", "parent", "deputy"},
    ),
    "redirect": (
        False,
        {"reason": "Не по адресу"},
        {"teacher", "deputy"},
        {"student", "parent"},
    ),
    "close": (False, {}, {"parent"}, {"student", "teacher", "deputy"}),
    "rate": (True, {"rating": "5"}, {"parent"}, {"student", "teacher", "deputy"}),
    "reopen": (
        True,
        {"reason": "Неясно"},
        {"parent"},
        {"student", "teacher", "deputy"},
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("name", ROLES)
def test_action_role_matrix(client, school, action, name):
    first_answer, data, succeeds, forbidden = ACTIONS[action]
    req = answered(school) if first_answer else write(school)
    if action == "redirect":
        data = {**data, "to": str(school.other_teacher.pk)}
    before = state()
    url = reverse(f"requests:{action}", args=[req.pk])
    response = as_(client, school, name).post(url, data)
    if name == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    elif name in succeeds:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert state() != before
        return
    elif name in forbidden:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_actions_need_post(client, school, action):
    req = write(school)
    client.force_login(school.teacher)
    response = client.get(reverse(f"requests:{action}", args=[req.pk]))
    assert response.status_code == 405


def test_a_refused_answer_shows_the_message_and_keeps_the_text(client, school):
    req = write(school)
    client.force_login(school.teacher)
    before = state()
    response = client.post(
        reverse("requests:answer", args=[req.pk]),
        {"kind": "group", "text": "Разберём на консультации"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="action-error"' in page
    assert "групповую консультацию" in page
    assert "Разберём на консультации" in page
    assert state() == before


def test_an_invalid_reply_is_shown_not_saved(client, school):
    req = write(school)
    client.force_login(school.parent)
    before = state()
    response = client.post(reverse("requests:reply", args=[req.pk]), {"text": " "})
    assert response.status_code == 400
    assert response.context["reply_form"].errors
    assert state() == before


def test_reopen_twice_is_refused_in_the_page(client, school):
    req = answered(school)
    client.force_login(school.parent)
    url = reverse("requests:reopen", args=[req.pk])
    assert client.post(url, {"reason": "Неясно"}).status_code == 302
    answering.request_answer(actor=school.teacher, req=req, kind="written", text="…")
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert 'id="reopen-form"' not in page
    before = state()
    assert client.post(url, {"reason": "Ещё"}).status_code == 403
    assert state() == before


def test_the_whole_conversation_through_the_pages(client, school):
    client.force_login(school.parent)
    client.post(reverse("requests:new"), form(school))
    req = Request.objects.get()
    client.force_login(school.teacher)
    client.post(reverse("requests:take", args=[req.pk]))
    client.post(
        reverse("requests:answer", args=[req.pk]),
        {
            "kind": "invitation",
            "text": "Приходите в четверг в 15:00",
            "link": "https://meet.example.org/7a",
        },
    )
    client.force_login(school.parent)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Приходите в четверг в 15:00" in page
    assert 'href="https://meet.example.org/7a"' in page
    client.post(reverse("requests:rate", args=[req.pk]), {"rating": "5"})
    client.post(reverse("requests:close", args=[req.pk]))
    req.refresh_from_db()
    assert (req.status, req.rating) == (Request.Status.CLOSED, 5)
    kinds = list(req.messages.values_list("kind", flat=True))
    assert kinds == ["taken", "answer", "rated", "closed"]
