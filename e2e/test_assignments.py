"""An e-assignment from setting to the parent reading the review (R6), and no
script-injection payload runs anywhere in deferred work, in the browser.

The demo `teacher` sets an assignment in «Алгебра, 7А» with a question checked
automatically and a written part, and publishes it; the demo `student` submits
from a 390 px wide phone screen; the teacher grades it from the queue
«Проверить» and writes the review; the demo `parent` reads the grade and the
review on the results page.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.core.tests.payloads import xss_payloads
from umka.demo.logins import DEMO_PASSWORD

TITLE = "Уравнения: проверка в браузере"
REVIEW = "Решение верное, вывод записан аккуратно. Проверьте единицы измерения."

SPACE_OF_7A = """
from umka.accounts.models import User
from umka.courses.models import SpaceTeacher
from umka.school.selectors import current_enrolment
from umka.core import clock
student = User.objects.get(username="student")
klass = current_enrolment(student, clock.today()).school_class
link = SpaceTeacher.objects.get(
    teacher__username="teacher", space__school_class=klass,
    space__subject__name="Алгебра",
)
print(link.space_id)
"""


def _phone(browser, site):
    return browser.new_context(
        base_url=site.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )


@pytest.mark.requirement("R6")
def test_teacher_sets_student_submits_teacher_reviews_parent_reads(browser, site, page):
    space_id = site.shell(SPACE_OF_7A).splitlines()[-1]

    # The teacher sets the assignment.
    sign_in(page, "teacher", DEMO_PASSWORD)
    page.goto(f"/courses/{space_id}/")
    page.get_by_role("link", name="Новое задание").click()
    page.get_by_label("Название").fill(TITLE)
    page.get_by_label("Тема").fill("Линейные уравнения")
    page.locator("#id_instructions").fill("Решите. Формулы: $3x - 6 = 0$.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assignment_url = page.url

    page.get_by_label("Добавить часть").select_option("single")
    page.locator("#part-add").click()
    page.get_by_label("Вопрос").fill("Корень уравнения $3x - 6 = 0$:")
    page.get_by_label("Варианты ответа").fill("+ 2\n-2\n3")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_label("Добавить часть").select_option("text")
    page.locator("#part-add").click()
    page.get_by_label("Вопрос").fill("Объясните решение.")
    page.get_by_label("Баллы").fill("3")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#parts li.part")).to_have_count(2)
    page.locator("#assignment-publish").click()
    expect(page.get_by_role("status")).to_contain_text("Задание опубликовано")

    # The student submits from a phone.
    student = _phone(browser, site)
    student_page = student.new_page()
    try:
        sign_in(student_page, "student", DEMO_PASSWORD)
        student_page.goto(assignment_url)
        form = student_page.locator("#answer-form")
        expect(form).to_be_visible()
        # KaTeX typeset the maths (served by the project itself).
        expect(student_page.locator("#instructions .katex").first).to_be_visible()
        form.get_by_label("2", exact=True).check()
        form.get_by_label("Ваш ответ").fill("Перенёс 6 вправо и разделил на 3.")
        width = student_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        form.get_by_role("button", name="Отправить").click()
        expect(student_page.get_by_role("status")).to_contain_text("Работа сдана")
        expect(student_page.locator("#submission-status")).to_have_text("Ждёт проверки")
    finally:
        student.close()

    # The teacher grades it from the queue and writes the review.
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Проверить"
    ).click()
    page.locator("#queue").get_by_role("link", name=TITLE).first.click()
    expect(page.locator("#grade-form")).to_be_visible()
    page.get_by_label("Оценка").select_option("5")
    page.get_by_label("Рецензия").fill(REVIEW)
    page.get_by_role("button", name="Сохранить оценку и рецензию").click()
    expect(page.get_by_role("status")).to_contain_text("Оценка и рецензия сохранены")

    # The parent reads the grade and the review.
    parent = _phone(browser, site)
    parent_page = parent.new_page()
    try:
        sign_in(parent_page, "parent", DEMO_PASSWORD)
        parent_page.get_by_role("navigation", name="Основное меню").get_by_role(
            "link", name="Результаты"
        ).click()
        whose = parent_page.get_by_role("navigation", name="Чьи результаты")
        # The demo's names are drawn afresh each day: ask the database.
        child = site.shell(STUDENT_NAME).splitlines()[-1]
        whose.get_by_role("link", name=child).click()
        result = parent_page.locator("#results li.result", has_text=TITLE)
        expect(result.locator(".grade")).to_have_text("Оценка: 5")
        expect(result.locator(".review")).to_contain_text("Проверьте единицы измерения")
    finally:
        parent.close()


STUDENT_NAME = """
from umka.accounts.models import User
print(User.objects.get(username="student").short_name)
"""


def _csrf(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")


def _post(context, url, form) -> str:
    response = context.request.post(
        url,
        form={**form, "csrfmiddlewaretoken": _csrf(context)},
        headers={"Referer": url},
        max_redirects=0,
    )
    assert response.status in (200, 302), (url, response.status, response.text()[:500])
    return response.headers.get("location", "")


@pytest.mark.requirement("R6")
def test_no_payload_runs_in_instructions_answers_or_reviews(browser, site):
    """Every payload of the shared list is posted through the real forms into
    instructions, a question, an answer and a review; no page runs it."""
    space_id = site.shell(SPACE_OF_7A).splitlines()[-1]
    payloads = xss_payloads()
    teacher = browser.new_context(base_url=site.url, locale="ru-RU")
    student = browser.new_context(base_url=site.url, locale="ru-RU")
    try:
        for context, login in ((teacher, "teacher"), (student, "student")):
            page = context.new_page()
            sign_in(page, login, DEMO_PASSWORD)
            expect(page.get_by_role("navigation", name="Основное меню")).to_be_visible()
            page.close()
        pages = []
        for n, payload in enumerate(payloads):
            location = _post(
                teacher,
                f"{site.url}/assignments/new/{space_id}/",
                {
                    "title": f"XSS {n}",
                    "topic": payload[:200],
                    "instructions": payload,
                    "opens_at": "2020-01-01T08:00",
                    "due_at": "2099-01-01T20:00",
                    "attempts_allowed": "1",
                    "counts": "last",
                    "scale": "five",
                    "show_scores": "at_once",
                },
            )
            assignment = re.search(r"/assignments/(\d+)/", location).group(1)
            _post(
                teacher,
                f"{site.url}/assignments/{assignment}/parts/new/",
                {"kind": "text", "text": payload, "points": "1"},
            )
            _post(teacher, f"{site.url}/assignments/{assignment}/publish/", {})
            form = student.request.get(f"{site.url}/assignments/{assignment}/").text()
            part = re.search(r'name="p(\d+)"', form).group(1)
            location = _post(
                student,
                f"{site.url}/assignments/{assignment}/submit/",
                {"token": str(uuid.uuid4()), f"p{part}": payload},
            )
            submission = re.search(r"/submissions/(\d+)/", location).group(1)
            _post(
                teacher,
                f"{site.url}/assignments/submissions/{submission}/grade/",
                {"version": "0", "mark": "4", "review": payload},
            )
            pages.append((student, f"/assignments/{assignment}/"))
            pages.append((student, f"/assignments/submissions/{submission}/"))
        pages.append((student, "/courses/results/"))
        pages.append((teacher, f"/courses/{space_id}/"))
        dialogs = []
        for context, url in pages:
            page = context.new_page()
            page.on(
                "dialog",
                lambda d, url=url: (dialogs.append((url, d.message)), d.dismiss()),
            )
            page.goto(url)
            page.wait_for_load_state("load")
            page.close()
        assert dialogs == []
    finally:
        teacher.close()
        student.close()
