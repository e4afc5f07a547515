"""The edits a dataflow offers, planned against its files as they are now."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import libcst as cst

from studio.core.discovery.project import Dataflow
from studio.core.editing.dataflow_functions import DataflowFunctions
from studio.core.editing.edge_edits import plan_connect, plan_disconnect
from studio.core.editing.edit_plan import EditPlan, EditRefusedError
from studio.core.editing.node_edits import plan_add, plan_remove
from studio.core.editing.notebook_edits import in_notebooks
from studio.core.editing.rename_edit import plan_rename


class DataflowEditor:
    """Plans edits of one dataflow: each call reads the files afresh, so plans are current.

    `dataflows` are all of the project's: their driver scripts follow a rename.
    """

    def __init__(self, root: Path, dataflows: Sequence[Dataflow], flow: Dataflow) -> None:
        self.root = root
        self.dataflows = list(dataflows)
        self.flow = flow

    def functions(self) -> DataflowFunctions:
        """The functions of this dataflow and of every other one sharing a module with it:
        a rename must reach them all, and their names are taken. A notebook's modules are
        its cells, never the project's files of the same name."""
        if _is_notebook(self.flow):
            return DataflowFunctions.read_all(self.root, [self.flow])
        mine = set(self.flow.modules)
        flows = [self.flow] + [
            f
            for f in self.dataflows
            if f is not self.flow and mine & set(f.modules) and not _is_notebook(f)
        ]
        return DataflowFunctions.read_all(self.root, flows)

    def modules(self) -> list[str]:
        return list(self.functions().module_files)

    def scripts(self) -> list[Path]:
        """Driver scripts that build a dataflow from any of this one's modules."""
        mine = set(self.flow.modules)
        paths = {
            self.root / flow.driver
            for flow in self.dataflows
            if flow.driver and mine & set(flow.modules) and not _is_notebook(flow)
        }
        return sorted(paths)

    def rename(self, old: str, new: str) -> EditPlan:
        """`old` renamed to `new` in every module and driver script that names it."""
        return _planned(lambda: plan_rename(self.functions(), self.scripts(), old, new))

    def connect(self, source: str, target: str) -> EditPlan:
        """`target` taking `source` as a typed parameter."""
        return _planned(lambda: plan_connect(self.functions(), source, target))

    def disconnect(self, source: str, target: str, *, force: bool = False) -> EditPlan:
        """`target` no longer taking `source` (asks first when its body uses it)."""
        return _planned(lambda: plan_disconnect(self.functions(), source, target, force=force))

    def add(
        self, name: str, uses: list[str], module: str | None = None, returns: str | None = None
    ) -> EditPlan:
        """A typed stub function `name` taking `uses`."""
        return _planned(lambda: plan_add(self.functions(), name, uses, module, returns))

    def remove(self, name: str, variants: Collection[str] | None = None) -> EditPlan:
        """`name`'s function removed; the notes say what depended on it. Of `@config.when`
        variants, those in `variants` (function names), else the one the dataflow's config
        chooses."""
        return _planned(
            lambda: plan_remove(
                self.functions(), name, self.flow.outputs, variants, self.flow.config
            )
        )


def _is_notebook(flow: Dataflow) -> bool:
    return bool(flow.driver and flow.driver.endswith(".ipynb"))


def _planned(make: Callable[[], EditPlan]) -> EditPlan:
    """The plan, or a refusal: a file that does not parse or an edit libcst rejects never
    ends in a traceback."""
    try:
        return in_notebooks(make())  # a notebook module's change is its notebook's
    except EditRefusedError:
        raise
    except cst.ParserSyntaxError as error:
        raise EditRefusedError(
            f"a module has a syntax error (line {error.raw_line}): fix it first"
        ) from error
    except (cst.CSTValidationError, SyntaxError, UnicodeError, ValueError) as error:
        raise EditRefusedError(
            f"this edit cannot be written safely here ({type(error).__name__}: {error})"
        ) from error
