"""Sampling the app servers of a benchmark with py-spy (`--profile`).

py-spy records the server processes (and the workers they fork) as collapsed
stacks; this module turns them into a flame graph (SVG, one box per frame, width
by samples, hover for the figures) and into the top functions by time — by
samples where the function itself was running (self) and where it was on the
stack (inclusive) — which a benchmark prints.

    recorder = profiling.Recorder(server.pid, Path("booking.svg"))
    ...  # the load
    recorder.stop()
    print(recorder.summary())
"""

import html
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

_ROW = 16
_WIDTH = 1600


def py_spy() -> str:
    """py-spy next to this interpreter (pip install py-spy), else on PATH."""
    candidate = Path(sys.executable).parent / "py-spy"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("py-spy")
    if found is None:
        sys.exit("--profile needs py-spy: .venv/bin/pip install py-spy")
    return found


class Recorder:
    """py-spy recording `pid` and its subprocesses until `stop()`."""

    def __init__(self, pid: int, svg: Path, rate: int = 200):
        self.svg = svg
        self.raw = svg.with_suffix(".collapsed.txt")
        self.proc = subprocess.Popen(  # noqa: S603 (py-spy, fixed arguments)
            [
                py_spy(),
                "record",
                "--pid",
                str(pid),
                "--subprocesses",
                "--nonblocking",
                # Only threads holding the GIL: where the CPU goes, not the waits.
                "--gil",
                "--format",
                "raw",
                "--rate",
                str(rate),
                "--output",
                str(self.raw),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.0)  # py-spy attaches to every worker
        if self.proc.poll() is not None:
            sys.exit(f"py-spy failed: {self.proc.stderr.read().decode()[-500:]}")

    def stop(self) -> dict[str, int]:
        """Stop sampling, write the flame graph; the collapsed stacks by count."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        stacks = read_collapsed(self.raw)
        self.svg.write_text(flame_graph(stacks, title=self.svg.stem))
        return stacks


def read_collapsed(path: Path) -> dict[str, int]:
    stacks: dict[str, int] = Counter()
    if not path.exists():
        return stacks
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    return stacks


def _frames(stack: str) -> list[str]:
    # py-spy's raw lines start with «process <pid>:"command"» frames with
    # --subprocesses; a frame is «function (file:line)».
    return [f for f in stack.split(";") if not f.startswith("process ")]


def _function(frame: str) -> str:
    """«function (file:line)» without the line, so one function is one entry."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


def top_functions(
    stacks: dict[str, int], count: int = 15
) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """(samples, top by self samples, top by inclusive samples)."""
    total = sum(stacks.values())
    own: Counter = Counter()
    inclusive: Counter = Counter()
    for stack, n in stacks.items():
        frames = [_function(f) for f in _frames(stack)]
        if not frames:
            continue
        own[frames[-1]] += n
        for name in set(frames):
            inclusive[name] += n
    return total, own.most_common(count), inclusive.most_common(count)


def summary(stacks: dict[str, int], count: int = 15, indent: str = "  ") -> str:
    """The top functions by self time, then by inclusive time below the trunk
    (the server loop and the middleware every request goes through, on more than
    60 % of the samples, are left out of the second list)."""
    total, own, inclusive = top_functions(stacks, 200)
    if not total:
        return f"{indent}(no samples)"
    below = [(name, n) for name, n in inclusive if n < 0.6 * total][:count]
    lines = [f"{indent}{total} samples; top functions by self time:"]
    lines += [f"{indent}  {100 * n / total:5.1f} %  {name}" for name, n in own[:count]]
    lines.append(f"{indent}top functions by inclusive time, below the trunk:")
    lines += [f"{indent}  {100 * n / total:5.1f} %  {name}" for name, n in below]
    return "\n".join(lines)


# --- The flame graph ---------------------------------------------------------------


def _tree(stacks: dict[str, int]) -> dict:
    root: dict = {"n": 0, "kids": {}}
    for stack, n in stacks.items():
        root["n"] += n
        node = root
        for frame in _frames(stack):
            node = node["kids"].setdefault(frame, {"n": 0, "kids": {}})
            node["n"] += n
    return root


def _colour(name: str) -> str:
    h = sum(map(ord, name)) % 60
    return f"rgb({205 + h // 3},{80 + h * 2},{40 + h // 2})"


def flame_graph(stacks: dict[str, int], title: str = "") -> str:
    """An SVG flame graph of collapsed stacks (the root at the bottom)."""
    root = _tree(stacks)
    total = max(root["n"], 1)
    boxes: list[str] = []
    depth_max = 0

    def draw(node: dict, x: float, depth: int) -> None:
        nonlocal depth_max
        depth_max = max(depth_max, depth)
        for name, kid in sorted(node["kids"].items()):
            width = kid["n"] / total * _WIDTH
            if width >= 0.3:
                boxes.append((name, kid["n"], x, depth, width))
                draw(kid, x, depth + 1)
            x += width

    draw(root, 0.0, 0)
    height = (depth_max + 3) * _ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" '
        f'height="{height}" font-family="monospace" font-size="11">',
        f'<text x="4" y="14">{html.escape(title)}: {total} samples '
        f"(py-spy, {os.cpu_count()} CPUs)</text>",
    ]
    for name, n, x, depth, width in boxes:
        y = height - (depth + 1) * _ROW
        label = html.escape(name)
        share = f"{n} samples, {100 * n / total:.1f} %"
        text = ""
        if width > 40:
            chars = int(width / 6.6)
            text = (
                f'<text x="{x + 2:.1f}" y="{y + 11}">{html.escape(name[:chars])}</text>'
            )
        out.append(
            f"<g><title>{label} ({share})</title>"
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_ROW - 1}" '
            f'fill="{_colour(name)}"/>{text}</g>'
        )
    out.append("</svg>")
    return "\n".join(out)
