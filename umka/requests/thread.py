"""What every change of a request uses: its row locked, texts and files checked,
entries in its thread, and notices to its people in the school's language.

`services.py` (the requester's side and the conversation), `answering.py` (the
staff side) and `routing.py` (who answers and by when) build on these.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.notifications.services import notify
from umka.requests.models import Request, RequestAttachment, RequestMessage

logger = logging.getLogger(__name__)

#: Files with one message.
MAX_FILES = 5
TEXT_MAX = 5000
REASON_MAX = 1000


def deny() -> DomainError:
    """A refusal for someone a policy says no to (the views answer 403 first)."""
    return DomainError(_("You may not do this with this request."), code="forbidden")


def school_language():
    """Notices are written in the school's language, whoever caused them."""
    return translation.override(settings.LANGUAGE_CODE)


def when(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def locked(req: Request) -> Request:
    """The request as it is now, locked until the transaction ends: two people
    acting at once see each other's change (reopen once, answer once)."""
    return Request.objects.select_for_update().get(pk=req.pk)


def clean_text(value: str, *, required_message: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(required_message, code="required")
    if len(value) > limit:
        raise DomainError(
            _("The text is too long: at most %(limit)s characters.") % {"limit": limit},
            code="too_long",
        )
    return value


def check_files(files: Sequence) -> list[tuple[object, str]]:
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise DomainError(
            _("At most %(count)s files can be attached at once.")
            % {"count": MAX_FILES},
            code="too_many_files",
        )
    return [(f, check_upload(f)) for f in files]


def attach(
    req: Request,
    checked: list[tuple[object, str]],
    *,
    by: User,
    now: dt.datetime,
    message: RequestMessage | None = None,
) -> list[RequestAttachment]:
    saved = []
    for upload, name in checked:
        upload.seek(0)
        attachment = RequestAttachment(
            request=req,
            message=message,
            name=name,
            size=upload.size,
            uploaded_by=by,
            uploaded_at=now,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def add_message(
    req: Request,
    *,
    kind: str,
    author: User | None,
    now: dt.datetime,
    text: str = "",
    to: User | None = None,
    rating: int | None = None,
) -> RequestMessage:
    return RequestMessage.objects.create(
        request=req,
        kind=kind,
        author=author,
        text=text,
        to=to,
        rating=rating,
        created_at=now,
    )


def tell(
    recipients: Iterable[User | None],
    *,
    kind: str,
    title,
    body="",
    req: Request,
    actor: User | None,
    email: bool = True,
) -> None:
    people = [p for p in recipients if p is not None and p != actor]
    if people:
        notify(
            recipients=people,
            kind=kind,
            title=title,
            body=body,
            url=req.get_absolute_url(),
            actor=actor,
            target=req,
            email=email,
        )


def staff_side(req: Request) -> list[User]:
    return [req.assignee, req.escalated_to]


def other_side(req: Request, actor: User) -> list[User]:
    """Whom to tell: the staff side when the author acts, else the author (and the
    assignee, when someone else on the staff side acts)."""
    if actor.pk == req.author_id:
        return staff_side(req)
    return [req.author, req.assignee]


def title_params(req: Request) -> dict[str, str]:
    return {"number": str(req.pk), "topic": req.topic}


def remove_files(attachments: Iterable[RequestAttachment]) -> None:
    """Files are written before the transaction commits; a rollback must not leave
    them behind."""
    for attachment in attachments:
        try:
            attachment.file.storage.delete(attachment.file.name)
        except OSError:
            logger.warning("Could not delete %s", attachment.file.name)
