"""Forgetting a person who left (152-ФЗ, ст. 21 ч. 4–5): their name, contacts
and the texts they wrote are replaced; the rows stay, so statistics (how many
requests, bookings, grades) and other people's records are intact."""

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.core.errors import DomainError
from umka.privacy import audit_actions as actions
from umka.privacy import registry

#: What a removed text reads in place of the original.
PLACEHOLDER = "[удалено]"


def _blank(field: models.Field, row: models.Model):
    if isinstance(field, models.FileField):
        file = getattr(row, field.name)
        if file:
            file.delete(save=False)
        return ""
    if isinstance(field, models.JSONField):
        return {} if not field.null else None
    text = PLACEHOLDER
    if field.unique or any(
        isinstance(c, models.UniqueConstraint) and field.name in c.fields
        for c in row._meta.constraints
    ):
        text = f"{PLACEHOLDER} {row.pk}"
    return text[: field.max_length] if field.max_length else text


def _scrub_texts(declaration: registry.Declaration, person: User) -> int:
    changed = 0
    for who, names in declaration.texts.items():
        fields = [declaration.model._meta.get_field(n) for n in names]
        rows = declaration.model._default_manager.filter(**{who: person})
        for row in rows.iterator():
            for field in fields:
                setattr(row, field.name, _blank(field, row))
            row.save(update_fields=names)
            changed += 1
    return changed


def _names_of(person: User) -> list[str]:
    names = {person.full_name, person.short_name, person.get_full_name()}
    return sorted((n for n in names if n and n.strip()), key=len, reverse=True)


def _scrub_mentions(declaration: registry.Declaration, names: list[str]) -> int:
    if not declaration.mentions or not names:
        return 0
    condition = Q()
    for field in declaration.mentions:
        for name in names:
            condition |= Q(**{f"{field}__contains": name})
    changed = 0
    for row in declaration.model._default_manager.filter(condition).iterator():
        for field in declaration.mentions:
            value = getattr(row, field)
            for name in names:
                value = value.replace(name, PLACEHOLDER)
            setattr(row, field, value)
        row.save(update_fields=list(declaration.mentions))
        changed += 1
    return changed


def person_anonymise(*, actor: User | None, person: User, request=None) -> User:
    """Replace the name, contacts and authored texts of `person`, whose account
    is already switched off (they left). Audited with counts, not contents."""
    if person.is_active:
        raise DomainError(
            _("Switch the account off first: only a person who left is anonymised."),
            code="active",
        )
    if person.is_superuser or (actor is not None and person.pk == actor.pk):
        raise DomainError(_("This account cannot be anonymised."), code="forbidden")
    names = _names_of(person)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        texts = sum(_scrub_texts(d, person) for d in registry.declarations())
        mentions = sum(_scrub_mentions(d, names) for d in registry.declarations())
        person.username = f"anonymised-{person.pk}"
        person.last_name = str(_("Former user"))
        person.first_name = str(person.pk)
        person.middle_name = ""
        person.email = ""
        person.phone = ""
        person.birth_date = None
        person.set_unusable_password()
        # A new password hash also ends every session the person had.
        person.save()
        record(
            actor=actor,
            action=actions.ANONYMISED,
            target=person,
            changes={"texts": texts, "mentions": mentions},
            request=request,
            actor_name="" if actor else "manage.py",
        )
    return person
