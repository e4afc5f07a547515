"""The open project: its folder, its dataflows, and the user's choices for it.

The choices (which dataflow, config values, input expressions, which
Python runs the project, which executor runs it) are kept per project across sessions; this
model is what is saved and restored (`state` / `restore`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.discovery.project import Dataflow
from studio.core.model.events import Event
from studio.core.runs.executors import LOCAL, ExecutorChoice, ExecutorError


class ProjectModel:
    def __init__(self) -> None:
        self.root: Path | None = None
        self.dataflows: list[Dataflow] = []
        self.dataflow: str | None = None
        """The chosen dataflow's name (None: the first one discovery finds)."""
        self.config_overrides: dict[str, dict[str, Any]] = {}
        """Per dataflow: config values the user set over the driver script's."""
        self.input_values: dict[str, dict[str, str]] = {}
        """Per dataflow: input expressions the user typed."""
        self.interpreter: str | None = None
        """The project's own Python; "" when the user chose the studio's; None: not chosen."""
        self.executor: ExecutorChoice = LOCAL
        """Where runs execute (see `studio.core.runs.executors`)."""
        self.problems: list[str] = []
        self.opened = Event()
        """(root): another folder is open."""
        self.dataflows_changed = Event()
        """The folder's dataflows (or the chosen one) changed."""
        self.config_changed = Event()
        """The user changed the config of the chosen dataflow."""
        self.inputs_changed = Event()
        """The user changed input values of the chosen dataflow."""
        self.executor_changed = Event()
        """(ExecutorChoice): runs go elsewhere from now on."""

    def open(self, root: Path, state: dict[str, Any]) -> None:
        self.root = root
        self.dataflows = []
        self.problems = []
        self.restore(state)
        self.opened.emit(root)

    def restore(self, state: dict[str, Any]) -> None:
        self.dataflow = state.get("dataflow")
        self.config_overrides = dict(state.get("config", {}))
        self.input_values = dict(state.get("inputs", {}))
        self.interpreter = state.get("interpreter")
        try:
            self.executor = ExecutorChoice.parse(state.get("executor"))
        except ExecutorError:
            self.executor = LOCAL
        self.executor_changed.emit(self.executor)

    def set_executor(self, choice: ExecutorChoice) -> None:
        if choice != self.executor:
            self.executor = choice
            self.executor_changed.emit(choice)

    def state(self) -> dict[str, Any]:
        """What is kept for the next time the project opens."""
        return {
            "dataflow": self.dataflow,
            "config": self.config_overrides,
            "inputs": self.input_values,
            "interpreter": self.interpreter,
            "executor": self.executor.text,
        }

    def current(self) -> Dataflow | None:
        for flow in self.dataflows:
            if flow.name == self.dataflow:
                return flow
        return None

    def set_discovered(
        self, dataflows: list[Dataflow], chosen: str | None, problems: list[str]
    ) -> None:
        """What the kernel found in the folder."""
        self.dataflows = list(dataflows)
        self.problems = list(problems)
        if self.dataflow is None:
            self.dataflow = chosen
        self.dataflows_changed.emit()

    def choose(self, name: str) -> bool:
        if name == self.dataflow:
            return False
        self.dataflow = name
        self.dataflows_changed.emit()
        return True

    @property
    def overrides(self) -> dict[str, Any]:
        return self.config_overrides.get(self.dataflow or "", {})

    def set_overrides(self, overrides: dict[str, Any]) -> None:
        if self.dataflow is not None:
            self.config_overrides[self.dataflow] = dict(overrides)
        self.config_changed.emit()

    @property
    def inputs(self) -> dict[str, str]:
        return self.input_values.get(self.dataflow or "", {})

    def input_defaults(self) -> dict[str, str]:
        """The driver script's literal inputs, as expressions."""
        flow = self.current()
        return {k: repr(v) for k, v in (flow.inputs if flow else {}).items()}

    def input_expressions(self) -> dict[str, str]:
        """What a run gets: the user's values over the script's, empty ones left out."""
        merged = {**self.input_defaults(), **self.inputs}
        return {name: text for name, text in merged.items() if text.strip()}

    def set_inputs(self, values: dict[str, str]) -> None:
        if self.dataflow is not None and values != self.inputs:
            self.input_values[self.dataflow] = dict(values)
            self.inputs_changed.emit()
