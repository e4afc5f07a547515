"""Code versions of node functions, fast enough to recompute on every save.

The version is Hamilton's (`hash_source_code` of the function's source,
docstring and comments left out), so it matches `HamiltonNode.version`.
Two things make it cheap: the source of a function is cut from its file
by the line span Python's parser gives (files are parsed once per change,
not once per function), and a version is computed once per distinct
source text, so after a save only the edited functions are hashed again.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import FunctionType
from typing import Any


class CodeVersions:
    def __init__(self) -> None:
        self._files: dict[str, tuple[tuple[int, int], dict[int, int], list[str]]] = {}
        self._versions: dict[str, str | None] = {}
        self._relative: dict[tuple[Path, str], str] = {}

    def version(self, function: Any) -> str | None:
        source = self.source(function)
        if source is None:
            return None
        if source not in self._versions:
            from hamilton.graph_types import hash_source_code

            self._versions[source] = hash_source_code(source, strip=True)
        return self._versions[source]

    def source(self, function: Any) -> str | None:
        """The function's source text, decorators included (as `inspect.getsource` gives it)."""
        code = getattr(function, "__code__", None)
        if not isinstance(function, FunctionType) or code is None:
            return None
        spans, lines = self._file(code.co_filename)
        end = spans.get(code.co_firstlineno)
        if end is not None:
            return "".join(lines[code.co_firstlineno - 1 : end])
        try:
            return inspect.getsource(function)
        except (OSError, TypeError):
            return None

    def relative_file(self, root: Path, filename: str) -> str:
        """`filename` relative to the project root when inside it (cached: resolving is slow)."""
        key = (root, filename)
        found = self._relative.get(key)
        if found is None:
            try:
                found = Path(filename).resolve().relative_to(root).as_posix()
            except (ValueError, OSError):
                found = filename
            self._relative[key] = found
        return found

    def _file(self, filename: str) -> tuple[dict[int, int], list[str]]:
        try:
            stat = Path(filename).stat()
        except OSError:
            return {}, []
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._files.get(filename)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        try:
            text = Path(filename).read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            return {}, []
        lines = text.splitlines(keepends=True)
        spans = _function_spans(tree)
        self._files[filename] = (stamp, spans, lines)
        return spans, lines


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _function_spans(tree: ast.Module) -> dict[int, int]:
    """First line (decorators included) -> last line of each function defined at module
    level, also under `if`, `try` and the like. Function and class bodies are not
    entered: that is most of a file, and their functions are never nodes (one made by a
    factory falls back to `inspect.getsource`)."""
    spans: dict[int, int] = {}
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.end_lineno:
                first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                spans[first] = node.end_lineno
            continue
        if isinstance(node, ast.ClassDef):
            continue
        for name in _BLOCK_FIELDS:
            stack.extend(getattr(node, name, ()))
    return spans
