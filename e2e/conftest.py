"""Browser tests: the real stack (web server + task worker on a throwaway database
with the demo school) driven by Playwright in Debian's chromium.

Chromium comes from Debian (`apt-get install chromium`); Playwright's own browser
download does not work offline and is never used. Without chromium the tests are
skipped — unless UMKA_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(ROOT / "e2e"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """A running Umka: its URL, and a way to run manage.py against its database."""

    def __init__(self, url: str, env: dict[str, str]):
        self.url = url
        self.env = env

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).strip()


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url}")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Migrate a fresh database, load the demo school, start worker and server."""
    var = tmp_path_factory.mktemp("umka-e2e-var")
    port = _free_port()
    env = {
        **os.environ,
        "UMKA_VAR_DIR": str(var),
        "DEBUG": "0",
        "STATIC_FROM_APPS": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LANGUAGE_CODE": "ru",
        "PYTHONUNBUFFERED": "1",
        # The demo's director, deputies and administrators sign in with a password
        # alone (README: two-factor sign-in); e2e/test_two_factor.py sets a code up.
        "TWO_FACTOR_REQUIRED": "0",
    }
    env.pop("DATABASE_URL", None)  # the browser tests use their own SQLite file
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    logs = ARTIFACTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    site = Site(f"http://127.0.0.1:{port}", env)
    site.manage("migrate", "--noinput", "-v0")
    site.manage("load_demo_school")
    with (
        (logs / "worker.log").open("w") as worker_log,
        (logs / "server.log").open("w") as server_log,
    ):
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey"],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(site.url + "/accounts/login/", server)
            yield site
        finally:
            for proc in (server, worker):
                proc.terminate()
            for proc in (server, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"Debian's chromium is not installed ({CHROMIUM})"
        if os.environ.get("UMKA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message + "; `apt-get install chromium` to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site, request):
    """A fresh browser context per test; a screenshot is saved when a test fails."""
    context = browser.new_context(
        base_url=site.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.nodeid.replace("/", "_").replace("::", "-")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


def reload_until_visible(page, locator, *, attempts: int = 60) -> None:
    """Reload the page until `locator` shows: for what the task worker writes after
    the request (a notice), which no open page is told about. Each attempt waits on
    the page's load and on the locator, never on a fixed pause."""
    from playwright.sync_api import expect

    for _ in range(attempts - 1):
        try:
            expect(locator).to_be_visible(timeout=1_000)
            return
        except AssertionError:
            page.reload(wait_until="load")
    expect(locator).to_be_visible()


def open_menu(page) -> None:
    """Open the header's person menu (password, language, sign out) where it is
    folded behind the menu button (a phone); on a wide screen it is always shown."""
    from playwright.sync_api import expect

    button = page.locator(".menu-button")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")


def sign_out(page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Выйти").click()
