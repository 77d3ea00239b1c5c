"""Writing a checked plan to the database in a handful of bulk statements.

Runs inside the engine's transaction (services.import_job_run): either every row
lands or none does. Each created or changed person gets an audit entry, each new
or newly verified parent link too (R13); unchanged people get none.
"""

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

from umka.accounts.models import ParentLink, RoleAssignment, User
from umka.accounts.services import hash_one_time_password, one_time_password
from umka.audit.services import record
from umka.imports.people.planning import PeoplePlan, PersonPlan
from umka.imports.registry import Context
from umka.imports.rows import Applied, Progress
from umka.school.models import Contract, Enrolment, TeachingAssignment, WorkingTime

_BATCH = 500


def _hash_all(passwords: list[str], progress: Callable[[int], None]) -> list[str]:
    """Hash in threads: PBKDF2 releases the GIL, so this scales with the cores."""
    hashes: list[str] = []
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(0, len(passwords), _BATCH):
            chunk = passwords[start : start + _BATCH]
            hashes.extend(pool.map(hash_one_time_password, chunk))
            progress(len(hashes))
    return hashes


def _create_people(new: list[PersonPlan], progress) -> tuple[list[User], list[str]]:
    passwords = [one_time_password() for _person in new]
    hashes = _hash_all(passwords, progress)
    users = [
        User(
            username=person.username,
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            email=person.email,
            phone=person.phone,
            birth_date=person.birth_date,
            password=password_hash,
            must_change_password=True,
        )
        for person, password_hash in zip(new, hashes, strict=True)
    ]
    User.objects.bulk_create(users, batch_size=_BATCH)
    for person, user in zip(new, users, strict=True):
        person.user_id = user.pk
    return users, passwords


def _update_people(people: list[PersonPlan], users: dict[int, User]) -> None:
    fields: set[str] = set()
    changed = []
    for person in people:
        if person.updates:
            user = users[person.user_id]
            for name, value in person.updates.items():
                setattr(user, name, value)
            fields.update(person.updates)
            changed.append(user)
    if changed:
        User.objects.bulk_update(changed, sorted(fields), batch_size=_BATCH)


def _write_roles(people: list[PersonPlan], actor) -> None:
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user_id=person.user_id, role=role, granted_by=actor)
            for person in people
            for role in person.roles_add
        ],
        batch_size=_BATCH,
    )


def _write_enrolments(people: list[PersonPlan]) -> None:
    closes = {
        p.enrolment_close[0]: p.enrolment_close[1] for p in people if p.enrolment_close
    }
    moves = {p.enrolment_move: p.class_id for p in people if p.enrolment_move}
    if closes or moves:
        enrolments = Enrolment.objects.in_bulk([*closes, *moves])
        for enrolment_id, ends_on in closes.items():
            enrolments[enrolment_id].ends_on = ends_on
        for enrolment_id, class_id in moves.items():
            enrolments[enrolment_id].school_class_id = class_id
        if closes:
            Enrolment.objects.bulk_update(
                [enrolments[i] for i in closes], ["ends_on"], batch_size=_BATCH
            )
        if moves:
            Enrolment.objects.bulk_update(
                [enrolments[i] for i in moves], ["school_class"], batch_size=_BATCH
            )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                student_id=p.user_id,
                school_class_id=p.class_id,
                starts_on=p.enrolment_open_on,
            )
            for p in people
            if p.enrolment_open_on
        ],
        batch_size=_BATCH,
    )


def _write_links(
    people: list[PersonPlan], users: dict[int, User], *, actor, verify: bool, job_id
) -> None:
    now = timezone.now()
    verifier = actor if verify and actor is not None else None
    new_links = [
        ParentLink(
            parent=users[p.user_id],
            student=users[student_id],
            kind=kind,
            verified_at=now if verify else None,
            verified_by=verifier,
        )
        for p in people
        for student_id, kind in p.links_new
    ]
    ParentLink.objects.bulk_create(new_links, batch_size=_BATCH)
    kinds = {link_id: kind for p in people for link_id, kind in p.links_kind}
    verified = [link_id for p in people for link_id in p.links_verify]
    existing = (
        ParentLink.objects.select_related("parent", "student").in_bulk(
            [*kinds, *verified]
        )
        if kinds or verified
        else {}
    )
    for link_id, kind in kinds.items():
        existing[link_id].kind = kind
    for link_id in verified:
        existing[link_id].verified_at = now
        existing[link_id].verified_by = verifier
    if kinds:
        ParentLink.objects.bulk_update([existing[i] for i in kinds], ["kind"])
    if verified:
        ParentLink.objects.bulk_update(
            [existing[i] for i in verified], ["verified_at", "verified_by"]
        )
    for link in new_links:
        record(
            actor=actor,
            action="accounts.parent_link_created",
            target=link,
            changes={"kind": link.kind, "verified": verify, "import_job": job_id},
        )
    for link_id in verified:
        record(
            actor=actor,
            action="accounts.parent_link_verified",
            target=existing[link_id],
            changes={"verified": [False, True], "import_job": job_id},
        )


def _write_contracts(people: list[PersonPlan]) -> None:
    changed = {
        p.contract_id: p.contract
        for p in people
        if p.contract is not None and p.contract_id is not None
    }
    created = [
        (p, Contract(person_id=p.user_id, **p.contract))
        for p in people
        if p.contract is not None and p.contract_id is None
    ]
    Contract.objects.bulk_create([c for _p, c in created], batch_size=_BATCH)
    for person, contract in created:
        person.contract_id = contract.pk
    if changed:
        contracts = Contract.objects.in_bulk(list(changed))
        fields: set[str] = set()
        for contract_id, values in changed.items():
            for name, value in values.items():
                setattr(contracts[contract_id], name, value)
            fields.update(values)
        Contract.objects.bulk_update(list(contracts.values()), sorted(fields))
    regimes = {p.contract_id: p.working_times for p in people if p.working_times}
    if regimes:
        WorkingTime.objects.filter(contract_id__in=list(regimes)).delete()
        WorkingTime.objects.bulk_create(
            [
                WorkingTime(
                    contract_id=contract_id, weekday=day, starts_at=a, ends_at=b
                )
                for contract_id, times in regimes.items()
                for day, a, b in times
            ]
        )


def _write_lessons(people: list[PersonPlan]) -> None:
    TeachingAssignment.objects.bulk_create(
        [
            TeachingAssignment(
                teacher_id=p.user_id,
                subject_id=subject_id,
                school_class_id=class_id,
                hours_per_week=hours,
            )
            for p in people
            for subject_id, class_id, hours in p.lessons_new
        ],
        batch_size=_BATCH,
    )
    updates = {lesson_id: hours for p in people for lesson_id, hours in p.lessons_hours}
    if updates:
        lessons = TeachingAssignment.objects.in_bulk(list(updates))
        for lesson_id, hours in updates.items():
            lessons[lesson_id].hours_per_week = hours
        TeachingAssignment.objects.bulk_update(
            list(lessons.values()), ["hours_per_week"]
        )


def apply_people(plan: PeoplePlan, context: Context, progress: Progress) -> Applied:
    """Write `plan` (call inside transaction.atomic); return passwords and changes."""
    actor, job_id = context.actor, context.job_id
    verify_links = bool(context.options.get("verify_links", True))
    people = [p for p in plan.people if p.action != "unchanged"]
    new = [p for p in people if p.is_new]
    # Progress: hashing passwords is the slow part, then one audit entry a person.
    total = len(new) + len(people)
    progress(0, total)
    created_users, passwords = _create_people(new, lambda done: progress(done, total))
    existing_ids = {p.user_id for p in people if not p.is_new}
    existing_ids |= {sid for p in people for sid, _kind in p.links_new}
    users = {u.pk: u for u in created_users}
    if existing_ids:
        users.update(User.objects.in_bulk(list(existing_ids - set(users))))
    _update_people(people, users)
    _write_roles(people, actor)
    _write_enrolments(people)
    _write_links(people, users, actor=actor, verify=verify_links, job_id=job_id)
    _write_contracts(people)
    _write_lessons(people)

    result = Applied()
    for done, person in enumerate(people, start=len(new) + 1):
        user = users[person.user_id]
        if person.is_new:
            changes = {"roles": sorted(person.roles), "import_job": job_id}
            if person.detail:
                changes["detail"] = person.detail
            record(
                actor=actor,
                action="accounts.person_created",
                target=user,
                changes=changes,
            )
        else:
            record(
                actor=actor,
                action="accounts.person_changed",
                target=user,
                changes={**person.changes, "import_job": job_id},
            )
            result.changes.append(
                {"row": person.row, "name": person.full_name, "changes": person.changes}
            )
        if done % 200 == 0:
            progress(done, total)
    result.credentials = sorted(
        (
            {
                "user_id": person.user_id,
                "name": person.full_name,
                "detail": person.detail,
                "login": person.username,
                "password": password,
            }
            for person, password in zip(new, passwords, strict=True)
        ),
        key=lambda c: (c["detail"], c["name"].casefold()),
    )
    progress(total, total)
    return result
