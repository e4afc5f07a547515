"""The command that opens a file at a line in the user's own editor.

`$VISUAL`, then `$EDITOR`, then VS Code's `code` when it is installed;
each editor family takes the line its own way.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

_COLON_LINE = {"code", "codium", "cursor", "code-insiders"}
"""Take `-g path:line`."""
_PATH_COLON = {"subl", "sublime_text", "zed"}
"""Take `path:line`."""


def editor_command(
    path: Path,
    line: int,
    environment: Mapping[str, str],
    which: Callable[[str], str | None] = shutil.which,
) -> list[str] | None:
    """The argument list to run, or None when no editor is known (use the desktop's)."""
    for variable in ("VISUAL", "EDITOR"):
        words = shlex.split(environment.get(variable, ""))
        if words:
            return _with_line(words, path, line)
    if which("code"):
        return _with_line(["code"], path, line)
    return None


def _with_line(words: list[str], path: Path, line: int) -> list[str]:
    program = Path(words[0]).name
    if program in _COLON_LINE:
        return [*words, "-g", f"{path}:{line}"]
    if program in _PATH_COLON:
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]
