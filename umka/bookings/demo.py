"""Individual consultations of the demo school (R5), for umka.demo to call after the
schedule is written:

    from umka.bookings.demo import load_demo_bookings
    load_demo_bookings(rng=builder.rng, today=today)

Next week (or the first school week after the holidays) the demo `teacher`, two
colleagues who teach the demo `student`'s class and the school psychologist
(`staff`) have windows of 15-minute slots; some slots are booked (the `student`'s
one by `parent`), one full slot has a watcher, one window opens for booking only
tomorrow evening. In the last school week `student` had a meeting with `teacher`,
marked held with an outcome note (and a private note for staff). Every window
passes the R7 checks (weekly consultation hours of a teacher, working time of
other staff, no clashes with consultations).

Like the rest of the demo it writes no audit entries and no notifications: the
history lives in the rows themselves. `wipe_demo_bookings()` deletes it all
(the demo's wipe must call it before deleting people: bookings protect them).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from umka.accounts.models import Role, User
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.bookings.policies import bookable_organisers
from umka.consultations import rules
from umka.consultations.recurrence import week_start
from umka.core import clock
from umka.core.errors import DomainError
from umka.school.models import Enrolment, Holiday

SLOT_MINUTES = 15
#: Hours tried for a window, in order: after lessons, before the consultations.
HOURS = (dt.time(13, 0), dt.time(13, 30), dt.time(18, 0), dt.time(9, 0))

NOTES = (
    "Не понимаю, как решать задачи на проценты.",
    "Хочу разобрать ошибки в контрольной работе.",
    "Подготовка к олимпиаде: нужны дополнительные задания.",
    "Пропустил две недели по болезни, что нагнать в первую очередь?",
    "Как лучше готовиться к проверочной работе?",
    "Трудно даётся решение уравнений с дробями.",
)
OUTCOME = (
    "Разобрали решение задач на проценты (три типа: найти процент от числа, "
    "число по его проценту, сколько процентов составляет). Рекомендации: решить "
    "№ 412–418 из учебника, повторить перевод процентов в десятичные дроби; "
    "через неделю — короткая самопроверка на платформе."
)
PRIVATE = "Ребёнок стесняется задавать вопросы на уроке — чаще спрашивать самой."


def wipe_demo_bookings() -> None:
    """Delete every window, slot, booking and watch (leaves first)."""
    for model in (SlotWatch, Booking, Slot, BookingWindow):
        model.objects.all().delete()


def _fits(organiser: User, start: dt.datetime, end: dt.datetime) -> bool:
    span = rules.Span(start, end)
    try:
        rules.check_no_clashes(organiser=organiser, classes=[], spans=[span])
        rules.check_contract_limits(organiser=organiser, spans=[span])
    except DomainError:
        return False
    return True


def _open(
    organiser: User,
    week: dt.date,
    rng: random.Random,
    *,
    minutes: int,
    opens_at: dt.datetime,
    holidays: set[dt.date],
    form: str = BookingWindow.Form.VIDEOCONFERENCE,
    how_to_join: str = "Комната в Умке (ссылка появится за 15 минут)",
) -> BookingWindow | None:
    """A window of `organiser` somewhere in the week starting `week` that passes
    R7, or None when their hours are used up."""
    tz = clock.zone()
    days = [week + dt.timedelta(days=d) for d in range(5)]
    rng.shuffle(days)
    for day in days:
        if day in holidays:
            continue
        for hour in HOURS:
            start = dt.datetime.combine(day, hour, tzinfo=tz)
            end = start + dt.timedelta(minutes=minutes)
            if not _fits(organiser, start, end):
                continue
            window = BookingWindow.objects.create(
                organiser=organiser,
                starts_at=start,
                ends_at=end,
                slot_minutes=SLOT_MINUTES,
                opens_at=min(opens_at, start),
                form=form,
                how_to_join=how_to_join,
                created_by=organiser,
            )
            step = dt.timedelta(minutes=SLOT_MINUTES)
            Slot.objects.bulk_create(
                Slot(
                    window=window,
                    starts_at=start + i * step,
                    ends_at=start + (i + 1) * step,
                )
                for i in range(minutes // SLOT_MINUTES)
            )
            return window
    return None


def _book(slot: Slot, student: User, booked_by: User, note: str, at) -> Booking:
    return Booking.objects.create(
        slot=slot,
        window=slot.window,
        student=student,
        booked_by=booked_by,
        note=note,
        created_at=at,
    )


def load_demo_bookings(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    """Create the demo's windows, bookings, a watch and a held meeting; returns
    how many of each. Needs the demo people (`teacher`, `student`, `parent`)."""
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["teacher", "student", "parent", "staff"]
        )
    }
    teacher, student, parent = people["teacher"], people["student"], people["parent"]
    tz = clock.zone()
    now = timezone.now()
    this_week = week_start(today)
    holidays = set()
    for first, last in Holiday.objects.filter(
        starts_on__lte=this_week + dt.timedelta(weeks=6),
        ends_on__gte=this_week - dt.timedelta(weeks=6),
    ).values_list("starts_on", "ends_on"):
        day = first
        while day <= last:
            holidays.add(day)
            day += dt.timedelta(days=1)

    def school_week(step: int) -> dt.date:
        """The nearest week (going by `step` weeks) with at least 3 school days:
        next week, or the first after the holidays; last week, or the one before."""
        week = this_week + dt.timedelta(weeks=step)
        for _ in range(5):
            days = [week + dt.timedelta(days=d) for d in range(5)]
            if sum(day not in holidays for day in days) >= 3:
                return week
            week += dt.timedelta(weeks=step)
        return week

    next_week, last_week = school_week(1), school_week(-1)
    enrolment = (
        Enrolment.objects.filter(student=student, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .first()
    )
    classmates = (
        list(
            User.objects.filter(
                enrolments__school_class=enrolment.school_class_id,
                enrolments__ends_on__isnull=True,
            )
            .exclude(pk=student.pk)
            .order_by("pk")
        )
        if enrolment
        else []
    )
    colleagues = list(
        bookable_organisers(student, today)
        .filter(role_assignments__role=Role.TEACHER)
        .exclude(pk=teacher.pk)
        .order_by("pk")
    )
    organisers = [teacher, *rng.sample(colleagues, min(2, len(colleagues)))]
    if "staff" in people:
        organisers.append(people["staff"])
    counts = {"windows": 0, "bookings": 0, "watches": 0, "held": 0}
    tomorrow_evening = dt.datetime.combine(
        today + dt.timedelta(days=1), dt.time(18, 0), tzinfo=tz
    )
    with transaction.atomic():
        windows = []
        for i, organiser in enumerate(organisers):
            opens_at = tomorrow_evening if i == 2 else now
            window = _open(
                organiser,
                next_week,
                rng,
                minutes=60,
                opens_at=opens_at,
                holidays=holidays,
                form=BookingWindow.Form.CHAT
                if organiser.username == "staff"
                else BookingWindow.Form.VIDEOCONFERENCE,
            ) or _open(
                organiser,
                next_week,
                rng,
                minutes=30,
                opens_at=opens_at,
                holidays=holidays,
            )
            if window is not None:
                windows.append(window)
        counts["windows"] = len(windows)
        pool = list(classmates)
        rng.shuffle(pool)
        for window in windows:
            if window.opens_at > now:
                continue  # not open yet: nobody could have booked
            slots = list(window.slots.order_by("starts_at"))
            if window.organiser_id == teacher.pk:
                _book(slots[0], student, parent, NOTES[0], now)
                counts["bookings"] += 1
                if len(slots) > 1 and pool:
                    holder = pool.pop()
                    _book(slots[1], holder, holder, rng.choice(NOTES[1:]), now)
                    counts["bookings"] += 1
                    if pool:
                        watcher = pool.pop()
                        SlotWatch.objects.create(
                            slot=slots[1],
                            watcher=watcher,
                            student=watcher,
                            note=rng.choice(NOTES[1:]),
                            created_at=now,
                        )
                        counts["watches"] += 1
            elif pool:
                holder = pool.pop()
                _book(rng.choice(slots), holder, holder, rng.choice(NOTES[1:]), now)
                counts["bookings"] += 1
        # Last week: the student's meeting with the teacher, held, with its notes.
        past = _open(
            teacher,
            last_week,
            rng,
            minutes=30,
            opens_at=now - dt.timedelta(days=14),
            holidays=holidays,
        )
        if past is not None:
            BookingWindow.objects.filter(pk=past.pk).update(
                created_at=past.starts_at - dt.timedelta(days=5)
            )
            slot = past.slots.order_by("starts_at").first()
            booking = _book(
                slot, student, parent, NOTES[0], slot.starts_at - dt.timedelta(days=3)
            )
            Booking.objects.filter(pk=booking.pk).update(
                status=Booking.Status.HELD,
                outcome_note=OUTCOME,
                private_note=PRIVATE,
                marked_at=slot.ends_at + dt.timedelta(minutes=10),
                marked_by=teacher,
                reminded_24h_at=slot.starts_at - dt.timedelta(hours=24),
                reminded_1h_at=slot.starts_at - dt.timedelta(hours=1),
            )
            counts["windows"] += 1
            counts["bookings"] += 1
            counts["held"] += 1
    return counts
