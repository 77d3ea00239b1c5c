"""Everything Umka holds about one person, gathered through the registry
(152-ФЗ, ст. 14: the person's right to know what is processed about them)."""

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models import Q

from umka.accounts.models import User
from umka.core import clock
from umka.privacy import registry


def _value(row: models.Model, name: str) -> Any:
    field = row._meta.get_field(name)
    if field.many_to_many:
        return [str(o) for o in getattr(row, name).all()]
    value = getattr(row, name)
    if isinstance(field, models.FileField):
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value)
    if field.choices and value not in (None, ""):
        return str(getattr(row, f"get_{name}_display")())
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _rows(declaration: registry.Declaration, person: User) -> list[dict[str, Any]]:
    condition = Q()
    for name in declaration.people:
        condition |= Q(**{name: person})
    queryset = declaration.model._default_manager.filter(condition).distinct()
    relations = [
        name
        for name in declaration.fields
        if (f := declaration.model._meta.get_field(name)).many_to_one or f.one_to_one
    ]
    queryset = queryset.select_related(*relations).order_by("pk")
    many = [
        n
        for n in declaration.fields
        if declaration.model._meta.get_field(n).many_to_many
    ]
    if many:
        queryset = queryset.prefetch_related(*many)
    rows = []
    for row in queryset:
        item = {"id": row.pk}
        item["as"] = (
            list(declaration.people)
            if len(declaration.people) == 1
            else [n for n in declaration.people if _holds(row, n, person)]
        )
        item.update({name: _value(row, name) for name in declaration.fields})
        rows.append(item)
    return rows


def _holds(row: models.Model, name: str, person: User) -> bool:
    if "__" in name:
        return type(row)._default_manager.filter(pk=row.pk, **{name: person}).exists()
    field = row._meta.get_field(name)
    if field.many_to_many:
        return getattr(row, name).filter(pk=person.pk).exists()
    return getattr(row, f"{name}_id") == person.pk


def person_data(person: User) -> dict[str, Any]:
    """One person's data: their profile and every declared model's rows that
    name them, under the model's label."""
    sections = {}
    for declaration in registry.declarations():
        rows = _rows(declaration, person)
        if rows:
            sections[declaration.label] = {
                "title": declaration.title,
                "fields": [
                    str(declaration.model._meta.get_field(n).verbose_name)
                    for n in declaration.fields
                ],
                "names": list(declaration.fields),
                "rows": rows,
            }
    return {
        "person": {
            "id": person.pk,
            "username": person.username,
            "last_name": person.last_name,
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "email": person.email,
            "phone": person.phone,
            "date_joined": person.date_joined.isoformat(),
            "last_login": person.last_login.isoformat() if person.last_login else None,
            "roles": sorted(person.roles),
        },
        "records": sections,
    }


def export(person: User, *, children: list[User] = ()) -> dict[str, Any]:
    """The export document: the person's data and, for a parent, each child's."""
    return {
        "format": "umka-personal-data/1",
        "exported_at": clock.now().isoformat(),
        **person_data(person),
        "children": [person_data(child) for child in children],
    }
