"""The first look: how many names a user can read when a real project opens.

Opens real Hamilton examples in the app, as a new user would: a real X
server (Xvfb), the window at its default size, fresh settings. Once the
graph is shown it screenshots the window (ImageMagick `import`), upscales
it 2x and reads it with `tesseract`, then counts how many of the graph's
names the OCR found: the function names in the function view (the
default: one card per function), and the node names in Hamilton's node
view (Shift+F, chosen in the settings before the window opens). A name
counts as read when its letters and digits appear in the OCR text in
order (names of three characters or fewer must stand alone).

    .venv/bin/python bench/bench_first_look.py --examples PATH/TO/hamilton/examples \\
        [--interpreter PYTHON] [--write] [--keep DIR]

It needs Xvfb, ImageMagick and tesseract (Debian: `apt-get install xvfb
imagemagick tesseract-ocr xdotool`). `--interpreter` runs the projects in
another Python (the compatibility bench's venv has every example's
packages); `--write` records the table in docs/PERFORMANCE.md; `--keep`
keeps the screenshots.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import generate

ROOT = Path(__file__).resolve().parents[1]
STUDIO = ROOT / ".venv" / "bin" / "studio"
PERFORMANCE_PAGE = ROOT / "docs" / "PERFORMANCE.md"
START_MARK = "<!-- first-look:start -->"
END_MARK = "<!-- first-look:end -->"
SCREEN = "1920x1200x24"
SETTLE_SECONDS = 2.5
_WRAP_REACH = 80
"""OCR characters allowed between the two lines of a wrapped name."""
_PACKAGES = ("xvfb", "imagemagick", "tesseract-ocr", "xdotool")
EXAMPLES = (
    ("hello_world", None),
    ("caching_nodes/caching_graph_adapter", None),
    ("model_examples/modular_example", None),
    ("parallelism/file_processing", None),
    ("reusing_functions", None),
    ("styling_visualization", None),
    ("feature_engineering/feature_engineering_multiple_contexts/scenario_1", "etl"),
    ("data_quality/simple", "run"),
    ("decoupling_io", None),
)
"""Examples (8 to 110 nodes), with the dataflow the window opens first when there are several."""
LEVELS = ("functions", "nodes")


@dataclass
class Look:
    example: str
    level: str = "nodes"
    """What is counted: "functions" (function view) or "nodes" (node view)."""
    nodes: int = 0
    """How many names there are to read (functions or nodes)."""
    read: int = 0
    missed: tuple[str, ...] = ()
    error: str = ""
    sinks: int = 0
    sinks_read: int = 0
    """The graph's outputs: above 40 nodes, the names that must stay readable."""

    @property
    def share(self) -> float:
        return self.read / self.nodes if self.nodes else 0.0


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def names_read(names: list[str], ocr: str) -> set[str]:
    flat = _normalise(ocr)
    tokens = {_normalise(t) for t in re.split(r"\s+", ocr)}
    found = set()
    for name in names:
        key = _normalise(name)
        if not key:
            continue
        read = (len(key) > 3 and key in flat) or key in tokens
        if read or _read_wrapped(name, flat) or _read_namespaced(name, flat, tokens):
            found.add(name)
    return found


def _read_namespaced(name: str, flat: str, tokens: set[str]) -> bool:
    """A namespaced node (`space.local`) shows its namespace once, on its region, and
    its local name on the card: both must be read."""
    space, _, local = name.rpartition(".")
    if not space:
        return False
    local_key = _normalise(local)
    local_read = (len(local_key) > 3 and local_key in flat) or local_key in tokens
    return local_read and _normalise(space) in flat


def _read_wrapped(name: str, flat: str) -> bool:
    """A card wraps a long name at an underscore or dot onto two lines; OCR may read
    other text between them. Both halves must be there, the second soon after the first."""
    for cut in (i + 1 for i, char in enumerate(name) if char in "_."):
        first, second = _normalise(name[:cut]), _normalise(name[cut:])
        if len(first) < 4 or len(second) < 4:
            continue
        at = flat.find(first)
        while at >= 0:
            if second in flat[at + len(first) : at + len(first) + _WRAP_REACH]:
                return True
            at = flat.find(first, at + 1)
    return False


def graph_nodes(
    folder: Path, dataflow: str | None, python: Path | None, level: str = "nodes"
) -> tuple[list[str], set[str]]:
    """The graph's node names (or function names), and its sinks (computed nodes, or
    their functions, nothing depends on)."""
    command = [str(STUDIO), "graph", str(folder), "--format", "json"]
    if dataflow:
        command += ["--dataflow", dataflow]
    if python:
        command += ["--interpreter", str(python)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    data = json.loads(done.stdout)
    if data.get("errors"):
        raise RuntimeError(data["errors"][0]["message"])
    nodes = data["nodes"]
    used = {dep for n in nodes for dep in (*n["dependencies"], *n["optional_dependencies"])}
    sinks = {n["name"] for n in nodes if n["name"] not in used and not n["is_external_input"]}
    if level == "nodes":
        return [n["name"] for n in nodes], sinks
    return function_names(data, sinks)


def function_names(data: dict, sinks: set[str]) -> tuple[list[str], set[str]]:
    """The names the function view draws for the functions (card titles and the nodes
    of functions that make one), and those of functions with a sink among their nodes."""
    from studio.core.graph.function_cards import function_cards
    from studio.core.graph.snapshot import GraphSnapshot

    snapshot = GraphSnapshot.from_dict(data)
    cards = function_cards(snapshot).values()
    folded = {m: c.title for c in cards for m in c.members}
    names = {folded.get(n.name, n.name) for n in snapshot.nodes if not n.is_external_input}
    return sorted(names), {folded.get(n, n) for n in sinks}


def start_display() -> tuple[subprocess.Popen[bytes], str]:
    number = next(n for n in range(60, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", SCREEN, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, f":{number}"


def window_id(display: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "Dataflow Studio"],
            capture_output=True,
            text=True,
            env={**os.environ, "DISPLAY": display},
            check=False,
        )
        ids = done.stdout.split()
        if ids:
            return ids[0]
        time.sleep(0.2)
    raise TimeoutError("the window did not show")


def wait_for_graph(display: str, wid: str, timeout: float = 120) -> None:
    """The title names the dataflow once it loaded; the drawing follows it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        title = subprocess.run(
            ["xdotool", "getwindowname", wid],
            capture_output=True,
            text=True,
            env={**os.environ, "DISPLAY": display},
            check=False,
        ).stdout
        if " · " in title:
            time.sleep(SETTLE_SECONDS)
            return
        time.sleep(0.2)
    raise TimeoutError("no graph within the time limit")


def look(
    folder: Path, dataflow: str | None, python: Path | None, shots: Path, level: str = "nodes"
) -> Look:
    name = folder.name if dataflow is None else f"{folder.name} ({dataflow})"
    result = Look(name, level)
    try:
        names, sinks = graph_nodes(folder, dataflow, python, level)
    except RuntimeError as error:
        result.error = f"does not load here: {error}"
        return result
    result.nodes = len(names)
    result.sinks = len(sinks)
    server, display = start_display()
    config = tempfile.mkdtemp(prefix="studio-first-look-")
    env = {**os.environ, "DISPLAY": display, "STUDIO_CONFIG_DIR": config}
    env.pop("QT_QPA_PLATFORM", None)
    trust = "from pathlib import Path; from studio.ui.app_settings import AppSettings; "
    trust += f"AppSettings().trust(Path({str(folder.resolve())!r})); "
    trust += f"AppSettings().set('function-view', {'1' if level == 'functions' else '0'!r})"
    subprocess.run([sys.executable, "-c", trust], env=env, check=True)  # as the user would
    command = [str(STUDIO), str(folder)]
    if python:
        command += ["--interpreter", str(python)]
    app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wid = window_id(display)
        wait_for_graph(display, wid)
        if dataflow:
            _check_dataflow(display, wid, dataflow)
        shot = shots / f"{_normalise(result.example)}-{level}.png"
        big = shots / f"{_normalise(result.example)}-{level}-2x.png"
        subprocess.run(
            ["import", "-window", wid, str(shot)], env=env, check=True, capture_output=True
        )
        subprocess.run(["convert", str(shot), "-resize", "200%", str(big)], check=True)
        ocr = subprocess.run(
            ["tesseract", str(big), "-", "--psm", "11"], capture_output=True, text=True, check=True
        ).stdout
        found = names_read(names, ocr)
        result.read = len(found)
        result.sinks_read = len(found & sinks)
        result.missed = tuple(sorted(set(names) - found))
    except (TimeoutError, subprocess.CalledProcessError, RuntimeError) as error:
        result.error = str(error)
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(config, ignore_errors=True)
    return result


def _check_dataflow(display: str, wid: str, dataflow: str) -> None:
    """The window opens a folder's first dataflow: it must be the one measured."""
    env = {**os.environ, "DISPLAY": display}
    title = subprocess.run(
        ["xdotool", "getwindowname", wid], capture_output=True, text=True, env=env, check=False
    ).stdout
    if f"· {dataflow} " in title:
        return
    raise RuntimeError(f"the window opened another dataflow than {dataflow!r}: {title.strip()}")


def table(looks: list[Look]) -> list[str]:
    lines: list[str] = []
    for level, heading in (
        ("functions", "Function view (the default): function names read"),
        ("nodes", "Node view (Shift+F): node names read"),
    ):
        shown = [item for item in looks if item.level == level]
        if shown:
            lines += ["", f"**{heading}**", "", *_level_table(shown, level)]
    return lines[1:]


def _level_table(looks: list[Look], level: str) -> list[str]:
    lines = [
        f"| example | {level} | names read | share | outputs read | not read |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for item in looks:
        if item.error:
            lines.append(f"| {item.example} | {item.nodes} | — | — | — | {item.error} |")
            continue
        missed = ", ".join(f"`{n}`" for n in item.missed[:6])
        more = f" +{len(item.missed) - 6}" if len(item.missed) > 6 else ""
        lines.append(
            f"| {item.example} | {item.nodes} | {item.read} | {item.share:.0%} "
            f"| {item.sinks_read} of {item.sinks} | {missed}{more} |"
        )
    reach = 150 if level == "functions" else 40
    small = [i for i in looks if not i.error and i.nodes <= reach]
    if small:
        read, total = sum(i.read for i in small), sum(i.nodes for i in small)
        least = min(small, key=lambda i: i.share)
        lines.append(
            f"\nUp to {reach} {level}: {read} of {total} names read ({read / total:.0%}); "
            f"the least, {least.share:.0%} ({least.example})."
        )
    return lines


def write(looks: list[Look]) -> None:
    page = PERFORMANCE_PAGE.read_text()
    block = "\n".join([START_MARK, *table(looks), END_MARK])
    if START_MARK in page:
        before, rest = page.split(START_MARK, 1)
        _, after = rest.split(END_MARK, 1)
        page = before + block + after
    else:
        page = page.rstrip() + "\n\n## The first look\n\n" + block + "\n"
    PERFORMANCE_PAGE.write_text(page)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, required=True, help="Hamilton's examples/")
    parser.add_argument("--interpreter", type=Path, help="the Python that runs the projects")
    parser.add_argument("--write", action="store_true", help="record in docs/PERFORMANCE.md")
    parser.add_argument("--keep", type=Path, help="keep the screenshots here")
    parser.add_argument("--only", nargs="+", help="examples to look at")
    parser.add_argument("--level", choices=(*LEVELS, "both"), default="both")
    parser.add_argument(
        "--synthetic",
        nargs="*",
        type=int,
        default=[],
        metavar="FUNCTIONS",
        help="also synthetic feature-engineering projects of these many functions",
    )
    options = parser.parse_args(argv)
    for tool in ("Xvfb", "import", "convert", "tesseract", "xdotool"):
        if shutil.which(tool) is None:
            parser.error(
                f"{tool} is missing (apt-get install xvfb imagemagick tesseract-ocr xdotool)"
            )
    shots = options.keep or Path(tempfile.mkdtemp(prefix="first-look-"))
    shots.mkdir(parents=True, exist_ok=True)
    looks = []
    levels = LEVELS if options.level == "both" else (options.level,)
    cases = [
        (options.examples / example, dataflow)
        for example, dataflow in EXAMPLES
        if not options.only or example in options.only
    ]
    made = Path(tempfile.mkdtemp(prefix="first-look-synthetic-"))
    for count in options.synthetic:
        folder = made / f"synthetic_{count}"
        generate(folder, count)
        cases.append((folder, None))
    for level in levels:
        for folder, dataflow in cases:
            item = look(folder, dataflow, options.interpreter, shots, level)
            looks.append(item)
            print(
                f"{item.example} [{level}]: {item.read} of {item.nodes} names read "
                f"({item.share:.0%})" + (f" — {item.error}" if item.error else ""),
                flush=True,
            )
    print("\n".join(table(looks)))
    print(f"screenshots in {shots}")
    if options.write:
        write(looks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
