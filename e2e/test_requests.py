"""A parent writes a request about their child to the maths teacher; the teacher
answers; the parent reads the answer and rates it (R9, R13)."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

TEACHER_NAME = (
    "from umka.accounts.models import User; "
    "print(User.objects.get(username='teacher').full_name)"
)
RATING = (
    "from umka.requests.models import Request; "
    "r = Request.objects.get(pk={pk}); print(r.status, r.rating, r.author.username)"
)


def last_line(output: str) -> str:
    """What the code printed (`manage.py shell` may announce its imports first)."""
    return output.splitlines()[-1].strip()


@pytest.mark.requirement("R9", "R13")
def test_parent_asks_the_maths_teacher_who_answers_and_gets_rated(page, site):
    teacher_name = last_line(site.shell(TEACHER_NAME))
    question = "Сын не понимает перенос слагаемых (e2e)"
    answer = "Переносим слагаемое в другую часть с противоположным знаком (e2e)."

    # The parent writes about the child in 7А.
    sign_in(page, "parent", DEMO_PASSWORD)
    page.get_by_role("link", name="Обращения").first.click()
    page.locator("#request-new").click()
    # Each choice redraws the fields that depend on it (htmx); wait for the page to
    # say which choice its fields were drawn for, not for a time.
    child = page.locator("#id_student option", has_text="7А").get_attribute("value")
    page.locator("#id_student").select_option(child)
    expect(page.locator(f'#request-fields[data-student="{child}"]')).to_have_count(1)
    algebra = page.locator("#id_subject option", has_text="Алгебра")
    expect(algebra).to_have_count(1)
    subject = algebra.get_attribute("value")
    page.locator("#id_subject").select_option(subject)
    expect(page.locator(f'#request-fields[data-subject="{subject}"]')).to_have_count(1)
    expect(page.locator("#topic-suggestions option")).not_to_have_count(0)
    expect(page.get_by_label("Учителю-предметнику")).to_be_checked()
    page.get_by_label("Категория").select_option(label="Непонятна тема")
    page.locator("#id_topic").fill("Уравнения с одной переменной")
    page.get_by_label("Ваш вопрос").fill(question)
    page.get_by_label("Письменно, здесь в Умке").check()
    page.locator("#request-send").click()

    expect(page.locator("h1")).to_contain_text("Уравнения с одной переменной")
    expect(page.locator("#request-assignee")).to_contain_text(teacher_name)
    expect(page.locator("#request-status")).to_contain_text("Новое")
    expect(page.locator("#request-due")).to_contain_text("рабоч")
    url = page.url
    pk = re.search(r"/requests/(\d+)/", url).group(1)

    # The teacher answers in writing.
    page.context.clear_cookies()
    sign_in(page, "teacher", DEMO_PASSWORD)
    page.goto("/requests/?tab=assigned")
    page.locator(f"#request-{pk} a").click()
    expect(page.locator("#request-text")).to_contain_text(question)
    page.locator("#request-take").click()
    expect(page.locator("#request-status")).to_contain_text("В работе")
    page.locator("#answer-form").get_by_label("Письменный ответ").check()
    page.locator("#answer-form textarea[name=text]").fill(answer)
    page.locator("#answer-send").click()
    expect(page.locator("#request-status")).to_contain_text("Дан ответ")

    # The parent reads the answer and rates it.
    page.context.clear_cookies()
    sign_in(page, "parent", DEMO_PASSWORD)
    page.goto(url)
    expect(page.locator("#thread .kind-answer")).to_contain_text(answer)
    page.locator("#rate-form input[name=rating][value='5']").check()
    page.locator("#rate-form textarea[name=comment]").fill("Спасибо, понятно!")
    page.locator("#rate-send").click()
    expect(page.locator("#request-rating")).to_contain_text("5 из 5")
    assert last_line(site.shell(RATING.format(pk=pk))) == "answered 5 parent"
