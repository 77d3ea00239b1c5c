import datetime as dt

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_parent, make_person, make_student
from umka.audit.models import AuditEntry
from umka.notifications.models import Notification, NotificationPreference
from umka.notifications.tests.factories import KIND, NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")
SETTINGS_URL = reverse("notifications:settings")
READ_ALL_URL = reverse("notifications:mark_all_read")

ROLES = {
    "student": (Role.STUDENT,),
    "parent": (Role.PARENT,),
    "teacher": (Role.TEACHER,),
    "deputy": (Role.DEPUTY_HEAD,),
    "administrator": (Role.ADMINISTRATOR,),
    "director": (Role.DIRECTOR,),
}
EVERYONE = [*ROLES, "superuser"]


def _person(who: str):
    if who == "superuser":
        return make_person(is_superuser=True)
    return make_person(*ROLES[who])


def _open_url(notice) -> str:
    return reverse("notifications:open", args=[notice.pk])


def _state() -> list[tuple]:
    return list(Notification.objects.order_by("pk").values_list("pk", "read_at"))


def _assert_sent_to_sign_in(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Anonymous ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST_URL),
        ("get", SETTINGS_URL),
        ("post", SETTINGS_URL),
        ("post", READ_ALL_URL),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, school, method, url):
    NotificationFactory()
    before = _state()

    response = getattr(client, method)(url, {"email_enabled": ""})

    _assert_sent_to_sign_in(response)
    assert _state() == before
    assert not NotificationPreference.objects.exists()


def test_anonymous_visitor_cannot_open_a_notice(client, school):
    notice = NotificationFactory()

    response = client.get(_open_url(notice))

    _assert_sent_to_sign_in(response)
    notice.refresh_from_db()
    assert notice.read_at is None


# --- The centre ------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_centre_shows_each_person_only_their_own(client, school, who):
    person = _person(who)
    mine = NotificationFactory(recipient=person, title="Моё уведомление")
    NotificationFactory(recipient=make_student(), title="Чужое уведомление")
    client.force_login(person)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [mine.pk]
    content = response.content.decode()
    assert "Моё уведомление" in content
    assert "Чужое уведомление" not in content


def test_centre_lists_newest_first_and_highlights_unread(client, school):
    person = make_parent()
    base = dt.datetime(2030, 3, 12, 9, 0, tzinfo=dt.UTC)
    old = NotificationFactory(recipient=person, created_at=base, read_at=base)
    new = NotificationFactory(recipient=person, created_at=base + dt.timedelta(hours=1))
    client.force_login(person)

    response = client.get(LIST_URL)

    assert [n.pk for n in response.context["page"].object_list] == [new.pk, old.pk]
    content = response.content.decode()
    assert content.count("notification is-unread") == 1
    assert "1 непрочитанное" in content
    assert "Отметить все как прочитанные" in content
    assert _open_url(new) in content


def test_centre_is_paginated(client, school):
    person = make_student()
    NotificationFactory.create_batch(25, recipient=person)
    client.force_login(person)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert "Страница 2 из 2" in second.content.decode()


def test_centre_query_count_is_pinned(client, school, django_assert_num_queries):
    person = make_parent()
    NotificationFactory.create_batch(
        5, recipient=person, actor=make_person(Role.TEACHER)
    )
    client.force_login(person)
    client.get(LIST_URL)  # warm the caches (school)

    # session, user, roles, unread count, page count, the page with senders
    with django_assert_num_queries(6):
        few = client.get(LIST_URL)
    NotificationFactory.create_batch(
        45, recipient=person, actor=make_person(Role.TEACHER)
    )
    with django_assert_num_queries(6):
        many = client.get(LIST_URL)

    assert len(few.context["page"].object_list) == 5
    assert len(many.context["page"].object_list) == 20


def test_the_centre_is_read_only(client, school):
    person = make_parent()
    NotificationFactory(recipient=person)
    client.force_login(person)
    before = _state()

    response = client.post(LIST_URL)

    assert response.status_code == 405
    assert _state() == before


# --- Opening a notice ---------------------------------------------------------------


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, school):
    notice = NotificationFactory(url="/schedule/?week=12")
    client.force_login(notice.recipient)

    response = client.get(_open_url(notice))

    assert response.status_code == 302
    assert response["Location"] == "/schedule/?week=12"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_opening_a_notice_without_a_link_returns_to_the_centre(client, school):
    notice = NotificationFactory(url="")
    client.force_login(notice.recipient)

    response = client.get(_open_url(notice))

    assert response["Location"] == LIST_URL
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_link_to_another_site_is_never_followed(client, school):
    notice = NotificationFactory(url="https://evil.example/")  # bypassing notify()
    client.force_login(notice.recipient)

    response = client.get(_open_url(notice))

    assert response["Location"] == LIST_URL


@pytest.mark.parametrize("who", EVERYONE)
def test_nobody_opens_someone_elses_notice(client, school, who):
    notice = NotificationFactory(recipient=make_student())
    client.force_login(_person(who))
    before = _state()

    response = client.get(_open_url(notice))

    assert response.status_code == 404
    assert _state() == before


def test_another_parent_gets_404_like_a_missing_notice(client, school):
    notice = NotificationFactory(recipient=make_parent())
    client.force_login(make_parent())

    assert client.get(_open_url(notice)).status_code == 404
    assert client.get(reverse("notifications:open", args=[10**9])).status_code == 404


# --- Mark all as read ---------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_mark_all_read_touches_only_ones_own(client, school, who):
    person = _person(who)
    NotificationFactory.create_batch(3, recipient=person)
    others = NotificationFactory.create_batch(2, recipient=make_parent())
    client.force_login(person)

    response = client.post(READ_ALL_URL, follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "3 уведомления отмечены как прочитанные." in response.content.decode()
    assert not Notification.objects.filter(
        recipient=person, read_at__isnull=True
    ).exists()
    assert (
        Notification.objects.filter(
            pk__in=[n.pk for n in others], read_at__isnull=True
        ).count()
        == 2
    )


def test_mark_all_read_needs_post(client, school):
    person = make_parent()
    NotificationFactory(recipient=person)
    client.force_login(person)
    before = _state()

    assert client.get(READ_ALL_URL).status_code == 405
    assert _state() == before


# --- Settings -------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_settings_page_opens_for_everyone_signed_in(client, school, who):
    client.force_login(_person(who))

    response = client.get(SETTINGS_URL)

    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()  # a GET creates nothing


@pytest.mark.parametrize(
    ("who", "shown"),
    [("student", True), ("parent", True), ("teacher", False), ("director", False)],
)
def test_the_evening_choice_is_offered_to_students_and_parents(
    client, school, who, shown
):
    client.force_login(_person(who))

    form = client.get(SETTINGS_URL).context["form"]

    assert ("evening_email" in form.fields) is shown
    assert "email_enabled" in form.fields


def test_without_an_address_there_is_nothing_to_choose(client, school):
    client.force_login(make_parent(email=""))

    response = client.get(SETTINGS_URL)

    # Only the reminders of consultations, which come in Umka too.
    assert set(response.context["form"].fields) == {
        "remind_day_before",
        "remind_hour_before",
    }
    assert "нет адреса электронной почты" in response.content.decode()


@pytest.mark.requirement("R4")
@pytest.mark.parametrize(
    ("who", "shown"),
    [("student", True), ("parent", True), ("teacher", False), ("director", False)],
)
def test_reminders_of_consultations_are_offered_to_their_audience(
    client, school, who, shown
):
    client.force_login(_person(who))

    response = client.get(SETTINGS_URL)

    assert ("remind_day_before" in response.context["form"].fields) is shown
    assert ("Напоминания о консультациях" in response.content.decode()) is shown


@pytest.mark.requirement("R4")
def test_a_parent_without_an_address_keeps_only_the_hour_before_reminder(
    client, school
):
    parent = make_parent(email="")
    client.force_login(parent)

    response = client.post(SETTINGS_URL, {"remind_hour_before": "on"})

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=parent)
    assert preference.remind_day_before is False
    assert preference.remind_hour_before is True
    assert preference.email_enabled is True  # not on the page: unchanged
    entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.changes == {"remind_day_before": [True, False]}


def test_a_parent_allows_evening_email_and_mutes_a_kind(client, school):
    parent = make_parent()
    client.force_login(parent)

    response = client.post(
        SETTINGS_URL, {"email_enabled": "on", "evening_email": "on"}, follow=True
    )

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Настройки уведомлений сохранены." in response.content.decode()
    preference = NotificationPreference.objects.get(user=parent)
    assert preference.email_enabled is True
    assert preference.evening_email is True
    assert preference.email_muted_kinds == [KIND]  # its box was not ticked
    entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.actor == parent


def test_a_teacher_switches_email_off(client, school):
    teacher = make_person(Role.TEACHER)
    client.force_login(teacher)

    client.post(SETTINGS_URL, {"email_kinds": [KIND]})

    preference = NotificationPreference.objects.get(user=teacher)
    assert preference.email_enabled is False
    assert preference.evening_email is False
    assert preference.email_muted_kinds == []


def test_an_unknown_kind_is_refused(client, school):
    teacher = make_person(Role.TEACHER)
    client.force_login(teacher)

    response = client.post(
        SETTINGS_URL, {"email_enabled": "on", "email_kinds": ["x.y"]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not NotificationPreference.objects.exists()
