import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.audit.services import record
from umka.school.tests.factories import SubjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R13")]

LIST_URL = reverse("audit:list")
EXPORT_URL = reverse("audit:export")


def _signed_in(client, *roles, **kwargs):
    user = make_person(*roles, **kwargs)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("roles", "superuser", "status"),
    [
        ((Role.STUDENT,), False, 404),
        ((Role.PARENT,), False, 404),
        ((Role.TEACHER,), False, 404),
        ((Role.UNIT_HEAD,), False, 404),
        ((Role.STAFF,), False, 404),
        ((Role.DEPUTY_HEAD,), False, 200),
        ((Role.ADMINISTRATOR,), False, 200),
        ((Role.DIRECTOR,), False, 200),
        ((), True, 200),
    ],
)
@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_audit_trail_is_open_to_the_administration_only(
    client, roles, superuser, status, url
):
    _signed_in(client, *roles, is_superuser=superuser)
    record(actor=None, action="accounts.signed_out")
    before = AuditEntry.objects.count()

    response = client.get(url)

    assert response.status_code == status
    # Only an export by someone allowed leaves a trace (the export itself).
    after = AuditEntry.objects.count()
    assert after == before + (1 if url == EXPORT_URL and status == 200 else 0)


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_nobody_can_post_to_the_audit_trail(client):
    _signed_in(client, Role.DIRECTOR)
    entry = record(actor=None, action="accounts.signed_out")
    count = AuditEntry.objects.count()

    for url in (LIST_URL, EXPORT_URL):
        response = client.post(url, {"action": "accounts.signed_in"})
        assert response.status_code == 405

    assert AuditEntry.objects.count() == count
    entry.refresh_from_db()
    assert entry.action == "accounts.signed_out"


def _listed(response) -> set[int]:
    return {row.entry.pk for row in response.context["rows"]}


@pytest.fixture
def trail():
    """A few entries of different kinds, people, objects and days."""
    admin = make_person(Role.ADMINISTRATOR, last_name="Петрова")
    teacher = make_person(Role.TEACHER, last_name="Соколов")
    subject = SubjectFactory(name="Физика")
    at = dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)  # 2 March 01:30 in Moscow
    granted = AuditEntry.objects.create(
        at=at,
        actor=admin,
        actor_name=admin.full_name,
        action="accounts.role_granted",
        target_type_id=_ct(teacher),
        target_id=str(teacher.pk),
        target_repr=str(teacher),
        changes={"role": [None, "teacher"]},
    )
    changed = AuditEntry.objects.create(
        at=at - dt.timedelta(days=3),
        actor=teacher,
        actor_name=teacher.full_name,
        action="school.record_changed",
        target_type_id=_ct(subject),
        target_id=str(subject.pk),
        target_repr=str(subject),
        changes={"short_name": ["", "Физ."]},
    )
    failed = AuditEntry.objects.create(
        at=at + dt.timedelta(days=5),
        actor_name="=HYPERLINK()",
        action="accounts.sign_in_failed",
    )
    return {
        "admin": admin,
        "teacher": teacher,
        "subject": subject,
        "granted": granted,
        "changed": changed,
        "failed": failed,
    }


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_list_shows_newest_first_with_readable_changes(client, trail):
    _signed_in(client, Role.DEPUTY_HEAD)

    response = client.get(LIST_URL, {"date_to": "2026-03-31"})

    rows = response.context["rows"]
    assert [r.entry.pk for r in rows] == [
        trail["failed"].pk,
        trail["granted"].pk,
        trail["changed"].pk,
    ]
    granted = rows[1]
    assert granted.target_url == reverse("accounts:person", args=[trail["teacher"].pk])
    assert granted.actor_url == reverse("accounts:person", args=[trail["admin"].pk])
    short_name = rows[2].changes[0]
    assert (short_name.before, short_name.after, short_name.is_pair) == (
        "—",
        "Физ.",
        True,
    )
    content = response.content.decode()
    assert "02.03.2026 01:30" in content  # the school's time, not UTC
    assert 'data-label="' in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "accounts.role_granted"}, {"granted"}),
        ({"person": "Соколов"}, {"changed"}),
        ({"type": "school.subject"}, {"changed"}),
        ({"object": "Физика"}, {"changed"}),
        ({"date_from": "2026-03-02", "date_to": "2026-03-02"}, {"granted"}),
        ({"date_to": "2026-03-01"}, {"changed"}),
        ({"date_from": "2026-03-03", "date_to": "2026-03-31"}, {"failed"}),
        ({"action": "accounts.role_granted", "person": "Соколов"}, set()),
    ],
)
def test_filters_select_matching_entries(client, trail, params, expected):
    _signed_in(client, Role.ADMINISTRATOR)

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    listed = _listed(response) & {
        e.pk for e in trail.values() if isinstance(e, AuditEntry)
    }
    assert listed == {trail[name].pk for name in expected}


def test_person_filter_takes_an_account_number(client, trail):
    _signed_in(client, Role.ADMINISTRATOR)

    response = client.get(LIST_URL, {"person": str(trail["admin"].pk)})

    assert _listed(response) == {trail["granted"].pk}


def test_invalid_filter_is_shown_and_ignored(client, trail):
    _signed_in(client, Role.ADMINISTRATOR)

    response = client.get(LIST_URL, {"date_from": "not a date", "person": "Соколов"})

    assert response.context["form"].errors["date_from"]
    assert _listed(response) == {trail["changed"].pk}


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def _add_entries(count: int, actor, target) -> None:
    for n in range(count):
        record(
            actor=actor,
            action="accounts.person_changed",
            target=target if n % 2 else None,
            changes={"phone": [str(n), str(n + 1)]},
        )


def test_list_query_count_does_not_grow_with_entries(
    client, django_assert_max_num_queries
):
    viewer = _signed_in(client, Role.DIRECTOR)
    subject = SubjectFactory()
    _add_entries(5, viewer, subject)
    client.get(LIST_URL)  # warm the school and content-type caches
    few = _queries_for_list(client)

    _add_entries(55, viewer, viewer)
    many = _queries_for_list(client)

    assert many == few
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
    assert len(response.context["rows"]) == 50
    assert response.context["page"].has_next()


def test_second_page_keeps_the_filters(client):
    viewer = _signed_in(client, Role.DIRECTOR)
    _add_entries(55, viewer, viewer)

    first = client.get(LIST_URL, {"action": "accounts.person_changed"})
    second = client.get(LIST_URL, {"action": "accounts.person_changed", "page": 2})

    assert "action=accounts.person_changed&amp;page=2" in first.content.decode()
    assert len(second.context["rows"]) == 5


def test_export_gives_the_filtered_entries_as_safe_csv(client, trail):
    viewer = _signed_in(client, Role.ADMINISTRATOR)

    response = client.get(
        EXPORT_URL, {"date_from": "2026-03-02", "date_to": "2026-03-31"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    lines = body.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 3  # header, the failed sign-in, the role grant
    assert "'=HYPERLINK()" in lines[1]
    assert "2026-03-02 01:30:00" in lines[2]
    exported = AuditEntry.objects.get(action="audit.trail_exported")
    assert exported.actor == viewer
    assert exported.changes == {
        "filters": {"date_from": "2026-03-02", "date_to": "2026-03-31"}
    }


def test_policy_refuses_anonymous():
    from umka.audit.policies import can_browse_audit, entries_visible_to

    assert not can_browse_audit(AnonymousUser())
    assert not entries_visible_to(AnonymousUser()).exists()
