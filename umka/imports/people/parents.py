"""Parents: matched by login or by ФИО and e-mail or phone; a row links the parent
to children already imported, verified when the school has seen the documents
(R3: a parent's rights come from a verified link)."""

from collections import defaultdict

from django.utils.translation import gettext_noop

from umka.accounts.models import ParentLink, Role
from umka.imports.cleaning import fold
from umka.imports.people import cleaning as people_cleaning
from umka.imports.people.planning import Known, PeoplePlanner, PersonPlan
from umka.imports.rows import INVALID, Row, person_names


class ParentPlanner(PeoplePlanner):
    def prepare(self) -> None:
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

    def _child(self, row: Row, ref: people_cleaning.ChildRef) -> Known | None:
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

    def row(self, row: Row, login: str) -> PersonPlan | None:
        names = person_names(row)
        email, phone = self._contacts(row)
        kind = row.get("relation", people_cleaning.relation)
        refs = row.get("children", people_cleaning.children, today=self.today)
        if email is not INVALID and phone is not INVALID and not (email or phone):
            row.error(
                "email" if "email" in row.headers.index else "phone",
                gettext_noop("Give an e-mail or a phone: at least one is required."),
            )
        children = []
        if refs is not INVALID:
            # The same child named twice (by login and by name) is one link.
            found = (self._child(row, ref) for ref in refs)
            children = list({child.id: child for child in found if child}.values())
        if not row.ok or names is None:
            return None
        known, go_on = self._find_by_contact(row, names, login, email, phone)
        if not go_on:
            return None
        if known is not None and any(child.id == known.id for child in children):
            row.error("children", gettext_noop("A person cannot be their own parent."))
            return None
        plan = self._person_plan(
            row,
            names,
            known,
            login,
            [Role.PARENT],
            email=email,
            phone=phone,
            detail=", ".join(child.full_name for child in children),
        )
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
