"""The run log: one record per run, filled in as the kernel reports progress."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from studio.core.protocol import NodeStatus, RunStatus
from studio.core.protocol.requests import RunResult, TracebackFrame
from studio.core.time_text import format_seconds


@dataclass(slots=True)
class NodeRecord:
    name: str
    status: NodeStatus
    seconds: float = 0.0
    error: str = ""


OUTPUT_KEPT = 200_000
"""Characters of a run's output held for the window (the newest ones)."""


@dataclass(slots=True)
class RunRecord:
    number: int
    targets: list[str]
    mode: str
    recompute: bool = False
    started: datetime.datetime = field(default_factory=datetime.datetime.now)
    status: RunStatus = RunStatus.RUNNING
    seconds: float | None = None
    message: str = ""
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    planned: list[str] = field(default_factory=list)
    reused_from_memory: list[str] = field(default_factory=list)
    failed_node: str | None = None
    frames: list[TracebackFrame] = field(default_factory=list)
    traceback: str = ""
    missing: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    """The newest part of what the run printed (at most `OUTPUT_KEPT` characters)."""
    output_left_out: int = 0
    """Characters printed before `output` that are no longer held (see `output_file`)."""
    output_file: Path | None = None
    """Where everything the run printed is written, when the window gave it a place."""
    forecast: str = ""
    """What the run was expected to do before it started (the run plan's headline)."""
    notes: list[str] = field(default_factory=list)
    """What to know of a run that went well (a result kept in memory only)."""
    executor: str = ""
    """Where it ran when not in the kernel itself: `Threads`, `Dask (local cluster)`…"""
    _output_stream: TextIO | None = field(default=None, repr=False, compare=False)

    def add_output(self, text: str) -> None:
        """Keep the newest `OUTPUT_KEPT` characters; append all of it to `output_file`
        (opened once per run). A node that prints megabytes costs the window the same
        as one that prints a page."""
        if self.output_file is not None:
            try:
                if self._output_stream is None:
                    self._output_stream = self.output_file.open(
                        "a", encoding="utf-8", errors="replace"
                    )
                self._output_stream.write(text)
            except OSError:
                self.output_file = None
                self.close_output()
        if len(text) > OUTPUT_KEPT:
            self.output_left_out += len(text) - OUTPUT_KEPT
            text = text[-OUTPUT_KEPT:]
        self.output.append(text)
        held = sum(len(chunk) for chunk in self.output)
        while held > OUTPUT_KEPT and len(self.output) > 1:
            dropped = self.output.pop(0)
            held -= len(dropped)
            self.output_left_out += len(dropped)

    def close_output(self) -> None:
        """The run ended: what it printed is all in `output_file`."""
        stream, self._output_stream = self._output_stream, None
        if stream is not None:
            try:
                stream.close()
            except OSError:
                self.output_file = None

    @property
    def finished(self) -> bool:
        return self.status is not RunStatus.RUNNING

    def computed(self) -> list[str]:
        return [n.name for n in self.nodes.values() if n.status is NodeStatus.COMPUTED]

    def reused(self) -> list[str]:
        from_cache = [n.name for n in self.nodes.values() if n.status is NodeStatus.REUSED]
        return [*self.reused_from_memory, *from_cache]

    def given(self) -> list[str]:
        """Nodes the run was given values of (a notebook's `--overrides`), not computed."""
        return [n.name for n in self.nodes.values() if n.status is NodeStatus.GIVEN]

    def node_finished(self, name: str, status: NodeStatus, seconds: float, error: str = "") -> None:
        previous = self.nodes.get(name)
        total = seconds + (previous.seconds if previous else 0.0)
        self.nodes[name] = NodeRecord(name, status, total, error)

    def finish(self, result: RunResult) -> None:
        """Take the kernel's final word on the run (see `studio.core.protocol`, RUN)."""
        self.status = result.status
        self.seconds = result.seconds
        self.notes = list(result.notes)
        self.message = result.message or " ".join(f"{n}." for n in self.notes)
        self.failed_node = result.failed_node
        self.frames = list(result.frames)
        self.traceback = result.traceback
        self.missing = list(result.missing)
        self.reused_from_memory = list(result.reused_from_memory)
        for node in result.nodes:
            self.nodes[node.name] = NodeRecord(node.name, node.status, node.seconds, node.error)

    def fail(self, message: str) -> None:
        self.status = RunStatus.FAILED
        self.message = message

    def summary(self) -> str:
        """One line: what was asked, how it ended, what it cost."""
        asked = ", ".join(self.targets[:3]) + (
            f" +{len(self.targets) - 3}" if len(self.targets) > 3 else ""
        )
        parts = [self.started.strftime("%H:%M:%S"), asked or "nothing"]
        if self.executor:
            parts.append(f"on {self.executor}")
        if self.status is RunStatus.RUNNING:
            parts.append("running…")
        elif self.status is RunStatus.DONE:
            took = f" in {self.seconds:.2f} s" if self.seconds is not None else ""
            given = f", {len(self.given())} given" if self.given() else ""
            parts.append(
                f"done{took}: {len(self.computed())} computed, {len(self.reused())} reused{given}"
            )
        elif self.status is RunStatus.INTERRUPTED and self.failed_node in self.nodes:
            took = format_seconds(self.nodes[self.failed_node].seconds)
            parts.append(f"interrupted in {self.failed_node} after {took}")
        else:
            status = self.status.replace("_", " ")
            said = self.message.startswith(f"{status}:")  # "missing inputs: spend (Series)"
            parts.append(self.message if said else f"{status}: {self.message}")
        return " · ".join(parts)
