"""Copied as `sitecustomize.py` into a temp folder on PYTHONPATH by `bench_as_opened.py`.

It records what a Hamilton driver script computes without editing the
script: when `hamilton.driver` (or `hamilton.async_driver`) is imported,
`Driver.execute`, `raw_execute` and `materialize` (and the async driver's
`execute`) are wrapped. Each call appends one record to the pickle file
named by `AS_OPENED_CAPTURE`, rewritten after every call so a script that
fails later keeps what it computed before:

    {"method": str, "final_vars": [str], "outputs": {name: value}, "returned": Any}

`outputs` are the node values Hamilton computed (before a result builder
turns them into, e.g., a data frame); `returned` is what the call gave the
script. A value pickle cannot write is kept as `{"__unpicklable__": repr}`.
Nothing happens when the variable is unset. With `AS_OPENED_OFFLINE=1`, a
socket connecting anywhere but this machine fails at once, so an example
that needs the network says so instead of waiting or fetching.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import os
import pickle
import socket
import sys
from pathlib import Path
from typing import Any

PATH = os.environ.get("AS_OPENED_CAPTURE", "")
WRAPPED = {"hamilton.driver", "hamilton.async_driver"}
_records: list[dict[str, Any]] = []
_raw: list[dict[str, Any]] = []  # the last private raw result, for the public call around it


def _picklable(value: Any) -> Any:
    try:
        pickle.dumps(value)
        return value
    except Exception:
        if isinstance(value, dict):
            return {key: _picklable(item) for key, item in value.items()}
        return {"__unpicklable__": repr(value)[:500]}


def _record(method: str, final_vars: Any, returned: Any) -> None:
    outputs = _raw.pop() if _raw else {}
    if method == "materialize" and isinstance(returned, tuple) and len(returned) == 2:
        outputs = dict(returned[1])
    if method == "raw_execute" and isinstance(returned, dict):
        outputs = dict(returned)
    names = [getattr(v, "__name__", getattr(v, "name", v)) for v in final_vars or []]
    record = {"method": method, "final_vars": [str(n) for n in names]}
    record |= {"outputs": _picklable(outputs), "returned": _picklable(returned)}
    _records.append(record)
    part = Path(PATH + ".part")
    part.write_bytes(pickle.dumps(_records))
    part.replace(PATH)


def _wrap_sync(cls: type, name: str) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        _raw.clear()
        returned = original(self, *args, **kwargs)
        final_vars = kwargs.get("final_vars", args[0] if args else None)
        if name == "materialize":
            final_vars = kwargs.get("additional_vars") or []
        _record(name, final_vars, returned)
        return returned

    setattr(cls, name, wrapper)


def _wrap_private_raw(cls: type) -> None:
    attribute = f"_{cls.__name__}__raw_execute"
    original = getattr(cls, attribute, None)
    if original is None:
        return

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        _raw[:] = [dict(result)] if isinstance(result, dict) else []
        return result

    setattr(cls, attribute, wrapper)


def _wrap_async(cls: type) -> None:
    original = cls.execute
    raw = getattr(cls, "raw_execute", None)

    @functools.wraps(original)
    async def execute(self: Any, final_vars: Any, *args: Any, **kwargs: Any) -> Any:
        _raw.clear()
        returned = await original(self, final_vars, *args, **kwargs)
        _record("execute", final_vars, returned)
        return returned

    cls.execute = execute
    if raw is None:
        return

    @functools.wraps(raw)
    async def raw_execute(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = await raw(self, *args, **kwargs)
        _raw[:] = [dict(result)] if isinstance(result, dict) else []
        return result

    cls.raw_execute = raw_execute


def _patch(module: Any) -> None:
    if module.__name__ == "hamilton.driver":
        _wrap_private_raw(module.Driver)
        for name in ("execute", "raw_execute", "materialize"):
            _wrap_sync(module.Driver, name)
    else:
        _wrap_async(module.AsyncDriver)


class _Finder(importlib.abc.MetaPathFinder):
    """Lets the real finders find the module, then patches it right after it runs."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname not in WRAPPED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        exec_module = spec.loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            _patch(module)

        spec.loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


def _offline() -> None:
    connect = socket.socket.connect
    local = ("127.", "::1", "localhost", "0.0.0.0")

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else ""
        if self.family != socket.AF_UNIX and not str(host).startswith(local):
            raise OSError(f"as-opened bench: no network ({host})")
        return connect(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]


if PATH:
    sys.meta_path.insert(0, _Finder())
if os.environ.get("AS_OPENED_OFFLINE") == "1":
    _offline()
