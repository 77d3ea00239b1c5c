"""No script-injection payload runs in forum posts, glossary entries or peer
comments (R6), in the browser: every payload of the shared list is posted
through the real forms — forum thread titles and replies (some quoting), and
replies arriving live in an open page; glossary terms, other names and
definitions; seminar works and peers' comments — and every page that shows
them is opened with a `dialog` handler that fails the test."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.core.tests.payloads import xss_payloads
from umka.demo.logins import DEMO_PASSWORD

SPACE_AND_CLASS = """
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
others = list(
    Enrolment.objects.filter(school_class=klass, ends_on__isnull=True)
    .exclude(student=student).order_by("student__last_name")
    .values_list("student__username", flat=True)[:7]
)
print(link.space_id, "student", *others)
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
    error = re.search(r'role="alert"[^>]*>(.*?)</div>', response.text(), re.S)
    assert response.status in (200, 302), (url, response.status, error and error[1])
    return response.headers.get("location", "")


def _signed_in(browser, site, login):
    context = browser.new_context(base_url=site.url, locale="ru-RU")
    page = context.new_page()
    sign_in(page, login, DEMO_PASSWORD)
    expect(page.get_by_role("navigation", name="Основное меню")).to_be_visible()
    page.close()
    return context


class Dialogs:
    """Opens pages with a handler that records any dialog a payload raised."""

    def __init__(self):
        self.seen = []

    def watch(self, page, where):
        page.on(
            "dialog",
            lambda d: (self.seen.append((where, d.message)), d.dismiss()),
        )
        return page

    def open(self, context, url):
        page = self.watch(context.new_page(), url)
        page.goto(url)
        page.wait_for_load_state("load")
        page.close()


def _forum(site, student, teacher, space_id, payloads, dialogs):
    page = student.new_page()
    page.goto(f"{site.url}/forums/space/{space_id}/")
    forum_id = re.search(r"/forums/(\d+)/new/", page.content()).group(1)
    page.close()
    location = _post(
        student,
        f"{site.url}/forums/{forum_id}/new/",
        {"token": str(uuid.uuid4()), "title": payloads[0][:190], "body": payloads[0]},
    )
    thread = re.search(r"/forums/threads/(\d+)/", location).group(1)
    reply_url = f"{site.url}/forums/threads/{thread}/reply/"
    first_post = None
    for n, payload in enumerate(payloads[1:-5]):
        form = {"token": str(uuid.uuid4()), "body": payload}
        if first_post and n % 5 == 0:
            form["quote"] = first_post
        location = _post(student, reply_url, form)
        first_post = first_post or re.search(r"#post-(\d+)", location).group(1)
    # The last payloads arrive live in the teacher's open page.
    live = dialogs.watch(teacher.new_page(), "live")
    live.goto(f"/forums/threads/{thread}/")
    expect(live.locator("#thread")).to_have_attribute("data-live", "open")
    for payload in payloads[-5:]:
        _post(student, reply_url, {"token": str(uuid.uuid4()), "body": payload})
    expect(live.locator("#posts article.post.is-new")).to_have_count(5)
    live.close()
    for url in (
        f"/forums/threads/{thread}/?page=1",
        f"/forums/threads/{thread}/?page=2",
        f"/forums/space/{space_id}/",
        f"/courses/{space_id}/",
    ):
        dialogs.open(student, url)


def _glossary(site, student, teacher, space_id, payloads, dialogs):
    entries = []
    for n, payload in enumerate(payloads):
        location = _post(
            student,
            f"{site.url}/glossary/{space_id}/new/",
            {
                "term": f"{n} {payload[:150]}",
                # One other name (a «;» would split it into several).
                "aliases": f"{payload[:120]} {n}".replace(";", " "),
                "definition": payload,
            },
        )
        entries.append(re.search(r"/glossary/entries/(\d+)/", location).group(1))
    dialogs.open(teacher, f"/glossary/{space_id}/")  # the waiting proposals
    for entry in entries[:-3]:
        _post(
            teacher,
            f"{site.url}/glossary/entries/{entry}/decide/",
            {"action": "approve", "version": "0"},
        )
    for context, url in (
        (student, f"/glossary/{space_id}/"),
        (student, f"/glossary/{space_id}/print/"),
        (teacher, f"/glossary/entries/{entries[-1]}/decide/"),
        *((student, f"/glossary/entries/{e}/") for e in entries[:3]),
    ):
        dialogs.open(context, url)


def _seminar(site, teacher, students, space_id, payloads, dialogs):
    location = _post(
        teacher,
        f"{site.url}/seminars/new/{space_id}/",
        {
            "title": payloads[0][:190],
            "topic": payloads[1][:190],
            "instructions": payloads[2],
            "opens_at": "2020-01-01T08:00",
            "submission_due_at": "2098-01-01T20:00",
            "assessment_due_at": "2099-01-01T20:00",
            "peers": str(len(students) - 1),
            "allocation": "random",
        },
    )
    seminar = re.search(r"/seminars/(\d+)/", location).group(1)
    base = f"{site.url}/seminars/{seminar}"
    _post(
        teacher,
        f"{base}/criteria/",
        {
            "rows": "1",
            "title_0": payloads[3][:250],
            "points_0": "2",
            "levels_0": f"2 — {payloads[4][:200]}",
        },
    )
    _post(teacher, f"{base}/switch/", {"to": "submission"})
    for n, context in enumerate(students):
        _post(
            context,
            f"{base}/submit/",
            {
                "token": str(uuid.uuid4()),
                "title": payloads[n][:190],
                "text": payloads[-1 - n],
            },
        )
    _post(teacher, f"{base}/switch/", {"to": "assessment"})
    comments = iter(payloads * 2)
    for context in students:
        page = context.new_page()
        page.goto(f"{base}/")
        works = re.findall(r"/seminars/works/(\d+)/assess/", page.content())
        page.close()
        for work in works:
            _post(
                context,
                f"{site.url}/seminars/works/{work}/assess/",
                {f"c{criterion}": "2" for criterion in _criteria(context, site, work)}
                | {"comment": next(comments)},
            )
    _post(teacher, f"{base}/switch/", {"to": "grading"})
    page = teacher.new_page()
    page.goto(f"{base}/")
    works = sorted(set(re.findall(r"/seminars/works/(\d+)/grade/", page.content())))
    page.close()
    dialogs.open(teacher, f"/seminars/{seminar}/")
    dialogs.open(teacher, f"/seminars/{seminar}/allocation/")
    for work in works:
        dialogs.open(teacher, f"/seminars/works/{work}/grade/")
    for context in students:
        dialogs.open(context, f"/seminars/{seminar}/")
    dialogs.open(students[0], f"/courses/{space_id}/")


def _criteria(context, site, work) -> list[str]:
    page = context.new_page()
    page.goto(f"{site.url}/seminars/works/{work}/assess/")
    found = sorted(set(re.findall(r'name="c(\d+)"', page.content())))
    page.close()
    return found


@pytest.mark.requirement("R6")
def test_no_payload_runs_in_forums_glossary_or_peer_comments(browser, site):
    space_id, *logins = site.shell(SPACE_AND_CLASS).splitlines()[-1].split()
    payloads = xss_payloads()
    teacher = _signed_in(browser, site, "teacher")
    students = [_signed_in(browser, site, login) for login in logins]
    dialogs = Dialogs()
    try:
        _forum(site, students[0], teacher, space_id, payloads, dialogs)
        _glossary(site, students[1], teacher, space_id, payloads, dialogs)
        _seminar(site, teacher, students, space_id, payloads, dialogs)
        assert dialogs.seen == []
    finally:
        teacher.close()
        for context in students:
            context.close()
