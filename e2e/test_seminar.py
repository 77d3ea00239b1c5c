"""A whole seminar with peer review (R6), in the browser: the demo `teacher`
sets it up in «Алгебра, 7А» with a criterion and its descriptors and opens the
submission; the demo `student` and a classmate submit from phones, each page
saying in one line what to do now; the teacher starts the peer assessment
(each is given the other's work, anonymously); both assess; the teacher grades
each work and each student's assessing from the queue «Проверить», with
reviews, and closes the seminar; the student reads both grades, the review
and the classmate's assessment of their work (without the classmate's name).
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

TITLE = "Семинар в браузере: функции вокруг нас"

SPACE_AND_CLASSMATE = """
from umka.accounts.models import User
from umka.courses.models import SpaceTeacher
from umka.school.models import Enrolment
from umka.school.selectors import current_enrolment
from umka.core import clock
student = User.objects.get(username="student")
klass = current_enrolment(student, clock.today()).school_class
link = SpaceTeacher.objects.get(
    teacher__username="teacher", space__school_class=klass,
    space__subject__name="Алгебра",
)
mate = (
    Enrolment.objects.filter(school_class=klass, ends_on__isnull=True)
    .exclude(student=student).order_by("student__last_name").first().student
)
print(link.space_id, mate.username, mate.last_name, student.last_name)
"""


def _phone(browser, site):
    return browser.new_context(
        base_url=site.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )


def _next_phase(page, name: str) -> None:
    page.get_by_role("button", name=f"Перейти к фазе «{name}»").click()
    expect(page.get_by_role("status")).to_contain_text(f"Семинар в фазе «{name}»")


def _submit(page, seminar_url: str, title: str, text: str) -> None:
    page.goto(seminar_url)
    expect(page.locator("#todo")).to_contain_text("Сдайте работу до")
    page.get_by_label("Название работы").fill(title)
    page.get_by_label("Ваша работа").fill(text)
    page.get_by_role("button", name="Сдать работу").click()
    expect(page.get_by_role("status")).to_contain_text("Работа сдана")


def _assess(page, seminar_url: str, comment: str) -> None:
    page.goto(seminar_url)
    expect(page.locator("#todo")).to_contain_text("Оцените 1 работу одноклассников")
    page.locator("#to-assess").get_by_role("link", name=re.compile("Работа 1")).click()
    form = page.locator("#assess-form")
    form.get_by_label(re.compile(r"3 — пример точный")).check()
    form.get_by_label("Комментарий автору").fill(comment)
    form.get_by_role("button", name="Сохранить оценку").click()
    expect(page.get_by_role("status")).to_contain_text("Ваша оценка сохранена")
    expect(page.locator("#todo")).to_contain_text("Вы оценили все порученные работы")


def _grade(page, author: str, mark: str, review: str) -> None:
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Проверить"
    ).click()
    page.locator("#queue tr", has_text=author).filter(has_text=TITLE).get_by_role(
        "link", name=TITLE
    ).first.click()
    form = page.locator("#grade-form")
    form.get_by_label("Оценка за работу").select_option(mark)
    form.get_by_label("Рецензия на работу").fill(review)
    form.get_by_label("Оценка за оценивание работ одноклассников").select_option("4")
    # One assessor a work: nothing to compare with, the teacher writes it all.
    form.get_by_label("Рецензия на оценивание").fill("Оценка честная, с пояснением.")
    form.get_by_role("button", name="Сохранить оценки и рецензию").click()
    expect(page.get_by_role("status")).to_contain_text("Оценки и рецензия сохранены")


@pytest.mark.requirement("R6")
def test_two_students_and_a_teacher_go_through_a_whole_seminar(browser, site, page):
    line = site.shell(SPACE_AND_CLASSMATE).splitlines()[-1]
    space_id, mate_login, mate_name, student_name = line.split()

    # The teacher sets it up: settings, a criterion with descriptors, submission.
    sign_in(page, "teacher", DEMO_PASSWORD)
    page.goto(f"/courses/{space_id}/")
    page.get_by_role("link", name="Новый семинар").click()
    page.get_by_label("Название").fill(TITLE)
    page.get_by_label("Тема").fill("Линейная функция")
    page.get_by_label("Приём работ открывается").fill("2020-01-01T08:00")
    page.get_by_label("Сдать работу до").fill("2098-01-01T20:00")
    page.get_by_label("Оценить работы до").fill("2099-01-01T20:00")
    page.get_by_label("Переключать фазы по этим датам").uncheck()
    page.get_by_label("Каждую работу оценивают").fill("1")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", name="Критерии оценивания")).to_be_visible()
    page.locator("#title_0").fill("Пример и формула")
    page.locator("#points_0").fill("3")
    page.locator("#levels_0").fill(
        "3 — пример точный, формула верна\n1 — есть пример, нет формулы\n0 — нет"
    )
    page.get_by_role("button", name="Сохранить критерии").click()
    expect(page.locator("#todo")).to_contain_text("Откройте приём работ")
    seminar_url = page.url
    _next_phase(page, "Сдача работ")

    student, mate = _phone(browser, site), _phone(browser, site)
    try:
        student_page, mate_page = student.new_page(), mate.new_page()
        sign_in(student_page, "student", DEMO_PASSWORD)
        sign_in(mate_page, mate_login, DEMO_PASSWORD)
        _submit(student_page, seminar_url, "Такси", "Цена поездки $y = 60 + 25x$.")
        assert student_page.evaluate("document.documentElement.scrollWidth") <= 390
        _submit(mate_page, seminar_url, "Свеча", "Длина свечи $h = 20 - 2t$.")

        # The assessment: each is given the other's work, without its author.
        page.goto(seminar_url)
        _next_phase(page, "Взаимное оценивание")
        expect(page.locator("#roster")).to_contain_text(mate_name)
        _assess(student_page, seminar_url, "Хороший пример, формула верна.")
        expect(student_page.locator("main")).not_to_contain_text(mate_name)
        _assess(mate_page, seminar_url, "Понятно, но не хватает графика.")

        # The teacher grades both from the queue and closes the seminar.
        page.goto(seminar_url)
        _next_phase(page, "Оценивание учителем")
        _grade(page, student_name, "5", "Пример жизненный, формула и вывод верны.")
        _grade(page, mate_name, "4", "Верно, но без графика.")
        page.goto(seminar_url)
        _next_phase(page, "Закрыто")

        # The student reads the grades, the review and the classmate's comment.
        student_page.goto(seminar_url)
        expect(student_page.locator("#todo")).to_contain_text("Семинар завершён")
        expect(student_page.locator("#work-grade")).to_have_text("5")
        expect(student_page.locator("#assessing-grade")).to_have_text("4")
        expect(student_page.locator("#review")).to_contain_text("Пример жизненный")
        received = student_page.locator("#received")
        expect(received).to_contain_text("Понятно, но не хватает графика.")
        expect(received).to_contain_text("Одноклассник 1")
        expect(received).not_to_contain_text(mate_name)
    finally:
        student.close()
        mate.close()
