"""Code versions of node functions, fast enough to recompute on every save.

The version is Hamilton's (`hash_source_code` of the function's source,
docstring and comments left out), so it matches `HamiltonNode.version`.
Three things make it cheap: a file is parsed once per change, not once
per function (the function's source is cut by the line span the parser
gives, and its version unparsed from the file's own tree); a version is
computed once per distinct source text, so after a save only the edited
functions are hashed again; and a file's state is checked once per load.
Versions are also kept across sessions (`keep_in`), by the digest of the
file's bytes and the function's first line: a project opened before (the
window, `studio graph`) hashes nothing again (about a second at 20,000
nodes).
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType
from typing import Any

from studio.core.cache.file_cache import FileCache
from studio.core.cache.parsed_files import digest_of, tree_for
from studio.core.discovery.module_reader import statements

_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True)
class _File:
    stamp: tuple[int, int]
    functions: dict[int, tuple[int, _Function]]
    """First line (decorators included) -> last line and tree of each module-level function."""
    lines: list[str]
    digest: bytes = b""
    kept: dict[int, str | None] = field(default_factory=dict)
    """Versions by first line, kept from an earlier session for these very bytes."""
    made: dict[int, str | None] = field(default_factory=dict)
    """Versions worked out since, for `save_kept` to add to the kept entry."""


_UNREADABLE = _File((0, 0), {}, [])


class CodeVersions:
    def __init__(self) -> None:
        self._files: dict[str, _File] = {}
        self._checked: dict[str, _File] = {}
        self._versions: dict[str, str | None] = {}
        self._relative: dict[tuple[Path, str], str] = {}
        self._kept: FileCache | None = None

    def keep_in(self, root: Path) -> None:
        """Versions of this project's files are kept in its private cache folder."""
        if self._kept is None or self._kept.root != root:
            import hamilton.version

            made_by = f"hamilton {hamilton.version.VERSION} versions 1".encode()
            self._kept = FileCache(root, "versions", made_by)
            self._files.clear()  # read again, with what is kept for them

    def save_kept(self) -> None:
        """Keep the versions this load worked out, with those kept before."""
        if self._kept is None:
            return
        for filename, file in self._checked.items():
            if file.made and file.digest:
                file.kept = {**file.kept, **file.made}
                file.made = {}
                payload = json.dumps({str(line): v for line, v in file.kept.items()})
                self._kept.put(filename, file.digest, payload.encode())

    def new_load(self) -> None:
        """Files may have changed since the last load: check each again (once)."""
        self._checked.clear()

    def version(self, function: Any) -> str | None:
        code = getattr(function, "__code__", None)
        if not isinstance(function, FunctionType) or code is None:
            return None
        file = self._file(code.co_filename)
        found = file.functions.get(code.co_firstlineno)
        if found is None:
            source = _getsource(function)
            if source is None:
                return None
            if source not in self._versions:
                from hamilton.graph_types import hash_source_code

                self._versions[source] = hash_source_code(source, strip=True)
            return self._versions[source]
        first = code.co_firstlineno
        if first in file.kept:
            return file.kept[first]
        end, tree = found
        source = "".join(file.lines[first - 1 : end])
        if source not in self._versions:
            try:
                if tree.col_offset:
                    raise IndentationError  # Hamilton's parse of it fails too
                self._versions[source] = _hamilton_version(tree)
            except Exception:
                from hamilton.graph_types import hash_source_code

                self._versions[source] = hash_source_code(source, strip=True)
        if file.digest:
            file.made[first] = self._versions[source]
        return self._versions[source]

    def source(self, function: Any) -> str | None:
        """The function's source text, decorators included (as `inspect.getsource` gives it)."""
        code = getattr(function, "__code__", None)
        if not isinstance(function, FunctionType) or code is None:
            return None
        file = self._file(code.co_filename)
        found = file.functions.get(code.co_firstlineno)
        if found is not None:
            return "".join(file.lines[code.co_firstlineno - 1 : found[0]])
        return _getsource(function)

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

    def _file(self, filename: str) -> _File:
        checked = self._checked.get(filename)
        if checked is not None:
            return checked
        self._checked[filename] = file = self._read(filename)
        return file

    def _read(self, filename: str) -> _File:
        try:
            stat = Path(filename).stat()
        except OSError:
            return _UNREADABLE
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._files.get(filename)
        if cached is not None and cached.stamp == stamp:
            return cached
        try:
            raw = Path(filename).read_bytes()
            text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
            digest = digest_of(raw)
            tree = tree_for(filename, digest)
            if tree is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SyntaxWarning)
                    tree = ast.parse(text, filename)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            return _UNREADABLE
        file = _File(stamp, _module_functions(tree), text.splitlines(keepends=True))
        if self._kept is not None:
            file.digest, file.kept = digest, _read_kept(self._kept.get(filename, digest))
        self._files[filename] = file
        return file


def _read_kept(payload: bytes | None) -> dict[int, str | None]:
    """Versions by first line from a kept entry; nothing from a damaged one."""
    try:
        data = json.loads(payload) if payload is not None else {}
        return {int(line): v for line, v in data.items() if v is None or isinstance(v, str)}
    except (ValueError, TypeError, AttributeError):
        return {}


def _getsource(function: Any) -> str | None:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return None


def _hamilton_version(function: _Function) -> str:
    """`hash_source_code(source, strip=True)` without parsing the source again: the
    docstrings of the function (and of functions nested in it) are left out for the
    moment of unparsing, comments are not in the tree."""
    stripped: list[tuple[_Function, list[ast.stmt]]] = []
    for node in (function, *statements(function)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _has_docstring(node):
            stripped.append((node, node.body))
            node.body = node.body[1:]
    try:
        text = ast.unparse(ast.Module(body=[function], type_ignores=[]))
    finally:
        for node, body in stripped:
            node.body = body
    return hashlib.sha256(text.encode()).hexdigest()


def _has_docstring(function: _Function) -> bool:
    first = function.body[0] if function.body else None
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _module_functions(tree: ast.Module) -> dict[int, tuple[int, _Function]]:
    """Each function defined at module level, also under `if`, `try` and the like.
    Function and class bodies are not entered: that is most of a file, and their
    functions are never nodes (one made by a factory falls back to `inspect`)."""
    found: dict[int, tuple[int, _Function]] = {}
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.end_lineno:
                first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                found[first] = (node.end_lineno, node)
            continue
        if isinstance(node, ast.ClassDef):
            continue
        for name in _BLOCK_FIELDS:
            stack.extend(getattr(node, name, ()))
    return found
