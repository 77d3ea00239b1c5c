import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from umka.accounts import services
from umka.accounts.models import Role, User
from umka.accounts.services import user_create
from umka.accounts.tests.factories import (
    PASSWORD,
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.school.tests.factories import EnrolmentFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db


def login(client, user, password=PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )


@pytest.mark.requirement("R13")
def test_sign_in_is_recorded_in_the_audit_trail(client):
    student = make_student()
    response = login(client, student)

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.signed_in")
    assert entry.actor == student
    assert entry.target_id == str(student.pk)
    assert entry.ip_address == "127.0.0.1"


@pytest.mark.requirement("R13")
def test_failed_sign_in_shows_a_clear_message_and_is_recorded(client):
    student = make_student()
    response = login(client, student, password="wrong-password")

    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.sign_in_failed")
    assert entry.actor is None
    assert entry.actor_name == student.username
    assert not AuditEntry.objects.filter(action="accounts.signed_in").exists()


@pytest.mark.real_clock  # django-axes stamps attempts with its own `now`
def test_repeated_failures_lock_the_login_even_with_the_right_password(
    client, settings
):
    student = make_student()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, student, password="wrong-password")

    response = login(client, student)

    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_time_password_forces_a_change_at_first_sign_in(client):
    person, one_time = user_create(
        actor=None,
        username="petrova.ai",
        last_name="Петрова",
        first_name="Анна",
        middle_name="Игоревна",
        roles=(Role.PARENT,),
    )
    assert one_time
    assert person.must_change_password

    login(client, person, password=one_time)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")

    new_password = "Nov-2026-strong-pass"
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": one_time,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.must_change_password
    assert person.check_password(new_password)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.password_changed").exists()


def test_password_reset_sends_a_working_link(client):
    parent = make_parent(email="mama@example.org")
    response = client.post(
        reverse("accounts:password_reset"), {"email": "mama@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line
    )
    path = link.split("://", 1)[1].split("/", 1)[1]

    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Reset-2026-pass", "new_password2": "Reset-2026-pass"},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password("Reset-2026-pass")


def test_password_reset_does_not_tell_whether_an_address_exists(client):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox == []


# --- Profiles: who may open whose page (R3) -------------------------------------


@pytest.fixture
def family():
    """A class with two students; one has a parent; an outsider parent too."""
    school_class = SchoolClassFactory()
    child = make_student(birth_date=dt.date(2013, 1, 10))
    classmate = make_student()
    EnrolmentFactory(student=child, school_class=school_class)
    EnrolmentFactory(student=classmate, school_class=school_class)
    parent = make_parent()
    ParentLinkFactory(parent=parent, student=child)
    other_parent = make_parent()
    ParentLinkFactory(parent=other_parent, student=classmate)
    return {
        "child": child,
        "classmate": classmate,
        "parent": parent,
        "other_parent": other_parent,
    }


@pytest.mark.requirement("R3")
@pytest.mark.parametrize(
    ("viewer", "person", "status"),
    [
        ("child", "child", 200),
        ("child", "classmate", 404),
        ("child", "parent", 404),
        ("parent", "child", 200),
        ("parent", "classmate", 404),
        ("other_parent", "child", 404),
        ("deputy", "child", 200),
        ("administrator", "classmate", 200),
        ("outside_teacher", "child", 404),
    ],
)
def test_profile_role_matrix(client, family, viewer, person, status):
    people = {
        **family,
        "deputy": make_person(Role.DEPUTY_HEAD),
        "administrator": make_person(Role.ADMINISTRATOR),
        "outside_teacher": make_person(Role.TEACHER),
    }
    client.force_login(people[viewer])
    before = User.objects.count()

    response = client.get(reverse("accounts:person", args=[people[person].pk]))

    assert response.status_code == status
    if status == 200:
        assert people[person].full_name in response.content.decode()
    assert User.objects.count() == before


def test_profile_requires_sign_in(client, family):
    response = client.get(reverse("accounts:person", args=[family["child"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.requirement("R3")
def test_parent_loses_access_to_a_child_who_turned_18(client):
    parent = make_parent()
    adult = make_student(birth_date=dt.date(2005, 4, 1))
    ParentLinkFactory(parent=parent, student=adult)
    client.force_login(parent)

    assert client.get(reverse("accounts:person", args=[adult.pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    # The home page says what happened (issue 14), and shows none of the studies.
    assert f'id="of-age-{adult.pk}"' in home
    assert 'class="card child-card"' not in home
    assert reverse("accounts:person", args=[adult.pk]) not in home


def test_private_details_are_hidden_from_other_people(client, family):
    teacher = make_person(Role.TEACHER, phone="+7 900 000-00-00")
    client.force_login(family["child"])
    page = client.get(reverse("accounts:person", args=[teacher.pk])).content.decode()
    assert teacher.full_name in page
    assert "+7 900 000-00-00" not in page


@pytest.mark.requirement("R13")
@pytest.mark.real_clock  # django-axes stamps attempts with its own `now`
def test_lockout_is_recorded(client, settings):
    student = make_student()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, student, password="wrong-password")
    assert AuditEntry.objects.filter(
        action="accounts.locked_out", target_id=str(student.pk)
    ).exists()


@pytest.mark.requirement("R3")
def test_adult_student_lets_a_parent_keep_access_and_ends_it(client):
    parent = make_parent()
    adult = make_student(birth_date=dt.date(2006, 9, 1))
    link = ParentLinkFactory(parent=parent, student=adult)
    url = reverse("accounts:parent_link_keep", args=[link.pk])
    client.force_login(adult)

    assert (
        "Сохранить доступ"
        in client.get(reverse("accounts:person", args=[adult.pk])).content.decode()
    )
    client.post(url, {"keep": "1"})
    link.refresh_from_db()
    assert link.kept_by_adult_student
    client.force_login(parent)
    assert client.get(reverse("accounts:person", args=[adult.pk])).status_code == 200

    client.force_login(adult)
    client.post(url, {"keep": "0"})
    link.refresh_from_db()
    assert not link.kept_by_adult_student
    assert (
        AuditEntry.objects.filter(
            action="accounts.parent_link_kept_changed", actor=adult
        ).count()
        == 2
    )


@pytest.mark.requirement("R3")
@pytest.mark.parametrize("who", ["minor_student", "parent", "other_student"])
def test_only_the_adult_student_decides_about_the_link(client, who):
    parent = make_parent()
    minor = make_student(birth_date=dt.date(2012, 9, 1))
    link = ParentLinkFactory(parent=parent, student=minor)
    people = {"minor_student": minor, "parent": parent, "other_student": make_student()}
    client.force_login(people[who])

    response = client.post(
        reverse("accounts:parent_link_keep", args=[link.pk]), {"keep": "1"}
    )

    assert response.status_code == 404
    link.refresh_from_db()
    assert not link.kept_by_adult_student


@pytest.mark.requirement("R3")
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("student", 302),  # the adult student decides
        ("other_student", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 302),  # records the student's decision
    ],
)
def test_parent_link_keep_role_matrix(client, who, status):
    parent = make_parent()
    adult = make_student(birth_date=dt.date(2006, 9, 1))
    link = ParentLinkFactory(parent=parent, student=adult)
    people = {
        "student": adult,
        "other_student": make_student(birth_date=dt.date(2006, 1, 1)),
        "parent": parent,
        "other_parent": make_parent(),
        "teacher": make_person(Role.TEACHER),
        "deputy": make_person(Role.DEPUTY_HEAD),
        "administrator": make_person(Role.ADMINISTRATOR),
    }
    if who != "anonymous":
        client.force_login(people[who])
    before = AuditEntry.objects.filter(
        action="accounts.parent_link_kept_changed"
    ).count()

    response = client.post(
        reverse("accounts:parent_link_keep", args=[link.pk]), {"keep": "1"}
    )

    assert response.status_code == status
    link.refresh_from_db()
    allowed = who in ("student", "administrator")
    assert link.kept_by_adult_student == allowed
    after = AuditEntry.objects.filter(action="accounts.parent_link_kept_changed")
    assert after.count() == before + allowed
    if who == "anonymous":
        assert reverse("accounts:login") in response.url


@pytest.mark.requirement("R3")
def test_the_service_refuses_whoever_may_not_decide_about_the_link():
    parent = make_parent()
    adult = make_student(birth_date=dt.date(2006, 9, 1))
    link = ParentLinkFactory(parent=parent, student=adult)
    with pytest.raises(DomainError):
        services.parent_link_set_kept(actor=parent, link=link, kept=True)
    link.refresh_from_db()
    assert not link.kept_by_adult_student
