"""Reading a big trusted folder in a helper process while its kernel starts.

A first open of a big project spends a third of its load parsing every file
for discovery and compiling the modules it imports (about 0.3 s at 5,000
nodes); a reopen takes both from the project's private cache. The kernel
needs a second to start, while the machine's second core is idle: so when
the window opens a big trusted folder whose kernel runs in the studio's own
Python, it starts `studio --prefetch FOLDER` (see
`studio.ui.project.prefetch_launch`), which does what the kernel's first
load would do to those files and keeps the same entries (discovery's
readings, `studio.core.cache.compiled_code`'s modules): the kernel's load
then finds them as a reopen does, and parses only what the helper had not
done yet. Nothing of the folder is imported or run. Any failure is quiet:
a missing entry is only a cache miss.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from studio.core.cache.compiled_code import code_cache, compile_and_keep, kept_code
from studio.core.cache.parsed_files import digest_of
from studio.core.discovery.discover import discover
from studio.core.discovery.project import FileKind, Project
from studio.core.platform.liveness import process_alive

PREFETCH_ARGUMENT = "--prefetch"
"""The hidden `studio` subcommand that runs `main` (`studio --prefetch FOLDER`)."""
GIVE_UP_AFTER = 120.0
"""Seconds after which the helper ends whatever it is doing (a folder on a stalled disk)."""
_COMPILED_KINDS = (FileKind.DATAFLOW, FileKind.OTHER)
"""Files a kernel imports: dataflow modules and the helpers they import (not drivers or
scripts, which it reads but does not import)."""


def prefetch(root: Path) -> int:
    """Keep the readings and compiled modules a first load of `root` looks for; how many
    modules were compiled."""
    root = root.resolve()
    project = discover(root)  # keeps each file's reading, as the kernel's discovery does
    kept = code_cache(root)
    compiled = 0
    for path in _module_paths(project):
        try:
            source = path.read_bytes()
        except OSError:
            continue
        digest = digest_of(source)
        if kept_code(kept, str(path), digest) is not None:
            continue
        # Under the path string the kernel's finder gives the module: the folder joined
        # with the file's place in it, as `sys.path`'s entry for the folder makes it.
        with contextlib.suppress(SyntaxError, ValueError):
            compile_and_keep(kept, str(path), source, digest)
            compiled += 1
    return compiled


def _module_paths(project: Project) -> list[Path]:
    """The files the kernel will import, the dataflows' own modules first."""
    named = {module for flow in project.dataflows for module in flow.modules}
    files = [f for f in project.files if f.kind in _COMPILED_KINDS]
    files.sort(key=lambda f: f.module not in named)
    return [project.root / f.path for f in files]


def main(args: Sequence[str]) -> int:
    """`studio --prefetch FOLDER`: started by the window, ended by it (or by its own end,
    see `_end_with_parent`); silent, and 0 whatever happens."""
    if len(args) != 1:
        return 0
    gc.disable()  # a short-lived process: its syntax trees are garbage only at the end
    _end_with_parent()
    with contextlib.suppress(Exception):
        prefetch(Path(args[0]))
    return 0


def _end_with_parent() -> None:
    """Never outlive the window that started this process, nor `GIVE_UP_AFTER`."""
    parent = os.getppid()
    started = time.monotonic()

    def watch() -> None:
        while time.monotonic() - started < GIVE_UP_AFTER:
            if os.getppid() != parent or not process_alive(parent):
                break
            time.sleep(0.25)
        os._exit(0)

    threading.Thread(target=watch, name="studio-prefetch-guard", daemon=True).start()
