"""The demo accounts: one memorable login per role, all with the same password.

Tests and browser tests import DEMO_LOGINS and DEMO_PASSWORD from here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from umka.accounts.models import Role

#: The password of every demo account (the demo school is public by nature).
DEMO_PASSWORD = "umka-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: tuple[str, ...]
    #: Ids of the home page sections (umka/home/templates/home/home.html) it shows.
    sections: tuple[str, ...]
    #: What to look at with this account.
    note: str = ""

    @property
    def role_label(self) -> str:
        return " + ".join(str(Role(role).label) for role in self.roles)


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "director",
        (Role.DIRECTOR,),
        ("admin-home", "work-home"),
        _("approve the next quarter's consultation schedule"),
    ),
    DemoLogin(
        "deputy",
        (Role.DEPUTY_HEAD,),
        ("admin-home", "work-home"),
        _("deputy head for teaching; submitted the next quarter's schedule"),
    ),
    DemoLogin(
        "admin",
        (Role.ADMINISTRATOR,),
        ("admin-home",),
        _("also signs in to the back office"),
    ),
    DemoLogin(
        "teacher",
        (Role.TEACHER,),
        ("teacher-home",),
        _(
            "mathematics teacher, class teacher of 7А; an attestation consultation "
            "waits for its checklist"
        ),
    ),
    DemoLogin(
        "parent", (Role.PARENT,), ("parent-home",), _("mother of two: 7А and 3Б")
    ),
    DemoLogin("student", (Role.STUDENT,), ("student-home",), _("studies in 7А")),
    DemoLogin(
        "staff",
        (Role.STAFF,),
        ("work-home",),
        _("school psychologist: consultations for parents"),
    ),
    DemoLogin(
        "unit_head",
        (Role.UNIT_HEAD,),
        ("work-home",),
        _("head of the «Точка роста» centre"),
    ),
    DemoLogin(
        "teacher_parent",
        (Role.TEACHER, Role.PARENT),
        ("teacher-home", "parent-home"),
        _("primary school teacher whose child is in the 6th grade"),
    ),
)

DEMO_USERNAMES = frozenset(login.username for login in DEMO_LOGINS)
