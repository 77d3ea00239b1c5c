"""A forum post appears in another open browser without a reload (R6): the demo
`student` starts a thread in the forum of «Алгебра, 7А»; the demo `teacher`
has the thread open; the student replies; the teacher's page shows the reply
— the same page (a marker set on it survives), waiting only on the page's own
signals (`#thread[data-live="open"]`, `article#post-<id>`), never on time. The
teacher then hides it with a reason; the student's open page shows the
reason without a reload.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

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


@pytest.mark.requirement("R6")
def test_a_post_appears_in_another_open_browser_without_a_reload(browser, site, page):
    space_id = site.shell(SPACE_OF_7A).splitlines()[-1]

    # The student starts a thread.
    sign_in(page, "student", DEMO_PASSWORD)
    page.goto(f"/forums/space/{space_id}/")
    page.get_by_role("link", name="Новая тема").click()
    page.get_by_label("Название темы").fill("Вопрос в браузере: как найти k?")
    page.get_by_label("Сообщение").fill("Как найти $k$ по двум точкам?")
    page.get_by_role("button", name="Начать тему").click()
    expect(
        page.get_by_role("heading", name="Вопрос в браузере: как найти k?")
    ).to_be_visible()
    thread_url = page.url

    # The teacher has the thread open, connected.
    teacher = browser.new_context(
        base_url=site.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )
    try:
        teacher_page = teacher.new_page()
        sign_in(teacher_page, "teacher", DEMO_PASSWORD)
        teacher_page.goto(thread_url)
        expect(teacher_page.locator("#thread")).to_have_attribute("data-live", "open")
        teacher_page.evaluate("window.umkaMarker = 'the same page'")
        expect(teacher_page.locator("#posts article.post")).to_have_count(1)

        # The student replies; the teacher's open page shows it.
        expect(page.locator("#thread")).to_have_attribute("data-live", "open")
        page.get_by_label("Ваш ответ").fill(
            "Нашёл: $k = \\frac{y_2 - y_1}{x_2 - x_1}$."
        )
        page.get_by_role("button", name="Отправить").click()
        reply = page.locator("#posts article.post").last
        expect(reply).to_contain_text("Нашёл")
        reply_id = reply.get_attribute("id")
        assert re.fullmatch(r"post-\d+", reply_id)

        arrived = teacher_page.locator(f"#{reply_id}")
        expect(arrived).to_contain_text("Нашёл")
        expect(arrived.locator(".katex").first).to_be_visible()  # typeset too
        assert teacher_page.evaluate("window.umkaMarker") == "the same page"

        # The teacher hides it with a reason; the student's page shows why.
        expect(page.locator("#thread")).to_have_attribute("data-live", "open")
        page.evaluate("window.umkaMarker = 'still the same page'")
        arrived.locator("summary", has_text="Скрыть").click()
        arrived.get_by_label("Причина (автор её увидит)").fill("Уточните вопрос")
        arrived.get_by_role("button", name="Скрыть сообщение").click()
        expect(teacher_page.get_by_role("status")).to_contain_text("Сообщение скрыто")
        hidden = page.locator(f"#{reply_id}")
        expect(hidden.locator(".hide-reason")).to_have_text("Уточните вопрос")
        assert page.evaluate("window.umkaMarker") == "still the same page"
    finally:
        teacher.close()
