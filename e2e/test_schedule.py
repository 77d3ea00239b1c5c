"""The schedule's life in a real browser (R8): a teacher proposes a consultation (the
topics' character count follows the typing), the deputy submits (confirmed), the
director finds it on the home page and approves, the deputy is told and publishes it
for everyone (page and print form, signed out), and an amendment afterwards reaches
a parent of a student in that class."""

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

# Finds, in the demo school, a draft schedule, a teacher with no consultation in it,
# one of the teacher's classes and subjects, a free weekday in the period, and a
# parent of a student in that class.
FIND = """
import datetime as dt, json
from umka.consultations.models import ScheduleDocument
from umka.school.models import TeachingAssignment, Holiday, Enrolment
from umka.accounts.policies import active_parent_links
draft = ScheduleDocument.objects.filter(status="draft", period__isnull=False).order_by(
    "period__starts_on").first()
busy = set(draft.consultations.values_list("organiser", flat=True))
ta = (TeachingAssignment.objects.filter(school_class__year=draft.year,
        teacher__contract__consultation_hours__gte=1)
      .exclude(teacher__in=busy).select_related("teacher", "subject", "school_class")
      .order_by("school_class__grade", "teacher__last_name").first())
holidays = list(Holiday.objects.values_list("starts_on", "ends_on"))
day = draft.period.starts_on + dt.timedelta(days=7)
while day.weekday() != 2 or any(a <= day <= b for a, b in holidays):
    day += dt.timedelta(days=1)
students = Enrolment.objects.filter(school_class=ta.school_class, ends_on__isnull=True)
links = active_parent_links().filter(student__in=students.values("student"))
link = links.select_related("parent").order_by("parent__last_name").first()
print(json.dumps({
    "schedule": draft.pk, "period": draft.period_id, "teacher": ta.teacher.username,
    "teacher_name": ta.teacher.full_name, "subject": ta.subject_id,
    "subject_name": ta.subject.name, "class": ta.school_class_id,
    "class_name": str(ta.school_class), "date": day.isoformat(),
    "parent": link.parent.username,
}))
"""


@pytest.mark.requirement("R8")
def test_propose_submit_approve_publish_and_amend(page, site, browser):
    case = json.loads(site.shell(FIND).splitlines()[-1])

    # 1. The teacher proposes a consultation in the draft.
    sign_in(page, case["teacher"], DEMO_PASSWORD)
    page.goto("/consultations/new/")
    form = page.locator("form#plan-form, form").filter(
        has=page.locator("[name=starts_on]")
    )
    form.locator("[name=period]").select_option(str(case["period"]))
    form.locator("[name=subject]").select_option(str(case["subject"]))
    form.locator(f"[name=classes][value='{case['class']}']").check()
    form.locator("[name=form][value=videoconference]").check()
    form.locator("[name=volume][value=topical]").check()
    topics = "Разбор домашних заданий\nПодготовка к контрольной"
    counter = form.locator("#id_topics_count")  # «осталось N символов»
    expect(counter).to_contain_text("1000")
    form.locator("[name=topics]").fill(topics)
    expect(counter).to_contain_text(str(1000 - len(topics)))
    form.locator("[name=recurrence][value=once]").check()
    form.locator("[name=starts_on]").fill(case["date"])
    form.locator("[name=start_time]").fill("16:10")
    form.locator("[name=duration_minutes]").fill("40")
    form.locator("[name=how_to_join]").fill("Комната в Умке")
    form.locator("button[type=submit]").last.click()
    expect(page.locator("#plan-errors")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/consultations/\d+/$"))
    consultation_url = page.url

    # 2. The deputy submits the schedule: it cannot be undone, so the page asks.
    page.context.clear_cookies()
    sign_in(page, "deputy", DEMO_PASSWORD)
    # While it is being agreed, the deputy prints the draft for one class: the
    # print form carries the page's filter and is marked «ПРОЕКТ».
    page.goto(
        f"/consultations/schedules/{case['schedule']}/?school_class={case['class']}"
    )
    page.locator("#print-link").click()
    expect(page.locator("#draft-mark")).to_have_text("ПРОЕКТ")
    expect(page.locator("body")).to_contain_text(case["subject_name"])
    page.goto(f"/consultations/schedules/{case['schedule']}/")
    page.locator("#submit-form button[type=submit]").click()
    page.locator("#confirm-dialog-yes").click()
    expect(page.locator("#approve-form, #return-form").first).to_be_attached()

    # 3. The director finds it on the home page («Требует внимания») and approves
    # with one action (and an order number), confirmed.
    page.context.clear_cookies()
    sign_in(page, "director", DEMO_PASSWORD)
    page.goto("/")
    page.locator(f"#home-schedule-task-{case['schedule']} a").click()
    page.locator("#approve-form [name=order_number]").fill("215-о")
    page.locator("#approve-form button[type=submit]").click()
    page.locator("#confirm-dialog-yes").click()
    expect(page.locator("#publish-form")).to_be_visible()

    # The deputy is told it was approved, and publishes it.
    page.context.clear_cookies()
    sign_in(page, "deputy", DEMO_PASSWORD)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("утверждён")
    page.goto(f"/consultations/schedules/{case['schedule']}/")
    page.locator("#publish-form button[type=submit]").click()
    page.locator("#confirm-dialog-yes").click()
    expect(page.locator("#publish-form")).to_have_count(0)

    # 4. Everyone sees it without signing in: the page and the print form.
    page.context.clear_cookies()
    page.goto(f"/schedule/{case['schedule']}/")
    row = page.locator("body").filter(has_text=case["teacher_name"])
    expect(row).to_contain_text(case["subject_name"])
    page.goto(f"/schedule/{case['schedule']}/print/")
    expect(page.locator("body")).to_contain_text("УТВЕРЖДАЮ")
    expect(page.locator("body")).to_contain_text("График консультаций")
    expect(page.locator("body")).to_contain_text("215-о")
    expect(page.locator("body")).to_contain_text(case["teacher_name"])

    # 5. An amendment: the teacher moves the session with a reason ...
    sign_in(page, case["teacher"], DEMO_PASSWORD)
    page.goto(consultation_url)
    page.locator("a[href*='/consultations/sessions/']").first.click()
    move = page.locator("form[action*='/move/']")
    move.locator("[name=new_date]").fill(case["date"])
    move.locator("[name=new_time]").fill("17:10")
    move.locator("[name=reason]").fill("Совпадает с родительским собранием")
    move.locator("button[type=submit]").click()
    expect(page.locator("#move-errors")).to_have_count(0)

    # ... and a parent of a student in that class is told.
    page.context.clear_cookies()
    sign_in(page, case["parent"], DEMO_PASSWORD)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("Совпадает с родительским собранием")
