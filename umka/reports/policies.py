"""Who may read the reports (R13): the director, the deputy heads and the school
administrator (and a superuser). Anyone else gets 404."""


def can_view_reports(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_administration)
