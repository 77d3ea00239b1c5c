"""An individual consultation from booking to outcome (R5), in the browser.

The demo `teacher` opens a window (through the booking service, R7 checked); the
demo `parent` books a slot of it for their child `student` with a note, and sees
the notice in the header and the notification centre; once the meeting has taken
place (the test moves the window into the past) the teacher marks it held with an
outcome note; the parent reads it on the booking's page.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import reload_until_visible, sign_in
from umka.demo.logins import DEMO_PASSWORD

OPEN_WINDOW = """
import datetime as dt
from django.utils import timezone
from umka.accounts.models import User
from umka.bookings import windows
from umka.core.errors import DomainError

teacher = User.objects.get(username="teacher")
today = timezone.localdate()
opened = None
for days in range(2, 60):
    day = today + dt.timedelta(days=days)
    if day.weekday() >= 5:
        continue
    for hour in (13, 19, 8):
        try:
            (opened,) = windows.windows_open(
                actor=teacher, organiser=teacher, dates=[day],
                start_time=dt.time(hour, 0), end_time=dt.time(hour, 30),
                slot_minutes=15, how_to_join="https://meet.example.org/umka-e2e",
            )
        except DomainError:
            continue
        break
    if opened:
        break
print(opened.pk)
"""

NAMES = """
from umka.accounts.models import User
student = User.objects.get(username="student")
teacher = User.objects.get(username="teacher")
print(student.short_name + "|" + teacher.full_name)
"""

MOVE_INTO_THE_PAST = """
import datetime as dt
from django.db.models import F
from django.utils import timezone
from umka.bookings.models import Booking, BookingWindow, Slot

booking = Booking.objects.get(pk={pk})
window = booking.window
shift = timezone.now() - dt.timedelta(hours=1) - window.starts_at
BookingWindow.objects.filter(pk=window.pk).update(
    starts_at=F("starts_at") + shift,
    ends_at=F("ends_at") + shift,
    opens_at=F("opens_at") + shift,
)
Slot.objects.filter(window=window).update(
    starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift
)
print("moved")
"""


@pytest.mark.requirement("R5")
def test_parent_books_teacher_marks_held_parent_reads_the_outcome(browser, site, page):
    # (`manage.py shell` may print a line of its own first: take the last one.)
    window_id = site.shell(OPEN_WINDOW).splitlines()[-1]
    assert window_id.isdigit(), window_id
    # The demo's names are drawn afresh each day: ask the database for them.
    child, teacher_name = site.shell(NAMES).splitlines()[-1].split("|")

    # The parent finds the teacher of their child's class and books a slot.
    sign_in(page, "parent", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Индивидуальные консультации"
    ).click()
    page.get_by_role("link", name="Записаться на консультацию").click()
    expect(
        page.get_by_role("heading", name="Записаться на консультацию")
    ).to_be_visible()
    children = page.get_by_role("navigation", name="Для кого")
    if children.get_by_role("link", name=child).count():
        children.get_by_role("link", name=child).click()
    teacher_row = page.locator(".organisers li", has_text=teacher_name)
    teacher_row.get_by_role("link", name=re.compile("свободн")).click()
    slot = page.locator("#slots .slot.free").first
    expect(slot).to_be_visible()  # loaded by htmx
    slot.get_by_role("link", name="Записаться").click()
    page.get_by_label("С чем нужна помощь?").fill(
        "Не получается решать задачи на движение"
    )
    page.get_by_role("button", name="Записаться").click()

    expect(
        page.get_by_role("heading", name="Индивидуальная консультация")
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Вы записаны")
    booking_id = re.search(r"/bookings/(\d+)/", page.url).group(1)
    expect(page.get_by_role("link", name="Добавить в календарь (.ics)")).to_be_visible()

    # The in-app notice: the task worker writes it after the booking is committed
    # (the family does not wait for it); the header badge counts it, the centre
    # shows it on top (other tests may have left this parent other notices).
    badge = page.locator(".notification-link")
    badge.click()
    reload_until_visible(
        page,
        page.locator("main li")
        .first.get_by_text(re.compile("Запись на индивидуальную консультацию"))
        .first,
    )
    expect(page.locator(".notification-link .notification-count")).to_be_visible()

    # The meeting takes place.
    moved = site.shell(MOVE_INTO_THE_PAST.replace("{pk}", booking_id))
    assert moved.splitlines()[-1] == "moved"

    # The teacher marks it held and writes the outcome note.
    teacher_context = browser.new_context(
        base_url=site.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )
    teacher_page = teacher_context.new_page()
    try:
        sign_in(teacher_page, "teacher", DEMO_PASSWORD)
        teacher_page.goto(f"/bookings/{booking_id}/")
        expect(teacher_page.get_by_text("Не получается решать задачи")).to_be_visible()
        teacher_page.get_by_label("проведена").check()
        teacher_page.get_by_label("Итоги и рекомендации").fill(
            "Разобрали три задачи на встречное движение. Рекомендую решить № 112–118."
        )
        teacher_page.get_by_label("Служебная заметка").fill("Стесняется спрашивать.")
        teacher_page.get_by_role("button", name="Сохранить").click()
        expect(teacher_page.get_by_role("status")).to_contain_text("Сохранено")
    finally:
        teacher_context.close()

    # The parent reads the outcome (and not the private note).
    page.goto(f"/bookings/{booking_id}/")
    outcome = page.locator("#outcome")
    expect(outcome).to_contain_text("Рекомендую решить № 112–118")
    expect(page.get_by_text("Проведено")).to_be_visible()
    expect(page.get_by_text("Стесняется спрашивать")).to_have_count(0)


SLOT_AND_STUDENT = """
from umka.accounts.models import User
from umka.bookings.models import BookingWindow
window = BookingWindow.objects.get(pk={window})
slot = window.slots.order_by("starts_at").first()
print(f"{slot.pk}|{User.objects.get(username='student').pk}")
"""

ANOTHER_FAMILY_BOOKS = """
from django.utils import timezone
from umka.accounts.models import User
from umka.bookings.models import Booking, Slot
from umka.school.models import Enrolment

slot = Slot.objects.select_related("window").get(pk={slot})
student = User.objects.get(username="student")
classes = Enrolment.objects.filter(student=student).values("school_class")
other = (
    Enrolment.objects.filter(school_class__in=classes)
    .exclude(student=student)
    .first()
    .student
)
Booking.objects.create(
    slot=slot, window=slot.window, student=other, booked_by=other,
    note="Другая семья успела раньше", created_at=timezone.now(),
)
print("taken")
"""


@pytest.mark.requirement("R5")
def test_a_slot_taken_while_the_parent_types_offers_the_queue_and_keeps_the_note(
    site, page
):
    window_id = site.shell(OPEN_WINDOW).splitlines()[-1]
    assert window_id.isdigit(), window_id
    slot_id, student_id = (
        site.shell(SLOT_AND_STUDENT.replace("{window}", window_id))
        .splitlines()[-1]
        .split("|")
    )
    sign_in(page, "parent", DEMO_PASSWORD)
    book_url = f"/bookings/slots/{slot_id}/book/?student={student_id}"
    page.goto(book_url)
    page.get_by_label("С чем нужна помощь?").fill(
        "Дроби: сложение с разными знаменателями"
    )
    # Another family books the same slot a moment before the parent presses.
    assert site.shell(ANOTHER_FAMILY_BOOKS.replace("{slot}", slot_id)).endswith("taken")
    page.get_by_role("button", name="Записаться").click()

    # Only the form's panel is redrawn (htmx): the page and its heading stay, the
    # refusal says why and offers the queue with the typed note.
    expect(page.get_by_role("heading", name="Этот слот уже занят")).to_be_visible()
    # Focus moves to the new heading (the pressed button is gone).
    expect(page.get_by_role("heading", name="Этот слот уже занят")).to_be_focused()
    expect(
        page.get_by_role("heading", name="Записаться на консультацию")
    ).to_be_visible()
    assert page.url.endswith(book_url)
    expect(page.get_by_role("alert")).to_contain_text("уже занят")
    expect(page.locator('#book-panel input[name="note"]')).to_have_value(
        "Дроби: сложение с разными знаменателями"
    )
    page.get_by_role("button", name="Встать в очередь").click()
    expect(page.get_by_role("status")).to_contain_text("Вы в очереди")
