"""Demo requests (обращения) for the demo school: `load_demo_requests(rng=, today=)`.

Called by the demo loader once the school's people exist. About forty requests of
the last weeks among real demo people, in every state: new, in progress,
redirected, answered (in writing, with an invitation, folded into a group
consultation), closed and rated, reopened once, a few overdue and escalated to a
deputy head, and a cluster of three open requests from 7А on one algebra topic —
of which the algebra teacher (`teacher`) was told (R9).

Like the demo's schedule, the history lives in the rows themselves (times,
thread, ratings): no audit entries. Two in-app notices (e-mail off) let the demo
logins see the feature: `teacher` about the shared topic, `parent` about the
answer waiting for a rating.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.accounts.policies import active_parent_links
from umka.consultations.models import Consultation, Occurrence
from umka.core import clock
from umka.core.topics import normalise_topic
from umka.notifications.services import notify
from umka.requests import notification_kinds as kinds
from umka.requests.models import (
    Request,
    RequestMessage,
    SharedTopicNotice,
)
from umka.requests.services import response_days
from umka.school.calendar import add_working_days, holiday_dates, is_working_day
from umka.school.models import Enrolment, ProgramPart, SchoolClass, TeachingAssignment
from umka.school.selectors import current_enrolment, current_year

#: Requests in all (the cluster and the demo logins' own included).
TOTAL = 40
CLUSTER_SUBJECT = "Алгебра"
CLUSTER_TOPIC = "Уравнения с одной переменной"

#: Subjects people seldom write about: the demo leaves them out.
_RARELY_ASKED = frozenset(
    {
        "Физическая культура",
        "Музыка",
        "Изобразительное искусство",
        "Труд (технология)",
        "Основы безопасности и защиты Родины",
        "Индивидуальный проект",
    }
)

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
_ORGANISATION = [
    (
        "Перенос индивидуальной консультации",
        "Можно ли перенести консультацию на другой день? В четверг у нас кружок.",
        "Да, можно: напишите учителю в Умке, он предложит другое время.",
    ),
    (
        "Расписание консультаций",
        "Где посмотреть расписание консультаций перед контрольными?",
        "График консультаций опубликован на сайте школы и в Умке; консультации "
        "перед аттестацией отмечены отдельно.",
    ),
    (
        "Пропуск занятий по болезни",
        "Ребёнок болел неделю. Как наверстать пропущенный материал?",
        "Материал можно наверстать на консультациях по предметам. Я написала "
        "учителям, они подскажут, с чего начать; план — в переписке.",
    ),
    (
        "Доступ к Умке для второго родителя",
        "Как второму родителю получить доступ к Умке?",
        "Пусть второй родитель принесёт документ в канцелярию: администратор "
        "создаст учётную запись и подтвердит связь с ребёнком.",
    ),
    (
        "Учебники на следующий год",
        "Когда станет известен список учебников на следующий учебный год?",
        "Список утверждают в мае; он появится на сайте школы и в Умке.",
    ),
]
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
class _People:
    teacher: User | None
    parent: User | None
    student: User | None
    deputies: list[User]
    parents_of: dict[int, list[User]]


def _daughter(student: User) -> bool:
    return (student.middle_name or "").endswith(("вна", "чна", "кызы"))


def _child_word(student: User) -> str:
    return "дочери" if _daughter(student) else "сыне"


def _login(username: str) -> User | None:
    return User.objects.filter(username=username).first()


class _Clock:
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


def _students_of(school_class: SchoolClass, today: dt.date) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Enrolment.objects.filter(
                school_class=school_class, starts_on__lte=today
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values("student")
        ).order_by("last_name", "first_name", "pk")
    )


class _Writer:
    def __init__(self, rng, clock: _Clock, people: _People):
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


def _subject_requests_plan(today: dt.date):
    """(class, subject, teacher, program part titles) for classes from grade 5
    with program parts, in a stable order."""
    year = current_year(today)
    rows = []
    assignments = (
        TeachingAssignment.objects.filter(
            school_class__year=year, school_class__grade__gte=5
        )
        .select_related(
            "school_class", "subject", "teacher", "school_class__class_teacher"
        )
        .order_by(
            "school_class__grade",
            "school_class__letter",
            "subject__name",
            "teacher__last_name",
            "pk",
        )
    )
    titles_of: dict[tuple[int, int], list[str]] = {}
    for subject_id, grade, title in ProgramPart.objects.order_by(
        "subject", "grade", "number"
    ).values_list("subject", "grade", "title"):
        titles_of.setdefault((subject_id, grade), []).append(title)
    seen = set()
    for a in assignments:
        key = (a.school_class_id, a.subject_id)
        if key in seen or a.subject.name in _RARELY_ASKED:
            continue
        seen.add(key)
        titles = titles_of.get((a.subject_id, a.school_class.grade))
        if titles:
            rows.append((a.school_class, a.subject, a.teacher, titles))
    return rows


@dataclass
class _Demo:
    rng: random.Random
    today: dt.date
    clock: _Clock
    writer: _Writer
    people: _People
    links: list
    plan: list
    cluster_class: SchoolClass
    algebra_7a: tuple | None


def load_demo_requests(*, rng: random.Random, today: dt.date) -> list[Request]:
    """Write the demo requests (see the module's docstring); returns them.

    Deterministic for a given `rng` state and database. Does nothing (returns [])
    without a current academic year or a 7А.
    """
    year = current_year(today)
    cluster_class = (
        SchoolClass.objects.filter(year=year, grade=7, letter="А")
        .select_related("class_teacher")
        .first()
        if year is not None
        else None
    )
    if cluster_class is None:
        return []
    links = list(
        active_parent_links(today)
        .select_related("parent")
        .order_by("parent__last_name", "parent__first_name", "pk")
    )
    parents_of: dict[int, list[User]] = {}
    for link in links:
        parents_of.setdefault(link.student_id, []).append(link.parent)
    people = _People(
        teacher=_login("teacher"),
        parent=_login("parent"),
        student=_login("student"),
        deputies=list(
            User.objects.filter(
                role_assignments__role=Role.DEPUTY_HEAD, is_active=True
            ).order_by("last_name", "first_name", "pk")
        ),
        parents_of=parents_of,
    )
    clock = _Clock(today, year.starts_on, rng)
    plan = _subject_requests_plan(today)
    demo = _Demo(
        rng=rng,
        today=today,
        clock=clock,
        writer=_Writer(rng, clock, people),
        people=people,
        links=links,
        plan=plan,
        cluster_class=cluster_class,
        algebra_7a=next(
            (
                row
                for row in plan
                if row[0].pk == cluster_class.pk and row[1].name == CLUSTER_SUBJECT
            ),
            None,
        ),
    )
    _cluster(demo)
    _parents_own(demo)
    _students_own(demo)
    _the_rest(demo)
    return list(
        Request.objects.filter(pk__in=[r.pk for r in demo.writer.written]).order_by(
            "pk"
        )
    )


def _cluster(demo: _Demo) -> None:
    """Three open requests from 7А on one algebra topic, and the teacher told (R9)."""
    students = _students_of(demo.cluster_class, demo.today)
    if demo.algebra_7a is None or len(students) < 3:
        return
    school_class, subject, teacher, titles = demo.algebra_7a
    topic = CLUSTER_TOPIC if CLUSTER_TOPIC in titles else titles[-1]
    own = demo.people.student if demo.people.student in students else students[0]
    others = [s for s in students if s.pk != own.pk]
    demo.rng.shuffle(others)
    writer = demo.writer
    for student, author, back, fate in [
        (own, own, 2, "in_progress"),
        (others[0], writer.author_for(others[0], by_parent=True), 1, "new"),
        (others[1], others[1], 1, "new"),
    ]:
        writer.write(
            student=student,
            author=author,
            school_class=school_class,
            addressee=Request.Addressee.SUBJECT_TEACHER,
            assignee=teacher,
            subject=subject,
            category=Request.Category.TOPIC,
            topic=topic,
            text=writer.question(
                Request.Category.TOPIC, topic, author, student, school_class
            ),
            created_at=demo.clock.back(back),
            preferred=demo.rng.choice(["", "written", "consultation"]),
            fate=fate,
        )
    notice = SharedTopicNotice.objects.create(
        school_class=school_class,
        subject=subject,
        topic_key=normalise_topic(topic),
        topic=topic,
        request_count=3,
        created_at=writer.written[-1].created_at,
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(class)s: %(count)s requests on «%(topic)s»") % {
            "class": school_class,
            "count": 3,
            "topic": topic,
        }
    notify(
        recipients=[teacher],
        kind=kinds.SHARED_TOPIC,
        title=title,
        url=reverse("requests:list") + "?tab=assigned",
        target=notice,
        email=False,
    )


def _parents_own(demo: _Demo) -> None:
    """`parent`: for each child an answer waiting for a rating (7А: algebra) and a
    rated question to the class teacher."""
    parent = demo.people.parent
    if parent is None:
        return
    children = User.objects.filter(
        pk__in=[link.student_id for link in demo.links if link.parent_id == parent.pk]
    ).order_by("birth_date", "pk")
    for child in children:
        enrolment = current_enrolment(child, demo.today)
        if enrolment is None:
            continue
        school_class = enrolment.school_class
        rows = [r for r in demo.plan if r[0].pk == school_class.pk]
        if school_class.pk == demo.cluster_class.pk and demo.algebra_7a:
            rows = [demo.algebra_7a]
        if rows:
            _class, subject, teacher, titles = rows[0]
            req = demo.writer.write(
                student=child,
                author=parent,
                school_class=school_class,
                addressee=Request.Addressee.SUBJECT_TEACHER,
                assignee=teacher,
                subject=subject,
                category=Request.Category.GRADES,
                topic=titles[0],
                text=demo.writer.question(
                    Request.Category.GRADES, titles[0], parent, child, school_class
                ),
                created_at=demo.clock.back(4),
                preferred=Request.PreferredAnswer.WRITTEN,
                fate="answered",
            )
            with translation.override(settings.LANGUAGE_CODE):
                title = _("An answer to your request № %(number)s: %(topic)s") % {
                    "number": req.pk,
                    "topic": req.topic,
                }
            notify(
                recipients=[parent],
                kind=kinds.ANSWERED,
                title=title,
                url=req.get_absolute_url(),
                actor=teacher,
                target=req,
                email=False,
            )
        if school_class.class_teacher is not None:
            topic, text, answer = _ORGANISATION[2]
            demo.writer.write(
                student=child,
                author=parent,
                school_class=school_class,
                addressee=Request.Addressee.CLASS_TEACHER,
                assignee=school_class.class_teacher,
                category=Request.Category.ORGANISATION,
                topic=topic,
                text=text,
                created_at=demo.clock.back(9),
                fate="rated",
                answer=answer,
            )


def _students_own(demo: _Demo) -> None:
    """`student`: an invitation to an individual consultation before a test."""
    student = demo.people.student
    if student is None or demo.algebra_7a is None:
        return
    school_class, subject, teacher, titles = demo.algebra_7a
    demo.writer.write(
        student=student,
        author=student,
        school_class=school_class,
        addressee=Request.Addressee.SUBJECT_TEACHER,
        assignee=teacher,
        subject=subject,
        category=Request.Category.ATTESTATION,
        topic=titles[-1],
        text=demo.writer.question(
            Request.Category.ATTESTATION, titles[-1], student, student, school_class
        ),
        created_at=demo.clock.back(6),
        preferred=Request.PreferredAnswer.CONSULTATION,
        fate="invited",
    )


#: How the rest of the requests end up, by weight.
_FATES = {
    "new": 3,
    "in_progress": 4,
    "redirected": 2,
    "answered": 5,
    "rated": 9,
    "closed": 2,
    "reopened": 1,
    "overdue": 4,
    "folded": 2,
}
#: Working days ago each was written; a reopened one recently, so that its new
#: deadline is still ahead.
_AGE = {
    "new": (1, 2),
    "in_progress": (1, 2),
    "redirected": (1, 2),
    "overdue": (5, 9),
    "reopened": (3, 3),
}


def _the_rest(demo: _Demo) -> None:
    """Subject questions across the school in every state, a few for the
    administration; some overdue (escalated to a deputy head)."""
    rng, writer = demo.rng, demo.writer
    fates = [fate for fate, weight in _FATES.items() for _n in range(weight)]
    rng.shuffle(fates)
    attempts = 0
    while len(writer.written) < TOTAL and demo.plan and attempts < TOTAL * 3:
        attempts += 1
        fate = fates[attempts % len(fates)]
        row, consultation = rng.choice(demo.plan), None
        if fate == "folded":
            chosen = _foldable(demo.plan, demo.today, rng)
            if chosen is None:
                fate = "answered"
            else:
                row, consultation = chosen
        school_class, subject, teacher, titles = row
        students = _students_of(school_class, demo.today)
        if not students:
            continue
        student = rng.choice(students)
        author = writer.author_for(student)
        back = rng.randint(*_AGE.get(fate, (4, 30)))
        parents = demo.people.parents_of.get(student.pk)
        if fate in ("answered", "rated") and parents and rng.random() < 0.2:
            # Organisational questions come from parents.
            assignee = writer.least_busy_deputy()
            if assignee is None:
                continue
            author = parents[0]
            topic, text, answer = rng.choice(_ORGANISATION)
            writer.write(
                student=student,
                author=author,
                school_class=school_class,
                addressee=Request.Addressee.ADMINISTRATION,
                assignee=assignee,
                category=Request.Category.ORGANISATION,
                topic=topic,
                text=text,
                created_at=demo.clock.back(back),
                fate=fate,
                answer=answer,
            )
            continue
        category = rng.choice(
            [Request.Category.TOPIC] * 3
            + [
                Request.Category.HOMEWORK,
                Request.Category.GRADES,
                Request.Category.ATTESTATION,
            ]
        )
        topic = rng.choice(titles)
        if consultation is not None and consultation.topic_list:
            topic = rng.choice(consultation.topic_list)
            category = Request.Category.TOPIC
        writer.write(
            student=student,
            author=author,
            school_class=school_class,
            addressee=Request.Addressee.SUBJECT_TEACHER,
            assignee=consultation.organiser if consultation else teacher,
            subject=subject,
            category=category,
            topic=topic,
            text=writer.question(category, topic, author, student, school_class),
            created_at=demo.clock.back(back),
            preferred=rng.choice(["", "", "written", "consultation", "phone"]),
            fate=fate,
            consultation=consultation,
        )


def _foldable(plan, today, rng):
    """A (plan row, consultation) whose teacher holds a topical group consultation
    for that class with a session ahead, if the demo schedule has one."""
    tz = clock.zone()
    ahead = dt.datetime.combine(today, dt.time(8, 0), tzinfo=tz)
    by_key = {(r[0].pk, r[2].pk): r for r in plan}
    candidates = (
        Consultation.objects.filter(
            volume=Consultation.Volume.TOPICAL,
            occurrences__status=Occurrence.Status.PLANNED,
            occurrences__starts_at__gt=ahead,
        )
        .exclude(form=Consultation.Form.INDIVIDUAL)
        .prefetch_related("audience_classes")
        .select_related("subject", "organiser")
        .distinct()
        .order_by("pk")
    )
    options = []
    for consultation in candidates[:400]:
        for school_class in consultation.audience_classes.all():
            row = by_key.get((school_class.pk, consultation.organiser_id))
            if row is not None and row[1].pk == consultation.subject_id:
                options.append((row, consultation))
    return rng.choice(options) if options else None


def wipe_demo_requests() -> None:
    """Delete every request (before the demo's people go: requests protect them)."""
    from umka.requests.models import (
        Request,
        RequestAttachment,
        RequestMessage,
        SharedTopicNotice,
    )

    for model in (SharedTopicNotice, RequestAttachment, RequestMessage, Request):
        model.objects.all().delete()
