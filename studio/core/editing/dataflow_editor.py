"""The edits a dataflow offers, planned against its files as they are now."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from studio.core.editing.dataflow_functions import DataflowFunctions
from studio.core.editing.edge_edits import plan_connect, plan_disconnect
from studio.core.editing.edit_plan import EditPlan
from studio.core.editing.node_edits import plan_add, plan_remove
from studio.core.editing.rename_edit import plan_rename
from studio.core.project import Dataflow


class DataflowEditor:
    """Plans edits of one dataflow: each call reads the files afresh, so plans are current.

    `dataflows` are all of the project's: their driver scripts follow a rename.
    """

    def __init__(self, root: Path, dataflows: Sequence[Dataflow], flow: Dataflow) -> None:
        self.root = root
        self.dataflows = list(dataflows)
        self.flow = flow

    def functions(self) -> DataflowFunctions:
        return DataflowFunctions.read(self.root, self.flow)

    def modules(self) -> list[str]:
        return list(self.functions().module_files)

    def scripts(self) -> list[Path]:
        """Driver scripts that build a dataflow from any of this one's modules."""
        mine = set(self.flow.modules)
        paths = {
            self.root / flow.driver
            for flow in self.dataflows
            if flow.driver and mine & set(flow.modules)
        }
        return sorted(paths)

    def rename(self, old: str, new: str) -> EditPlan:
        return plan_rename(self.functions(), self.scripts(), old, new)

    def connect(self, source: str, target: str) -> EditPlan:
        return plan_connect(self.functions(), source, target)

    def disconnect(self, source: str, target: str, *, force: bool = False) -> EditPlan:
        return plan_disconnect(self.functions(), source, target, force=force)

    def add(
        self, name: str, uses: list[str], module: str | None = None, returns: str | None = None
    ) -> EditPlan:
        return plan_add(self.functions(), name, uses, module, returns)

    def remove(self, name: str) -> EditPlan:
        return plan_remove(self.functions(), name, self.flow.outputs)
