"""The source text behind a node, read from the project's files (never imported)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from studio.core.editing.notebook_sources import read_module_text


@dataclass(frozen=True, slots=True)
class SourceExcerpt:
    path: Path
    first_line: int
    text: str
    focus_line: int


def function_source(path: Path, line: int) -> SourceExcerpt:
    """The function (with its decorators) that starts at `line`, or the lines around it.

    `line` is where Python says the function starts: its first decorator,
    or its `def` when it has none.
    """
    text = read_module_text(path)  # a notebook module's text is its cells'
    lines = text.splitlines()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        tree = None
    if tree is not None:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                if line in (start, node.lineno):
                    end = node.end_lineno or node.lineno
                    return SourceExcerpt(path, start, "\n".join(lines[start - 1 : end]), line)
    start = max(1, line - 5)
    return SourceExcerpt(path, start, "\n".join(lines[start - 1 : line + 15]), line)
