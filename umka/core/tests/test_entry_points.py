"""The school's clock at every entry point: a web request, a Huey task, a management
command and a WebSocket consumer, with the school in Vladivostok (UTC+10) and the
server's TIME_ZONE in Moscow (UTC+3).

The case the regulation cares about (R3): a parent's rights over a child end when the
child turns 18 — on the school's calendar day, not the server's. At 00:30 on the
birthday in Vladivostok it is still the day before (17:30) in Moscow.
"""

import ast
import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.urls import reverse

from umka.accounts.models import User
from umka.bookings import services as booking_services
from umka.bookings import tasks as booking_tasks
from umka.bookings.tests.factories import booking_school, open_window, slots
from umka.core import clock as school_clock
from umka.notifications.models import Notification
from umka.rooms import services as room_services
from umka.rooms.routing import websocket_urlpatterns
from umka.rooms.tests.factories import make_booking
from umka.school.models import School
from umka.school.selectors import forget_cached_school

pytestmark = pytest.mark.django_db

VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")
#: The student turns 18 on this day.
BIRTHDAY = dt.date(2026, 11, 11)
#: 00:30 on the birthday in Vladivostok; 17:30 on 10 November in Moscow.
JUST_ADULT = dt.datetime(2026, 11, 11, 0, 30, tzinfo=VLADIVOSTOK)
#: Half an hour before, the child is still a minor everywhere.
STILL_MINOR = JUST_ADULT - dt.timedelta(hours=1)
UMKA = Path(__file__).resolve().parents[2]


@pytest.fixture
def school(settings, clock):
    settings.TIME_ZONE = "Europe/Moscow"
    school = booking_school()
    School.objects.update(time_zone="Asia/Vladivostok")
    forget_cached_school()
    User.objects.filter(pk=school.student.pk).update(birth_date=dt.date(2008, 11, 11))
    school.student.refresh_from_db()
    return school


def test_the_server_and_the_school_disagree_on_the_day(school, clock):
    clock.travel(JUST_ADULT)
    assert school_clock.today() == BIRTHDAY
    assert dt.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).tzname() == "MSK"
    assert JUST_ADULT.astimezone(zoneinfo.ZoneInfo("Europe/Moscow")).date() == (
        BIRTHDAY - dt.timedelta(days=1)
    )


# --- A Huey task -------------------------------------------------------------------


@pytest.mark.requirement("R3")
def test_the_worker_stops_reminding_the_parent_of_a_child_who_turned_18(school, clock):
    window = open_window(school, day=BIRTHDAY, start=dt.time(15), end=dt.time(16))
    booking_services.booking_create(
        actor=school.student,
        slot=slots(window)[0],
        student=school.student,
        note="Дроби",
    )
    Notification.objects.all().delete()
    clock.travel(JUST_ADULT)

    booking_tasks.remind_bookings()  # what the worker runs every 5 minutes

    reminded = set(
        Notification.objects.filter(kind="bookings.reminder").values_list(
            "recipient__username", flat=True
        )
    )
    assert school.student.username in reminded
    assert school.teacher.username in reminded
    assert school.parent.username not in reminded


@pytest.mark.requirement("R3")
def test_the_worker_still_reminds_the_parent_the_evening_before(school, clock):
    window = open_window(school, day=BIRTHDAY, start=dt.time(9), end=dt.time(10))
    booking_services.booking_create(
        actor=school.student,
        slot=slots(window)[0],
        student=school.student,
        note="Дроби",
    )
    Notification.objects.all().delete()
    clock.travel(STILL_MINOR)

    booking_tasks.remind_bookings()

    assert Notification.objects.filter(
        kind="bookings.reminder", recipient=school.parent
    ).exists()


# --- A web request ------------------------------------------------------------------


@pytest.mark.requirement("R3")
def test_a_page_closes_to_the_parent_at_midnight_in_the_schools_zone(
    client, school, clock
):
    window = open_window(school, day=BIRTHDAY, start=dt.time(15), end=dt.time(16))
    booking = booking_services.booking_create(
        actor=school.student,
        slot=slots(window)[0],
        student=school.student,
        note="Дроби",
    )
    client.force_login(school.parent)
    url = reverse("bookings:detail", args=[booking.pk])
    clock.travel(STILL_MINOR)
    assert client.get(url).status_code == 200
    clock.travel(JUST_ADULT)
    assert client.get(url).status_code == 404


# --- A WebSocket consumer ------------------------------------------------------------


def _connect(room, user) -> dict:
    async def attempt():
        communicator = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns), f"/ws/rooms/{room.pk}/"
        )
        communicator.scope["user"] = user
        connected, _ = await communicator.connect()
        first = await communicator.receive_output(timeout=2)
        await communicator.disconnect()
        return {"connected": connected, "first": first}

    return async_to_sync(attempt)()


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    import channels.db

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)


@pytest.mark.requirement("R3", "R5")
@pytest.mark.usefixtures("keep_the_test_connection")
def test_the_room_refuses_the_parent_once_the_child_is_18_in_the_schools_zone(
    school, clock
):
    clock.travel(STILL_MINOR)
    before = room_services.room_for_booking(make_booking(school))
    assert _connect(before, school.parent)["first"]["type"] == "websocket.send"

    clock.travel(JUST_ADULT)
    after = room_services.room_for_booking(make_booking(school))
    assert _connect(after, school.parent)["first"] == {
        "type": "websocket.close",
        "code": 4404,
    }
    assert _connect(after, school.student)["first"]["type"] == "websocket.send"


# --- Every task and every command enters the school's clock -------------------------


def _imports_of(path: Path) -> set[tuple[str, str]]:
    tree = ast.parse(path.read_text())
    return {
        (node.module or "", alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_every_task_is_declared_on_the_school_clock():
    huey_decorators = {"task", "periodic_task", "db_task", "db_periodic_task"}
    bypassing = [
        str(path.relative_to(UMKA))
        for path in UMKA.rglob("*.py")
        if "tests" not in path.parts and path.name != "entry_points.py"
        for module, name in _imports_of(path)
        if module.startswith("huey") and name in huey_decorators
    ]
    assert bypassing == []


def test_every_task_runs_its_body_on_the_school_clock():
    import importlib

    from huey.api import TaskWrapper

    tasks = [
        task
        for path in sorted(UMKA.glob("*/tasks.py"))
        for task in vars(
            importlib.import_module(f"umka.{path.parent.name}.tasks")
        ).values()
        if isinstance(task, TaskWrapper)
    ]
    assert len(tasks) >= 7
    for task in tasks:
        assert getattr(task.func, "on_school_clock", False), task.name


def test_every_command_derives_from_the_school_command():
    from umka.core.entry_points import SchoolCommand

    commands = sorted(UMKA.glob("*/management/commands/[!_]*.py"))
    assert commands
    for path in commands:
        app = path.parts[-4]
        module = __import__(
            f"umka.{app}.management.commands.{path.stem}", fromlist=["Command"]
        )
        assert issubclass(module.Command, SchoolCommand), path


def test_a_command_renders_on_the_schools_wall_clock(school, clock, capsys):
    from django.utils import timezone

    from umka.core.entry_points import SchoolCommand

    seen = {}

    class Probe(SchoolCommand):
        def handle(self, *args, **options):
            seen["zone"] = timezone.get_current_timezone_name()
            seen["today"] = school_clock.today()

    clock.travel(JUST_ADULT)
    call_command(Probe())
    assert seen == {"zone": "Asia/Vladivostok", "today": BIRTHDAY}
