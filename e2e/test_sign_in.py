"""Each role signs in and lands on its own home page; a wrong password is explained."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import open_menu, sign_in
from umka.demo.logins import DEMO_LOGINS, DEMO_PASSWORD

ALL_SECTIONS = {
    "student-home",
    "parent-home",
    "teacher-home",
    "work-home",
    "admin-home",
}


@pytest.mark.parametrize("demo", DEMO_LOGINS, ids=lambda d: d.username)
def test_each_role_signs_in_and_sees_its_home_page(page, demo):
    sign_in(page, demo.username, DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    open_menu(page)
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    for section in demo.sections:
        expect(page.locator(f"#{section}")).to_be_visible()
    for section in ALL_SECTIONS - set(demo.sections):
        expect(page.locator(f"#{section}")).to_have_count(0)


@pytest.mark.requirement("R3")
def test_parent_sees_both_children(page):
    sign_in(page, "parent", DEMO_PASSWORD)
    expect(page.locator("#parent-home .child-card")).to_have_count(2)


def test_wrong_password_shows_a_clear_message(page):
    sign_in(page, "student", "not-the-password")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Неверный логин или пароль")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.requirement("R3")
def test_student_cannot_open_another_students_profile(page, site):
    other_id = site.shell(
        "from umka.accounts.models import User;"
        "print(User.objects.filter(role_assignments__role='student')"
        ".exclude(username='student').order_by('pk').first().pk)"
    )
    sign_in(page, "student", DEMO_PASSWORD)
    response = page.goto(f"/accounts/people/{other_id}/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()


def test_switching_to_english(page):
    sign_in(page, "student", DEMO_PASSWORD)
    open_menu(page)
    page.get_by_label("Язык").select_option("en")
    expect(page.get_by_role("heading", name="My studies")).to_be_visible()
