"""Two-factor sign-in: the flows (set-up, code, recovery code, lockout) per role."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from umka.accounts.models import Role
from umka.accounts.tests.factories import PASSWORD, make_person
from umka.audit.models import AuditEntry
from umka.signin import services
from umka.signin.tests.helpers import code_for

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.AXES_FAILURE_LIMIT = 3


def _password(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def _with_device(user):
    device = services.totp_device_start(user=user)
    codes = services.totp_device_confirm(
        actor=user, device=device, token=code_for(device)
    )
    device.refresh_from_db()
    # The code just used cannot be used again: step past it for the next one.
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return device, codes


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.ADMINISTRATOR])
def test_required_role_without_device_is_sent_to_set_up_not_signed_in(client, role):
    user = make_person(role)
    response = _password(client, user)
    assert response.status_code == 302
    assert response.url == reverse("signin:setup")
    assert not _signed_in(client)
    assert client.get("/").status_code == 302  # still anonymous: to the login page
    page = client.get(reverse("signin:setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content


@pytest.mark.parametrize(
    "role", [Role.STUDENT, Role.PARENT, Role.TEACHER, Role.STAFF, Role.UNIT_HEAD]
)
def test_optional_role_without_device_signs_in_with_password(client, role):
    user = make_person(role)
    response = _password(client, user)
    assert response.url == reverse("home")
    assert _signed_in(client)


def test_superuser_is_required_to_set_up(client):
    user = make_person(is_superuser=True)
    assert _password(client, user).url == reverse("signin:setup")
    assert not _signed_in(client)


def test_setup_confirms_device_signs_in_and_shows_ten_recovery_codes_once(client):
    user = make_person(Role.DIRECTOR)
    _password(client, user, next_url="/audit/")
    client.get(reverse("signin:setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("signin:setup"), {"code": code_for(device)})
    assert response.url == reverse("signin:recovery_codes")
    assert _signed_in(client)
    page = client.get(reverse("signin:recovery_codes"))
    codes = StaticDevice.objects.get(user=user).token_set.values_list(
        "token", flat=True
    )
    assert len(codes) == 10
    for code in codes:
        assert code in page.content.decode()
    assert b'href="/audit/"' in page.content
    # Shown once only.
    assert client.get(reverse("signin:recovery_codes")).status_code == 302
    assert client.get("/audit/").status_code == 200
    assert AuditEntry.objects.filter(action="signin.device_added", actor=user).exists()


def test_setup_refuses_wrong_code_keeps_device_unconfirmed(client):
    user = make_person(Role.DIRECTOR)
    _password(client, user)
    client.get(reverse("signin:setup"))
    response = client.post(reverse("signin:setup"), {"code": "000000"})
    assert response.status_code == 400
    assert (
        "Код неверный".encode() in response.content or b"code-error" in response.content
    )
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not _signed_in(client)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.PARENT])
def test_person_with_device_must_type_code(client, role):
    user = make_person(role)
    device, _ = _with_device(user)
    response = _password(client, user)
    assert response.url == reverse("signin:verify")
    assert not _signed_in(client)
    response = client.post(reverse("signin:verify"), {"code": code_for(device)})
    assert response.url == reverse("home")
    assert _signed_in(client)
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor=user).exists()


def test_wrong_code_is_refused_and_audited(client):
    user = make_person(Role.DEPUTY_HEAD)
    _with_device(user)
    _password(client, user)
    response = client.post(reverse("signin:verify"), {"code": "123456"})
    assert response.status_code == 400
    assert not _signed_in(client)
    assert AuditEntry.objects.filter(action="signin.code_failed").count() == 1


def test_recovery_code_signs_in_once(client):
    user = make_person(Role.ADMINISTRATOR)
    _, codes = _with_device(user)
    _password(client, user)
    response = client.post(reverse("signin:verify"), {"code": codes[0].upper()})
    assert response.url == reverse("home")
    assert AuditEntry.objects.filter(action="signin.recovery_code_used").exists()
    client.logout()
    _password(client, user)
    response = client.post(reverse("signin:verify"), {"code": codes[0]})
    assert response.status_code == 400
    assert not _signed_in(client)


def test_codes_lock_after_failure_limit_even_the_right_one(client):
    user = make_person(Role.DIRECTOR)
    device, _ = _with_device(user)
    _password(client, user)
    for _ in range(3):
        client.post(reverse("signin:verify"), {"code": "000000"})
    response = client.post(reverse("signin:verify"), {"code": code_for(device)})
    assert response.status_code == 429
    assert not _signed_in(client)
    assert AuditEntry.objects.filter(action="signin.code_locked").count() == 1


def test_verify_without_password_step_goes_to_login(client):
    assert client.get(reverse("signin:verify")).url == reverse("accounts:login")
    assert client.get(reverse("signin:setup")).url == reverse("accounts:login")


def test_pending_user_with_device_cannot_set_up_a_new_one(client):
    user = make_person(Role.DIRECTOR)
    _with_device(user)
    _password(client, user)
    assert client.get(reverse("signin:setup")).url == reverse("signin:verify")


def test_session_of_required_role_without_verification_is_sent_to_set_up(client):
    user = make_person(Role.DIRECTOR)
    client.force_login(user)
    assert client.get("/").url == reverse("signin:setup")
    _with_device(user)
    assert client.get("/").url == reverse("signin:verify")


def test_back_office_needs_verified_session(client, settings):
    user = make_person(Role.ADMINISTRATOR)
    client.force_login(user)
    assert client.get("/backoffice/").status_code == 302
    settings.TWO_FACTOR_REQUIRED = False
    assert client.get("/backoffice/").status_code == 200


def test_back_office_opens_after_code(client):
    user = make_person(Role.ADMINISTRATOR)
    device, _ = _with_device(user)
    _password(client, user, next_url="/backoffice/")
    response = client.post(reverse("signin:verify"), {"code": code_for(device)})
    assert response.url == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_demo_switch_lets_required_roles_in_with_password(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    user = make_person(Role.DIRECTOR)
    assert _password(client, user).url == reverse("home")


def test_optional_person_may_turn_two_factor_off_required_may_not(client):
    parent = make_person(Role.PARENT)
    _with_device(parent)
    client.force_login(parent)
    client.post(reverse("signin:remove"))
    assert not TOTPDevice.objects.filter(user=parent).exists()
    assert AuditEntry.objects.filter(action="signin.device_removed").exists()

    director = make_person(Role.DIRECTOR)
    device, _ = _with_device(director)
    _password(client, director)
    client.post(reverse("signin:verify"), {"code": code_for(device)})
    client.post(reverse("signin:remove"))
    assert TOTPDevice.objects.filter(user=director, confirmed=True).exists()


def test_renewing_recovery_codes_replaces_the_old_ones(client):
    user = make_person(Role.TEACHER)
    _, old = _with_device(user)
    client.force_login(user)
    response = client.post(reverse("signin:codes_renew"))
    assert response.url == reverse("signin:recovery_codes")
    new = set(
        StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    )
    assert len(new) == 10
    assert not new & set(old)
    assert AuditEntry.objects.filter(action="signin.recovery_codes_renewed").exists()


def test_optional_person_sets_up_while_signed_in(client):
    user = make_person(Role.STUDENT)
    client.force_login(user)
    client.get(reverse("signin:setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("signin:setup"), {"code": code_for(device)})
    assert response.url == reverse("signin:recovery_codes")
    assert client.get(reverse("signin:security")).status_code == 200
