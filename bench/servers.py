"""What the benchmarks that start the real stack share: a free loopback port, and
waiting until a server answers its sign-in page."""

import http.client
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    port: int, proc: subprocess.Popen, what: str = "the server", seconds: float = 60
) -> None:
    """Return once GET /accounts/login/ answers 200; RuntimeError if the process
    exits or the time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} on port {port} exited ({proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} on port {port} did not answer")
