"""A webinar through Janus, measured (R4): one presenter — Chromium with a fake
camera — and N receive-only viewers that do not decode video (aiortc clients whose
decoder only counts frames; 20 a process), for N = 10, 25, 50. It prints Janus'
CPU and memory per viewer and the frames each viewer received, and from that how
many viewers one 2-core host carries. A viewer that receives no frames fails the
run (exit 1).

    make bench-webinar
    sudo .venv/bin/python bench/webinar_bench.py --viewers 10,25,50 --seconds 10

Janus gathers no ICE candidates on the loopback interface, so everything runs in
a network namespace of its own (`umkawb-<pid>`, a veth pair wb0/wb1 with
10.215.0.1/24 and 10.215.0.2/24, both inside it; nothing leaves it; removed at
the end): the script creates it and runs itself inside. Janus comes from
deploy/janus (ICE on wb0 only); the VideoRoom is made through the admin API as
Umka makes it (umka/rooms/janus.py); the presenter's page uses Debian's janus.js.
Needs root (`ip netns`), `janus`, `chromium`, Playwright and aiortc
(`pip install aiortc`).
"""

import argparse
import asyncio
import concurrent.futures
import contextlib
import http.server
import json
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NS_PREFIX = "umkawb-"
VETH, VETH_PEER = "wb0", "wb1"
HOST_IP, PEER_IP = "10.215.0.1", "10.215.0.2"
JANUS_JS = Path("/usr/share/javascript/janus-gateway/janus.js")
ADAPTER_JS = Path("/usr/share/javascript/webrtc-adapter/adapter.js")

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="adapter.js"></script><script src="janus.js"></script></head><body>
<video id="me" autoplay muted playsinline></video>
<script>
window.state = "starting";
const cfg = %(config)s;
Janus.init({debug: false, dependencies: Janus.useDefaultDependencies(),
 callback: () => {
  const janus = new Janus({server: cfg.server,
    error: (e) => window.state = "error " + e,
    success: () => janus.attach({plugin: "janus.plugin.videoroom",
      error: (e) => window.state = "error " + e,
      success: (h) => {
        window.handle = h;
        h.send({message: {request: "join", ptype: "publisher", room: cfg.room,
                          pin: cfg.pin, display: "presenter"}});
      },
      onmessage: (msg, jsep) => {
        if (msg.videoroom === "joined") {
          window.publisher = msg.id;
          window.handle.createOffer({
            tracks: [{type: "audio", capture: true, recv: false},
                     {type: "video", capture: true, recv: false}],
            success: (offer) => window.handle.send({
              message: {request: "configure", audio: true, video: true},
              jsep: offer}),
            error: (e) => window.state = "error " + JSON.stringify(e)});
        }
        if (jsep) window.handle.handleRemoteJsep({jsep: jsep});
      },
      webrtcState: (on) => { window.state = on ? "publishing" : "stopped"; },
    })});
}});
</script></body></html>
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--viewers", default="10,25,50", help="viewer counts, ascending (10,25,50)"
    )
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="measured at each count (10)"
    )
    parser.add_argument("--inside", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- The namespace (outside) -----------------------------------------------------


def _must(*args: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)}: {result.stderr.strip()}")


def missing() -> str:
    """Why this machine cannot run the bench, or ''."""
    if os.geteuid() != 0:
        return "needs root to create a network namespace (ip netns)"
    for tool in ("ip", "janus", "chromium"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed"
    for module in ("aiortc", "playwright"):
        try:
            __import__(module)
        except ImportError:
            return f"the Python package {module} is not installed"
    if not JANUS_JS.exists() or not ADAPTER_JS.exists():
        return "libjs-janus-gateway / libjs-webrtc-adapter are not installed"
    return ""


def outside(args) -> int:
    reason = missing()
    if reason:
        print(f"webinar_bench: cannot run here: {reason}")
        return 2
    netns = f"{NS_PREFIX}{os.getpid()}"
    _must("ip", "netns", "add", netns)
    try:
        _must("ip", "link", "add", VETH, "netns", netns, "type", "veth", "peer",
              "name", VETH_PEER, "netns", netns)  # fmt: skip
        _must("ip", "-n", netns, "link", "set", "lo", "up")
        for dev, ip in ((VETH, HOST_IP), (VETH_PEER, PEER_IP)):
            _must("ip", "-n", netns, "addr", "add", f"{ip}/24", "dev", dev)
            _must("ip", "-n", netns, "link", "set", dev, "up")
        command = [
            "ip", "netns", "exec", netns, sys.executable, __file__,
            "--inside", netns, "--viewers", args.viewers,
            "--seconds", str(args.seconds),
        ]  # fmt: skip
        return subprocess.run(command, check=False).returncode  # noqa: S603
    finally:
        pids = subprocess.run(  # noqa: S603
            [shutil.which("ip"), "netns", "pids", netns],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), 9)
        subprocess.run([shutil.which("ip"), "netns", "delete", netns], check=False)  # noqa: S603


# --- Inside: Janus -----------------------------------------------------------------


def _post(url: str, body: dict, timeout: float = 10) -> dict:
    request = urllib.request.Request(  # noqa: S310 (loopback inside the namespace)
        url, data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read())


def _get(url: str, timeout: float = 40) -> list:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
        answer = json.loads(response.read())
    return answer if isinstance(answer, list) else [answer]


def start_janus(folder: Path):
    from umka.rooms.tests.janus_fixture import free_port, write_janus_config

    secret = secrets.token_urlsafe(16)
    port, admin_port = free_port(), free_port()
    write_janus_config(
        folder / "etc",
        admin_secret=secret,
        port=port,
        admin_port=admin_port,
        ice_enforce_list=VETH,
    )
    log = (folder / "janus.log").open("w")
    proc = subprocess.Popen(  # noqa: S603 (Debian's janus)
        [shutil.which("janus"), "-F", str(folder / "etc"), "--disable-colors"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    admin = f"http://127.0.0.1:{admin_port}/admin"
    deadline = time.monotonic() + 20
    while True:
        try:
            info = _post(
                admin, {"janus": "info", "transaction": "t", "admin_secret": secret}, 2
            )
            if info.get("janus") == "server_info":
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError((folder / "janus.log").read_text()[-2000:])
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}/janus", admin, secret


def usage(pid: int) -> tuple[float, int]:
    """(CPU seconds so far, resident memory in kB) of a process."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    rss = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    return cpu, rss


# --- Inside: the presenter ---------------------------------------------------------


def serve_page(folder: Path, config: dict) -> int:
    (folder / "index.html").write_text(PAGE % {"config": json.dumps(config)})
    shutil.copy(JANUS_JS, folder / "janus.js")
    shutil.copy(ADAPTER_JS, folder / "adapter.js")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def start_presenter(port: int):
    """Chromium with a fake camera publishing into the room; (playwright, page)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=shutil.which("chromium"),
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
        ],
    )
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_function("window.state !== 'starting'", timeout=30_000)
    state = page.evaluate("window.state")
    if state != "publishing":
        raise RuntimeError(f"the presenter did not publish: {state}")
    return playwright, browser, page


# --- Inside: the viewers -------------------------------------------------------------


class Viewer:
    """A receive-only subscriber of the presenter's feed (aiortc)."""

    def __init__(self, server: str, room: int, pin: str, feed: int):
        self.server, self.room, self.pin, self.feed = server, room, pin, feed
        self.frames = 0
        self.pc = None
        self.session = None
        self.stopped = False
        self.alive = None

    async def start(self) -> None:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        loop = asyncio.get_running_loop()

        def post(path: str, body: dict) -> dict:
            return _post(f"{self.server}{path}", {"transaction": "t", **body})

        created = await loop.run_in_executor(None, post, "", {"janus": "create"})
        self.session = created["data"]["id"]
        attached = await loop.run_in_executor(
            None,
            post,
            f"/{self.session}",
            {"janus": "attach", "plugin": "janus.plugin.videoroom"},
        )
        handle = attached["data"]["id"]
        path = f"/{self.session}/{handle}"
        join = {
            "request": "join",
            "ptype": "subscriber",
            "room": self.room,
            "pin": self.pin,
            "streams": [{"feed": self.feed}],
        }
        await loop.run_in_executor(None, post, path, {"janus": "message", "body": join})
        offer = None
        while offer is None:
            for event in await loop.run_in_executor(
                None, _get, f"{self.server}/{self.session}?maxev=5"
            ):
                if event.get("jsep", {}).get("type") == "offer":
                    offer = event["jsep"]
        self.pc = RTCPeerConnection()

        @self.pc.on("track")
        def on_track(track):
            if track.kind == "video":
                asyncio.ensure_future(self._count(track))

        await self.pc.setRemoteDescription(
            RTCSessionDescription(sdp=offer["sdp"], type="offer")
        )
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        await loop.run_in_executor(
            None,
            post,
            path,
            {
                "janus": "message",
                "body": {"request": "start"},
                "jsep": {"type": "answer", "sdp": self.pc.localDescription.sdp},
            },
        )
        self.alive = asyncio.ensure_future(self._keep_alive())

    async def _count(self, track) -> None:
        from aiortc.mediastreams import MediaStreamError

        try:
            while True:
                await track.recv()
                self.frames += 1
        except MediaStreamError:
            pass

    async def _keep_alive(self) -> None:
        loop = asyncio.get_running_loop()
        while not self.stopped:
            try:
                await loop.run_in_executor(
                    None, _get, f"{self.server}/{self.session}?maxev=10"
                )
            except OSError:
                await asyncio.sleep(1)

    async def stop(self) -> None:
        self.stopped = True
        if self.alive is not None:
            self.alive.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.alive
        if self.pc is not None:
            await self.pc.close()


def count_frames_without_decoding() -> None:
    """aiortc decodes what it receives; these viewers only count the frames they
    receive whole (as a decoder would get them), so Janus is what is measured."""
    import aiortc.rtcrtpreceiver as receiver

    class Counting:
        def __init__(self, kind: str):
            self.kind = kind

        def decode(self, encoded_frame):
            return [encoded_frame] if self.kind == "video" else []

    receiver.get_decoder = lambda codec: Counting(codec.mimeType.split("/")[0])


#: Viewers a process: one Python process takes every viewer's packets (SRTP,
#: RTP, jitter buffer); more than a few dozen would measure the viewers, not Janus.
PER_PROCESS = 20


def viewer_process(conn, server: str, room: int, pin: str) -> None:
    """Viewers of one process, added and counted on the parent's commands."""
    loop = asyncio.new_event_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(100))

    async def serve() -> None:
        viewers: list[Viewer] = []
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command[0] == "add":
                _, count, feed = command
                for _ in range(count):
                    viewer = Viewer(server, room, pin, feed)
                    await viewer.start()
                    viewers.append(viewer)
                conn.send("ok")
            elif command[0] == "frames":
                conn.send([v.frames for v in viewers])
            else:
                for viewer in viewers:
                    await viewer.stop()
                conn.send("ok")
                return

    loop.run_until_complete(serve())


async def measure(args, conns, feed: int, janus_pid: int):
    loop = asyncio.get_running_loop()

    async def ask(conn, command):
        await loop.run_in_executor(None, conn.send, command)
        return await loop.run_in_executor(None, conn.recv)

    async def frames() -> list[int]:
        counts = await asyncio.gather(*(ask(c, ("frames",)) for c in conns))
        return [n for per_process in counts for n in per_process]

    counts = [int(n) for n in args.viewers.split(",")]
    rows = []
    base_cpu, base_rss = usage(janus_pid)
    await asyncio.sleep(3)
    cpu_after, _ = usage(janus_pid)
    idle = (cpu_after - base_cpu) / 3  # Janus with the presenter alone, cores
    present = [0] * len(conns)
    for count in counts:
        adds = [0] * len(conns)
        for _ in range(count - sum(present)):
            i = min(range(len(conns)), key=lambda k: present[k] + adds[k])
            adds[i] += 1
        await asyncio.gather(
            *(ask(c, ("add", n, feed)) for c, n in zip(conns, adds, strict=True) if n)
        )
        present = [a + b for a, b in zip(present, adds, strict=True)]
        await asyncio.sleep(4)  # every stream flowing
        before = await frames()
        cpu0, _ = usage(janus_pid)
        started = time.perf_counter()
        await asyncio.sleep(args.seconds)
        wall = time.perf_counter() - started
        cpu1, rss = usage(janus_pid)
        after = await frames()
        got = [a - b for a, b in zip(after, before, strict=True)]
        rows.append((count, (cpu1 - cpu0) / wall, rss, got, wall))
    await asyncio.gather(*(ask(c, ("stop",)) for c in conns))
    return idle, base_rss, rows


def janus_version() -> str:
    result = subprocess.run(  # noqa: S603 (Debian's janus)
        [shutil.which("janus"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return (result.stdout.splitlines() or ["Janus"])[0]


def inside(args) -> int:
    from umka.rooms import janus

    count_frames_without_decoding()
    folder = Path(tempfile.mkdtemp(prefix="umka-webinar-"))
    janus_proc, server, admin, secret = start_janus(folder)
    playwright = browser = None
    workers = []
    try:
        from django.conf import settings

        settings.configure(JANUS_ADMIN_SECRET=secret, JANUS_URL=server)
        host = janus.Host(server, admin)
        room, pin = secrets.randbelow(2**31) + 1, secrets.token_urlsafe(8)
        janus.create_room(
            room,
            secret=secrets.token_urlsafe(16),
            pin=pin,
            description="Вебинар бенчмарка",
            publishers=3,
            host=host,
        )
        # The viewers' processes start before the browser (no threads to fork).
        most = max(int(n) for n in args.viewers.split(","))
        context = multiprocessing.get_context("fork")
        for _ in range(-(-most // PER_PROCESS)):
            parent, child = context.Pipe()
            worker = context.Process(
                target=viewer_process, args=(child, server, room, pin), daemon=True
            )
            worker.start()
            workers.append((worker, parent))
        port = serve_page(folder, {"server": server, "room": room, "pin": pin})
        playwright, browser, page = start_presenter(port)
        feed = page.evaluate("window.publisher")
        results = []

        def viewers_thread() -> None:
            # Playwright's sync API holds this thread's event loop.
            loop = asyncio.new_event_loop()
            loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(50))
            conns = [conn for _worker, conn in workers]
            results.append(
                loop.run_until_complete(measure(args, conns, feed, janus_proc.pid))
            )
            loop.close()

        thread = threading.Thread(target=viewers_thread)
        thread.start()
        while thread.is_alive():
            page.wait_for_timeout(500)  # the presenter's page keeps running
        if not results:
            raise RuntimeError("the viewers failed (see the traceback above)")
        idle, base_rss, rows = results[0]
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
        for worker, _conn in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
        janus_proc.terminate()
        janus_proc.wait(timeout=10)
    print(
        f"webinar_bench: {janus_version()}, "
        f"presenter: Chromium (fake camera, VP8); viewers: aiortc, frames counted "
        f"not decoded; namespace {args.inside}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"  presenter alone: Janus {100 * idle:.1f} % of a core, "
        f"{base_rss / 1024:.0f} MB"
    )
    failed = False
    per_viewer_cpu = []
    for count, cores, rss, frames, wall in rows:
        without = sum(1 for f in frames if f == 0)
        failed |= without > 0
        per = (cores - idle) / count
        per_viewer_cpu.append(per)
        fps = sorted(f / wall for f in frames)
        print(
            f"  {count:3d} viewers: Janus {100 * cores:5.1f} % of a core "
            f"({100 * per:.2f} % a viewer), {rss / 1024:.0f} MB "
            f"({(rss - base_rss) / count:.0f} kB a viewer); frames a viewer "
            f"{fps[0]:.1f}–{fps[-1]:.1f}/s (median {fps[len(fps) // 2]:.1f})"
            + (f"; {without} viewers got NO frames" if without else "")
        )
    if per_viewer_cpu and per_viewer_cpu[-1] > 0:
        carried = int(1.5 / per_viewer_cpu[-1])
        megabits = carried * janus.DEFAULT_BITRATE / 1e6
        print(
            f"  one 2-core host (1.5 cores for Janus, the rest for the system): "
            f"about {carried} viewers of one presenter by CPU; at the rooms' "
            f"{janus.DEFAULT_BITRATE // 1000} kbit/s cap that is {megabits:.0f} "
            f"Mbit/s out, so the host's link decides too"
        )
    return 1 if failed else 0


def main() -> int:
    args = parse_args()
    if args.inside:
        return inside(args)
    return outside(args)


if __name__ == "__main__":
    raise SystemExit(main())
