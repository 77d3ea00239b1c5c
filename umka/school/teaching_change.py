"""What other apps do when a teaching assignment (teacher × subject × class) is
saved or deleted: course spaces follow the school's teaching assignments.

A registry, so the school app imports none of them:

    def follow(*, actor, assignment, deleted) -> None: ...
    teaching_change.register(follow)

Handlers run inside the transaction of the change (`services.school_record_save`,
`school_records_delete`); one that raises undoes the change. Bulk writes that
bypass the services (imports, the demo) are caught up by the handlers' own
periodic re-sync.
"""

from collections.abc import Callable

from umka.school.models import TeachingAssignment

Handler = Callable[..., None]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def changed(*, actor, instance, deleted: bool = False) -> None:
    """Tell every handler, when `instance` is a teaching assignment."""
    if not isinstance(instance, TeachingAssignment):
        return
    for handler in _handlers:
        handler(actor=actor, assignment=instance, deleted=deleted)
