"""`manage.py anonymise_person <id>`: forget a person who left."""

from django.core.management.base import CommandError

from umka.accounts.models import User
from umka.core.entry_points import SchoolCommand
from umka.core.errors import DomainError
from umka.privacy.anonymise import person_anonymise


class Command(SchoolCommand):
    help = "Anonymise a person whose account is switched off (name, contacts, texts)."

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int)

    def handle(self, *args, person_id: int, **options):
        person = User.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person with id {person_id}.")
        try:
            person_anonymise(actor=None, person=person)
        except DomainError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Anonymised person {person_id}.")
