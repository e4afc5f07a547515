"""Run badges on the canvas follow the runs model by themselves.

When a node's run state changes (queued, running, computed, reused,
failed, interrupted, stale), its card's badge is repainted, the collapsed
module that holds it recounts its members' states, and a spinner turns
while a node runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from studio.core.graph.display_graph import module_of_key
from studio.core.model import RunsModel
from studio.core.runs.run_state import NodeState

if TYPE_CHECKING:
    from studio.ui.canvas.scene import GraphScene

SPIN_MS = 70


class RunBadges(QObject):
    def __init__(
        self, scene: GraphScene, runs: RunsModel, repaint_overview: Callable[[], None]
    ) -> None:
        super().__init__(scene)
        self.scene = scene
        self.runs = runs
        self._repaint_overview = repaint_overview
        self._spinner = QTimer(self)
        self._spinner.setInterval(SPIN_MS)
        self._spinner.timeout.connect(self._spin)
        runs.states_changed.connect(self.show)

    def show(self, names: Iterable[str] | None = None) -> None:
        """Repaint the badges of `names` (every node when None)."""
        scene, state = self.scene, self.runs.state
        nodes = scene.nodes
        targets = list(nodes) if names is None else [n for n in names if n in nodes]
        for name in targets:
            nodes[name].set_run(state.get(name))
        owners = scene.drawn.owner if scene.drawn is not None else {}
        touched = (
            set(scene.modules)
            if names is None
            else {module_of_key(owners.get(n, "")) for n in names} - {None}
        )
        for module in touched:
            box = scene.modules.get(module or "")
            if box is not None:
                box.set_states(self.module_states(box.module.members))
        running = self.runs.running
        if running and not self._spinner.isActive():
            self._spinner.start()
        elif not running:
            self._spinner.stop()
        self._repaint_overview()

    def module_states(self, members: Iterable[str]) -> Counter[NodeState]:
        states = Counter(self.runs.state.state(name) for name in members)
        del states[NodeState.NOT_COMPUTED]
        return states

    def _spin(self) -> None:
        nodes = self.scene.nodes
        for name, run in self.runs.state.nodes.items():
            if run.state is NodeState.RUNNING and name in nodes:
                nodes[name].advance_spinner()
