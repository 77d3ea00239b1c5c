"""Live rooms in real browsers (R4, R5): a peer-to-peer videoconference and a webinar
through Janus, with fake cameras, inside the network namespace of e2e/livenet.py.

Each person has a browser context of their own; a video "arrives" when the
receiving RTCPeerConnection has decoded frames (`window.umkaRoom.framesDecoded()`).
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in

# live_site, live_browser, live_pages
pytest_plugins = ["e2e.livenet"]

PASSWORD = "umka-demo"
MEDIA_SECONDS = 30

# Prepares both tests in one `manage.py shell` (each costs a Django start): a
# session starting now of a published videoconference of `teacher`, cloned with
# only the demo student chosen (two people: peer to peer), one of a published
# webinar whose audience classes include the demo student (Janus), and two of the
# student's classmates given the demo password. Prints them as JSON.
_PREPARE = """
import datetime as dt, json
from django.utils import timezone
from umka.accounts.models import User
from umka.consultations.models import Consultation, Occurrence
from umka.school.models import Enrolment
teacher = User.objects.get(username="teacher")
student = User.objects.get(username="student")
now = timezone.now()
today = timezone.localdate()

def session_of(form, chosen=None):
    consultation = (
        Consultation.objects.filter(
            organiser=teacher, form=form,
            schedule__status__in=["approved", "published"],
            audience_classes__enrolments__student=student,
        ).order_by("pk").first()
    )
    if chosen is not None:
        consultation.pk = consultation.id = None
        consultation._state.adding = True
        consultation.save()
        consultation.audience_classes.set([])
        consultation.audience_students.set(chosen)
    occurrence = Occurrence.objects.create(
        consultation=consultation,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(minutes=59),
    )
    return str(occurrence.uid)

classes = Enrolment.objects.filter(student=student, starts_on__lte=today).exclude(
    ends_on__lt=today).values("school_class")
mates = list(
    User.objects.filter(
        is_active=True, enrolments__school_class__in=classes,
        enrolments__starts_on__lte=today,
    ).exclude(pk=student.pk).exclude(enrolments__ends_on__lt=today)
    .distinct().order_by("username")[:2]
)
for mate in mates:
    mate.set_password(%(password)r)
    mate.must_change_password = False
    mate.save()
print(json.dumps({
    "videoconference": session_of("videoconference", chosen=[student]),
    "webinar": session_of("webinar"),
    "classmates": [mate.username for mate in mates],
}))
"""


@pytest.fixture(scope="module")
def prepared(live_site):
    output = live_site.shell(_PREPARE % {"password": PASSWORD})
    return json.loads(output.strip().splitlines()[-1])


def _enter(page, login: str, uid: str) -> dict:
    """Sign in, open the session's room, join; the room's config."""
    sign_in(page, login, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url, wait_until="commit")
    page.goto(f"/rooms/session/{uid}/")
    page.wait_for_url("**/rooms/*/")
    config = json.loads(page.locator("#room-config").text_content())
    page.locator("#join").click()
    return config


def _wait_joined(pages, seconds: float = 15) -> None:
    for page in pages:
        page.wait_for_function(
            "() => window.umkaRoom && window.umkaRoom.state() === 'joined'",
            timeout=seconds * 1000,
        )


def _wait_for_video(pages: dict, seconds: float = MEDIA_SECONDS) -> None:
    """Every page decodes video frames from someone else."""
    deadline = time.monotonic() + seconds
    frames = {}
    while time.monotonic() < deadline:
        frames = {
            who: page.evaluate("() => window.umkaRoom.framesDecoded()")
            for who, page in pages.items()
        }
        if all(count > 0 for count in frames.values()):
            return
        time.sleep(0.5)
    states = {
        who: page.evaluate(
            "() => window.umkaRoom.connections().map("
            "(pc) => pc.connectionState + '/' + pc.iceConnectionState)"
        )
        for who, page in pages.items()
    }
    pytest.fail(f"no video after {seconds} s: frames {frames}, connections {states}")


def _wait_for_message(page, text: str, seconds: float = 10) -> None:
    page.wait_for_function(
        "(text) => window.umkaRoom.messages().some((m) => m.text.includes(text))",
        arg=text,
        timeout=seconds * 1000,
    )


@pytest.mark.requirement("R4")
def test_p2p_videoconference_teacher_and_student_see_and_chat(prepared, live_pages):
    uid = prepared["videoconference"]
    teacher, student = live_pages(), live_pages()

    config = _enter(teacher, "teacher", uid)
    assert config["kind"] == "videoconference"
    assert config["transport"] == "p2p"
    assert config["role"] == "organiser"
    student_config = _enter(student, "student", uid)
    assert student_config["role"] == "participant"
    assert student_config["may_publish"] is True
    _wait_joined([teacher, student])

    _wait_for_video({"teacher": teacher, "student": student})

    teacher.evaluate("() => window.umkaRoom.send('<b>Здравствуйте, класс</b>')")
    student.locator("#chat-input").click()
    student.keyboard.type("Добрый день")
    student.keyboard.press("Enter")
    _wait_for_message(student, "Здравствуйте, класс")
    _wait_for_message(teacher, "Добрый день")
    # the teacher's bold survives sanitising; nothing is duplicated
    assert student.locator("#chat-log b", has_text="Здравствуйте, класс").count() == 1
    texts = [m["text"] for m in teacher.evaluate("() => window.umkaRoom.messages()")]
    assert sum("Добрый день" in text for text in texts) == 1

    # Ending it for everyone cannot be undone: the dialog asks first (issue 14).
    teacher.locator(".moderator-form > summary").click()
    teacher.locator("#close-room").click()
    expect(teacher.locator("#confirm-dialog")).to_be_visible()
    teacher.locator("#confirm-dialog-yes").click()
    teacher.wait_for_url(re.compile(r"/consultations/sessions/\d+/$"))


@pytest.mark.requirement("R4")  # a webinar is a group form (R4), not individual (R5)
def test_janus_webinar_presenter_reaches_three_viewers(prepared, live_pages, live_site):
    uid = prepared["webinar"]
    mates = prepared["classmates"]
    assert len(mates) == 2
    presenter = live_pages()
    config = _enter(presenter, "teacher", uid)
    assert config["kind"] == "webinar"
    assert config["transport"] == "janus", config
    assert config["janus"]["pin"]
    assert "secret" not in config["janus"]  # the room's secret stays server-side
    exists = live_site.janus_admin(
        {
            "janus": "message_plugin",
            "plugin": "janus.plugin.videoroom",
            "request": {"request": "exists", "room": config["janus"]["room"]},
        }
    )
    assert exists["response"]["exists"] is True
    _wait_joined([presenter])

    viewers = {}
    for login in ["student", *mates]:
        viewers[login] = live_pages()
        viewer_config = _enter(viewers[login], login, uid)
        assert viewer_config["role"] == "participant"
        assert viewer_config["may_publish"] is False
        assert viewer_config["transport"] == "janus"
    _wait_joined(viewers.values())

    _wait_for_video(viewers)
    assert presenter.evaluate("() => window.umkaRoom.framesDecoded()") == 0

    # Screen sharing through Janus: the presenter swaps the camera for the screen,
    # and every viewer's picture changes size to the screen's.
    cameras = {who: _video_size(page) for who, page in viewers.items()}
    presenter.locator("#btn-screen").click()
    deadline = time.monotonic() + MEDIA_SECONDS
    sizes = cameras
    while time.monotonic() < deadline:
        sizes = {who: _video_size(page) for who, page in viewers.items()}
        if all(sizes[who] != cameras[who] and sizes[who][0] for who in sizes):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the shared screen did not arrive: {cameras} → {sizes}")


_VIDEO_SIZE = """async () => {
  let best = null;
  for (const pc of window.umkaRoom.connections()) {
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && s.frameWidth
          && (!best || s.framesDecoded > best.framesDecoded)) best = s;
    });
  }
  return best ? [best.frameWidth, best.frameHeight] : [0, 0];
}"""


def _video_size(page) -> list[int]:
    """Width and height of the video a page receives (its busiest inbound stream)."""
    return page.evaluate(_VIDEO_SIZE)
