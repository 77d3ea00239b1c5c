"""Domain errors: raised by services, shown to the user as a clear message."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule said no. The message is translated and safe to show as is.

    It is a ValidationError so forms and the admin display it next to the input.
    """
