"""Who may read the compliance report (R14): the administration."""


def can_read_compliance(user) -> bool:
    """The director, deputy heads and the school administrator (and a superuser)."""
    return bool(user.is_authenticated and user.is_active and user.is_administration)
