"""Demo learning materials (R2): `load_demo_materials(rng=, today=)`.

Called by the demo loader once the school and its course spaces exist. Every class
gets, for each subject it is taught and each program part of its grade, a
published material by the subject's teacher — in turn a PDF (one per part, shared
by the parallel's classes), a page with maths, a link — plus the planned results
of each subject; one short video per class; the school's regulation and the rules
of consultations as «organisation of the process» for every class; the methodical
collection for staff. The demo `teacher` has two drafts and one scheduled
material, 7А a parents-only memo. Rows are written in bulk: no audit entries or
notices (the audience is told of what is published from now on).
"""

import datetime as dt
import random
from collections import defaultdict
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction

from umka.accounts.models import User
from umka.core import clock
from umka.materials import samples
from umka.materials.models import (
    Material,
    MaterialClass,
    MaterialFile,
    MaterialOpening,
    MaterialText,
    MaterialVersion,
)
from umka.school.models import ProgramPart, SchoolClass, TeachingAssignment
from umka.school.selectors import current_year

Kind, Purpose, Audience = Material.Kind, Material.Purpose, Material.Audience
DEMO_TEACHER, DEMO_DEPUTY, DEMO_STUDENT, DEMO_PARENT = (
    "teacher",
    "deputy",
    "student",
    "parent",
)

MATHS_PAGE = """Опорный конспект раздела «{part}».

## Главное

Уравнение $ax + b = 0$ при $a \\ne 0$ имеет один корень:

$$x = -\\frac{{b}}{{a}}$$

1. Перенесите слагаемые без переменной в правую часть.
2. Разделите обе части на коэффициент при $x$.
3. Сделайте проверку.
"""
REGULATION = """Порядок оказания учебно-методической помощи обучающимся, родителям
(законным представителям) обучающихся, в том числе в форме индивидуальных
консультаций, оказываемых дистанционно.

- Групповые консультации проводятся по утверждённому графику, опубликованному на
  сайте школы и на стенде.
- Обращения рассматриваются в течение трёх рабочих дней.
- Индивидуальную консультацию можно записаться в разделе «Консультации»."""


def _file(
    name: str, data: bytes, extension: str, *, actor_id: int | None, words: str = ""
) -> MaterialFile:
    """A stored file of the demo; its text is known (no parser needed)."""
    stored = MaterialFile(
        name=name, extension=extension, size=len(data), uploaded_by_id=actor_id
    )
    stored.text = words
    stored.text_status = (
        MaterialFile.TextStatus.READ if words else MaterialFile.TextStatus.NONE
    )
    stored.file.save(name, ContentFile(data), save=False)
    return stored


def _material(**values) -> Material:
    return Material(updated_at=values.get("publish_at") or clock.now(), **values)


def _search_body(material: Material, files: dict[int, MaterialFile]) -> str:
    parts = [material.description, material.body, material.url]
    if material.file_id is not None:
        parts.append(files[material.file_id].text)
    return "\n".join(p for p in parts if p)


def load_demo_materials(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    year = current_year(today)
    if year is None:
        return {"materials": 0}
    # Files left by an earlier demo whose rows went with its school.
    MaterialFile.objects.filter(materials=None, versions=None).delete()
    # The demo may be loaded for another day than today (tests, a preview).
    now = clock.now() if today == clock.today() else clock.at(today, dt.time(12))
    published = now - dt.timedelta(days=7)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[DEMO_TEACHER, DEMO_DEPUTY, DEMO_STUDENT, DEMO_PARENT]
        )
    }
    deputy = users.get(DEMO_DEPUTY)
    classes = list(SchoolClass.objects.filter(year=year).order_by("grade", "letter"))
    teaching = defaultdict(list)
    for a in (
        TeachingAssignment.objects.filter(school_class__year=year)
        .select_related("subject")
        .order_by("school_class_id", "subject__name", "teacher_id")
    ):
        if all(x.subject_id != a.subject_id for x in teaching[a.school_class_id]):
            teaching[a.school_class_id].append(a)
    parts = defaultdict(list)
    for p in ProgramPart.objects.filter(grade__in={c.grade for c in classes}).order_by(
        "number"
    ):
        parts[(p.subject_id, p.grade)].append(p)

    pdfs: dict[int, MaterialFile] = {}
    video = samples.video_bytes(seconds=2, size=(160, 90))
    video_file = (
        _file("Видеоурок.webm", video, "webm", actor_id=None) if video else None
    )
    files = [video_file] if video_file else []
    planned: list[tuple[Material, list[int]]] = []
    for school_class in classes:
        for a in teaching[school_class.pk]:
            base = {
                "subject_id": a.subject_id,
                "author_id": a.teacher_id,
                "publish_at": published,
                "notified_at": published,
            }
            planned.append(
                (
                    _material(
                        kind=Kind.PAGE,
                        purpose=Purpose.RESULTS,
                        title=f"Планируемые результаты: {a.subject.name}, "
                        f"{school_class.grade} класс",
                        body="Предметные, метапредметные и личностные результаты "
                        "освоения рабочей программы по предмету.",
                        **base,
                    ),
                    [school_class.pk],
                )
            )
            for i, part in enumerate(parts[(a.subject_id, school_class.grade)]):
                kind = (Kind.FILE, Kind.PAGE, Kind.LINK)[(i + rng.randrange(3)) % 3]
                values = {"program_part_id": part.pk, **base}
                if kind == Kind.FILE:
                    if part.pk not in pdfs:
                        lines = [
                            f"{a.subject.name}, {part.grade} класс",
                            "Памятка и задания для самопроверки.",
                        ]
                        pdfs[part.pk] = _file(
                            f"{part.title[:100]}.pdf",
                            samples.pdf_bytes(part.title, lines),
                            "pdf",
                            actor_id=a.teacher_id,
                            words=" ".join([part.title, *lines]),
                        )
                        files.append(pdfs[part.pk])
                    values.update(title=f"{part.title}: памятка", file=pdfs[part.pk])
                elif kind == Kind.PAGE:
                    values.update(
                        title=f"{part.title}: опорный конспект",
                        body=MATHS_PAGE.format(part=part.title),
                    )
                else:
                    values.update(
                        title=f"{part.title}: задания для тренировки",
                        url="https://resh.edu.ru/",
                        description="Российская электронная школа: уроки и задания.",
                    )
                planned.append((_material(kind=kind, **values), [school_class.pk]))
            if video_file is not None and a is teaching[school_class.pk][0]:
                planned.append(
                    (
                        _material(
                            kind=Kind.VIDEO,
                            title=f"Видеоурок: {a.subject.name}, {school_class}",
                            file=video_file,
                            **base,
                        ),
                        [school_class.pk],
                    )
                )
    every_class = [c.pk for c in classes]
    school_wide = {
        "author_id": getattr(deputy, "pk", None),
        "publish_at": published,
        "notified_at": published,
    }
    planned += [
        (
            _material(
                kind=Kind.PAGE,
                purpose=Purpose.PROCESS,
                title="Порядок оказания учебно-методической помощи",
                body=REGULATION,
                **school_wide,
            ),
            every_class,
        ),
        (
            _material(
                kind=Kind.PAGE,
                purpose=Purpose.PROCESS,
                title="Как проходят дистанционные консультации",
                body="Вход в комнату консультации — за 15 минут до начала.",
                **school_wide,
            ),
            every_class,
        ),
        (
            _material(
                kind=Kind.PAGE,
                audience=Audience.STAFF,
                title="Методические рекомендации по дистанционным консультациям",
                body="Как готовить обзорные и тематические консультации.",
                **school_wide,
            ),
            [],
        ),
    ]
    teacher = users.get(DEMO_TEACHER)
    class_7a = next((c for c in classes if str(c) == "7А"), None)
    mine = (
        next(
            (a for a in teaching.get(getattr(class_7a, "pk", 0), [])
             if a.teacher_id == getattr(teacher, "pk", None)),
            None,
        )
        if class_7a
        else None
    )  # fmt: skip
    if class_7a is not None and teacher is not None:
        own = {"author_id": teacher.pk, "subject_id": getattr(mine, "subject_id", None)}
        tomorrow = clock.at(today + dt.timedelta(days=2), dt.time(8, 0))
        planned += [
            (
                _material(
                    kind=Kind.PAGE,
                    title="Черновик: разбор контрольной работы",
                    body="Разбор задач $1$–$5$.",
                    **own,
                ),
                [class_7a.pk],
            ),
            (
                _material(
                    kind=Kind.LINK,
                    title="Черновик: подборка задач",
                    url="https://resh.edu.ru/",
                    **own,
                ),
                [class_7a.pk],
            ),
            (
                _material(
                    kind=Kind.PAGE,
                    title="Подготовка к четвертной контрольной",
                    body="Повторите разделы $1$–$3$.",
                    publish_at=tomorrow,
                    **own,
                ),
                [class_7a.pk],
            ),
            (
                _material(
                    kind=Kind.PAGE,
                    audience=Audience.PARENTS,
                    title="Памятка родителям 7А: как помочь с домашними заданиями",
                    body="Спрашивайте, что было на уроке; не решайте за ребёнка.",
                    publish_at=published,
                    notified_at=published,
                    **own,
                ),
                [class_7a.pk],
            ),
        ]
    MaterialFile.objects.bulk_create(files, batch_size=500)
    materials = Material.objects.bulk_create([m for m, _ in planned], batch_size=500)
    MaterialClass.objects.bulk_create(
        (
            MaterialClass(material_id=m.pk, school_class_id=pk)
            for m, class_pks in zip(materials, (c for _, c in planned), strict=True)
            for pk in class_pks
        ),
        batch_size=2000,
    )
    by_pk = {f.pk: f for f in files}
    MaterialVersion.objects.bulk_create(
        (
            MaterialVersion(
                material_id=m.pk,
                number=1,
                kind=m.kind,
                title=m.title,
                description=m.description,
                body=m.body,
                url=m.url,
                file_id=m.file_id,
                changed_by_id=m.author_id,
                changed_at=now,
                note="Создан",
            )
            for m in materials
        ),
        batch_size=1000,
    )
    MaterialText.objects.bulk_create(
        (
            MaterialText(material_id=m.pk, title=m.title, body=_search_body(m, by_pk))
            for m in materials
        ),
        batch_size=1000,
    )
    openings = _openings(users, materials, class_7a, now)
    _thumbnails_later([f.pk for f in pdfs.values()])
    return {
        "materials": len(materials),
        "material_files": len(files),
        "material_openings": openings,
    }


def _openings(users, materials, class_7a, now) -> int:
    student, parent = users.get(DEMO_STUDENT), users.get(DEMO_PARENT)
    if class_7a is None or student is None:
        return 0
    mine = list(
        MaterialClass.objects.filter(
            school_class=class_7a, material__in=[m.pk for m in materials]
        ).values_list("material_id", flat=True)[:6]
    )
    rows = [
        MaterialOpening(
            material_id=pk, person=person, first_at=now, last_at=now, times=1
        )
        for i, pk in enumerate(mine)
        for person in ([student, parent] if i % 2 == 0 and parent else [student])
    ]
    MaterialOpening.objects.bulk_create(rows)
    return len(rows)


def _thumbnails_later(file_ids: list[int]) -> None:
    from umka.materials import tasks

    def enqueue():
        for pk in file_ids:
            tasks.file_thumbnail(pk)

    transaction.on_commit(partial(enqueue), robust=True)
