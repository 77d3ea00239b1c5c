"""Who sees and does what in a glossary (R3, R6).

On top of `umka.courses.policies`: everyone who sees a space reads its approved
entries (students, parents with rights, teachers, overseers); a student
proposes terms and sees their own proposals; parents see their children's; the
space's teachers see and decide everything, add terms at once, grade approved
entries. Anyone else gets 404.
"""

from django.db.models import Q, QuerySet

from umka.accounts.policies import children_of, is_parent_of
from umka.core.access import get_visible_or_404, require
from umka.courses import policies as spaces
from umka.courses.models import SpaceImage
from umka.glossary.models import Entry


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def entries_visible_to(user) -> QuerySet[Entry]:
    if not _active(user):
        return Entry.objects.none()
    if spaces.oversees_spaces(user):
        return Entry.objects.all()
    visible = Q(space__in=spaces.spaces_taught_by(user)) | Q(
        status=Entry.Status.APPROVED, space__in=spaces.spaces_visible_to(user)
    )
    visible |= Q(author=user)
    if user.is_parent:
        visible |= Q(author__in=children_of(user))
    return Entry.objects.filter(visible)


def can_propose(user, space) -> bool:
    """A student of the space, or its teacher (who adds terms approved)."""
    return not space.is_archived and (
        spaces.is_student_of(user, space) or spaces.is_space_teacher(user, space)
    )


def can_decide(user, entry: Entry) -> bool:
    """Approve, edit, return, grade, delete: the space's teachers."""
    return spaces.can_teach_in(user, entry.space)


def can_change(user, entry: Entry) -> bool:
    """The author while it waits or was returned; the teachers always."""
    if can_decide(user, entry):
        return True
    return (
        not entry.space.is_archived
        and entry.author_id == getattr(user, "pk", None)
        and entry.status != Entry.Status.APPROVED
    )


def can_see_grade(user, entry: Entry) -> bool:
    """An entry's grade and review: its author, their parents with rights, the
    space's teachers and the overseers (classmates read the entry only)."""
    if entry.author_id == getattr(user, "pk", None) or sees_queue(user, entry.space):
        return True
    return bool(user.is_parent and is_parent_of(user, entry.author))


def sees_queue(user, space) -> bool:
    """The proposals waiting for a decision: its teachers and the overseers."""
    return spaces.is_space_teacher(user, space) or spaces.oversees_spaces(user)


def shared_images(user) -> Q:
    """Images in approved entries are seen by whoever sees the space
    (`courses.policies.register_image_share`)."""
    approved = Entry.objects.filter(
        status=Entry.Status.APPROVED, space__in=spaces.spaces_visible_to(user)
    )
    return Q(pk__in=SpaceImage.objects.filter(glossary_entries__in=approved))


# --- Fetch and authorise -------------------------------------------------------------


def access_entry(user, pk) -> Entry:
    return get_visible_or_404(
        entries_visible_to(user).select_related(
            "space", "author", "program_part", "graded_by", "decided_by"
        ),
        pk=pk,
    )


def access_entry_to_change(user, pk) -> Entry:
    entry = access_entry(user, pk)
    require(can_change(user, entry))
    return entry


def access_entry_to_decide(user, pk) -> Entry:
    entry = access_entry(user, pk)
    require(can_decide(user, entry))
    return entry
