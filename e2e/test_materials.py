"""Learning materials by role (R2), in the browser.

The demo `teacher` uploads a PDF for 7А through the form and publishes it; the
demo `student` (7А) finds it by the text inside the file and opens it, the first
page's picture (made by the task worker) showing; the demo `parent` opens it from
the library too; a student of 7Б neither finds it nor opens it by its address.
Every wait is on the page's own signals (the preview's data-state, messages,
the results' count), never on time.
"""

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in, sign_out
from umka.demo.logins import DEMO_PASSWORD
from umka.materials.samples import pdf_bytes

STUDENT_OF_7B = """
from umka.school.models import Enrolment
e = (Enrolment.objects.filter(school_class__grade=7, school_class__letter="Б",
     ends_on__isnull=True).select_related("student").order_by("student_id").first())
print(e.student.username)
"""
TITLE = "Контрольная по уравнениям: разбор"
INSIDE = "Параллелограмм Вариньона"


def open_library(page) -> None:
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Материалы"
    ).click()
    expect(page.get_by_role("heading", name="Учебные материалы")).to_be_visible()


def search(page, query: str) -> None:
    page.get_by_label("Поиск по названию и по тексту внутри").fill(query)
    page.get_by_role("button", name="Найти").click()
    expect(page.locator("#materials-results")).to_be_visible()


@pytest.mark.requirement("R2")
def test_a_teachers_material_for_7a_reaches_7a_and_its_parents_only(
    browser, site, page, tmp_path
):
    pdf = tmp_path / "Разбор.pdf"
    pdf.write_bytes(pdf_bytes(TITLE, [INSIDE, "Решения задач 1–5."]))
    other_student = site.shell(STUDENT_OF_7B).splitlines()[-1]

    # The teacher uploads the PDF for 7А and publishes it.
    sign_in(page, "teacher", DEMO_PASSWORD)
    open_library(page)
    page.get_by_role("link", name="Новый материал").click()
    form = page.locator("#material-form")
    form.get_by_label("Вид").select_option("file")
    form.get_by_label("Название").fill(TITLE)
    form.get_by_label("Файл").set_input_files(str(pdf))
    form.get_by_label("7А", exact=True).check()
    form.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Материал сохранён как черновик.")).to_be_visible()
    page.get_by_role("button", name="Опубликовать сейчас").click()
    expect(page.get_by_text("Материал опубликован.")).to_be_visible()
    material_url = page.url
    sign_out(page)

    # The 7А student finds it by the text inside the PDF and opens it.
    sign_in(page, "student", DEMO_PASSWORD)
    open_library(page)
    search(page, "вариньона")
    page.get_by_role("link", name=TITLE).click()
    preview = page.locator("#material-preview")
    expect(preview).to_have_attribute("data-state", "ready", timeout=60_000)
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.naturalWidth") > 0
    sign_out(page)

    # Their parent opens it from the library.
    sign_in(page, "parent", DEMO_PASSWORD)
    open_library(page)
    search(page, "разбор уравнений")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#material-preview")).to_have_attribute("data-state", "ready")
    sign_out(page)

    # A 7Б student neither finds it nor opens it by its address.
    sign_in(page, other_student, DEMO_PASSWORD)
    open_library(page)
    search(page, "вариньона")
    expect(page.locator("#materials-nothing")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    response = page.goto(material_url)
    assert response.status == 404
    response = page.goto(material_url + "file/")
    assert response.status == 404

    # The teacher sees that the student and the parent opened it.
    if page.locator("#person-menu").count():  # still signed in (a 404 page)
        sign_out(page)
    sign_in(page, "teacher", DEMO_PASSWORD)
    page.goto(material_url + "opened/")
    expect(page.locator("#openings-summary")).to_contain_text("Открыли: 2")
