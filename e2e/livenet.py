"""Live-room browser tests: the whole stack inside a throwaway network namespace.

WebRTC needs a real network interface: Chromium gathers no ICE candidates on the
loopback interface, and a host's own interfaces (docker bridges, VPNs, no network
at all in CI) make tests flaky. So everything runs in a namespace `umka-<pid>`
with only `lo` and a veth pair whose BOTH ends are inside it (10.213.0.1/24 on
umv0, 10.213.0.2/24 on umv1): the web server, the task worker, Janus (ICE on umv0
only) and Chromium (through a wrapper `chromium-in-ns`). The database is a SQLite
file in a temporary folder, shared with `manage.py` calls made on the host.

Use in a test module:

    pytest_plugins = ["e2e.livenet"]  # live_site, live_browser, live_pages

Creating a namespace needs root (CAP_SYS_ADMIN/CAP_NET_ADMIN). Without it, or
without chromium or janus, the tests are skipped - unless UMKA_REQUIRE_BROWSER=1,
where that is a failure. Logs: e2e/artifacts/logs/live-*.log.
"""

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, Site
from umka.rooms.tests.janus_fixture import stop, write_janus_config

NS_PREFIX = "umka-"
HOST_IP, PEER_IP = "10.213.0.1", "10.213.0.2"
VETH, VETH_PEER = "umv0", "umv1"
PORT = 8000
JANUS_PORT, JANUS_ADMIN_PORT = 8088, 7088
LIVE_CHROMIUM_ARGS = [
    *CHROMIUM_ARGS,
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
]
LOGS = ARTIFACTS / "logs"


def _unavailable(message: str):
    if os.environ.get("UMKA_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False
    )


def _must(*args: str) -> str:
    result = _run(*args)
    if result.returncode:
        raise RuntimeError(
            f"{' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


# Fetches a URL (POSTing data if given) and prints the body; runs inside the netns.
_FETCH = """
import sys, urllib.request
data = sys.argv[2].encode() if len(sys.argv) > 2 else None
request = urllib.request.Request(sys.argv[1], data=data)
with urllib.request.urlopen(request, timeout=3) as response:
    sys.stdout.write(response.read().decode())
"""


class LiveSite(Site):
    """A running Umka inside a network namespace.

    `url` is only reachable from inside the namespace (the wrapped chromium, or
    `fetch()`); `manage()`/`shell()` run on the host against the same database.
    """

    def __init__(self, url: str, env: dict[str, str], netns: str, folder: Path):
        super().__init__(url, env)
        self.netns = netns
        self.folder = folder
        self.chromium = str(folder / "chromium-in-ns")
        self.addresses = (HOST_IP, PEER_IP)  # of the veth pair inside the namespace
        self.janus_url = env["JANUS_URL"]
        self.janus_admin_url = env["JANUS_ADMIN_URL"]
        self.janus_admin_secret = env["JANUS_ADMIN_SECRET"]

    def in_ns(self, *args: str) -> list[str]:
        return ["ip", "netns", "exec", self.netns, *args]

    def fetch(self, url: str, data: str | None = None, timeout: float = 10) -> str:
        """GET (or POST `data` to) a URL from inside the namespace; the body."""
        args = [sys.executable, "-c", _FETCH, url]
        if data is not None:
            args.append(data)
        result = subprocess.run(
            self.in_ns(*args),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise OSError(f"{url}: {result.stderr.strip().splitlines()[-1:]}")
        return result.stdout

    def janus_admin(self, request: dict) -> dict:
        """One Janus admin API request (the secret added), answered as JSON."""
        body = {"transaction": secrets.token_hex(6), **request}
        body["admin_secret"] = self.janus_admin_secret
        return json.loads(self.fetch(self.janus_admin_url, json.dumps(body)))


def _wait(what: str, check, procs: dict[str, subprocess.Popen], seconds: float):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with code {proc.returncode} "
                    f"(see {LOGS}/live-{name}.log)"
                )
        try:
            if check():
                return
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            last = error
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer in {seconds:.0f} s ({last})")


def _stop_all(procs: dict[str, subprocess.Popen]) -> None:
    """Terminate them all at once, then wait (each may take seconds to exit)."""
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    for proc in procs.values():
        stop(proc)


def _kill_namespace_processes(netns: str) -> None:
    """Anything still running in our namespace (a stray chromium child...)."""
    result = _run("ip", "netns", "pids", netns)
    for pid in result.stdout.split():
        with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
            os.kill(int(pid), 9)


def _create_namespace(netns: str) -> None:
    _must("ip", "link", "add", VETH, "netns", netns, "type", "veth", "peer", "name",
          VETH_PEER, "netns", netns)  # fmt: skip
    _must("ip", "-n", netns, "link", "set", "lo", "up")
    for dev, ip in ((VETH, HOST_IP), (VETH_PEER, PEER_IP)):
        _must("ip", "-n", netns, "addr", "add", f"{ip}/24", "dev", dev)
        _must("ip", "-n", netns, "link", "set", dev, "up")


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """Umka + task worker + Janus in a fresh network namespace, demo school loaded."""
    if not shutil.which(CHROMIUM):
        _unavailable(f"Debian's chromium is not installed ({CHROMIUM})")
    janus = shutil.which("janus")
    if janus is None:
        _unavailable("Debian's janus is not installed (`apt-get install janus`)")
    if shutil.which("ip") is None:
        _unavailable("iproute2's `ip` is not installed")
    netns = f"{NS_PREFIX}{os.getpid()}"
    added = _run("ip", "netns", "add", netns)
    if added.returncode:
        _unavailable(
            f"cannot create a network namespace (`ip netns add`: "
            f"{added.stderr.strip()}); the live-room tests need root"
        )

    procs: dict[str, subprocess.Popen] = {}
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(_run, "ip", "netns", "del", netns)
        cleanup.callback(_kill_namespace_processes, netns)
        _create_namespace(netns)

        folder = tmp_path_factory.mktemp("umka-live")
        var = folder / "var"
        var.mkdir()
        secret = secrets.token_urlsafe(24)
        write_janus_config(
            folder / "janus",
            admin_secret=secret,
            port=JANUS_PORT,
            admin_port=JANUS_ADMIN_PORT,
            ice_enforce_list=VETH,
        )
        wrapper = folder / "chromium-in-ns"
        wrapper.write_text(
            f'#!/bin/sh\nexec ip netns exec {netns} {shutil.which(CHROMIUM)} "$@"\n'
        )
        wrapper.chmod(0o755)

        env = {
            **os.environ,
            "UMKA_VAR_DIR": str(var),
            "DEBUG": "0",
            "STATIC_FROM_APPS": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LANGUAGE_CODE": "ru",
            "PYTHONUNBUFFERED": "1",
            "JANUS_URL": f"http://127.0.0.1:{JANUS_PORT}/janus",
            "JANUS_ADMIN_URL": f"http://127.0.0.1:{JANUS_ADMIN_PORT}/admin",
            "JANUS_ADMIN_SECRET": secret,
            # any session of the day may be entered: tests create them "now"
            "ROOM_OPENS_MINUTES_BEFORE": "1440",
            "ROOM_P2P_MAX_PARTICIPANTS": "4",
        }
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE",
                     "STUN_URLS", "TURN_URLS", "TURN_SECRET",
                     "JANUS_VIDEOROOM_ADMIN_KEY", "http_proxy", "https_proxy",
                     "HTTP_PROXY", "HTTPS_PROXY"):  # fmt: skip
            env.pop(name, None)
        site = LiveSite(f"http://127.0.0.1:{PORT}", env, netns, folder)

        # Janus and the web server start while the database is being filled: the
        # server only needs the tables to exist, the demo school is there before
        # the first request.
        LOGS.mkdir(parents=True, exist_ok=True)
        commands = {
            "janus": [janus, "-F", str(folder / "janus"), "--disable-colors"],
            "worker": [sys.executable, "manage.py", "run_huey"],
            "server": [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{PORT}",
                "--noreload",
            ],
        }
        cleanup.callback(_stop_all, procs)
        for name, command in commands.items():
            if name == "worker":
                site.manage("migrate", "--noinput", "-v0")
            log = cleanup.enter_context((LOGS / f"live-{name}.log").open("w"))
            procs[name] = subprocess.Popen(
                site.in_ns(*command),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        site.manage("load_demo_school")

        _wait(
            "Janus' admin API",
            lambda: site.janus_admin({"janus": "info"})["janus"] == "server_info",
            procs,
            30,
        )
        _wait(
            "the web server",
            lambda: site.fetch(site.url + "/accounts/login/") is not None,
            procs,
            60,
        )
        yield site


@pytest.fixture(scope="session")
def live_browser(browser, live_site):
    """Chromium running inside the namespace, with fake camera and microphone.

    It is launched through the Playwright of e2e/conftest.py's `browser` fixture:
    Playwright's sync API cannot run two instances in one process.
    """
    live = browser.browser_type.launch(
        executable_path=live_site.chromium, headless=True, args=LIVE_CHROMIUM_ARGS
    )
    yield live
    live.close()


@pytest.fixture
def live_pages(live_browser, live_site, request):
    """A factory of pages, one fresh browser context each; screenshots on failure."""
    contexts = []

    def new_page():
        context = live_browser.new_context(
            base_url=live_site.url,
            locale="ru-RU",
            viewport={"width": 1024, "height": 768},
            permissions=["camera", "microphone"],
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    failed = getattr(request.node, "rep_call", None)
    name = request.node.nodeid.replace("/", "_").replace("::", "-")
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{number}.png"))
        context.close()
