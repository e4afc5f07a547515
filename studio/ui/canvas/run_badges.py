"""Run badges on the canvas follow the runs model by themselves.

When a node's run state changes (queued, running, computed, reused,
failed, interrupted, stale), its card's badge is repainted (a function
card shows the most pressing state of its nodes), the collapsed module
that holds it recounts its members' states, and a spinner turns while a
node runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from studio.core.graph.display_graph import module_of_key
from studio.core.model import RunsModel
from studio.core.runs.run_state import NodeRun, NodeState, combined_run

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
        scene = self.scene
        nodes = scene.nodes
        owners = scene.drawn.owner if scene.drawn is not None else {}
        targets = (
            list(nodes)
            if names is None
            else {key for key in (owners.get(n, n) for n in names) if key in nodes}
        )
        for key in targets:
            nodes[key].set_run(self.run_of(key))
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

    def run_of(self, key: str) -> NodeRun:
        """The run a drawn node or function card shows."""
        drawn = self.scene.drawn
        card = drawn.cards.get(key) if drawn is not None else None
        if card is None:
            return self.runs.state.get(key)
        return combined_run({m: self.runs.state.get(m) for m in card.members})

    def module_states(self, members: Iterable[str]) -> Counter[NodeState]:
        """How many members are in each state (not computed: not counted). Members
        without a run are skipped unread: at 20,000 nodes, before any run, every
        module's count cost a look-up per member."""
        runs = self.runs.state.nodes
        if not runs:
            return Counter()
        states = Counter(run.state for run in map(runs.get, members) if run is not None)
        del states[NodeState.NOT_COMPUTED]
        return states

    def _spin(self) -> None:
        nodes = self.scene.nodes
        owners = self.scene.drawn.owner if self.scene.drawn is not None else {}
        spinning = {
            owners.get(name, name)
            for name, run in self.runs.state.nodes.items()
            if run.state is NodeState.RUNNING
        }
        for key in spinning & nodes.keys():
            nodes[key].advance_spinner()
