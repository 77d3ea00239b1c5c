import datetime as dt

import factory
from factory.django import DjangoModelFactory

from umka.accounts.models import ParentLink, Role, RoleAssignment, User

PASSWORD = "correct-horse-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Иван"
    middle_name = "Иванович"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)


def make_person(*roles: str, **kwargs) -> User:
    return UserFactory(roles=roles, **kwargs)


def make_student(birth_date: dt.date | None = None, **kwargs) -> User:
    return UserFactory(
        roles=[Role.STUDENT], birth_date=birth_date or dt.date(2013, 5, 17), **kwargs
    )


def make_parent(**kwargs) -> User:
    return UserFactory(roles=[Role.PARENT], **kwargs)


class ParentLinkFactory(DjangoModelFactory):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory(UserFactory)
    student = factory.SubFactory(UserFactory)
    kind = ParentLink.Kind.MOTHER
    verified_at = factory.LazyFunction(
        lambda: dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    )
