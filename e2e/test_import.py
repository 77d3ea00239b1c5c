"""The administrator imports people: a broken file changes nothing and reports every
bad row; a good file creates accounts whose one-time passwords force a change."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

BROKEN = Path(__file__).resolve().parent.parent / (
    "umka/imports/tests/data/broken_students.csv"
)
COUNT_PEOPLE = "from umka.accounts.models import User; print(User.objects.count())"


def upload(page, path: Path) -> None:
    page.goto("/imports/new/")
    page.locator("#import-form input[name=kind][value=students]").check()
    page.locator("#import-form input[name=file]").set_input_files(str(path))
    page.locator("#import-form button[type=submit]").click()


def test_broken_file_shows_the_row_report_and_changes_nothing(page, site):
    people_before = site.shell(COUNT_PEOPLE)
    sign_in(page, "admin", DEMO_PASSWORD)

    upload(page, BROKEN)

    expect(page.locator('#import-status[data-status="rejected"]')).to_be_visible(
        timeout=30_000
    )
    expect(page.locator("#import-rejected")).to_contain_text("ничего не изменено")
    rows = page.locator("table#import-errors tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Дата рождения")
    expect(rows.nth(0)).to_contain_text("31.02.2013")
    expect(rows.nth(1)).to_contain_text("7Я")
    expect(rows.nth(2)).to_contain_text("k.orlova.2013")
    assert [rows.nth(i).get_attribute("data-row") for i in range(3)] == ["3", "4", "5"]
    assert site.shell(COUNT_PEOPLE) == people_before


@pytest.mark.requirement("R3")
def test_good_file_creates_accounts_that_must_change_their_password(
    page, site, tmp_path
):
    good = tmp_path / "students.csv"
    good.write_text(
        "Фамилия;Имя;Отчество;Дата рождения;Класс;Логин\n"
        "Малинина;Вера;Павловна;03.04.2013;7А;malinina.vp.e2e\n"
        "Гордеев;Лев;Степанович;11.11.2012;7Б;\n",
        encoding="utf-8-sig",
    )
    sign_in(page, "admin", DEMO_PASSWORD)
    upload(page, good)
    expect(page.locator('#import-status[data-status="done"]')).to_be_visible(
        timeout=30_000
    )
    page.locator("#import-print-passwords").click()
    slip = page.locator("article.slip", has_text="Малинина Вера Павловна")
    expect(slip).to_be_visible()
    password = slip.locator(".secret").nth(1).inner_text().strip()

    page.context.clear_cookies()
    sign_in(page, "malinina.vp.e2e", password)

    expect(page.get_by_role("heading", name="Изменить пароль")).to_be_visible()
    page.get_by_label("Старый пароль").fill(password)
    page.get_by_label("Новый пароль", exact=True).fill("Malinina-2026-vera")
    page.get_by_label("Подтверждение нового пароля").fill("Malinina-2026-vera")
    page.get_by_role("button", name="Сохранить пароль").click()
    expect(page.locator("#student-home")).to_contain_text("7А")


FIND_CLASS = """
import json
from umka.core import clock
from umka.grades.policies import assignments_of
from umka.accounts.models import User
from umka.school.selectors import enrolments_on
teacher = User.objects.get(username="teacher")
lesson = assignments_of(teacher).select_related("school_class", "subject").first()
pupils = [
    e.student for e in enrolments_on(clock.today())
    .filter(school_class=lesson.school_class)
    .select_related("student").order_by("student__last_name")[:2]
]
print(json.dumps({
    "class": str(lesson.school_class),
    "subject": lesson.subject.name,
    "today": clock.today().strftime("%d.%m.%Y"),
    "pupils": [p.full_name for p in pupils],
}))
"""


@pytest.mark.requirement("R9")
def test_a_teacher_imports_a_journal_export_with_absences(page, site, tmp_path):
    import json

    found = json.loads(site.shell(FIND_CLASS).splitlines()[-1])
    first, second = found["pupils"]
    journal = tmp_path / "journal.csv"
    journal.write_text(
        "ФИО;Класс;Предмет;Дата;Оценка;Тема;Вид работы\n"
        f"{first.upper()};{found['class']};{found['subject']};{found['today']};н;"
        "Проверка импорта;работа e2e\n"
        f"{second};{found['class']};{found['subject']};{found['today']};5-;"
        "Проверка импорта;работа e2e\n",
        encoding="cp1251",
    )
    sign_in(page, "teacher", DEMO_PASSWORD)

    # The old address of the grades' upload page leads to the engine's form.
    page.goto("/grades/imports/new/")
    expect(page.locator("#import-form input[name=kind][value=grades]")).to_be_checked()
    expect(page.locator("#import-form input[name=kind][value=students]")).to_have_count(
        0
    )
    page.locator("#import-form input[name=file]").set_input_files(str(journal))
    page.locator("#import-form button[type=submit]").click()

    expect(page.locator('#import-status[data-status="done"]')).to_be_visible(
        timeout=30_000
    )
    expect(page.locator("#import-summary")).to_contain_text("Добавлено: 2")
    expect(page.locator("#import-summary")).to_contain_text("1 отсутствие")
