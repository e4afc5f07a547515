"""The command that opens a file at a line in the user's own editor.

`$VISUAL`, then `$EDITOR`, then VS Code's `code` when it is installed;
each editor family takes the line its own way.

On Windows an editor variable is split the way Windows splits command
lines (backslashes are path separators, not escapes, and a program path
with spaces is quoted), and editors are often batch wrappers (`code.cmd`):
the family is told by the program's name without its extension, and the
program is named by its full path, which `which` finds through `PATHEXT`.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path, PureWindowsPath

from studio.core.platform import is_windows

_COLON_LINE = {"code", "codium", "cursor", "code-insiders"}
"""Take `-g path:line`."""
_PATH_COLON = {"subl", "sublime_text", "zed"}
"""Take `path:line`."""
_WINDOWS_PROGRAMS = (".exe", ".cmd", ".bat", ".com")


def editor_command(
    path: Path,
    line: int,
    environment: Mapping[str, str],
    which: Callable[[str], str | None] = shutil.which,
) -> list[str] | None:
    """The argument list to run, or None when no editor is known (use the desktop's)."""
    for variable in ("VISUAL", "EDITOR"):
        words = split_command(environment.get(variable, ""))
        if words:
            return _with_line(words, path, line)
    found = which("code")
    if found:
        return _with_line([found if is_windows() else "code"], path, line)
    return None


def split_command(text: str) -> list[str]:
    """An editor variable as words: POSIX shell rules, or Windows' on Windows."""
    if not is_windows():
        return shlex.split(text)
    words = shlex.split(text, posix=False)
    return [w[1:-1] if len(w) > 1 and w[0] == w[-1] == '"' else w for w in words]


def _program_name(program: str) -> str:
    """`code` for `code`, `/usr/bin/code`, `C:\\...\\bin\\code.cmd` or `Code.exe`."""
    if not is_windows():
        return Path(program).name
    name = PureWindowsPath(program).name.lower()
    for suffix in _WINDOWS_PROGRAMS:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def _with_line(words: list[str], path: Path, line: int) -> list[str]:
    program = _program_name(words[0])
    if program in _COLON_LINE:
        return [*words, "-g", f"{path}:{line}"]
    if program in _PATH_COLON:
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]
