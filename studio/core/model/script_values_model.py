"""The values the driver script computes, as the kernel evaluated them: one owner.

The kernel keeps the values; this model holds what the window shows of
them (`ScriptValueInfo`: origin, type, size, or the failure with its
traceback) for the chosen dataflow, and whether an evaluation goes on.
The Inputs and Config panels listen; runs sign their inputs with the tokens.
"""

from __future__ import annotations

from studio.core.discovery.project import ValueKind
from studio.core.model.events import Event, Evented
from studio.core.protocol.requests import ScriptValueInfo
from studio.core.size_text import format_bytes


class ScriptValuesModel:
    evaluating = Evented[bool]()
    """The kernel is evaluating the script's values (Stop/Esc interrupts it)."""

    def __init__(self) -> None:
        self.evaluating_changed = Event()
        self.changed = Event()
        """The descriptions changed (another evaluation, another dataflow, another folder)."""
        self._dataflow: str | None = None
        self._values: dict[tuple[ValueKind, str], ScriptValueInfo] = {}
        self.evaluating = False

    @property
    def dataflow(self) -> str | None:
        """The dataflow the descriptions are of."""
        return self._dataflow

    def of(self, kind: ValueKind, dataflow: str | None) -> dict[str, ScriptValueInfo]:
        """The values of this kind, by key, when they are `dataflow`'s."""
        if dataflow is None or dataflow != self._dataflow:
            return {}
        return {key: info for (k, key), info in self._values.items() if k is kind}

    def input_tokens(self, dataflow: str | None) -> dict[str, str]:
        """What stands for each script input in lineage signatures (as the kernel signs)."""
        return {
            key: f"script:{info.token}"
            for key, info in self.of(ValueKind.INPUT, dataflow).items()
            if info.ok
        }

    def take(self, dataflow: str | None, values: list[ScriptValueInfo]) -> None:
        self._dataflow = dataflow
        self._values = {(info.kind, info.key): info for info in values}
        self.changed.emit()

    def clear(self) -> None:
        self._dataflow = None
        self._values = {}
        self.evaluating = False
        self.changed.emit()


def value_line(info: ScriptValueInfo) -> str:
    """One line for a panel's cell: where the value comes from and what it is."""
    if info.interrupted:
        return f"{info.origin} interrupted: a save or reload evaluates it again"
    if not info.ok:
        return f"{info.origin} failed: {info.error}"
    shape = f" {tuple(info.shape)}" if info.shape is not None else ""
    length = f" of {info.length}" if info.length is not None and info.shape is None else ""
    size = f" · {format_bytes(info.bytes)}" if info.bytes is not None else ""
    return f"from {info.origin}: {info.type}{shape}{length}{size}"


def value_details(info: ScriptValueInfo) -> str:
    """The tooltip: the expression and the value's start, or the failure's traceback."""
    head = f"{info.origin}: `{info.expression}`" if info.expression else info.origin
    if info.ok:
        return f"{head}\n{value_line(info)}\n{info.repr}"
    if info.interrupted:
        return f"{head}\n{info.error}"
    frames = [
        f"  {frame.file}, line {frame.line}, in {frame.function}\n    {frame.text}"
        for frame in info.frames
        if frame.in_project
    ]
    return "\n".join([head, "failed:", *frames, info.error])
