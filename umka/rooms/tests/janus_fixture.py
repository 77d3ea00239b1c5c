"""A real Janus (Debian's `janus`) for tests: config written from deploy/janus.

`write_janus_config()` is shared with the browser tests (e2e/livenet.py). The
`janus_server` fixture starts Janus on free loopback ports with a random admin
secret and yields where its admin API is; `janus_pool` starts two (a pool of
media servers, `start_janus()`). Without `janus` installed the tests that
use it are skipped, unless UMKA_REQUIRE_JANUS=1 (then they fail).
"""

import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEPLOY_JANUS = ROOT / "deploy" / "janus"
PLACEHOLDER_SECRET = "CHANGE-ME-admin-secret"  # noqa: S105 (the placeholder itself)
CONFIG_FILES = (
    "janus.jcfg",
    "janus.transport.http.jcfg",
    "janus.plugin.videoroom.jcfg",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _set(text: str, name: str, value: str) -> str:
    """Set `name = value` in a jcfg text (the first, possibly commented, line)."""
    pattern = re.compile(rf"^(\s*)#?\s*{name}\s*=\s*[^\n#]*", re.MULTILINE)
    text, count = pattern.subn(lambda m: f"{m.group(1)}{name} = {value}\t", text, 1)
    if not count:
        raise ValueError(f"no {name} option in the Janus config")
    return text


def _lib_folder(kind: str, configured: str) -> str:
    if Path(configured).is_dir():
        return configured
    found = sorted(glob.glob(f"/usr/lib/*/janus/{kind}")) + sorted(
        glob.glob(f"/usr/lib*/janus/{kind}")
    )
    return found[0] if found else configured


def write_janus_config(
    folder: Path,
    *,
    admin_secret: str,
    port: int = 8088,
    admin_port: int = 7088,
    ice_enforce_list: str | None = None,
    rtp_port_range: str | None = None,
) -> Path:
    """Write deploy/janus into `folder` with the given secret, ports and ICE list."""
    folder.mkdir(parents=True, exist_ok=True)
    core = (DEPLOY_JANUS / "janus.jcfg").read_text()
    core = core.replace(PLACEHOLDER_SECRET, admin_secret)
    for kind, name in (
        ("plugins", "plugins_folder"),
        ("transports", "transports_folder"),
        ("events", "events_folder"),
        ("loggers", "loggers_folder"),
    ):
        match = re.search(rf'^\s*{name}\s*=\s*"([^"]*)"', core, re.MULTILINE)
        if match:
            core = _set(core, name, json.dumps(_lib_folder(kind, match.group(1))))
    if ice_enforce_list:
        core = _set(core, "ice_enforce_list", json.dumps(ice_enforce_list))
    if rtp_port_range:
        core = _set(core, "rtp_port_range", json.dumps(rtp_port_range))
    (folder / "janus.jcfg").write_text(core)

    http = (DEPLOY_JANUS / "janus.transport.http.jcfg").read_text()
    http = _set(http, "port", str(port))
    http = _set(http, "admin_port", str(admin_port))
    (folder / "janus.transport.http.jcfg").write_text(http)

    videoroom = (DEPLOY_JANUS / "janus.plugin.videoroom.jcfg").read_text()
    (folder / "janus.plugin.videoroom.jcfg").write_text(
        videoroom.replace(PLACEHOLDER_SECRET, admin_secret)
    )
    return folder


def admin_info(admin_url: str, admin_secret: str, timeout: float = 2) -> dict:
    body = json.dumps(
        {"janus": "info", "transaction": "t", "admin_secret": admin_secret}
    ).encode()
    request = urllib.request.Request(admin_url, data=body, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read())


def stop(proc: subprocess.Popen, seconds: float = 10) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=seconds)


def require_janus() -> str:
    """The janus executable, or skip (fail with UMKA_REQUIRE_JANUS=1)."""
    janus = shutil.which("janus")
    if janus is None:
        message = "Debian's janus is not installed"
        if os.environ.get("UMKA_REQUIRE_JANUS") == "1":
            pytest.fail(message)
        pytest.skip(message + "; `apt-get install janus` to run the Janus tests")
    return janus


@dataclass
class JanusServer:
    url: str  # Janus API (what browsers use)
    admin_url: str
    admin_secret: str
    folder: Path
    log: Path


def start_janus(folder: Path, secret: str) -> tuple[JanusServer, subprocess.Popen]:
    """Start a Janus from deploy/janus on free loopback ports in `folder`; return
    it once its admin API answers (the caller stops the process)."""
    janus = require_janus()
    port, admin_port = free_port(), free_port()
    write_janus_config(
        folder / "etc", admin_secret=secret, port=port, admin_port=admin_port
    )
    server = JanusServer(
        url=f"http://127.0.0.1:{port}/janus",
        admin_url=f"http://127.0.0.1:{admin_port}/admin",
        admin_secret=secret,
        folder=folder / "etc",
        log=folder / "janus.log",
    )
    with server.log.open("w") as log:
        proc = subprocess.Popen(  # noqa: S603 (the janus found on PATH)
            [janus, "-F", str(server.folder), "--disable-colors"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            pytest.fail(
                f"janus exited with code {proc.returncode}:\n"
                + server.log.read_text()[-3000:]
            )
        try:
            if admin_info(server.admin_url, secret).get("janus") == "server_info":
                return server, proc
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            pytest.fail(
                "janus' admin API did not answer:\n" + server.log.read_text()[-3000:]
            )
        time.sleep(0.2)


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory):
    """A Janus started from deploy/janus on free loopback ports; stopped at the end."""
    require_janus()
    server, proc = start_janus(
        tmp_path_factory.mktemp("janus"), secrets.token_urlsafe(24)
    )
    try:
        yield server
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def janus_pool(tmp_path_factory):
    """Two Janus processes with one admin secret: a pool of media servers."""
    require_janus()
    secret = secrets.token_urlsafe(24)
    started = []
    try:
        for _ in range(2):
            started.append(start_janus(tmp_path_factory.mktemp("janus-pool"), secret))
        yield [server for server, _proc in started]
    finally:
        for _server, proc in started:
            stop(proc)
