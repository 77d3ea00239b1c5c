"""The back office for people, roles and parent links (R3, R13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.accounts.tests.factories import (
    PASSWORD,
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.audit.models import AuditEntry
from umka.audit.tests.adminforms import add_inline_row, changeform_data
from umka.school.models import SchoolClass
from umka.school.tests.factories import (
    ContractFactory,
    EnrolmentFactory,
    SchoolClassFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE_URL = reverse("admin:accounts_user_changelist")
LINKS_URL = reverse("admin:accounts_parentlink_changelist")


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def school_admin(client):
    """A school administrator by role only: not a superuser, not staff."""
    user = make_person(Role.ADMINISTRATOR)
    assert not user.is_superuser
    assert not user.is_staff
    client.force_login(user)
    return user


def _entries(action: str, target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=str(target.pk)))


# --- Access ---------------------------------------------------------------------


def test_school_administrator_signs_in_on_our_page_and_opens_the_back_office(client):
    make_person(Role.ADMINISTRATOR, username="admin.school")

    index = reverse("admin:index")
    response = client.post(
        f"{reverse('accounts:login')}?next={index}",
        {"username": "admin.school", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == index
    assert client.get(index).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        PEOPLE_URL,
        LINKS_URL,
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_parentlink_add"),
        reverse("admin:audit_auditentry_changelist"),
    ],
)
def test_school_administrator_opens_people_pages(client, school_admin, url):
    assert client.get(url).status_code == 200


def test_anonymous_visitor_is_sent_to_our_sign_in_page(client):
    response = client.get(PEOPLE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_admin_login_page_redirects_to_our_sign_in_page(client):
    response = client.get(reverse("admin:login"), {"next": PEOPLE_URL})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "backoffice" in response["Location"]


def test_admin_login_page_ignores_a_foreign_next(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})

    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(
    "roles",
    [
        (Role.STUDENT,),
        (Role.PARENT,),
        (Role.TEACHER,),
        (Role.DEPUTY_HEAD,),
        (Role.DIRECTOR,),
    ],
)
def test_people_without_the_administrator_role_get_no_back_office(client, roles):
    user = make_person(*roles, is_staff=True)
    client.force_login(user)
    target = make_student()
    before = AuditEntry.objects.count()

    for url in (reverse("admin:index"), PEOPLE_URL, reverse("admin:login")):
        assert client.get(url).status_code == 404
    response = client.post(
        _change_url(target),
        {"last_name": "Взломов", "role_assignments-TOTAL_FORMS": "1"},
    )

    assert response.status_code == 404
    target.refresh_from_db()
    assert target.last_name != "Взломов"
    assert AuditEntry.objects.count() == before
    assert not RoleAssignment.objects.filter(user=user, role=Role.ADMINISTRATOR)


def test_admin_password_change_goes_to_our_page(client, school_admin):
    response = client.get(reverse("admin:password_change"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")


# --- People ---------------------------------------------------------------------


@pytest.mark.requirement("R13")
def test_granting_a_role_in_the_admin_is_audited(client, school_admin):
    person = make_person(Role.TEACHER)
    page = client.get(_change_url(person))
    data = changeform_data(page)
    add_inline_row(data, "role_assignments", role=Role.DEPUTY_HEAD)

    response = client.post(_change_url(person), data)

    assert response.status_code == 302, response.context["errors"]
    assert set(person.role_assignments.values_list("role", flat=True)) == {
        Role.TEACHER,
        Role.DEPUTY_HEAD,
    }
    [entry] = _entries("accounts.role_granted", person)
    assert entry.actor == school_admin
    assert entry.changes == {"role": [None, Role.DEPUTY_HEAD]}


@pytest.mark.requirement("R13")
def test_revoking_a_role_in_the_admin_is_audited(client, school_admin):
    person = make_person(Role.TEACHER, Role.STAFF)
    data = changeform_data(client.get(_change_url(person)))
    staff_row = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("role_assignments-")
        and key.endswith("-id")
        and RoleAssignment.objects.get(pk=value).role == Role.STAFF
    )
    data[f"{staff_row}-DELETE"] = "on"

    response = client.post(_change_url(person), data)

    assert response.status_code == 302
    assert list(person.role_assignments.values_list("role", flat=True)) == [
        Role.TEACHER
    ]
    [entry] = _entries("accounts.role_revoked", person)
    assert entry.changes == {"role": [Role.STAFF, None]}


@pytest.mark.requirement("R13")
def test_editing_a_person_records_what_changed(client, school_admin):
    person = make_person(Role.PARENT, phone="")
    data = changeform_data(client.get(_change_url(person)))
    data["phone"] = "+7 900 000-00-00"
    data["is_superuser"] = "on"  # not on the form: must be ignored

    response = client.post(_change_url(person), data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+7 900 000-00-00"
    assert not person.is_superuser
    [entry] = _entries("accounts.person_changed", person)
    assert entry.changes == {"phone": ["", "+7 900 000-00-00"]}
    assert not _entries("accounts.role_granted", person)


def test_saving_a_person_unchanged_records_nothing(client, school_admin):
    person = make_student()
    ParentLinkFactory(student=person, parent=make_parent())
    data = changeform_data(client.get(_change_url(person)))
    before = AuditEntry.objects.count()

    response = client.post(_change_url(person), data)

    assert response.status_code == 302
    assert AuditEntry.objects.count() == before


@pytest.mark.requirement("R13")
def test_adding_a_person_uses_the_service_and_shows_the_one_time_password(
    client, school_admin
):
    url = reverse("admin:accounts_user_add")
    data = changeform_data(client.get(url))
    data.update(
        {
            "last_name": "Кузнецова",
            "first_name": "Анна",
            "middle_name": "Сергеевна",
            "roles": [Role.STUDENT],
        }
    )

    response = client.post(url, data, follow=True)

    person = User.objects.get(last_name="Кузнецова")
    assert person.username == "kuznetsova.as"
    assert person.must_change_password
    assert person.roles == {Role.STUDENT}
    [entry] = _entries("accounts.person_created", person)
    assert entry.actor == school_admin
    messages = [str(m) for m in response.context["messages"]]
    assert any("kuznetsova.as" in m for m in messages)


def test_people_cannot_be_deleted_in_the_back_office(client, school_admin):
    person = make_student()

    response = client.post(
        reverse("admin:accounts_user_delete", args=[person.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_school_administrator_cannot_edit_a_superuser(client, school_admin):
    root = make_person(is_superuser=True, first_name="Root")
    data = changeform_data(client.get(_change_url(root)))
    data["first_name"] = "Hacked"

    response = client.post(_change_url(root), data)

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.first_name == "Root"


def test_people_list_filters_by_role_and_searches_names(client, school_admin):
    teacher = make_person(Role.TEACHER, last_name="Smirnova")
    student = make_student(last_name="Smirnov")

    by_role = client.get(PEOPLE_URL, {"role": Role.TEACHER})
    by_name = client.get(PEOPLE_URL, {"q": "Smirnov"})

    assert list(by_role.context["cl"].result_list) == [teacher]
    assert set(by_name.context["cl"].result_list) == {teacher, student}


def test_people_list_shows_class_or_position(client, school_admin):
    student = make_student(last_name="Aaa")
    EnrolmentFactory(student=student, school_class__grade=5, school_class__letter="Б")
    ContractFactory(
        person=make_person(Role.TEACHER, last_name="Bbb"), position="Учитель химии"
    )

    content = client.get(PEOPLE_URL).content.decode()

    assert "5Б" in content
    assert "Учитель химии" in content


def _people_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PEOPLE_URL)
    assert response.status_code == 200
    return len(queries)


def _make_people(count: int) -> None:
    classes = [SchoolClassFactory(grade=grade, letter="А") for grade in (8, 9, 10)]
    for n in range(count):
        student = make_student()
        EnrolmentFactory(student=student, school_class=classes[n % 3])
        if n % 3 == 0:
            ContractFactory(person=make_person(Role.TEACHER, Role.STAFF))


def test_people_list_query_count_does_not_grow_with_people(
    client, school_admin, django_assert_max_num_queries
):
    _make_people(5)
    client.get(PEOPLE_URL)
    few = _people_list_queries(client)

    SchoolClass.objects.all().delete()
    _make_people(25)
    many = _people_list_queries(client)

    assert User.objects.count() >= 30
    assert many == few, (few, many)
    with django_assert_max_num_queries(12):
        client.get(PEOPLE_URL)


# --- Parent links ---------------------------------------------------------------


@pytest.mark.requirement("R3", "R13")
def test_verify_action_on_people_verifies_their_links_and_is_audited(
    client, school_admin
):
    student = make_student()
    link = ParentLinkFactory(student=student, parent=make_parent(), verified_at=None)
    other = ParentLinkFactory(verified_at=None)

    response = client.post(
        PEOPLE_URL,
        {"action": "verify_parent_links", "_selected_action": [student.pk]},
    )

    assert response.status_code == 302
    link.refresh_from_db()
    other.refresh_from_db()
    assert link.is_verified
    assert link.verified_by == school_admin
    assert not other.is_verified
    [entry] = _entries("accounts.parent_link_verified", link)
    assert entry.actor == school_admin


@pytest.mark.requirement("R3", "R13")
def test_verify_action_on_parent_links_is_audited(client, school_admin):
    links = [ParentLinkFactory(verified_at=None) for _ in range(2)]
    verified = ParentLinkFactory()

    client.post(
        LINKS_URL,
        {
            "action": "verify",
            "_selected_action": [links[0].pk, links[1].pk, verified.pk],
        },
    )

    assert ParentLink.objects.filter(verified_at__isnull=True).count() == 0
    verified_entries = AuditEntry.objects.filter(action="accounts.parent_link_verified")
    assert {e.target_id for e in verified_entries} == {str(x.pk) for x in links}


def test_parent_links_list_filters_by_verification(client, school_admin):
    waiting = ParentLinkFactory(verified_at=None)
    done = ParentLinkFactory()

    response = client.get(LINKS_URL, {"verified": "no"})

    assert list(response.context["cl"].result_list) == [waiting]
    assert done not in response.context["cl"].result_list


@pytest.mark.requirement("R3", "R13")
def test_linking_a_parent_in_the_person_page_uses_the_service(client, school_admin):
    student = make_student()
    parent = make_parent()
    data = changeform_data(client.get(_change_url(student)))
    add_inline_row(
        data, "parent_links", parent=str(parent.pk), kind="father", verify="on"
    )

    response = client.post(_change_url(student), data)

    assert response.status_code == 302, response.context["errors"]
    link = ParentLink.objects.get(parent=parent, student=student)
    assert link.is_verified
    assert link.verified_by == school_admin
    [entry] = _entries("accounts.parent_link_created", link)
    assert entry.changes == {"kind": "father", "verified": True}


@pytest.mark.requirement("R3", "R13")
def test_keeping_and_removing_links_on_the_person_page_are_audited(
    client, school_admin
):
    parent = make_parent()
    kept = ParentLinkFactory(parent=parent)
    removed = ParentLinkFactory(parent=parent, kind="father")
    data = changeform_data(client.get(_change_url(parent)))
    rows = {
        int(value): key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("child_links-") and key.endswith("-id")
    }
    data[f"{rows[kept.pk]}-kept_by_adult_student"] = "on"
    data[f"{rows[removed.pk]}-DELETE"] = "on"

    response = client.post(_change_url(parent), data)

    assert response.status_code == 302, response.context["errors"]
    kept.refresh_from_db()
    assert kept.kept_by_adult_student
    assert not ParentLink.objects.filter(pk=removed.pk).exists()
    assert _entries("accounts.parent_link_kept_changed", kept)
    assert _entries("accounts.parent_link_removed", removed)


def test_a_person_cannot_be_linked_as_their_own_parent(client, school_admin):
    url = reverse("admin:accounts_parentlink_add")
    person = make_person(Role.PARENT, Role.STUDENT)

    response = client.post(
        url, {"parent": person.pk, "student": person.pk, "kind": "mother"}
    )

    assert response.status_code == 200
    assert not ParentLink.objects.exists()


@pytest.mark.requirement("R13")
def test_adding_and_deleting_a_link_in_its_own_admin_is_audited(client, school_admin):
    parent, student = make_parent(), make_student()

    client.post(
        reverse("admin:accounts_parentlink_add"),
        {"parent": parent.pk, "student": student.pk, "kind": "guardian"},
    )
    link = ParentLink.objects.get()
    client.post(
        reverse("admin:accounts_parentlink_delete", args=[link.pk]), {"post": "yes"}
    )

    assert not link.is_verified
    assert not ParentLink.objects.exists()
    assert _entries("accounts.parent_link_created", link)
    assert _entries("accounts.parent_link_removed", link)


def test_back_office_speaks_russian(client, school_admin):
    content = client.get(reverse("admin:index")).content.decode()

    assert 'lang="ru"' in content
    assert "Выйти" in content


def test_person_autocomplete_answers_the_school_administrator(client, school_admin):
    make_person(Role.TEACHER, last_name="Zakharova")

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "school",
            "model_name": "contract",
            "field_name": "person",
            "term": "Zakharova",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Zakharova Иван Иванович"
    ]
