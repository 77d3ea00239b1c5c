"""Validation of a whole file and the plan of what applying it would change.

`build_plan()` reads the database once (people, roles, classes, links, contracts)
and checks every row against it and against the other rows. It writes nothing: a
file with any error yields only the list of errors; a clean file yields one
`PersonPlan` per row, each saying whether the person is new, changed or unchanged.

Matching keys (a re-import of the same file finds the same people, R3 data):
- the login, when the row gives one;
- students: фамилия, имя, отчество and birth date;
- parents and staff: ФИО and the e-mail or the phone.
Names compare case-insensitively, «ё» = «е». An empty optional cell never erases
what is stored; an import only adds or changes, it never deletes.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.accounts.usernames import base_username, unique_username
from umka.imports import cleaning
from umka.imports.cleaning import CellError, fold, text
from umka.imports.columns import HeaderMap, map_headers
from umka.imports.models import ImportKind
from umka.imports.readers import Table
from umka.school.models import (
    AcademicYear,
    Contract,
    Enrolment,
    SchoolClass,
    Subject,
    TeachingAssignment,
    WorkingTime,
)

#: What Row.get() returns for a cell that did not parse (its error is recorded).
INVALID = object()
_INVALID = INVALID
#: How far down a file the header row is looked for.
_HEADER_SEARCH_ROWS = 5
_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_WEEKDAY_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


@dataclass
class RowError:
    """One problem: row as in Excel (None: the file as a whole), column, reason."""

    row: int | None
    column: str
    message: str  # English msgid; translated when shown
    params: dict = field(default_factory=dict)
    value: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "params": self.params,
            "value": self.value[:200],
        }


@dataclass
class PersonPlan:
    """What applying one row does to one person."""

    row: int
    last_name: str
    first_name: str
    middle_name: str
    user_id: int | None = None
    username: str = ""
    email: str = ""
    phone: str = ""
    birth_date: dt.date | None = None
    #: field → new value, for an existing person
    updates: dict[str, Any] = field(default_factory=dict)
    #: readable {"what": [before, after]} for the audit trail and the report
    changes: dict[str, Any] = field(default_factory=dict)
    roles_add: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    detail: str = ""
    # students
    class_id: int | None = None
    enrolment_open_on: dt.date | None = None
    enrolment_close: tuple[int, dt.date] | None = None
    enrolment_move: int | None = None
    # parents
    links_new: list[tuple[int, str]] = field(default_factory=list)
    links_kind: list[tuple[int, str]] = field(default_factory=list)
    links_verify: list[int] = field(default_factory=list)
    # staff
    contract_id: int | None = None
    contract: dict[str, Any] | None = None
    working_times: list[tuple[int, dt.time, dt.time]] | None = None
    lessons_new: list[tuple[int, int, Decimal]] = field(default_factory=list)
    lessons_hours: list[tuple[int, Decimal]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Fixed at planning time: applying gives new people their ids.
        self.is_new = self.user_id is None

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.last_name, self.first_name, self.middle_name) if p
        )

    @property
    def action(self) -> str:
        if self.is_new:
            return "created"
        return "changed" if self.changes else "unchanged"


@dataclass
class Plan:
    kind: str
    year: AcademicYear | None
    total_rows: int = 0
    people: list[PersonPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        result = {"created": 0, "changed": 0, "unchanged": 0}
        for person in self.people:
            result[person.action] += 1
        return result


@dataclass
class _Known:
    id: int
    username: str
    last_name: str
    first_name: str
    middle_name: str
    email: str
    phone: str
    birth_date: dt.date | None

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.last_name, self.first_name, self.middle_name) if p
        )


def _name_key(last: str, first: str, middle: str) -> tuple[str, str, str]:
    return fold(last), fold(first), fold(middle)


def _class_key(grade: int, letter: str) -> tuple[int, str]:
    return grade, letter.upper().translate(_LOOKALIKES)


def _regime_text(times) -> str:
    return "; ".join(
        f"{_WEEKDAY_SHORT[d]} {a:%H:%M}-{b:%H:%M}" for d, a, b in sorted(times)
    )


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


class Row:
    """One data row: raw cells by field key, and the errors found in it. Shared by
    every import of a table (people here, grades in umka.grades)."""

    def __init__(self, number: int, cells: list, headers: HeaderMap, errors: list):
        self.number = number
        self.cells = cells
        self.headers = headers
        self._errors = errors
        self.ok = True

    def raw(self, key: str) -> object:
        position = self.headers.index.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def error(self, key: str, message: str, params: dict | None = None, value=None):
        self.ok = False
        self._errors.append(
            RowError(
                self.number,
                self.headers.title(key),
                message,
                params or {},
                text(self.raw(key) if value is None else value),
            )
        )

    def get(self, key: str, parser: Callable, *args, **kwargs):
        try:
            return parser(self.raw(key), *args, **kwargs)
        except CellError as exc:
            self.error(key, exc.message, exc.params)
            return _INVALID


def _find_header(kind: str, table: Table) -> tuple[Table, HeaderMap]:
    """The first of the top rows that looks like our header (a title may precede it)."""
    headers = map_headers(kind, table.headers)
    if headers.problems:
        for position in range(min(_HEADER_SEARCH_ROWS, len(table.rows))):
            candidate = table.header_at(position)
            mapped = map_headers(kind, candidate.headers)
            if not mapped.problems:
                return candidate, mapped
    return table, headers


class Planner:
    """Validates the rows of one file of `kind` and plans the changes."""

    def __init__(self, *, kind: str, year, today: dt.date, verify_links: bool):
        self.kind = kind
        self.year = year
        self.today = today
        self.verify_links = verify_links
        self.errors: list[RowError] = []
        self._load_people()

    # --- what the database holds --------------------------------------------------

    def _load_people(self) -> None:
        fields = (
            "id",
            "username",
            "last_name",
            "first_name",
            "middle_name",
            "email",
            "phone",
            "birth_date",
        )
        self.people: dict[int, _Known] = {
            row[0]: _Known(*row) for row in User.objects.values_list(*fields)
        }
        self.by_login = {p.username.lower(): p for p in self.people.values()}
        self.by_name: dict[tuple, list[_Known]] = defaultdict(list)
        self.by_short_name_birth: dict[tuple, list[_Known]] = defaultdict(list)
        for person in self.people.values():
            key = _name_key(person.last_name, person.first_name, person.middle_name)
            self.by_name[key].append(person)
            if person.birth_date:
                self.by_short_name_birth[(key[0], key[1], person.birth_date)].append(
                    person
                )
        self.roles: dict[int, set[str]] = defaultdict(set)
        for user_id, role in RoleAssignment.objects.values_list("user_id", "role"):
            self.roles[user_id].add(role)
        self.taken = set(self.by_login)

    def _load_classes(self) -> None:
        self.classes = {}
        if self.year is not None:
            for school_class in SchoolClass.objects.filter(year=self.year):
                key = _class_key(school_class.grade, school_class.letter)
                self.classes[key] = school_class

    # --- shared checks --------------------------------------------------------------

    def _names(self, row: Row):
        if "full_name" in row.headers.index:
            value = row.get("full_name", cleaning.full_name)
            return None if value is _INVALID else value
        last = row.get("last_name", cleaning.name_part, required=True)
        first = row.get("first_name", cleaning.name_part, required=True)
        middle = row.get("middle_name", cleaning.name_part, required=False)
        if _INVALID in (last, first, middle):
            return None
        return last, first, middle

    def _same_person(self, known: _Known, last: str, first: str, birth=None) -> bool:
        """A login given in the file belongs to this person, not to a namesake."""
        if (fold(known.last_name), fold(known.first_name)) != (fold(last), fold(first)):
            return False
        return not (birth and known.birth_date and known.birth_date != birth)

    def _login_clash(self, row: Row, known: _Known) -> None:
        row.error(
            "login",
            gettext_noop("The login «%(login)s» belongs to another person: %(name)s."),
            {"login": known.username, "name": known.full_name},
        )

    def _claim(self, row: Row, known: _Known | None, claimed: dict) -> None:
        """Two rows may not describe the same existing person."""
        if known is None:
            return
        if known.id in claimed:
            row.error(
                "full_name" if "full_name" in row.headers.index else "last_name",
                gettext_noop("This is the same person as in row %(other)s."),
                {"other": claimed[known.id]},
                value=known.full_name,
            )
        else:
            claimed[known.id] = row.number

    def _contacts(self, row: Row):
        email = row.get("email", cleaning.email)
        phone = row.get("phone", cleaning.phone)
        return email, phone

    def _update_contacts(self, plan: PersonPlan, known: _Known) -> None:
        if plan.email and plan.email.casefold() != known.email.casefold():
            plan.updates["email"] = plan.email
            plan.changes["email"] = [known.email, plan.email]
        if plan.phone and not cleaning.same_phone(known.phone, plan.phone):
            plan.updates["phone"] = plan.phone
            plan.changes["phone"] = [known.phone, plan.phone]
        if plan.middle_name and fold(plan.middle_name) != fold(known.middle_name):
            plan.updates["middle_name"] = plan.middle_name
            plan.changes["middle_name"] = [known.middle_name, plan.middle_name]

    def _add_roles(self, plan: PersonPlan, wanted: list[str]) -> None:
        held = self.roles.get(plan.user_id, set()) if plan.user_id else set()
        plan.roles = list(wanted)
        plan.roles_add = [role for role in wanted if role not in held]
        if plan.user_id and plan.roles_add:
            plan.changes["roles"] = [sorted(held), sorted(held | set(wanted))]

    def _login_or_contact_match(
        self, row: Row, names, login: str, email: str, phone: str
    ) -> tuple[_Known | None, bool]:
        """The existing person a parent's or staff row means: (person, row is ok)."""
        last, first, middle = names
        same_contact = [
            p
            for p in self.by_name.get(_name_key(last, first, middle), [])
            if (email and p.email.casefold() == email)
            or (phone and cleaning.same_phone(p.phone, phone))
        ]
        if login:
            known = self.by_login.get(login.lower())
            if known is None:
                ok = self._new_login_not_a_duplicate(row, login, same_contact)
                return None, ok
            if not self._same_person(known, last, first):
                self._login_clash(row, known)
                return None, False
            return known, True
        if len(same_contact) > 1:
            row.error(
                "login",
                gettext_noop(
                    "Several people match this name and contact (%(logins)s). Put "
                    "the login of the right one in the «Логин» column."
                ),
                {"logins": ", ".join(sorted(p.username for p in same_contact))},
            )
            return None, False
        return (same_contact[0] if same_contact else None), True

    def _new_login_not_a_duplicate(
        self, row: Row, login: str, existing: list[_Known]
    ) -> bool:
        """A new login for a person who is already here would make a double."""
        if login and existing:
            row.error(
                "login",
                gettext_noop(
                    "This person is already registered with the login «%(login)s». "
                    "Put that login here or leave the cell empty."
                ),
                {"login": existing[0].username},
            )
            return False
        return True

    # --- the file -------------------------------------------------------------------

    def build(self, table: Table, progress: Callable[[int, int], None]) -> Plan:
        table, headers = _find_header(self.kind, table)
        plan = Plan(self.kind, self.year, total_rows=len(table.rows))
        plan.ignored_columns = headers.ignored
        plan.errors = self.errors
        for column, message, params in headers.problems:
            self.errors.append(RowError(table.header_row, column, message, params))
        if self.kind in (ImportKind.STUDENTS, ImportKind.STAFF) and self.year is None:
            self.errors.append(
                RowError(
                    None,
                    "",
                    gettext_noop(
                        "No academic year is set up: create it and its classes in "
                        "the back office first."
                    ),
                )
            )
        if self.errors:
            return plan
        if not table.rows:
            self.errors.append(
                RowError(
                    None, "", gettext_noop("The file has no rows below the header.")
                )
            )
            return plan
        self._prepare()
        step = max(1, len(table.rows) // 50)
        if "login" in headers.index:
            # Logins the file gives are not free for the ones made from names.
            position = headers.index["login"]
            for _number, cells in table.rows:
                if position < len(cells) and (value := text(cells[position]).lower()):
                    self.taken.add(value)
        handler = {
            ImportKind.STUDENTS: self._student,
            ImportKind.PARENTS: self._parent,
            ImportKind.STAFF: self._staff,
        }[self.kind]
        seen_logins: dict[str, int] = {}
        for done, (number, cells) in enumerate(table.rows, start=1):
            row = Row(number, cells, headers, self.errors)
            login = row.get("login", cleaning.login)
            if login is not _INVALID and login:
                first = seen_logins.setdefault(login.lower(), number)
                if first != number:
                    row.error(
                        "login",
                        gettext_noop(
                            "The login «%(login)s» is also given in row %(other)s."
                        ),
                        {"login": login, "other": first},
                    )
            person = handler(row, "" if login is _INVALID else login)
            if person is not None and row.ok:
                plan.people.append(person)
            if done % step == 0:
                progress(done, len(table.rows))
        if not self.errors:
            self._assign_logins(plan.people)
        return plan

    def _prepare(self) -> None:
        if self.kind == ImportKind.STUDENTS:
            self._load_classes()
            self.enrolment = {}
            for (
                enrolment_id,
                student_id,
                class_id,
                starts_on,
                grade,
                letter,
            ) in Enrolment.objects.filter(ends_on__isnull=True).values_list(
                "id",
                "student_id",
                "school_class_id",
                "starts_on",
                "school_class__grade",
                "school_class__letter",
            ):
                self.enrolment[student_id] = (
                    enrolment_id,
                    class_id,
                    starts_on,
                    f"{grade}{letter}",
                )
            self.ever_enrolled = set(
                Enrolment.objects.values_list("student_id", flat=True).distinct()
            )
            self.claimed_students: dict[int, int] = {}
            self.file_students: dict[tuple, int] = {}
        elif self.kind == ImportKind.PARENTS:
            self.links: dict[int, dict[int, tuple[int, str, bool]]] = defaultdict(dict)
            for (
                link_id,
                parent_id,
                student_id,
                kind,
                verified_at,
            ) in ParentLink.objects.values_list(
                "id", "parent_id", "student_id", "kind", "verified_at"
            ):
                self.links[parent_id][student_id] = (
                    link_id,
                    kind,
                    verified_at is not None,
                )
            self.claimed: dict[int, int] = {}
            self.file_contacts: dict[tuple, int] = {}
        else:
            self._load_classes()
            self.subjects: dict[str, Subject] = {}
            for subject in Subject.objects.all():
                if subject.short_name:
                    self.subjects.setdefault(fold(subject.short_name), subject)
            for subject in Subject.objects.all():
                self.subjects[fold(subject.name)] = subject
            self.contracts = {
                row[1]: row
                for row in Contract.objects.values_list(
                    "id",
                    "person_id",
                    "position",
                    "weekly_load_hours",
                    "consultation_hours",
                )
            }
            self.regimes: dict[int, set] = defaultdict(set)
            for (
                contract_id,
                weekday,
                starts_at,
                ends_at,
            ) in WorkingTime.objects.values_list(
                "contract_id", "weekday", "starts_at", "ends_at"
            ):
                self.regimes[contract_id].add((weekday, starts_at, ends_at))
            self.lessons: dict[int, dict[tuple, tuple]] = defaultdict(dict)
            for (
                lesson_id,
                teacher_id,
                subject_id,
                class_id,
                amount,
            ) in TeachingAssignment.objects.filter(
                school_class__year=self.year
            ).values_list(
                "id", "teacher_id", "subject_id", "school_class_id", "hours_per_week"
            ):
                self.lessons[teacher_id][(subject_id, class_id)] = (lesson_id, amount)
            self.claimed = {}
            self.file_contacts = {}

    def _assign_logins(self, people: list[PersonPlan]) -> None:
        """Logins for new people without one, in row order (stable for a file)."""
        for person in people:
            if person.is_new and not person.username:
                base = base_username(
                    person.last_name, person.first_name, person.middle_name
                )
                person.username = unique_username(base, self.taken)

    # --- students -------------------------------------------------------------------

    def _student(self, row: Row, login: str) -> PersonPlan | None:
        names = self._names(row)
        birth = row.get("birth_date", cleaning.date, today=self.today)
        class_key = row.get("school_class", cleaning.class_name)
        email, phone = self._contacts(row)
        school_class = None
        if class_key is not _INVALID:
            school_class = self.classes.get(_class_key(*class_key))
            if school_class is None:
                row.error(
                    "school_class",
                    gettext_noop(
                        "There is no class %(class)s in the academic year %(year)s."
                    ),
                    {"class": f"{class_key[0]}{class_key[1]}", "year": str(self.year)},
                )
        if not row.ok or names is None:
            return None
        last, first, middle = names
        key = (*_name_key(last, first, middle), birth)
        first_row = self.file_students.setdefault(key, row.number)
        if first_row != row.number:
            row.error(
                "full_name" if "full_name" in row.headers.index else "last_name",
                gettext_noop("The same student is already in row %(other)s."),
                {"other": first_row},
                value=" ".join(p for p in names if p),
            )
            return None
        same_key = [p for p in self.by_name.get(key[:3], []) if p.birth_date == birth]
        if login:
            known = self.by_login.get(login.lower())
            if known is not None and not self._same_person(known, last, first, birth):
                self._login_clash(row, known)
                return None
            if known is None and not self._new_login_not_a_duplicate(
                row, login, same_key
            ):
                return None
        elif len(same_key) > 1:
            row.error(
                "login",
                gettext_noop(
                    "Several people have this name and birth date (%(logins)s). Put "
                    "the login of the right one in the «Логин» column."
                ),
                {"logins": ", ".join(sorted(p.username for p in same_key))},
            )
            return None
        else:
            known = same_key[0] if same_key else None
        self._claim(row, known, self.claimed_students)
        if not row.ok:
            return None
        plan = PersonPlan(
            row.number,
            last,
            first,
            middle,
            user_id=known.id if known else None,
            username=login if known is None else known.username,
            email=email,
            phone=phone,
            birth_date=birth,
            detail=str(school_class),
        )
        if known is not None:
            self._update_contacts(plan, known)
            if known.birth_date is None:
                plan.updates["birth_date"] = birth
                plan.changes["birth_date"] = [None, birth.isoformat()]
        self._add_roles(plan, [Role.STUDENT])
        self._plan_enrolment(plan, school_class)
        return plan

    def _plan_enrolment(self, plan: PersonPlan, school_class: SchoolClass) -> None:
        plan.class_id = school_class.pk
        start = max(self.today, self.year.starts_on)
        current = self.enrolment.get(plan.user_id) if plan.user_id else None
        if current is None:
            if plan.user_id is None or plan.user_id not in self.ever_enrolled:
                # A school starting with Umka lists its classes as they have been
                # since the year began; a move later in the year dates from today.
                start = self.year.starts_on
            plan.enrolment_open_on = start
            if plan.user_id:
                plan.changes["class"] = [None, str(school_class)]
            return
        enrolment_id, class_id, starts_on, class_text = current
        if class_id == school_class.pk:
            return
        plan.changes["class"] = [class_text, str(school_class)]
        if starts_on >= start:
            # Enrolled today (or later): a correction, not a move.
            plan.enrolment_move = enrolment_id
        else:
            plan.enrolment_close = (enrolment_id, start - dt.timedelta(days=1))
            plan.enrolment_open_on = start

    # --- parents --------------------------------------------------------------------

    def _child(self, row: Row, ref: cleaning.ChildRef) -> _Known | None:
        if ref.login:
            known = self.by_login.get(ref.login.lower())
            if known is None:
                row.error(
                    "children",
                    gettext_noop(
                        "There is no student with the login «%(value)s». Import the "
                        "students first."
                    ),
                    {"value": ref.login},
                )
                return None
            if Role.STUDENT not in self.roles.get(known.id, ()):
                row.error(
                    "children",
                    gettext_noop("«%(value)s» (%(name)s) is not a student."),
                    {"value": ref.login, "name": known.full_name},
                )
                return None
            return known
        candidates = [
            p
            for p in self.by_short_name_birth.get(
                (fold(ref.last_name), fold(ref.first_name), ref.birth_date), []
            )
            if Role.STUDENT in self.roles.get(p.id, ())
            and (not ref.middle_name or fold(ref.middle_name) == fold(p.middle_name))
        ]
        if not candidates:
            row.error(
                "children",
                gettext_noop(
                    "No student «%(value)s» was found. Check the name and birth date, "
                    "or import the students first."
                ),
                {"value": ref.text},
            )
            return None
        if len(candidates) > 1:
            row.error(
                "children",
                gettext_noop(
                    "Several students match «%(value)s» (%(logins)s): give the login "
                    "instead."
                ),
                {
                    "value": ref.text,
                    "logins": ", ".join(sorted(p.username for p in candidates)),
                },
            )
            return None
        return candidates[0]

    def _check_contact_in_file(self, row: Row, names, email: str, phone: str) -> bool:
        key = _name_key(*names)
        for contact in (email.casefold() if email else "", phone):
            if not contact:
                continue
            first = self.file_contacts.setdefault((*key, contact), row.number)
            if first != row.number:
                row.error(
                    "full_name" if "full_name" in row.headers.index else "last_name",
                    gettext_noop("This is the same person as in row %(other)s."),
                    {"other": first},
                    value=" ".join(p for p in names if p),
                )
                return False
        return True

    def _parent(self, row: Row, login: str) -> PersonPlan | None:
        names = self._names(row)
        email, phone = self._contacts(row)
        kind = row.get("relation", cleaning.relation)
        refs = row.get("children", cleaning.children, today=self.today)
        if email is not _INVALID and phone is not _INVALID and not (email or phone):
            row.error(
                "email" if "email" in row.headers.index else "phone",
                gettext_noop("Give an e-mail or a phone: at least one is required."),
            )
        children = []
        if refs is not _INVALID:
            # The same child named twice (by login and by name) is one link.
            found = (self._child(row, ref) for ref in refs)
            children = list({child.id: child for child in found if child}.values())
        if not row.ok or names is None:
            return None
        if not self._check_contact_in_file(row, names, email, phone):
            return None
        known, go_on = self._login_or_contact_match(row, names, login, email, phone)
        if not go_on:
            return None
        self._claim(row, known, self.claimed)
        if known is not None and any(child.id == known.id for child in children):
            row.error("children", gettext_noop("A person cannot be their own parent."))
        if not row.ok:
            return None
        last, first, middle = names
        plan = PersonPlan(
            row.number,
            last,
            first,
            middle,
            user_id=known.id if known else None,
            username=login if known is None else known.username,
            email=email,
            phone=phone,
            detail=", ".join(child.full_name for child in children),
        )
        if known is not None:
            self._update_contacts(plan, known)
        self._add_roles(plan, [Role.PARENT])
        existing = self.links.get(known.id, {}) if known else {}
        before, after = set(), set()
        labels = dict(ParentLink.Kind.choices)
        for student_id, (_link_id, link_kind, _verified) in existing.items():
            entry = f"{self.people[student_id].full_name} ({labels[link_kind]})"
            before.add(entry)
            after.add(entry)
        for child in children:
            link = existing.get(child.id)
            if link is None:
                plan.links_new.append((child.id, kind))
                after.add(f"{child.full_name} ({labels[kind]})")
                continue
            link_id, link_kind, verified = link
            if link_kind != kind:
                plan.links_kind.append((link_id, kind))
                after.discard(f"{child.full_name} ({labels[link_kind]})")
                after.add(f"{child.full_name} ({labels[kind]})")
            if self.verify_links and not verified:
                plan.links_verify.append(link_id)
                plan.changes.setdefault("verified", []).append(child.full_name)
        if known is not None and before != after:
            plan.changes["children"] = [sorted(before), sorted(after)]
        if "verified" in plan.changes:
            plan.changes["verified"] = [None, sorted(plan.changes["verified"])]
        return plan

    # --- staff ----------------------------------------------------------------------

    def _staff(self, row: Row, login: str) -> PersonPlan | None:
        names = self._names(row)
        email, phone = self._contacts(row)
        position = row.get("position", text)
        if position is not _INVALID and not position:
            row.error("position", gettext_noop("The cell is empty."))
        elif position is not _INVALID and len(position) > 200:
            row.error("position", gettext_noop("Too long: at most 200 characters."))
        roles = row.get("roles", cleaning.roles)
        lessons = row.get("subjects", cleaning.subjects)
        load = row.get("load", cleaning.hours)
        consultation = row.get("consultation_hours", cleaning.hours)
        regime = row.get("working_time", cleaning.working_time)
        if not row.ok or names is None:
            return None
        is_teacher = Role.TEACHER in roles
        if lessons and not is_teacher:
            row.error(
                "subjects",
                gettext_noop(
                    "Subjects and classes are given, but the roles do not include "
                    "«учитель»."
                ),
            )
        if is_teacher and load is None:
            row.error(
                "load",
                gettext_noop("A teacher's weekly load (hours a week) is required."),
                value="",
            )
        if consultation is not None and load is None:
            row.error(
                "load",
                gettext_noop("Consultation hours are part of the load: give the load."),
                value="",
            )
        elif consultation is not None and consultation > load:
            row.error(
                "consultation_hours",
                gettext_noop(
                    "Consultation hours (%(hours)s) cannot exceed the load (%(load)s)."
                ),
                {"hours": _number(consultation), "load": _number(load)},
            )
        needs_regime = not is_teacher and bool(
            set(roles) & {Role.DEPUTY_HEAD, Role.UNIT_HEAD, Role.STAFF}
        )
        if needs_regime and not regime:
            row.error(
                "working_time",
                gettext_noop(
                    "Staff who do not teach consult within their working hours: give "
                    "them, e.g. «пн-пт 09:00-17:00»."
                ),
                value="",
            )
        if not (login or email or phone):
            row.error(
                "email" if "email" in row.headers.index else "login",
                gettext_noop(
                    "Give a login, an e-mail or a phone: without one a later import "
                    "could not find this person again."
                ),
                value="",
            )
        resolved = []
        for lesson in lessons or ():
            subject = self.subjects.get(fold(lesson.subject))
            school_class = self.classes.get(_class_key(lesson.grade, lesson.letter))
            if subject is None:
                row.error(
                    "subjects",
                    gettext_noop("There is no subject «%(subject)s»."),
                    {"subject": lesson.subject},
                )
            if school_class is None:
                row.error(
                    "subjects",
                    gettext_noop(
                        "There is no class %(class)s in the academic year %(year)s."
                    ),
                    {"class": f"{lesson.grade}{lesson.letter}", "year": str(self.year)},
                )
            if subject and school_class:
                resolved.append((subject, school_class, lesson.hours))
        if not row.ok:
            return None
        if not self._check_contact_in_file(row, names, email, phone):
            return None
        known, go_on = self._login_or_contact_match(row, names, login, email, phone)
        if not go_on:
            return None
        self._claim(row, known, self.claimed)
        if not row.ok:
            return None
        last, first, middle = names
        plan = PersonPlan(
            row.number,
            last,
            first,
            middle,
            user_id=known.id if known else None,
            username=login if known is None else known.username,
            email=email,
            phone=phone,
            detail=position,
        )
        if known is not None:
            self._update_contacts(plan, known)
        self._add_roles(plan, roles)
        if not self._plan_contract(row, plan, position, load, consultation, regime):
            return None
        self._plan_lessons(plan, resolved)
        return plan

    def _plan_contract(
        self, row: Row, plan, position, load, consultation, regime
    ) -> bool:
        wanted = {"position": position}
        if load is not None:
            wanted["weekly_load_hours"] = load
        if consultation is not None:
            wanted["consultation_hours"] = consultation
        current = self.contracts.get(plan.user_id) if plan.user_id else None
        if current is None:
            plan.contract = wanted
            plan.working_times = regime or None
            if plan.user_id:
                plan.changes["position"] = [None, position]
                if regime:
                    plan.changes["working_time"] = [None, _regime_text(regime)]
            return True
        contract_id, _person, *values = current
        plan.contract_id = contract_id
        stored = dict(
            zip(
                ("position", "weekly_load_hours", "consultation_hours"),
                values,
                strict=True,
            )
        )
        final = {**stored, **wanted}
        if (
            final["consultation_hours"] is not None
            and final["weekly_load_hours"] is not None
            and final["consultation_hours"] > final["weekly_load_hours"]
        ):
            row.error(
                "load",
                gettext_noop(
                    "The load cannot be less than the consultation hours already "
                    "stored (%(hours)s)."
                ),
                {"hours": _number(final["consultation_hours"])},
            )
            return False
        differs = {k: v for k, v in wanted.items() if stored[k] != v}
        if differs:
            plan.contract = differs
            for name, value in differs.items():
                old = stored[name]
                plan.changes[name] = [
                    _number(old) if isinstance(old, Decimal) else old,
                    _number(value) if isinstance(value, Decimal) else value,
                ]
        if regime and set(regime) != self.regimes.get(contract_id, set()):
            plan.working_times = regime
            plan.changes["working_time"] = [
                _regime_text(self.regimes.get(contract_id, ())) or None,
                _regime_text(regime),
            ]
        return True

    def _plan_lessons(self, plan: PersonPlan, resolved) -> None:
        current = self.lessons.get(plan.user_id, {}) if plan.user_id else {}
        added, changed = [], []
        for subject, school_class, amount in resolved:
            found = current.get((subject.pk, school_class.pk))
            label = f"{subject.name} {school_class}"
            if found is None:
                plan.lessons_new.append((subject.pk, school_class.pk, amount))
                added.append(f"{label}: {_number(amount)}")
            elif found[1] != amount:
                plan.lessons_hours.append((found[0], amount))
                changed.append(f"{label}: {_number(found[1])} → {_number(amount)}")
        if plan.user_id and added:
            plan.changes["lessons_added"] = [None, added]
        if plan.user_id and changed:
            plan.changes["lessons_hours"] = [None, changed]


def build_plan(
    *,
    kind: str,
    table: Table,
    year,
    today: dt.date,
    verify_links: bool = True,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Plan:
    """Check every row of `table` against the database; return errors or a plan."""
    planner = Planner(kind=kind, year=year, today=today, verify_links=verify_links)
    return planner.build(table, progress)
