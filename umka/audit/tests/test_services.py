import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import PASSWORD, make_person
from umka.audit.models import AuditEntry
from umka.audit.services import model_changes, record, snapshot
from umka.school.models import Contract
from umka.school.tests.factories import ContractFactory, SchoolClassFactory

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R13")]


def test_record_writes_actor_target_changes_and_ip():
    admin = make_person(Role.ADMINISTRATOR)
    person = make_person(Role.STUDENT)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")

    entry = record(
        actor=admin,
        action="accounts.role_granted",
        target=person,
        changes={"role": [None, "student"]},
        request=request,
    )

    entry.refresh_from_db()
    assert entry.actor == admin
    assert entry.actor_name == admin.full_name
    assert entry.action == "accounts.role_granted"
    assert entry.target_type.model_class() is type(person)
    assert entry.target_id == str(person.pk)
    assert entry.target_repr == str(person)
    assert entry.changes == {"role": [None, "student"]}
    assert entry.ip_address == "203.0.113.7"


def test_record_keeps_the_name_given_for_an_anonymous_actor():
    entry = record(actor=None, actor_name="guess", action="accounts.sign_in_failed")

    assert entry.actor is None
    assert entry.actor_name == "guess"
    assert entry.target_type is None


def test_saving_an_existing_entry_is_refused():
    entry = record(actor=None, action="accounts.signed_in")
    entry.action = "accounts.signed_out"

    with pytest.raises(TypeError):
        entry.save()

    entry.refresh_from_db()
    assert entry.action == "accounts.signed_in"


def test_deleting_an_entry_is_refused():
    entry = record(actor=None, action="accounts.signed_in")

    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_of_entries_is_refused():
    entry = record(actor=None, action="accounts.signed_in")

    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="accounts.signed_out")

    entry.refresh_from_db()
    assert entry.action == "accounts.signed_in"


def test_sign_in_through_the_login_page_is_recorded(client):
    person = make_person(Role.TEACHER, username="t.smirnova")

    response = client.post(
        reverse("accounts:login"),
        {"username": "t.smirnova", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.4",
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.signed_in")
    assert entry.actor == person
    assert entry.target_id == str(person.pk)
    assert entry.ip_address == "198.51.100.4"


def test_failed_sign_in_is_recorded_with_the_login_tried(client):
    person = make_person(Role.PARENT, username="p.orlova")

    response = client.post(
        reverse("accounts:login"),
        {"username": "p.orlova", "password": "wrong-password"},
        REMOTE_ADDR="198.51.100.5",
    )

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="accounts.sign_in_failed")
    assert entry.actor is None
    assert entry.actor_name == "p.orlova"
    assert entry.target_id == str(person.pk)
    assert entry.ip_address == "198.51.100.5"
    assert not AuditEntry.objects.filter(action="accounts.signed_in").exists()


def test_snapshot_is_readable_and_never_holds_a_password():
    person = make_person(Role.STUDENT, birth_date=dt.date(2012, 3, 4))

    values = snapshot(person)

    assert "password" not in values
    assert values["birth_date"] == "2012-03-04"
    assert values["last_name"] == person.last_name


def test_model_changes_lists_only_what_differs_as_text():
    contract = ContractFactory(weekly_load_hours=Decimal("18"))
    before = Contract.objects.select_related("person").get(pk=contract.pk)
    contract.weekly_load_hours = Decimal("20")

    assert model_changes(before, contract) == {"weekly_load_hours": ["18.0", "20"]}


def test_model_changes_tells_namesake_classes_apart():
    first = SchoolClassFactory(grade=7, letter="А", year__name="2024/2025")
    second = SchoolClassFactory(
        grade=7,
        letter="А",
        year__name="2025/2026",
        year__starts_on=dt.date(2025, 9, 1),
        year__ends_on=dt.date(2026, 8, 31),
    )
    enrolment_before = second.enrolments.model(school_class=first)
    enrolment_after = second.enrolments.model(school_class=second)

    changes = model_changes(enrolment_before, enrolment_after, ["school_class"])

    assert changes == {"school_class": ["7А", "7А"]}
