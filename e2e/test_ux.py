"""What families meet first (issue 14): nothing typed is lost on a slow connection,
and what cannot be undone asks first."""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

BOOKED = """
import datetime as dt
from django.utils import timezone
from umka.accounts.models import User
from umka.bookings import services, windows
from umka.core.errors import DomainError

teacher = User.objects.get(username="teacher")
student = User.objects.get(username="student")
parent = User.objects.get(username="parent")
today = timezone.localdate()
opened = None
for days in range(3, 60):
    day = today + dt.timedelta(days=days)
    if day.weekday() >= 5:
        continue
    for hour in (14, 20, 9):
        try:
            (opened,) = windows.windows_open(
                actor=teacher, organiser=teacher, dates=[day],
                start_time=dt.time(hour, 0), end_time=dt.time(hour, 15),
                slot_minutes=15, how_to_join="https://meet.example.org/ux",
            )
        except DomainError:
            continue
        break
    if opened:
        break
slot = opened.slots.first()
booking = services.booking_create(actor=parent, slot=slot, student=student, note="ux")
print(booking.pk)
"""


def test_a_slow_subject_redraw_keeps_what_the_parent_typed(page):
    sign_in(page, "parent", DEMO_PASSWORD)
    page.goto("/requests/new/")
    student = page.locator("#request-fields").get_attribute("data-student")
    page.get_by_label("Категория").select_option(label="Непонятна тема")
    page.locator("#id_topic").fill("Дроби")
    page.get_by_label("Ваш вопрос").fill("Набрано до выбора предмета")
    expect(page.locator("#request-form[data-draft-state=saved]")).to_have_count(1)

    # A slow network (Chromium's own throttling): the redraw of the fields answers
    # late, and the parent keeps typing while it is on its way.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 1500,
            "downloadThroughput": 50_000,
            "uploadThroughput": 50_000,
        },
    )
    subject = page.locator("#id_subject option").nth(1).get_attribute("value")
    with page.expect_response(re.compile(r"/requests/new/\?")):
        page.locator("#id_subject").select_option(subject)
        page.get_by_label("Ваш вопрос").press_sequentially(" и во время")
    expect(page.locator(f'#request-fields[data-subject="{subject}"]')).to_have_count(1)
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )
    expect(page.get_by_label("Категория")).to_have_value("topic")
    expect(page.locator("#id_topic")).to_have_value("Дроби")
    expect(page.get_by_label("Ваш вопрос")).to_have_value(
        "Набрано до выбора предмета и во время"
    )
    expect(page.locator("#request-fields")).to_have_attribute("data-student", student)

    # The connection drops on sending: the draft is back when the form is opened.
    page.route(re.compile(r"/requests/new/$"), lambda route: route.abort())
    with page.expect_event("requestfailed"):
        page.locator("#request-send").click()
    page.unroute(re.compile(r"/requests/new/$"))
    page.goto("/requests/new/")
    expect(page.locator("#request-form[data-draft-state=restored]")).to_have_count(1)
    expect(page.locator("#id_topic")).to_have_value("Дроби")
    expect(page.get_by_label("Ваш вопрос")).to_have_value(
        "Набрано до выбора предмета и во время"
    )


def test_cancelling_a_booking_asks_first(page, site):
    booking = site.shell(BOOKED).splitlines()[-1]
    sign_in(page, "parent", DEMO_PASSWORD)
    page.goto(f"/bookings/{booking}/")
    cancel = page.locator("#booking-cancel")
    expect(cancel).to_have_class(re.compile("danger"))

    cancel.click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Нет, оставить").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#booking-cancel")).to_be_visible()

    cancel.click()
    dialog.get_by_role("button", name="Да, отменить запись").click()
    expect(page.get_by_role("status")).to_contain_text("Запись отменена")
