"""The open project: its folder, its dataflows, and the user's choices for it.

The choices (which dataflow, config values, input expressions, which
Python runs the project, which executor runs it) are kept per project across sessions; this
model is what is saved and restored (`state` / `restore`). It also owns
whether the folder is trusted to run its code, and where its caches are
(derived from the folder, never copied into the controllers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.cache.cache_paths import hamilton_cache_dir
from studio.core.discovery.project import Dataflow
from studio.core.model.events import Event, Evented
from studio.core.runs.executors import LOCAL, ExecutorChoice, ExecutorError


class ProjectModel:
    interpreter = Evented[Path | None]()
    """The Python the project's kernel runs in; None: the studio's own."""
    interpreter_chosen = Evented[bool]()
    """Whether the user chose the interpreter (the studio's included). While this is False,
    a trusted project runs in its own environment when it has one, found anew at each
    opening and never saved."""
    trusted = Evented[bool]()
    """Whether the folder's code may run; if not, its graph is read from the source."""
    executor = Evented[ExecutorChoice]()
    """Where runs execute (see `studio.core.runs.executors`)."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._dataflows: list[Dataflow] = []
        self._dataflow: str | None = None
        self._config_overrides: dict[str, dict[str, Any]] = {}
        """Per dataflow: config values the user set over the driver script's."""
        self._input_values: dict[str, dict[str, str]] = {}
        """Per dataflow: input expressions the user typed."""
        self._problems: list[str] = []
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
        self.interpreter_changed = Event()
        """(Path or None): the kernel runs in another Python from its next start."""
        self.interpreter_chosen_changed = Event()
        """(bool)"""
        self.trusted_changed = Event()
        """(bool): the folder's code may run now, or no longer."""
        self.interpreter = None
        self.interpreter_chosen = False
        self.trusted = True
        self.executor = LOCAL

    # -- reading ------------------------------------------------------------------

    @property
    def root(self) -> Path | None:
        """The project folder (changes only through `open`, which announces `opened`)."""
        return self._root

    @property
    def dataflows(self) -> list[Dataflow]:
        return self._dataflows

    @property
    def dataflow(self) -> str | None:
        """The chosen dataflow's name (None: the first one discovery finds)."""
        return self._dataflow

    @property
    def problems(self) -> list[str]:
        return self._problems

    @property
    def cache_dir(self) -> Path | None:
        """Hamilton's result cache of the project (never inside the project)."""
        return hamilton_cache_dir(self._root) if self._root is not None else None

    # -- opening ------------------------------------------------------------------

    def open(self, root: Path, state: dict[str, Any], trusted: bool = True) -> None:
        self._root = root
        self._dataflows = []
        self._problems = []
        self.trusted = trusted
        self.restore(state)
        self.opened.emit(root)

    def restore(self, state: dict[str, Any]) -> None:
        """The saved choices; "environment" (not saved) is the project's own Python, found
        and checked at the opening, which runs unless the user chose another."""
        self._dataflow = state.get("dataflow")
        self._config_overrides = dict(state.get("config", {}))
        self._input_values = dict(state.get("inputs", {}))
        self.set_interpreter_state(state.get("interpreter"))
        environment = state.get("environment")
        if environment and not self.interpreter_chosen:
            self.interpreter = Path(environment)
        try:
            self.executor = ExecutorChoice.parse(state.get("executor"))
        except ExecutorError:
            self.executor = LOCAL

    def set_interpreter_state(self, saved: str | None) -> None:
        """The interpreter as saved: a path, "" (the user chose the studio's Python) or
        None (not chosen)."""
        self.interpreter = Path(saved) if saved else None
        self.interpreter_chosen = saved is not None

    def choose_interpreter(self, python: Path | None) -> None:
        """The user's choice: `python`, or None for the studio's own."""
        self.interpreter = python
        self.interpreter_chosen = True

    def set_executor(self, choice: ExecutorChoice) -> None:
        self.executor = choice

    def state(self) -> dict[str, Any]:
        """What is kept for the next time the project opens."""
        interpreter = self.interpreter
        return {
            "dataflow": self._dataflow,
            "config": self._config_overrides,
            "inputs": self._input_values,
            "interpreter": str(interpreter)
            if interpreter and self.interpreter_chosen
            else self._unchosen(),
            "executor": self.executor.text,
        }

    def _unchosen(self) -> str | None:
        return "" if self.interpreter_chosen else None

    # -- dataflows, config, inputs ------------------------------------------------------

    def current(self) -> Dataflow | None:
        for flow in self._dataflows:
            if flow.name == self._dataflow:
                return flow
        return None

    def set_discovered(
        self, dataflows: list[Dataflow], chosen: str | None, problems: list[str]
    ) -> None:
        """What the kernel found in the folder."""
        self._dataflows = list(dataflows)
        self._problems = list(problems)
        if self._dataflow is None:
            self._dataflow = chosen
        self.dataflows_changed.emit()

    def choose(self, name: str) -> bool:
        if name == self._dataflow:
            return False
        self._dataflow = name
        self.dataflows_changed.emit()
        return True

    @property
    def overrides(self) -> dict[str, Any]:
        return self._config_overrides.get(self._dataflow or "", {})

    def set_overrides(self, overrides: dict[str, Any]) -> None:
        if self._dataflow is not None:
            self._config_overrides[self._dataflow] = dict(overrides)
        self.config_changed.emit()

    @property
    def inputs(self) -> dict[str, str]:
        return self._input_values.get(self._dataflow or "", {})

    def input_defaults(self) -> dict[str, str]:
        """The driver script's literal inputs, as expressions."""
        flow = self.current()
        return {k: repr(v) for k, v in (flow.inputs if flow else {}).items()}

    def input_expressions(self) -> dict[str, str]:
        """What a run gets: the user's values over the script's, empty ones left out."""
        merged = {**self.input_defaults(), **self.inputs}
        return {name: text for name, text in merged.items() if text.strip()}

    def set_inputs(self, values: dict[str, str]) -> None:
        if self._dataflow is not None and values != self.inputs:
            self._input_values[self._dataflow] = dict(values)
            self.inputs_changed.emit()
