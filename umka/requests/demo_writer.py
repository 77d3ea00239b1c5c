"""The pieces the demo requests are written with (see `demo.py`): the people
they are among, the demo's clock of working days, the texts of questions and
answers, and `Writer`, which writes a request with its thread as it would have
happened (times, messages, ratings) without going through the services.
"""

import datetime as dt
import random
from dataclasses import dataclass

from umka.accounts.models import User
from umka.consultations.models import Consultation, Occurrence
from umka.core import clock
from umka.core.topics import normalise_topic
from umka.requests.models import Request, RequestMessage
from umka.requests.routing import response_days
from umka.school.calendar import add_working_days, holiday_dates, is_working_day
from umka.school.models import SchoolClass

_QUESTIONS = {
    Request.Category.TOPIC: [
        "Не получается разобраться с темой «{topic}». Можно разобрать пример по шагам?",
        "На уроке не успели закончить тему «{topic}», а в домашнем задании "
        "задачи на неё. Объясните, пожалуйста, с чего начать.",
        "В учебнике по теме «{topic}» непонятно объяснение. Есть ли другие "
        "материалы или видео?",
    ],
    Request.Category.HOMEWORK: [
        "Не успели записать домашнее задание по теме «{topic}». Подскажите "
        "номера заданий.",
        "В задании по теме «{topic}» кажется опечатка в условии. Как правильно?",
    ],
    Request.Category.GRADES: [
        "Почему за самостоятельную работу по теме «{topic}» стоит «3»? Хотим "
        "понять ошибки.",
        "Можно ли исправить оценку за контрольную по теме «{topic}»?",
    ],
    Request.Category.ATTESTATION: [
        "Какие задания будут на промежуточной аттестации по разделу "
        "«{topic}»? Как лучше подготовиться?",
    ],
}
_PARENT_OPENING = "Здравствуйте! Пишу о {child} ({school_class}). "
#: (topic, question, answer) of organisational questions to the class teacher or
#: the administration.

_ANSWERS = [
    "Разберём на примере: {example} Если останутся вопросы, напишите — "
    "посмотрим вместе.",
    "Посмотрите параграф по теме в учебнике и презентацию с урока, она в "
    "материалах класса. Главное — {example}",
    "Спасибо за вопрос! Подсказка: {example} Задания для тренировки: № 3, 5 и 8 "
    "из рабочей тетради.",
]
_EXAMPLES = [
    "сначала переносим известные в одну сторону, неизвестные — в другую, меняя знак.",
    "выпишите, что дано, и что нужно найти; затем подберите формулу.",
    "проверяйте ответ подстановкой — так сразу видно ошибку.",
]
_INVITATIONS = [
    "Приглашаю на индивидуальную консультацию в четверг в 15:30, кабинет 214 "
    "или онлайн по ссылке.",
    "Давайте обсудим на консультации во вторник после 7-го урока.",
]
_REASONS_REOPEN = [
    "Пример понятен, но задача № 5 всё равно не получается.",
    "Не совсем ясно, как быть со знаком минус перед скобкой.",
]
_COMMENTS = ["Спасибо, всё понятно!", "Помогло.", "", "Быстро и по делу.", ""]


@dataclass
class People:
    teacher: User | None
    parent: User | None
    student: User | None
    deputies: list[User]
    parents_of: dict[int, list[User]]


def _daughter(student: User) -> bool:
    return (student.middle_name or "").endswith(("вна", "чна", "кызы"))


def _child_word(student: User) -> str:
    return "дочери" if _daughter(student) else "сыне"


class DemoClock:
    """Working days before `today` in the school's calendar."""

    def __init__(self, today: dt.date, starts_on: dt.date, rng: random.Random):
        self.tz = clock.zone()
        self.today = today
        self.rng = rng
        first = max(starts_on, today - dt.timedelta(days=70))
        holidays = holiday_dates(first, today)
        self.days = [
            first + dt.timedelta(days=n)
            for n in range((today - first).days)
            if is_working_day(first + dt.timedelta(days=n), holidays)
        ] or [today]

    def back(self, working_days: int, *, hour: int | None = None) -> dt.datetime:
        day = self.days[max(len(self.days) - working_days, 0)]
        hour = hour if hour is not None else self.rng.randint(8, 20)
        minute = self.rng.choice([0, 5, 12, 20, 33, 41, 47, 55])
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    @property
    def now(self) -> dt.datetime:
        """The demo's «now»: the start of `today`, so no history is in the future."""
        return dt.datetime.combine(self.today, dt.time.min, tzinfo=self.tz)

    def before_now(self, moment: dt.datetime, after: dt.datetime) -> dt.datetime:
        """`moment`, but not after «now» (and a little after `after`)."""
        latest = self.now - dt.timedelta(minutes=7)
        return max(min(moment, latest), after + dt.timedelta(minutes=3))


class Writer:
    def __init__(self, rng, clock: DemoClock, people: People):
        self.rng = rng
        self.clock = clock
        self.people = people
        self.days = response_days()
        self.deputy_load: dict[int, int] = {d.pk: 0 for d in people.deputies}
        self.written: list[Request] = []

    # --- the pieces ---------------------------------------------------------------

    def author_for(self, student: User, by_parent: bool | None = None) -> User:
        parents = self.people.parents_of.get(student.pk, [])
        if by_parent is None:
            by_parent = bool(parents) and self.rng.random() < 0.55
        return parents[0] if by_parent and parents else student

    def question(self, category, topic, author: User, student: User, school_class):
        text = self.rng.choice(_QUESTIONS[category]).format(topic=topic)
        if author.pk != student.pk:
            opening = _PARENT_OPENING.format(
                child=_child_word(student), school_class=school_class
            )
            text = opening + text
        return text

    def least_busy_deputy(self, exclude: int | None = None) -> User | None:
        choices = [d for d in self.people.deputies if d.pk != exclude]
        if not choices:
            return None
        deputy = min(choices, key=lambda d: (self.deputy_load[d.pk], d.last_name))
        self.deputy_load[deputy.pk] += 1
        return deputy

    def message(self, req, kind, author, at, text="", to=None, rating=None):
        RequestMessage.objects.create(
            request=req,
            kind=kind,
            author=author,
            text=text,
            to=to,
            rating=rating,
            created_at=at,
        )

    # --- one request --------------------------------------------------------------

    def write(
        self,
        *,
        student: User,
        author: User,
        school_class: SchoolClass,
        addressee: str,
        assignee: User,
        category: str,
        topic: str,
        text: str,
        created_at: dt.datetime,
        subject=None,
        preferred: str = "",
        fate: str = "new",
        consultation: Consultation | None = None,
        answer: str = "",
    ) -> Request:
        """Write a request and play its story up to today: `fate` is one of new,
        in_progress, redirected, answered, invited, folded, closed, rated, reopened,
        overdue."""
        rng = self.rng
        due_at = add_working_days(created_at, self.days)
        req = Request.objects.create(
            author=author,
            student=student,
            school_class=school_class,
            addressee=addressee,
            subject=subject,
            category=category,
            topic=topic,
            topic_key=normalise_topic(topic),
            text=text,
            preferred_answer=preferred,
            assignee=assignee,
            created_at=created_at,
            due_at=due_at,
        )
        self.written.append(req)
        now = self.clock.now
        # The staff side acts within the deadline, before «now».
        span = max(min(due_at, now) - created_at, dt.timedelta(hours=2))

        def at(share: float) -> dt.datetime:
            """A moment `share` of the way to the deadline, in office hours."""
            moment = created_at + span * share
            if not 8 <= moment.hour < 19:
                moment = moment.replace(hour=rng.randint(14, 18))
            return self.clock.before_now(moment, created_at)

        if fate == "new":
            return req
        if fate == "redirected":
            new = self.redirect_to(req)
            if new is not None:
                self.message(
                    req,
                    "redirected",
                    assignee,
                    at(0.2),
                    "Вопрос не по моему предмету — передаю коллеге.",
                    to=new,
                )
                Request.objects.filter(pk=req.pk).update(
                    assignee=new, status=Request.Status.REDIRECTED
                )
            return req
        taken = at(rng.uniform(0.05, 0.3))
        self.message(req, "taken", assignee, taken)
        updates = {"status": Request.Status.IN_PROGRESS, "taken_at": taken}
        if fate == "overdue":
            deputy = self.least_busy_deputy(exclude=assignee.pk)
            if deputy is not None and due_at < now:
                escalated = due_at + dt.timedelta(minutes=rng.choice([5, 10, 15]))
                updates.update(
                    escalated_at=escalated,
                    escalated_to=deputy,
                    reminded_at=due_at - dt.timedelta(hours=20),
                )
                self.message(req, "escalated", None, escalated, to=deputy)
            Request.objects.filter(pk=req.pk).update(**updates)
            return req
        if fate == "in_progress":
            if rng.random() < 0.5:
                self.message(
                    req,
                    "message",
                    assignee,
                    at(0.4),
                    "Уточните, пожалуйста, номер задания или страницу учебника.",
                )
                self.message(req, "message", author, at(0.5), "Страница 87, № 412.")
            Request.objects.filter(pk=req.pk).update(**updates)
            return req
        # Answered, one way or another.
        answered_at = self.clock.before_now(
            max(at(rng.uniform(0.4, 0.9)), taken + dt.timedelta(minutes=20)), taken
        )
        kind, link, text = Request.AnswerKind.WRITTEN, "", ""
        if fate == "invited":
            kind = Request.AnswerKind.INVITATION
            text = rng.choice(_INVITATIONS)
            link = "https://umka.example.org/rooms/" + str(rng.randint(1000, 9999))
        elif fate == "folded" and consultation is not None:
            kind = Request.AnswerKind.GROUP
            session = (
                consultation.occurrences.filter(
                    status=Occurrence.Status.PLANNED, starts_at__gt=answered_at
                )
                .order_by("starts_at")
                .first()
            )
            when = (
                session.starts_at.astimezone(self.clock.tz).strftime("%d.%m.%Y %H:%M")
                if session
                else ""
            )
            text = f"Ваш вопрос разберём на групповой консультации «{consultation}»" + (
                f", ближайшее занятие — {when}." if when else "."
            )
        elif answer:
            text = answer
        else:
            text = rng.choice(_ANSWERS).format(example=rng.choice(_EXAMPLES))
        self.message(req, "answer", assignee, answered_at, text)
        updates.update(
            status=Request.Status.ANSWERED,
            answered_at=answered_at,
            answered_by=assignee,
            answer_kind=kind,
            answer_link=link,
            consultation=consultation if kind == Request.AnswerKind.GROUP else None,
        )
        if fate == "reopened":
            reopened = self.clock.before_now(
                answered_at + dt.timedelta(hours=rng.randint(2, 20)), answered_at
            )
            self.message(
                req, "rated", author, reopened - dt.timedelta(minutes=3), rating=3
            )
            self.message(req, "reopened", author, reopened, rng.choice(_REASONS_REOPEN))
            updates.update(
                status=Request.Status.IN_PROGRESS,
                reopen_count=1,
                due_at=add_working_days(reopened, self.days),
                answered_at=None,
                answered_by=None,
                answer_kind="",
                answer_link="",
                consultation=None,
            )
        elif fate in ("closed", "rated"):
            closed = self.clock.before_now(
                answered_at + dt.timedelta(hours=rng.randint(1, 30)), answered_at
            )
            if fate == "rated":
                rating = rng.choice([5, 5, 5, 4, 4, 3, 2])
                comment = (
                    rng.choice(_COMMENTS)
                    if rating >= 4
                    else ("Ответ общий, хотелось бы разбор нашей задачи.")
                )
                self.message(req, "rated", author, closed, comment, rating=rating)
                updates.update(rating=rating, rating_comment=comment, rated_at=closed)
            closed = closed + dt.timedelta(minutes=2)
            self.message(req, "closed", author, closed)
            updates.update(
                status=Request.Status.CLOSED, closed_at=closed, closed_by=author
            )
        Request.objects.filter(pk=req.pk).update(**updates)
        return req

    def redirect_to(self, req: Request) -> User | None:
        if req.school_class is None:
            return self.least_busy_deputy(exclude=req.assignee_id)
        return (
            req.school_class.class_teacher
            if (
                req.school_class.class_teacher_id
                and req.school_class.class_teacher_id != req.assignee_id
            )
            else self.least_busy_deputy(exclude=req.assignee_id)
        )
