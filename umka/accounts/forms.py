from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The sign-in form with a message a parent can act on."""

    error_messages = {
        "invalid_login": _(
            "Wrong login or password. Check the keyboard layout and Caps Lock, "
            "then try again."
        ),
        "inactive": _("This account is switched off. Please contact the school."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Login")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password"}
        )
