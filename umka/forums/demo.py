"""The demo of deferred interaction: `load_demo_interaction(seed=, today=)` —
one call from the demo loader — picks the demo `teacher`'s class spaces (the
demo `student`'s algebra, 7А, first; three at most) and loads into them the
seminars (`seminars.demo`), the glossary (`glossary.demo`) and the forums
(`load_demo_forums`, here): in each course forum a pinned announcement of the
teacher, threads with replies and a quote, a graded discussion of the last
weeks (some students graded with reviews, the others waiting in the queue) and
one under way; a parents' forum for each class the demo teacher leads and for
the demo parent's children's classes, with the class teacher's announcement
and a thread of parents. Rows are written in bulk: no audit entries or
notices; followers' digests start after the demo's posts.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict

from django.db.models import Case, IntegerField, Value, When

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links, children_of
from umka.core import clock
from umka.courses.deadlines import review_due_from
from umka.courses.models import CourseSpace, SpaceTeacher
from umka.courses.sync import spaces_sync
from umka.forums.discussions import posts_in_period
from umka.forums.models import (
    Digest,
    Discussion,
    DiscussionGrade,
    Forum,
    Post,
    Subscription,
    Thread,
)
from umka.glossary.demo import load_demo_glossary
from umka.school.models import Enrolment, SchoolClass
from umka.school.selectors import current_enrolment, current_year
from umka.seminars.demo import load_demo_seminars

DEMO_TEACHER, DEMO_STUDENT, DEMO_PARENT = "teacher", "student", "parent"
SPACES = 3

COURSE_THREADS = [
    (
        "Как найти коэффициент k по графику?",
        [
            "Не понимаю, как по графику прямой найти $k$. Можно пример?",
            "Возьми две точки на прямой и раздели изменение $y$ на изменение $x$.",
            "Например, точки $(0; 1)$ и $(2; 5)$: $k = \\frac{5 - 1}{2 - 0} = 2$.",
            "Спасибо, теперь понятно!",
        ],
    ),
    (
        "Разбор самостоятельной работы №1",
        [
            "Давайте разберём задачу 3: у многих не сошёлся ответ.",
            "У меня получилось 26, а в ответах 24.",
            "Проверь, как раскрыты скобки: $-(x - 4) = -x + 4$.",
            "Точно, знак потерял.",
            "Правильный ответ — 26, в ответах опечатка. Молодцы, что заметили.",
        ],
    ),
    (
        "Где в жизни встречаются пропорции?",
        [
            "Рецепт: на 2 яйца 1 стакан муки — это пропорция.",
            "Масштаб карты 1 : 100 000 тоже.",
            "А скорость и время при одном расстоянии — обратная пропорциональность.",
            "Отличные примеры. Кто найдёт пример из спорта?",
            "Темп бега: чем быстрее бежишь, тем меньше время на круг.",
        ],
    ),
]
PARENTS_THREADS = [
    (
        "Экскурсия в планетарий",
        [
            "Кто из детей поедет 28 ноября? Нужно сопровождение.",
            "Мы едем, могу быть сопровождающей.",
            "Тоже едем. Во сколько сбор?",
            "Сбор в 9:00 у школы, автобус заказан.",
        ],
    ),
]


def _spaces(year, teacher, student) -> list[CourseSpace]:
    """The demo teacher's class spaces, the demo student's class first."""
    enrolment = current_enrolment(student, clock.today()) if student else None
    first = enrolment.school_class_id if enrolment else 0
    return list(
        CourseSpace.objects.filter(
            year=year,
            kind=CourseSpace.Kind.CLASS,
            teacher_links__teacher=teacher,
            archived_at__isnull=True,
        )
        .annotate(
            mine=Case(
                When(school_class_id=first, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("subject", "school_class")
        .order_by("mine", "school_class__grade", "school_class__letter", "pk")[:SPACES]
    )


def _thread(rng, forum, title, lines, authors, start, *, pinned=False):
    thread = Thread.objects.create(
        forum=forum,
        title=title,
        author_id=authors[0],
        created_at=start,
        last_post_at=start,
        pinned=pinned,
    )
    posts, when = [], start
    for n, text in enumerate(lines):
        posts.append(
            Post(
                thread=thread,
                author_id=authors[n % len(authors)],
                token=uuid.UUID(int=rng.getrandbits(128)),
                body=text,
                created_at=when,
            )
        )
        when += dt.timedelta(minutes=rng.randrange(20, 300))
    Post.objects.bulk_create(posts)
    if len(posts) > 2:
        posts[2].quote_of = posts[1]
        posts[2].save(update_fields=["quote_of"])
    Thread.objects.filter(pk=thread.pk).update(
        posts_count=len(posts), last_post_at=posts[-1].created_at
    )
    return thread


def _course_forum(rng, space, teacher, pupils, now) -> dict[str, int]:
    forum = Forum.objects.create(kind=Forum.Kind.SPACE, space=space)
    _thread(
        rng,
        forum,
        "Консультация перед контрольной — в четверг в 15:00",
        [
            "Ребята, в четверг в 15:00 консультация в кабинете 21 (и онлайн). "
            "Повторите § 5–8 и принесите вопросы."
        ],
        [teacher],
        now - dt.timedelta(days=2),
        pinned=True,
    )
    p = [pupils[k % len(pupils)] for k in range(4)]
    who = [
        [p[0], teacher, p[1], p[0]],
        [teacher, p[1], p[2], p[1], teacher],
        [p[2], p[0], p[1], teacher, p[3]],
    ]
    for n, (title, lines) in enumerate(COURSE_THREADS):
        _thread(rng, forum, title, lines, who[n], now - dt.timedelta(days=12 - 4 * n))
    threads = 1 + len(COURSE_THREADS)
    ended = Discussion.objects.create(
        forum=forum,
        title="Обсуждение: пропорции вокруг нас",
        topic="Пропорции",
        starts_on=clock.local_date(now - dt.timedelta(days=14)),
        ends_on=clock.local_date(now - dt.timedelta(days=2)),
        created_by_id=teacher,
        closed_at=now - dt.timedelta(days=1),
    )
    Discussion.objects.create(
        forum=forum,
        title="Обсуждение: линейная функция",
        topic="Линейная функция",
        starts_on=clock.local_date(now - dt.timedelta(days=1)),
        ends_on=clock.local_date(now + dt.timedelta(days=12)),
        created_by_id=teacher,
    )
    counts = defaultdict(int)
    for author in (
        posts_in_period(ended)
        .filter(author__in=pupils)
        .values_list("author", flat=True)
    ):
        counts[author] += 1
    came_in = ended.closed_at
    grades = []
    for n, (student, posts) in enumerate(sorted(counts.items())):
        grade = DiscussionGrade(
            discussion=ended,
            student_id=student,
            posts=posts,
            came_in_at=came_in,
            review_due_at=review_due_from(came_in),
        )
        if n % 2 == 0:
            grade.status = DiscussionGrade.Status.GRADED
            grade.mark = 5 if posts > 1 else 4
            grade.review = (
                "Примеры точные и разнообразные, ответы одноклассникам по делу."
                if posts > 1
                else "Пример удачный; стоило поддержать обсуждение ещё репликой."
            )
            grade.graded_by_id, grade.graded_at, grade.version = teacher, now, 1
        grades.append(grade)
    DiscussionGrade.objects.bulk_create(grades)
    return {"forum_threads": threads, "discussion_grades": len(grades)}


def _parents_of(school_class, today) -> list[int]:
    children = (
        Enrolment.objects.filter(school_class=school_class, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values("student")
    )
    return list(
        active_parent_links(today)
        .filter(student__in=children)
        .order_by("parent__last_name", "parent_id")
        .values_list("parent", flat=True)
        .distinct()
    )


def _parents_forums(rng, teacher, parent, year, now) -> int:
    today = clock.local_date(now)
    classes = set(SchoolClass.objects.filter(year=year, class_teacher=teacher))
    if parent is not None:
        for child in children_of(parent, today):
            enrolment = current_enrolment(child, today)
            if enrolment:
                classes.add(enrolment.school_class)
    made = 0
    for school_class in sorted(classes, key=lambda c: (c.grade, c.letter)):
        leader = school_class.class_teacher_id
        parents = _parents_of(school_class, today)
        if leader is None or len(parents) < 3:
            continue
        forum = Forum.objects.create(kind=Forum.Kind.PARENTS, school_class=school_class)
        _thread(
            rng,
            forum,
            "Родительское собрание 3 декабря в 18:30",
            [
                "Уважаемые родители! Собрание 3 декабря в 18:30, кабинет 21. "
                "Тема: итоги первого полугодия."
            ],
            [leader],
            now - dt.timedelta(days=1),
            pinned=True,
        )
        for title, lines in PARENTS_THREADS:
            authors = [parents[0], parents[1], parents[2], leader]
            if parent is not None and parent.pk in parents:
                authors[1] = parent.pk
            _thread(rng, forum, title, lines, authors, now - dt.timedelta(days=4))
        made += 1
    return made


def load_demo_forums(*, rng, now, spaces, students, teachers, parent) -> dict:
    counts = defaultdict(int)
    for space in spaces:
        pupils = students.get(space.school_class_id, [])
        if len(pupils) < 3:
            continue
        for key, value in _course_forum(
            rng, space, teachers[space.pk], pupils, now
        ).items():
            counts[key] += value
    teacher = User.objects.filter(username=DEMO_TEACHER).first()
    if teacher is not None:
        counts["parents_forums"] = _parents_forums(
            rng, teacher, parent, spaces[0].year if spaces else None, now
        )
    # The authors follow their threads; digests start after the demo's posts.
    last = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    follows = [
        Subscription(user_id=t.author_id, thread=t, created_at=t.created_at)
        for t in Thread.objects.all()
    ]
    Subscription.objects.bulk_create(follows, ignore_conflicts=True)
    Digest.objects.bulk_create(
        [
            Digest(user_id=u, told_up_to=last, sent_at=now)
            for u in {f.user_id for f in follows}
        ],
        ignore_conflicts=True,
    )
    return dict(counts)


def load_demo_interaction(*, seed, today: dt.date) -> dict[str, int]:
    """The demo's seminars, glossary and forums, each on its own seeded
    generator (demo data, not secrets)."""
    year = current_year(today)
    teacher = User.objects.filter(username=DEMO_TEACHER).first()
    if year is None or teacher is None:
        return {}
    spaces_sync(year=year, audited=False)
    student = User.objects.filter(username=DEMO_STUDENT).first()
    parent = User.objects.filter(username=DEMO_PARENT).first()
    spaces = _spaces(year, teacher, student)
    now = clock.now() if today == clock.today() else clock.at(today, dt.time(12))
    students = defaultdict(list)
    for e in (
        Enrolment.objects.filter(
            school_class__in=[s.school_class_id for s in spaces], starts_on__lte=today
        )
        .exclude(ends_on__lt=today)
        .order_by("student__last_name", "student_id")
    ):
        students[e.school_class_id].append(e.student_id)
    teachers = {}
    for link in SpaceTeacher.objects.filter(space__in=spaces).order_by("teacher_id"):
        teachers.setdefault(link.space_id, link.teacher_id)
    for space in spaces:
        teachers[space.pk] = teacher.pk  # the demo login teaches each of them
    common = {
        "now": now,
        "spaces": spaces,
        "students": students,
        "teachers": teachers,
    }
    student_id = student.pk if student else None
    return {
        **load_demo_seminars(
            rng=random.Random(f"{seed}:seminars"),  # noqa: S311
            student_id=student_id,
            **common,
        ),
        **load_demo_glossary(
            rng=random.Random(f"{seed}:glossary"),  # noqa: S311
            student_id=student_id,
            **common,
        ),
        **load_demo_forums(
            rng=random.Random(f"{seed}:forums"),  # noqa: S311
            parent=parent,
            **common,
        ),
    }
