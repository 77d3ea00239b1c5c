"""The audit trail in the back office is read-only (R13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.audit.services import record

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R13")]

LIST_URL = reverse("admin:audit_auditentry_changelist")


@pytest.fixture
def school_admin(client):
    user = make_person(Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_audit_entries_cannot_be_added_changed_or_deleted_in_the_admin(
    client, school_admin
):
    entry = record(actor=school_admin, action="accounts.role_granted")
    count = AuditEntry.objects.count()

    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:audit_auditentry_add"), {"action": "x"}).status_code
        == 403
    )
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # to read
    assert client.post(change_url, {"action": "x"}).status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert AuditEntry.objects.count() == count
    entry.refresh_from_db()
    assert entry.action == "accounts.role_granted"


def test_audit_changelist_offers_no_actions(client, school_admin):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert not response.context["has_add_permission"]


def test_audit_changelist_filters_by_action_and_searches_the_actor(
    client, school_admin
):
    teacher = make_person(Role.TEACHER, last_name="Orlov")
    granted = record(actor=school_admin, action="accounts.role_granted")
    by_teacher = record(actor=teacher, action="accounts.password_changed")

    by_action = client.get(LIST_URL, {"action": "accounts.role_granted"})
    by_name = client.get(LIST_URL, {"q": "Orlov"})

    assert list(by_action.context["cl"].result_list) == [granted]
    assert list(by_name.context["cl"].result_list) == [by_teacher]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DEPUTY_HEAD])
def test_audit_changelist_is_closed_to_other_roles(client, role):
    client.force_login(make_person(role))

    assert client.get(LIST_URL).status_code == 404


def test_audit_changelist_query_count_does_not_grow(client, school_admin):
    def add(n):
        for _ in range(n):
            record(actor=school_admin, action="accounts.signed_in", target=school_admin)

    add(3)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    add(60)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)

    assert len(many) == len(few)
