"""The demo school's staff: the administration with the demo logins, the teachers
with their subjects, hours and contracts, and the class teachers (a step of
`builder._Builder`, drawing its random numbers in the builder's fixed order)."""

import math
from collections import defaultdict
from decimal import Decimal

from umka.accounts.models import Role, RoleAssignment, User
from umka.demo import curriculum as cur
from umka.school.models import SchoolClass, TeachingAssignment

MIN_TEACHERS = 40
TARGET_TEACHING_HOURS = 22  # a subject teacher's share before consultations
MAX_TEACHING_HOURS = 27  # leaves room for consultations within 30 h
MIN_LOAD, MAX_LOAD = 18, 30


class StaffSteps:
    """The builder's steps that hire the staff (mixed into `builder._Builder`,
    whose helpers `_adult`, `_contract`, `_login`, `_working_week` they use)."""

    def administration(self) -> None:
        rng = self.rng
        self.admin = self._login(
            "admin",
            self._adult(female=True, born=(1985, 1995), roles=(Role.ADMINISTRATOR,)),
        )
        self.admin.is_staff = True
        director = self._login(
            "director",
            self._adult(
                female=rng.random() < 0.7, born=(1966, 1976), roles=(Role.DIRECTOR,)
            ),
        )
        self._working_week(
            self._contract(director, "Директор"), "08:00", "17:00", "16:00"
        )
        deputies = [
            ("Заместитель директора по учебно-воспитательной работе", "deputy"),
            ("Заместитель директора по учебно-воспитательной работе", None),
            ("Заместитель директора по воспитательной работе", None),
        ]
        for position, login in deputies:
            deputy = self._adult(
                female=rng.random() < 0.8, born=(1968, 1988), roles=(Role.DEPUTY_HEAD,)
            )
            if login:
                self._login(login, deputy)
            self._working_week(
                self._contract(deputy, position), "08:00", "17:00", "15:45"
            )
        unit_head = self._login(
            "unit_head",
            self._adult(
                female=rng.random() < 0.5, born=(1975, 1992), roles=(Role.UNIT_HEAD,)
            ),
        )
        self._working_week(
            self._contract(unit_head, "Руководитель центра «Точка роста»"),
            "09:00",
            "17:30",
            "16:30",
        )
        others = [
            ("Педагог-психолог", "staff", ("08:30", "17:00", "15:45")),
            ("Социальный педагог", None, ("08:30", "17:00", "15:45")),
            ("Учитель-логопед", None, ("08:00", "14:00", "13:00")),
            ("Педагог-библиотекарь", None, ("09:00", "17:30", "16:15")),
        ]
        for position, login, hours in others:
            person = self._adult(
                female=rng.random() < 0.85, born=(1970, 1996), roles=(Role.STAFF,)
            )
            if login:
                self._login(login, person)
            self._working_week(self._contract(person, position), *hours)

    def teachers(self) -> None:
        rng, plan = self.rng, self.plan
        hours: dict[int, Decimal] = defaultdict(Decimal)  # id(teacher) → taught
        order: list[tuple[User, str]] = []  # (teacher, position)

        def assign(teacher: User, subject: str, school_class: SchoolClass, h: int):
            plan.assignments.append(
                TeachingAssignment(
                    teacher=teacher,
                    subject=plan.subjects[subject],
                    school_class=school_class,
                    hours_per_week=Decimal(h),
                )
            )
            hours[id(teacher)] += h

        # The primary class teacher teaches most subjects of the own class.
        for school_class in plan.classes:
            if school_class.grade > 4:
                continue
            teacher = self._adult(
                female=rng.random() < 0.95, born=(1963, 1998), roles=(Role.TEACHER,)
            )
            school_class.class_teacher = teacher
            order.append((teacher, cur.PRIMARY_POSITION))
            for subject, h in cur.subjects_of_grade(school_class.grade):
                if subject in cur.PRIMARY_TEACHER_SUBJECTS:
                    assign(teacher, subject, school_class, h)

        # Subject teachers: a class's hours of a specialty go to one teacher (one
        # per group where the class is halved).
        bundles: dict[str, list[tuple[SchoolClass, list[tuple[str, int]]]]] = {}
        for specialty in cur.SUBJECT_SPECIALTIES:
            items = []
            for school_class in plan.classes:
                if school_class.grade not in specialty.grades:
                    continue
                lessons = [
                    (subject, h)
                    for subject, h in cur.subjects_of_grade(school_class.grade)
                    if subject in specialty.subjects
                    and not (
                        school_class.grade <= 4
                        and subject in cur.PRIMARY_TEACHER_SUBJECTS
                    )
                ]
                if lessons:
                    items.append((school_class, lessons))
            # The second groups follow all the first ones, half the hours further
            # on: the two halves of a class never fall to the same teacher.
            bundles[specialty.code] = items * 2 if specialty.grouped else items
        totals = {
            code: sum(h for _c, lessons in items for _s, h in lessons)
            for code, items in bundles.items()
        }
        staff = {
            specialty.code: max(
                2 if specialty.grouped else 1,
                round(totals[specialty.code] / TARGET_TEACHING_HOURS),
            )
            for specialty in cur.SUBJECT_SPECIALTIES
        }
        while len(order) + sum(staff.values()) < MIN_TEACHERS:
            busiest = max(staff, key=lambda code: (totals[code] / staff[code], code))
            staff[busiest] += 1

        for specialty in cur.SUBJECT_SPECIALTIES:
            items, total = bundles[specialty.code], totals[specialty.code]
            while True:
                n = staff[specialty.code]
                shares: list[list] = [[] for _ in range(n)]
                done = 0
                # Contiguous runs of classes (a teacher keeps parallel classes).
                for school_class, lessons in items:
                    h = sum(x for _s, x in lessons)
                    shares[min(n - 1, int((done + h / 2) * n / total))].append(
                        (school_class, lessons)
                    )
                    done += h
                if all(
                    sum(x for _c, ls in share for _s, x in ls) <= MAX_TEACHING_HOURS
                    for share in shares
                ):
                    break
                staff[specialty.code] += 1
            women = 0.85 if specialty.mostly_women else 0.3
            for share in shares:
                teacher = self._adult(
                    female=rng.random() < women,
                    born=(1963, 1998),
                    roles=(Role.TEACHER,),
                )
                taught = {subject for _c, ls in share for subject, _h in ls}
                order.append((teacher, specialty.position(taught)))
                for school_class, lessons in share:
                    for subject, h in lessons:
                        assign(teacher, subject, school_class, h)

        for teacher, position in order:
            taught = hours[id(teacher)]
            consult = Decimal(rng.choice(("1", "1.5", "2", "2", "3")))
            consult = min(consult, MAX_LOAD - taught)
            load = max(Decimal(MIN_LOAD), Decimal(math.ceil(taught + consult)))
            self._contract(
                teacher, position, weekly_load_hours=load, consultation_hours=consult
            )
        self.teacher_order = [teacher for teacher, _p in order]
        self._class_teachers()

    def _class_teachers(self) -> None:
        """A class teacher for each class from grade 5: someone who teaches it.
        7А gets its maths teacher — the demo login `teacher`."""
        in_class: dict[int, dict[int, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        for a in self.plan.assignments:
            in_class[id(a.school_class)][id(a.teacher)] += a.hours_per_week
        leading = {id(c.class_teacher) for c in self.plan.classes if c.class_teacher}
        rank = {id(t): n for n, t in enumerate(self.teacher_order)}
        demo_class = self.by_name["7А"]
        maths = next(
            a.teacher
            for a in self.plan.assignments
            if a.school_class is demo_class and a.subject.name == cur.ALGEBRA
        )
        demo_class.class_teacher = self._login("teacher", maths)
        leading.add(id(maths))
        not_pe = {
            id(a.teacher)
            for a in self.plan.assignments
            if a.subject.name not in (cur.PE, cur.OBZR, cur.MUSIC)
        }
        for school_class in self.plan.classes:
            if school_class.class_teacher is not None:
                continue
            teaching = in_class[id(school_class)]
            candidates = sorted(
                (t for t in self.teacher_order if id(t) not in leading),
                key=lambda t: (
                    -teaching.get(id(t), 0),
                    id(t) not in not_pe,
                    rank[id(t)],
                ),
            )
            school_class.class_teacher = candidates[0]
            leading.add(id(candidates[0]))
        # A primary teacher (a woman) whose own child is in the 6th grade: born
        # when she was 24 to 42.
        women = [
            t
            for t in self.teacher_order
            if id(t) in self.women and id(t) not in self.fixed
        ]
        self.teacher_parent = self._login(
            "teacher_parent",
            next(
                (t for t in women if self.y - 55 <= t.birth_date.year <= self.y - 37),
                women[0],
            ),
        )
        self.plan.roles.append(
            RoleAssignment(user=self.teacher_parent, role=Role.PARENT)
        )
