"""A project file's compiled module, kept across sessions by the bytes it came from.

One place makes and reads these entries, for the two that write them: the
kernel's loader (`studio.kernel.loading.fresh_import`), compiling a module
it imports, and the window's prefetch (`studio.core.cache.prefetch`),
compiling the folder's modules while the kernel starts. An entry is found
only under the very path string the loader compiles the file under (its
code's `co_filename`), for the bytecode of this Python.
"""

from __future__ import annotations

import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType

from studio.core.cache.file_cache import FileCache
from studio.core.cache.parsed_files import tree_for

CODE_VERSION = importlib.util.MAGIC_NUMBER + f" -O{sys.flags.optimize} dont_inherit".encode()
"""Compiled modules are kept across sessions for the bytecode of this Python only."""


def code_cache(root: Path) -> FileCache:
    """The compiled modules kept for the project at `root` (resolved)."""
    return FileCache(root, "code", CODE_VERSION)


def kept_code(kept: FileCache, path: str, digest: bytes) -> CodeType | None:
    """The code compiled from these very bytes of the file at `path`, in this session's
    prefetch or an earlier session."""
    payload = kept.get(path, digest)
    try:
        code = marshal.loads(payload) if payload is not None else None
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def compile_and_keep(kept: FileCache, path: str, source: bytes, digest: bytes) -> CodeType:
    """Compile the file at `path` holding `source` (of `digest`) as its module, from the
    tree discovery parsed when there is one, and keep the code for the next load.
    Raises `SyntaxError` (and `ValueError` for null bytes) as `compile` does."""
    tree = tree_for(path, digest)  # parsed by discovery already, most often
    code = compile(source if tree is None else tree, path, "exec", dont_inherit=True)
    kept.put(path, digest, marshal.dumps(code))
    return code
