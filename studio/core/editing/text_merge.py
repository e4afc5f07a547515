"""Merging the user's edit of a function with a version saved elsewhere meanwhile.

A three-way merge of the text as opened (the base), the user's version and
the one now on disk, done by `git merge-file` (the merge git itself uses).
Where both changed the same lines, the result keeps both between conflict
markers for the user to settle before saving.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.core.platform.console import no_console_window
from studio.core.platform.git_tool import git_problem


@dataclass(frozen=True, slots=True)
class Merged:
    text: str
    conflicts: int


def merge_available() -> bool:
    return merge_problem() is None


def merge_problem() -> str | None:
    """Why merging cannot be done here (git missing, or macOS' stub without the command
    line tools), or None."""
    return git_problem()


def merge_texts(base: str, mine: str, theirs: str) -> Merged | None:
    """The merged text and how many conflicts it holds; None when git cannot merge here."""
    if not merge_available():
        return None
    with tempfile.TemporaryDirectory(prefix="studio-merge-") as folder:
        paths = []
        for name, text in (("mine", mine), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            paths.append(str(path))
        done = subprocess.run(
            ["git", "merge-file", "-p", "-L", "yours", "-L", "opened", "-L", "on disk", *paths],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            **no_console_window(),
        )
    if done.returncode < 0 or done.returncode > 127:
        return None
    return Merged(done.stdout, done.returncode)
