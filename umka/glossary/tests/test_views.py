"""Glossary pages: a role matrix for every view (status and nothing changed); a
graded entry's review is seen by its author and their parents with rights and
404 for other students and parents (R6); alphabetical browsing with Ё in its
place, search ignoring ё/е and case; the printable glossary; results, export
and the queue «Проверить»."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.courses import review_queue
from umka.courses.tests.factories import ROLES, as_role, is_login_redirect
from umka.glossary.models import Entry, EntryKey
from umka.glossary.tests.factories import approved, graded, propose
from umka.notifications.models import Notification
from umka.school.models import ProgramPart

pytestmark = pytest.mark.django_db


def state():
    return [
        list(Entry.objects.order_by("pk").values()),
        list(EntryKey.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_a_graded_entry_with_its_review_role_matrix(client, school, role):
    entry = graded(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("glossary:entry", args=[entry.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Определение точное" in page
        assert '<strong id="entry-grade">5</strong>' in page
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.requirement("R6")
def test_a_classmate_reads_the_entry_but_not_its_grade(client, school):
    entry = graded(school)
    client.force_login(school.classmate)
    page = client.get(reverse("glossary:entry", args=[entry.pk])).content.decode()
    assert "Медиана" in page
    assert "Определение точное" not in page


@pytest.mark.parametrize("role", ROLES)
def test_a_proposal_is_seen_by_its_author_family_and_teachers(client, school, role):
    entry = propose(school)
    response = as_role(client, school, role).get(
        reverse("glossary:entry", args=[entry.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    else:
        expected = 200 if role in ("student", "parent", "teacher", "deputy") else 404
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_glossary_page_role_matrix(client, school, role):
    approved(school)
    propose(school, "Мода", author=school.classmate)
    before = state()
    response = as_role(client, school, role).get(
        reverse("glossary:index", args=[school.space.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Медиана" in page
        # A classmate's proposal is the teacher's to see, not the class's.
        assert ('id="waiting"' in page) == (role in ("teacher", "deputy"))
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_propose_role_matrix(client, school, role):
    before = state()
    response = as_role(client, school, role).post(
        reverse("glossary:new", args=[school.space.pk]),
        {"term": "Биссектриса", "definition": "Луч, делящий угол пополам."},
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "teacher"):
        assert response.status_code == 302
        expected = "approved" if role == "teacher" else "proposed"
        assert Entry.objects.get().status == expected
        return
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.requirement("R6")
def test_a_duplicate_is_refused_on_the_form_with_a_link_to_the_entry(client, school):
    entry = approved(school, "Ёлка")
    before = state()
    client.force_login(school.classmate)
    response = client.post(
        reverse("glossary:new", args=[school.space.pk]),
        {"term": "ЕЛКА", "definition": "Дерево."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "«Ёлка» уже есть в глоссарии" in page
    assert reverse("glossary:entry", args=[entry.pk]) in page
    assert "Дерево." in page  # what was typed stays
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_decide_role_matrix(client, school, role):
    entry = propose(school)
    before = state()
    client = as_role(client, school, role)
    url = reverse("glossary:decide", args=[entry.pk])
    page = client.get(url)
    posted = client.post(url, {"action": "approve", "version": "0"})
    if role == "anonymous":
        assert is_login_redirect(posted)
    elif role == "teacher":
        assert page.status_code == 200
        assert posted.status_code == 302
        assert Entry.objects.get().status == "approved"
        return
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_delete_role_matrix(client, school, role):
    entry = propose(school)
    before = state()
    client = as_role(client, school, role)
    page = client.get(reverse("glossary:edit", args=[entry.pk]))
    posted = client.post(reverse("glossary:delete", args=[entry.pk]))
    if role == "anonymous":
        assert is_login_redirect(posted)
    elif role in ("student", "teacher"):
        assert page.status_code == 200
        assert posted.status_code == 302
        assert not Entry.objects.exists()
        return
    else:
        # A parent reads the child's proposal but does not write it.
        assert (page.status_code, posted.status_code) == (404, 404)
    assert state() == before


def test_the_teacher_returns_with_a_comment_the_author_sees_it(client, school):
    entry = propose(school)
    client.force_login(school.teacher)
    client.post(
        reverse("glossary:decide", args=[entry.pk]),
        {"action": "return", "version": "0", "comment": "Нужен пример."},
    )
    client.force_login(school.student)
    page = client.get(reverse("glossary:entry", args=[entry.pk])).content.decode()
    assert "Нужен пример." in page


def test_browsing_is_alphabetical_with_yo_in_its_place(client, school):
    for term in ("Журнал", "Ёлка", "Ель", "Ёж", "Аксиома", "Эллипс"):
        approved(school, term)
    client.force_login(school.student)
    page = client.get(reverse("glossary:index", args=[school.space.pk])).content
    page = page.decode()
    positions = [page.index(f">{t}</a>") for t in ("Аксиома", "Ель", "Ёж", "Ёлка")]
    assert positions == sorted(positions)
    assert page.index(">Ёлка</a>") < page.index(">Журнал</a>") < page.index(">Эллипс<")
    by_letter = client.get(
        reverse("glossary:index", args=[school.space.pk]) + "?letter=Ё"
    ).content.decode()
    assert ">Ёж</a>" in by_letter
    assert ">Ёлка</a>" in by_letter
    assert ">Ель</a>" not in by_letter


def test_search_ignores_case_and_yo(client, school):
    approved(school, "Ёлочная гирлянда", definition="Последовательность огней.")
    approved(school, "Медиана")
    client.force_login(school.student)
    url = reverse("glossary:index", args=[school.space.pk])
    for query in ("елочная", "ЁЛОЧ", "огней"):
        page = client.get(url, {"q": query}).content.decode()
        assert "Ёлочная гирлянда" in page
        assert ">Медиана</a>" not in page


def test_the_printable_glossary_of_a_program_part(client, school):
    part = ProgramPart.objects.create(
        subject=school.algebra, grade=7, number=3, title="Статистика"
    )
    other = ProgramPart.objects.create(
        subject=school.algebra, grade=7, number=4, title="Функции"
    )
    for term, p in (("Мода", part), ("Медиана", part), ("Аргумент", other)):
        entry = approved(school, term)
        Entry.objects.filter(pk=entry.pk).update(program_part=p)
    client.force_login(school.parent)
    page = client.get(
        reverse("glossary:print", args=[school.space.pk]), {"part": part.pk}
    ).content.decode()
    assert "Статистика" in page
    assert page.index(">Медиана</a>") < page.index(">Мода</a>")
    assert "Аргумент" not in page


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("who", ["student", "parent"])
def test_a_graded_entry_is_on_the_results_page(client, school, who):
    graded(school)
    client.force_login(getattr(school, who))
    page = client.get(reverse("courses:results")).content.decode()
    assert "Термин «Медиана»" in page
    assert "Определение точное" in page


def test_a_graded_entry_is_in_the_export(client, school):
    graded(school)
    client.force_login(school.teacher)
    text = client.get(
        reverse("courses:export", args=[school.space.pk, "csv"])
    ).content.decode("utf-8-sig")
    assert "Термин «Медиана»" in text


@pytest.mark.requirement("R13")
def test_a_proposal_waits_in_the_queue_then_is_escalated(school, clock):
    entry = propose(school)
    items = [i for i in review_queue.queue_for(school.teacher) if "glossary" in i.key]
    assert [i.title for i in items] == ["Медиана"]
    clock.travel(entry.review_due_at + dt.timedelta(minutes=1))
    assert review_queue.remind_and_escalate(clock.now)["escalated"] == 1
    assert Entry.objects.get().escalated_to == school.deputy
    assert Notification.objects.filter(
        recipient=school.deputy, kind="courses.review_escalated"
    ).exists()
