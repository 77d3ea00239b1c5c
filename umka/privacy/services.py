"""Consent given and withdrawn (152-ФЗ, ст. 9), and the gate other apps call."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.privacy import audit_actions as actions
from umka.privacy import policies, texts
from umka.privacy.models import Consent


def active_consent(person: User) -> Consent | None:
    return Consent.objects.filter(subject=person, withdrawn_at__isnull=True).first()


def has_consent(person: User) -> bool:
    """An active consent to the current text (a consent to an older version
    still counts for what it said; the page asks for the new one)."""
    return Consent.objects.filter(subject=person, withdrawn_at__isnull=True).exists()


def require_consent(*people: User | None) -> None:
    """Refuse what a person starts themself (a booking, a request, a submission)
    while consent to process the data of any of `people` is missing.

    Staff need none; `PRIVACY_CONSENT_REQUIRED = False` turns the gate off.
    """
    if not settings.PRIVACY_CONSENT_REQUIRED:
        return
    checked = set()
    for person in people:
        if person is None or person.pk in checked or not policies.needs_consent(person):
            continue
        checked.add(person.pk)  # a student booking for themself is asked once
        if not has_consent(person):
            raise DomainError(
                _(
                    "No consent to the processing of the personal data of "
                    "%(person)s. A parent gives it for a minor child, an adult "
                    "student for themself, on the «Personal data» page."
                )
                % {"person": person.full_name},
                code="no_consent",
            )


def consent_give(*, actor: User, subject: User, request=None) -> Consent:
    """`actor` consents to the current text for `subject` (themself or a minor
    child); giving it again while active changes nothing."""
    if not policies.can_consent_for(actor, subject):
        raise DomainError(
            _("You may not give consent for this person."), code="forbidden"
        )
    text = texts.current()
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=subject.pk).first()
            existing = active_consent(subject)
            if existing is not None and existing.text_version == text.version:
                return existing
            now = clock.now()
            if existing is not None:
                # A consent to an older text is replaced by one to the current.
                existing.withdrawn_at = now
                existing.withdrawn_by = actor
                existing.save(update_fields=["withdrawn_at", "withdrawn_by"])
            consent = Consent.objects.create(
                subject=subject, given_by=actor, text_version=text.version, given_at=now
            )
            record(
                actor=actor,
                action=actions.CONSENT_GIVEN,
                target=subject,
                changes={"version": text.version},
                request=request,
            )
    except IntegrityError:
        return active_consent(subject)
    return consent


def consent_withdraw(*, actor: User, subject: User, request=None) -> Consent | None:
    """Withdraw the active consent: from now on new bookings, requests and
    submissions for `subject` are refused; what exists is kept for its
    retention period (see README, «Personal data»)."""
    if not policies.can_consent_for(actor, subject):
        raise DomainError(
            _("You may not withdraw consent for this person."), code="forbidden"
        )
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(subject=subject, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            return None
        consent.withdrawn_at = clock.now()
        consent.withdrawn_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor=actor,
            action=actions.CONSENT_WITHDRAWN,
            target=subject,
            changes={"version": consent.text_version},
            request=request,
        )
    return consent
