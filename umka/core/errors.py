"""Domain errors: raised by services, shown to the user as a clear message."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule said no. The message is translated and safe to show as is.

    It is a ValidationError so forms and the admin display it next to the input.
    """


def messages_of(error: ValidationError) -> list[str]:
    """A refusal (DomainError or a model's own check) as plain messages to show."""
    return list(error.messages)
