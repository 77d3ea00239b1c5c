"""Writes to a glossary (R6): propose, change, approve, return with a comment,
grade with a review, delete. Each checks the policy, validates, writes in a
transaction and is audited. A duplicate term or alias (ignoring case and ё/е)
is refused with the entry it repeats — by the database too, so two students
proposing one term at once store it once."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.assignments.services import check_text
from umka.audit.services import record
from umka.core import clock, richtext
from umka.core.errors import DomainError
from umka.courses import notification_kinds as course_kinds
from umka.courses import policies as spaces
from umka.courses.deadlines import review_due_from
from umka.courses.grading import graded_with_review, tell_graded
from umka.courses.services import images_in
from umka.glossary import audit_actions as actions
from umka.glossary import policies
from umka.glossary.models import Entry, EntryKey
from umka.glossary.text import aliases_of, clean_term, term_key
from umka.notifications.services import notify

TERM_MAX = 200
COMMENT_MAX = 2000


def _deny() -> DomainError:
    return DomainError(
        _("You may not do this with this glossary entry."), code="forbidden"
    )


def _clean(term: str, definition: str, aliases: str) -> tuple[str, str, list[str]]:
    term = clean_term(term)
    if not term_key(term):
        raise DomainError(_("Write the term."), code="required")
    if len(term) > TERM_MAX:
        raise DomainError(
            _("The term is too long: at most %(n)s characters.") % {"n": TERM_MAX},
            code="too_long",
        )
    definition = check_text(definition, what=_("The definition"))
    if not definition:
        raise DomainError(_("Write the definition."), code="required")
    names = [a for a in aliases_of(aliases) if term_key(a) != term_key(term)]
    return term, definition, names


def duplicate_of(space, keys: list[str], *, exclude=None) -> Entry | None:
    """The entry of `space` that already has one of `keys` as term or alias."""
    found = EntryKey.objects.filter(space=space, key__in=keys).select_related("entry")
    if exclude is not None:
        found = found.exclude(entry=exclude)
    first = found.first()
    return first.entry if first else None


def _refuse_duplicate(entry: Entry) -> DomainError:
    return DomainError(
        _("«%(term)s» is already in the glossary (the same term or another name).")
        % {"term": entry.term},
        code="duplicate",
    )


def _write_keys(entry: Entry, names: list[str]) -> None:
    """The entry's keys, term first; a duplicate the database catches (a race)
    is the same refusal as one found beforehand."""
    keys = [(term_key(entry.term), False)] + [(term_key(n), True) for n in names]
    other = duplicate_of(entry.space, [k for k, _ in keys], exclude=entry)
    if other is not None:
        raise _refuse_duplicate(other)
    entry.keys.all().delete()
    try:
        with transaction.atomic():
            EntryKey.objects.bulk_create(
                EntryKey(space=entry.space, entry=entry, key=k, is_alias=alias)
                for k, alias in keys
            )
    except IntegrityError:
        other = duplicate_of(entry.space, [k for k, _ in keys], exclude=entry)
        raise _refuse_duplicate(other or entry) from None


def _index(entry: Entry, names: list[str]) -> None:
    entry.search = term_key(
        " ".join([entry.term, *names, richtext.plain(entry.definition)])
    )


def entry_propose(
    *,
    actor,
    space,
    term: str,
    definition: str,
    aliases: str = "",
    program_part=None,
    request=None,
) -> Entry:
    """A student proposes a term (it waits for the teacher, in the queue); a
    teacher's term is approved at once."""
    if not policies.can_propose(actor, space):
        raise _deny()
    term, definition, names = _clean(term, definition, aliases)
    now = clock.now()
    teacher = spaces.is_space_teacher(actor, space)
    entry = Entry(
        space=space,
        term=term,
        aliases="\n".join(names),
        definition=definition,
        program_part=program_part,
        author=actor,
        created_at=now,
        updated_at=now,
        status=Entry.Status.APPROVED if teacher else Entry.Status.PROPOSED,
        decided_by=actor if teacher else None,
        decided_at=now if teacher else None,
        review_due_at=None if teacher else review_due_from(now),
    )
    _index(entry, names)
    with transaction.atomic():
        entry.save()
        _write_keys(entry, names)
        entry.images.set(images_in(space, definition))
        record(
            actor=actor,
            action=actions.PROPOSED,
            target=entry,
            changes={"term": term, "approved": teacher},
            request=request,
        )
    return entry


def _locked(entry: Entry, version, actor, allowed) -> Entry:
    current = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("space", "author", "decided_by", "graded_by")
        .get(pk=entry.pk)
    )
    if not allowed(actor, current):
        raise _deny()
    if version is not None and current.version != int(version):
        who = current.decided_by or current.graded_by or current.author
        raise DomainError(
            _(
                "%(who)s changed this entry while you were working on it. Open it "
                "again to see the change; your text is kept on the form."
            )
            % {"who": who.full_name},
            code="stale",
        )
    return current


def entry_update(
    *,
    actor,
    entry: Entry,
    version: int,
    term: str,
    definition: str,
    aliases: str = "",
    program_part=None,
    request=None,
) -> Entry:
    """The author corrects a proposal (a returned one goes back to the
    teacher); a teacher edits any entry."""
    term, definition, names = _clean(term, definition, aliases)
    with transaction.atomic():
        current = _locked(entry, version, actor, policies.can_change)
        before = {"term": current.term, "definition": current.definition}
        current.term, current.definition = term, definition
        current.aliases, current.program_part = "\n".join(names), program_part
        current.updated_at = clock.now()
        current.version += 1
        if current.status == Entry.Status.RETURNED and current.author_id == actor.pk:
            current.status = Entry.Status.PROPOSED
            current.review_due_at = review_due_from(current.updated_at)
            current.reminded_at = current.escalated_at = current.escalated_to = None
        _index(current, names)
        current.save()
        _write_keys(current, names)
        current.images.set(images_in(current.space, definition))
        record(
            actor=actor,
            action=actions.CHANGED,
            target=current,
            changes={
                k: [v, getattr(current, k)]
                for k, v in before.items()
                if v != getattr(current, k)
            },
            request=request,
        )
    return current


def _tell_author(entry: Entry, *, actor, title, body: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=[entry.author],
            kind=course_kinds.RETURNED
            if entry.status == Entry.Status.RETURNED
            else course_kinds.GRADED,
            title=title(),
            body=body,
            url=reverse("glossary:entry", args=[entry.pk]),
            actor=actor,
            target=entry,
        )


def entry_approve(*, actor, entry: Entry, version: int, request=None) -> Entry:
    with transaction.atomic():
        current = _locked(entry, version, actor, policies.can_decide)
        if current.status == Entry.Status.APPROVED:
            return current
        current.status = Entry.Status.APPROVED
        current.return_comment = ""
        current.decided_by, current.decided_at = actor, clock.now()
        current.version += 1
        current.save()
        record(actor=actor, action=actions.APPROVED, target=current, request=request)
        if current.author_id != actor.pk:
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    recipients=[current.author],
                    kind=course_kinds.GRADED,
                    title=_("Your term «%(term)s» is in the glossary")
                    % {"term": current.term},
                    url=reverse("glossary:entry", args=[current.pk]),
                    actor=actor,
                    target=current,
                    email=False,
                )
    return current


def entry_return(
    *, actor, entry: Entry, version: int, comment: str, request=None
) -> Entry:
    """Back to the author with what to correct (shown to them)."""
    comment = check_text(comment, what=_("The comment"), limit=COMMENT_MAX)
    if not comment:
        raise DomainError(_("Say what to correct."), code="comment")
    with transaction.atomic():
        current = _locked(entry, version, actor, policies.can_decide)
        if current.status != Entry.Status.PROPOSED:
            raise DomainError(
                _("Only a proposal waiting for a decision can be returned."),
                code="status",
            )
        current.status, current.return_comment = Entry.Status.RETURNED, comment
        current.decided_by, current.decided_at = actor, clock.now()
        current.version += 1
        current.save()
        record(
            actor=actor,
            action=actions.RETURNED,
            target=current,
            changes={"comment": comment},
            request=request,
        )
        _tell_author(
            current,
            actor=actor,
            title=lambda: (
                _("Correct the glossary term «%(term)s»") % {"term": current.term}
            ),
            body=comment,
        )
    return current


def entry_grade(
    *, actor, entry: Entry, version: int, mark, review: str, request=None
) -> Entry:
    """Grade an approved entry as a contribution, with a written review (R6);
    the author and each parent with rights are told."""
    mark, review = graded_with_review(mark, check_text(review, what=_("The review")))
    with transaction.atomic():
        current = _locked(entry, version, actor, policies.can_decide)
        if current.status != Entry.Status.APPROVED:
            raise DomainError(_("Approve the entry before grading it."), code="status")
        current.mark, current.review = mark, review
        current.graded_by, current.graded_at = actor, clock.now()
        current.version += 1
        current.save()
        record(
            actor=actor,
            action=actions.GRADED,
            target=current,
            changes={"grade": mark},
            request=request,
        )
        tell_graded(
            student=current.author,
            actor=actor,
            title=lambda: (
                _("Grade %(grade)s and a review: glossary term «%(term)s»")
                % {"grade": mark, "term": current.term}
            ),
            review=review,
            url=reverse("glossary:entry", args=[current.pk]),
            target=current,
        )
    return current


def entry_delete(*, actor, entry: Entry, request=None) -> None:
    """The author withdraws a proposal; a teacher removes any entry."""
    with transaction.atomic():
        current = _locked(entry, None, actor, policies.can_change)
        if current.mark is not None and not policies.can_decide(actor, current):
            raise _deny()
        record(
            actor=actor,
            action=actions.DELETED,
            target=current,
            changes={"term": current.term, "status": current.status},
            request=request,
        )
        current.delete()
