"""The inputs and config a driver script computes, evaluated as the script would.

Each value is evaluated with only the part of the script it needs (its
slice, `core/drivers/script_slices.py`), in a fresh namespace, with the
script's folder as the working directory (restored after) and the script
alone on `sys.argv`. The values stay here: runs take the inputs the user
did not type, loads the config values. A value is evaluated again only
when its slice or a project module it imports changed. An argument of the
driver's function that the slice takes from its caller in another file is
evaluated first, with the caller's slice, in the caller's folder.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import os
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.discovery.project import Dataflow, Project, ScriptValueSource, ValueKind
from studio.core.drivers.script_callers import ProjectCallers
from studio.core.drivers.script_slices import ARGUMENTS, ScriptSlice, SliceError, slice_value
from studio.core.protocol.requests import ScriptValueInfo, TracebackFrame
from studio.kernel.loading.fresh_import import after_standard_library
from studio.kernel.results.summaries import summarize
from studio.kernel.running.tracebacks import describe, frames

_REPR_LIMIT = 200
INTERRUPTED = "interrupted (Stop/Esc) while evaluated; a save or reload evaluates it again"


@dataclass(slots=True)
class ScriptValue:
    """One value the script computes: where it comes from, and what it gave."""

    source: ScriptValueSource
    key: str
    origin: str
    """`run.py:21`"""
    token: str = ""
    """Stands for the value in lineage signatures: its slice and what that imports."""
    value: Any = None
    error: str = ""
    frames: list[TracebackFrame] = field(default_factory=list)
    traceback: str = ""
    interrupted: bool = False
    """Stopped (Stop/Esc) while it was evaluated: held as such until evaluated again."""

    @property
    def ok(self) -> bool:
        return not self.error

    def info(self) -> ScriptValueInfo:
        """What the window shows of it (never the value itself)."""
        described: dict[str, Any] = {}
        if self.ok:
            try:
                described = summarize(self.value)
            except Exception:  # a property of the user's object raised: its type will do
                described = {"type": f"{type(self.value).__module__}.{type(self.value).__name__}"}
            described["repr"] = _short_repr(self.value)
        return ScriptValueInfo(
            key=self.key,
            kind=self.source.kind,
            origin=self.origin,
            expression=self.source.text,
            token=self.token,
            type=described.get("type", ""),
            shape=described.get("shape"),
            length=described.get("length"),
            bytes=described.get("bytes"),
            repr=described.get("repr", ""),
            error=self.error,
            frames=self.frames,
            traceback=self.traceback,
            interrupted=self.interrupted,
        )


class ScriptValues:
    """The evaluated values of the dataflows' driver scripts, held between requests."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, ScriptValueSource], list[ScriptValue]] = {}

    def evaluate(
        self,
        project: Project,
        flow: Dataflow,
        kinds: Iterable[ValueKind] = tuple(ValueKind),
        retry_interrupted: bool = True,
    ) -> list[ScriptValue]:
        """Evaluate the flow's values of these kinds (those unchanged are kept); an
        interrupt leaves the rest held as interrupted. Those are evaluated again by the
        next load or `script_values` request, not by a run (`retry_interrupted` False):
        a run must not wait again for what the user stopped."""
        wanted = set(kinds)
        sources = [s for s in flow.script_values if s.kind in wanted]
        if not sources or not flow.driver:
            return []
        script = project.root / flow.driver
        try:
            tree = ast.parse(script.read_bytes(), str(script))
        except (OSError, SyntaxError, ValueError) as error:
            return [self._failed(flow, s, f"cannot read {flow.driver}: {error}") for s in sources]
        modules = {file.path: file.module for file in project.files}
        callers = ProjectCallers(project.root, modules, flow.driver)
        found: list[ScriptValue] = []
        interrupted = False
        for source in sources:
            if interrupted:
                found += self._interrupted(flow, source)
                continue
            try:
                found += self._evaluate(
                    project, flow, tree, script, source, callers, retry_interrupted
                )
            except KeyboardInterrupt:
                interrupted = True
                found += self._interrupted(flow, source)
        return found

    def held(self, flow: Dataflow, kind: ValueKind) -> dict[str, ScriptValue]:
        """The values of this kind last evaluated for the flow, by key (later ones win)."""
        held: dict[str, ScriptValue] = {}
        for source in flow.script_values:
            if source.kind is kind:
                for value in self._held.get((flow.name, source), []):
                    held[value.key] = value
        return held

    def config(self, flow: Dataflow) -> dict[str, Any]:
        """The computed config values that evaluated."""
        return {k: v.value for k, v in self.held(flow, ValueKind.CONFIG).items() if v.ok}

    def _failed(self, flow: Dataflow, source: ScriptValueSource, message: str) -> list[ScriptValue]:
        failed = [ScriptValue(source, source.key or "", _origin(flow, source), error=message)]
        self._held[(flow.name, source)] = failed
        return failed

    def _interrupted(self, flow: Dataflow, source: ScriptValueSource) -> list[ScriptValue]:
        """Held, so the window says so and a run needing it says why it cannot start."""
        stopped = ScriptValue(
            source,
            source.key or "",
            _origin(flow, source),
            error=INTERRUPTED,
            interrupted=True,
        )
        self._held[(flow.name, source)] = [stopped]
        return [stopped]

    def _evaluate(
        self,
        project: Project,
        flow: Dataflow,
        tree: ast.Module,
        script: Path,
        source: ScriptValueSource,
        callers: ProjectCallers,
        retry_interrupted: bool = True,
    ) -> list[ScriptValue]:
        kept = self._held.get((flow.name, source))
        if kept and kept[0].interrupted and not retry_interrupted:
            return kept
        try:
            cut = slice_value(tree, source.span, callers)
        except SliceError as error:
            return self._failed(flow, source, f"cannot evaluate `{source.text}`: {error}")
        token = _token(project, script, cut)
        if kept and kept[0].token == token and not kept[0].interrupted:
            return kept
        origin = ", ".join(cut.origins) or _origin(flow, source)
        try:
            value = run_slice(cut, script)
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            failed = ScriptValue(source, source.key or "", origin, token, error=describe(error))
            failed.frames = [f for f in frames(project.root, error) if f.file != __file__]
            failed.traceback = "".join(traceback.format_exception(error))
            evaluated = [failed]
        else:
            evaluated = _spread(source, origin, token, value)
        self._held[(flow.name, source)] = evaluated
        return evaluated


def script_signatures(values: Mapping[str, ScriptValue]) -> dict[str, str]:
    """What stands for each value in lineage signatures (as an input's expression does)."""
    return {key: f"script:{value.token}" for key, value in values.items()}


def run_slice(cut: ScriptSlice, script: Path) -> Any:
    """The value of the slice, run in a fresh namespace in the script's folder (after
    the arguments its callers give, each in its caller's folder)."""
    given = {argument.name: run_slice(argument.value, argument.script) for argument in cut.given}
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(script), ARGUMENTS: given}
    module = ast.fix_missing_locations(cut.module())
    expression = ast.fix_missing_locations(ast.Expression(body=cut.expression))
    with _as_the_script(script):
        exec(compile(module, str(script), "exec"), namespace)  # the user's trusted script
        return eval(compile(expression, str(script), "eval"), namespace)


@contextlib.contextmanager
def _as_the_script(script: Path) -> Iterator[None]:
    folder = str(script.parent)
    previous, argv = Path.cwd(), sys.argv
    added = folder not in sys.path
    if added:
        sys.path.insert(after_standard_library(), folder)
    sys.argv = [str(script)]
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)
        sys.argv = argv
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)


def _spread(source: ScriptValueSource, origin: str, token: str, value: Any) -> list[ScriptValue]:
    """One value per key: a whole computed dict gives each of its keys."""
    if source.key is not None:
        return [ScriptValue(source, source.key, origin, token, value)]
    if not isinstance(value, Mapping):
        message = f"`{source.text}` gave a {type(value).__name__}, not a dict"
        return [ScriptValue(source, "", origin, token, error=message)]
    return [ScriptValue(source, str(k), origin, token, v) for k, v in value.items()]


def _origin(flow: Dataflow, source: ScriptValueSource) -> str:
    return f"{Path(flow.driver or '').name}:{source.line}"


def _token(project: Project, script: Path, cut: ScriptSlice) -> str:
    """The slice's code (its callers' slices included) and the state of the project
    modules they import."""
    digest = hashlib.sha256()
    imported: set[str] = set()
    pending: list[tuple[Path, ScriptSlice]] = [(script, cut)]
    while pending:
        file, part = pending.pop(0)
        digest.update(str(file).encode())
        digest.update(ast.dump(part.module()).encode())
        digest.update(ast.dump(part.expression).encode())
        imported |= _imported(part)
        pending += [(argument.script, argument.value) for argument in part.given]
    for source in project.files:
        if source.module in imported or source.module.split(".")[0] in imported:
            with contextlib.suppress(OSError):
                stat = (project.root / source.path).stat()
                digest.update(f"{source.path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:16]


def _imported(cut: ScriptSlice) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(cut.module()):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as error:
        return f"<repr failed: {type(error).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 1] + "…"
