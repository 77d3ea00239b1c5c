"""Checking a people file and planning what applying it changes (R3 data).

`PeoplePlanner.build()` reads the database once (people, roles and what the kind
needs: classes, links, contracts) and checks every row against it and against the
other rows. It writes nothing: a file with any error yields only the errors; a
clean file yields one `PersonPlan` per row, each saying whether the person is new,
changed or unchanged. Each kind (students.py, parents.py, staff.py) adds its own
row check to this base.

Matching keys (a re-import of the same file finds the same people):
- the login, when the row gives one;
- students: фамилия, имя, отчество and birth date;
- parents and staff: ФИО and the e-mail or the phone.
Names compare case-insensitively, «ё» = «е». An empty optional cell never erases
what is stored; an import only adds or changes, it never deletes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from umka.accounts.models import RoleAssignment, User
from umka.accounts.usernames import base_username, unique_username
from umka.imports import cleaning
from umka.imports.cleaning import class_key, fold, text
from umka.imports.headers import HeaderMap
from umka.imports.lookups import classes_by_name
from umka.imports.readers import Table
from umka.imports.registry import Context
from umka.imports.rows import INVALID, Plan, Progress, Row

_WEEKDAY_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


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
class PeoplePlan(Plan):
    people: list[PersonPlan] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        result = {"created": 0, "changed": 0, "unchanged": 0}
        for person in self.people:
            result[person.action] += 1
        return result

    def preview(self) -> list[dict]:
        return [
            {"row": p.row, "name": p.full_name, "changes": p.changes}
            for p in self.people
            if p.action == "changed"
        ]


@dataclass
class Known:
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


def name_key(last: str, first: str, middle: str) -> tuple[str, str, str]:
    return fold(last), fold(first), fold(middle)


def regime_text(times) -> str:
    return "; ".join(
        f"{_WEEKDAY_SHORT[d]} {a:%H:%M}-{b:%H:%M}" for d, a, b in sorted(times)
    )


def number_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


class PeoplePlanner:
    """Validates the rows of one people file and plans the changes; a kind
    subclasses it with `prepare()` (what else it reads) and `row()`."""

    def __init__(self, context: Context):
        self.year = context.year
        self.today = context.today
        self.verify_links = bool(context.options.get("verify_links", True))
        self.errors: list = []
        self.claimed: dict[int, int] = {}
        self.file_contacts: dict[tuple, int] = {}
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
        self.people: dict[int, Known] = {
            row[0]: Known(*row) for row in User.objects.values_list(*fields)
        }
        self.by_login = {p.username.lower(): p for p in self.people.values()}
        self.by_name: dict[tuple, list[Known]] = defaultdict(list)
        self.by_short_name_birth: dict[tuple, list[Known]] = defaultdict(list)
        for person in self.people.values():
            key = name_key(person.last_name, person.first_name, person.middle_name)
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
        self.classes = classes_by_name(self.year)

    def _school_class(self, row: Row, column: str, grade: int, letter: str):
        """The class of the chosen year named in `column`, or None (an error)."""
        school_class = self.classes.get(class_key(grade, letter))
        if school_class is None:
            row.error(
                column,
                gettext_noop(
                    "There is no class %(class)s in the academic year %(year)s."
                ),
                {"class": f"{grade}{letter}", "year": str(self.year)},
            )
        return school_class

    # --- shared checks --------------------------------------------------------------

    def _same_person(self, known: Known, last: str, first: str, birth=None) -> bool:
        """A login given in the file belongs to this person, not to a namesake."""
        if (fold(known.last_name), fold(known.first_name)) != (fold(last), fold(first)):
            return False
        return not (birth and known.birth_date and known.birth_date != birth)

    def _login_clash(self, row: Row, known: Known) -> None:
        row.error(
            "login",
            gettext_noop("The login «%(login)s» belongs to another person: %(name)s."),
            {"login": known.username, "name": known.full_name},
        )

    def _claim(self, row: Row, known: Known | None, claimed: dict) -> None:
        """Two rows may not describe the same existing person."""
        if known is None:
            return
        if known.id in claimed:
            row.error(
                row.name_column,
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

    def _update_contacts(self, plan: PersonPlan, known: Known) -> None:
        if plan.email and plan.email.casefold() != known.email.casefold():
            plan.updates["email"] = plan.email
            plan.changes["email"] = [known.email, plan.email]
        if plan.phone and not cleaning.same_phone(known.phone, plan.phone):
            plan.updates["phone"] = plan.phone
            plan.changes["phone"] = [known.phone, plan.phone]
        if plan.middle_name and fold(plan.middle_name) != fold(known.middle_name):
            plan.updates["middle_name"] = plan.middle_name
            plan.changes["middle_name"] = [known.middle_name, plan.middle_name]
        for name in ("last_name", "first_name", "middle_name"):
            stored, given = getattr(known, name), getattr(plan, name)
            if stored.isupper() and stored != given and fold(stored) == fold(given):
                # Stored in capitals by an earlier import: written as names are now.
                plan.updates[name] = given
                plan.changes[name] = [stored, given]

    def _add_roles(self, plan: PersonPlan, wanted: list[str]) -> None:
        held = self.roles.get(plan.user_id, set()) if plan.user_id else set()
        plan.roles = list(wanted)
        plan.roles_add = [role for role in wanted if role not in held]
        if plan.user_id and plan.roles_add:
            plan.changes["roles"] = [sorted(held), sorted(held | set(wanted))]

    def _login_or_contact_match(
        self, row: Row, names, login: str, email: str, phone: str
    ) -> tuple[Known | None, bool]:
        """The existing person a parent's or staff row means: (person, row is ok)."""
        last, first, middle = names
        same_contact = [
            p
            for p in self.by_name.get(name_key(last, first, middle), [])
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
        self, row: Row, login: str, existing: list[Known]
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

    def _check_contact_in_file(self, row: Row, names, email: str, phone: str) -> bool:
        key = name_key(*names)
        for contact in (email.casefold() if email else "", phone):
            if not contact:
                continue
            first = self.file_contacts.setdefault((*key, contact), row.number)
            if first != row.number:
                row.error(
                    row.name_column,
                    gettext_noop("This is the same person as in row %(other)s."),
                    {"other": first},
                    value=" ".join(p for p in names if p),
                )
                return False
        return True

    def _find_by_contact(
        self, row: Row, names, login: str, email: str, phone: str
    ) -> tuple[Known | None, bool]:
        """The existing person a parent's or staff row means, once the file names
        them once: (person or None for a new one, the row is still ok)."""
        if not self._check_contact_in_file(row, names, email, phone):
            return None, False
        known, go_on = self._login_or_contact_match(row, names, login, email, phone)
        if not go_on:
            return None, False
        self._claim(row, known, self.claimed)
        return known, row.ok

    def _person_plan(
        self, row: Row, names, known: Known | None, login: str, roles, **fields
    ) -> PersonPlan:
        """The plan of one row's person: new, or `known` with what changes."""
        last, first, middle = names
        plan = PersonPlan(
            row.number,
            last,
            first,
            middle,
            user_id=known.id if known else None,
            username=login if known is None else known.username,
            **fields,
        )
        if known is not None:
            self._update_contacts(plan, known)
        self._add_roles(plan, roles)
        return plan

    # --- the file -------------------------------------------------------------------

    def prepare(self) -> None:
        """Read what this kind checks rows against (once, before the rows)."""

    def row(self, row: Row, login: str) -> "PersonPlan | None":
        raise NotImplementedError

    def build(self, table: Table, headers: HeaderMap, progress: Progress) -> PeoplePlan:
        plan = PeoplePlan(errors=self.errors)
        self.prepare()
        step = max(1, len(table.rows) // 50)
        if "login" in headers.index:
            # Logins the file gives are not free for the ones made from names.
            position = headers.index["login"]
            for _number, cells in table.rows:
                if position < len(cells) and (value := text(cells[position]).lower()):
                    self.taken.add(value)
        seen_logins: dict[str, int] = {}
        for done, (number, cells) in enumerate(table.rows, start=1):
            row = Row(number, cells, headers, self.errors)
            login = row.get("login", cleaning.login)
            if login is not INVALID and login:
                first = seen_logins.setdefault(login.lower(), number)
                if first != number:
                    row.error(
                        "login",
                        gettext_noop(
                            "The login «%(login)s» is also given in row %(other)s."
                        ),
                        {"login": login, "other": first},
                    )
            person = self.row(row, "" if login is INVALID else login)
            if person is not None and row.ok:
                plan.people.append(person)
            if done % step == 0:
                progress(done, len(table.rows))
        if not self.errors:
            self._assign_logins(plan.people)
        return plan

    def _assign_logins(self, people: list[PersonPlan]) -> None:
        """Logins for new people without one, in row order (stable for a file)."""
        for person in people:
            if person.is_new and not person.username:
                base = base_username(
                    person.last_name, person.first_name, person.middle_name
                )
                person.username = unique_username(base, self.taken)
