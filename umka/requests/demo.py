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
from umka.requests.demo_writer import DemoClock, People, Writer
from umka.requests.models import (
    Request,
    RequestMessage,
    SharedTopicNotice,
)
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


def _login(username: str) -> User | None:
    return User.objects.filter(username=username).first()


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
    clock: DemoClock
    writer: Writer
    people: People
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
    people = People(
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
    clock = DemoClock(today, year.starts_on, rng)
    plan = _subject_requests_plan(today)
    demo = _Demo(
        rng=rng,
        today=today,
        clock=clock,
        writer=Writer(rng, clock, people),
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
    written = list(
        Request.objects.filter(pk__in=[r.pk for r in demo.writer.written]).order_by(
            "pk"
        )
    )
    _mirror_ratings(written)
    return written


def _mirror_ratings(written: list[Request]) -> None:
    """The demo's ratings of answers go to the common table too (R13), as
    `services.request_rate` does for real ones."""
    from umka.ratings.services import rating_mirror
    from umka.requests.ratable import as_ratable

    for req in written:
        if req.rating is not None and req.rated_at is not None:
            rating_mirror(
                rater=req.author,
                item=as_ratable(req),
                score=req.rating,
                comment=req.rating_comment,
                now=req.rated_at,
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
        SharedTopicNotice,
    )

    for model in (SharedTopicNotice, RequestAttachment, RequestMessage, Request):
        model.objects.all().delete()
