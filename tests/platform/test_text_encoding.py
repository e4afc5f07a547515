"""Text the studio reads and writes is UTF-8 on every system.

Without `encoding=`, Python uses the locale's encoding: cp1252 on most
Windows machines, where a project file with `→` or `é` in it would be
read wrongly or fail to be written. This reads the studio's own source
and names each call that leaves the encoding to the locale.
"""

import ast
from pathlib import Path

STUDIO = Path(__file__).resolve().parents[2] / "studio"
_TEXT_METHODS = {"read_text", "write_text"}


def _binary_mode(call: ast.Call) -> bool:
    modes = [k.value for k in call.keywords if k.arg == "mode"]
    modes += call.args[1:2] if isinstance(call.func, ast.Name) else call.args[0:1]
    return any(isinstance(m, ast.Constant) and "b" in str(m.value) for m in modes)


def _locale_dependent(call: ast.Call) -> bool:
    if any(k.arg == "encoding" for k in call.keywords):
        return False
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _TEXT_METHODS:
        return True
    if isinstance(func, ast.Name) and func.id == "open":  # the builtin
        return not _binary_mode(call)
    if isinstance(func, ast.Attribute) and func.attr == "open":  # Path.open("w"), not os.open
        modes = [k.value for k in call.keywords if k.arg == "mode"] + call.args[0:1]
        textual = [m for m in modes if isinstance(m, ast.Constant) and isinstance(m.value, str)]
        from_os = isinstance(func.value, ast.Name) and func.value.id == "os"
        return bool(textual) and not from_os and not _binary_mode(call)
    return False


def test_every_text_read_and_write_in_the_studio_names_utf8():
    found = []
    for path in sorted(STUDIO.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _locale_dependent(node):
                found.append(f"{path.relative_to(STUDIO.parent)}:{node.lineno}")
    assert found == []


def test_the_check_finds_a_read_without_an_encoding():
    calls = [
        "Path('x').read_text()",
        "open('x')",
        "Path('x').open('w')",
        "Path('x').read_text(encoding='utf-8')",
        "open('x', 'rb')",
        "os.open('x', 0)",
    ]
    flagged = [_locale_dependent(ast.parse(c).body[0].value) for c in calls]  # type: ignore[attr-defined]
    assert flagged == [True, True, True, False, False, False]
