"""The last parsed tree of each Python file, by the digest of its bytes.

Discovery reads every module's tree, the kernel compiles the modules it
imports and cuts code versions from their functions: one parse of each
file serves all three (parsing is a third of a big project's first load).
"""

from __future__ import annotations

import ast
import hashlib

_TREES: dict[str, tuple[bytes, ast.Module]] = {}


def digest_of(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def remember(path: str, digest: bytes, tree: ast.Module) -> None:
    """`tree` is what the file at `path` (resolved) parses to while it holds `digest`."""
    _TREES[path] = (digest, tree)


def tree_for(path: str, digest: bytes) -> ast.Module | None:
    """The tree of the file at `path` when it holds bytes of this digest, if parsed.
    Users restore any change they make to it before they return."""
    found = _TREES.get(path)
    return found[1] if found is not None and found[0] == digest else None
