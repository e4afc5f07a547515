"""The docked panels follow the workspace: inspector, results, inputs, config, run log.

Each panel shows what the models hold for the current selection and the
chosen dataflow; this object connects the models' events to the
panels' update methods, and the panels' edits back to the models. It
gets the models and the panels, not the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from studio.core.discovery.project import ValueKind
from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.model import Workspace
from studio.core.model.script_values_model import value_details, value_line
from studio.core.protocol import RunStatus
from studio.ui.panels.banner import BannerKind
from studio.ui.project.graph_controller import GraphController
from studio.ui.runs.run_controller import RunController
from studio.ui.window.window_panels import WindowPanels

MISSING_INPUTS = "missing-inputs"
RUN_PROBLEM = "run-problem"
"""Causes of banners that the next run, or the inputs, make out of date."""


class PanelSync(QObject):
    def __init__(
        self,
        workspace: Workspace,
        panels: WindowPanels,
        controller: GraphController,
        run_controller: RunController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.panels = panels
        self.run_controller = run_controller
        workspace.project.opened.connect(lambda _root: self.project_opened())
        workspace.selection.changed.connect(self.selection_changed)
        workspace.project.dataflows_changed.connect(self.dataflows_changed)
        workspace.script_values.changed.connect(self.script_values_changed)
        workspace.runs.running_changed.connect(self.running_changed)
        workspace.runs.record_added.connect(self.run_added)
        workspace.runs.record_updated.connect(panels.run_log.update_run)
        workspace.runs.cleared.connect(panels.run_log.clear)
        run_controller.missing_inputs.connect(self.missing_inputs)
        panels.inputs.changed.connect(self.inputs_changed)
        controller.graph_shown.connect(self.graph_shown)

    def project_opened(self) -> None:
        """Nothing of the last project stays in the panels: inputs, config, results,
        banners, the dataflow choice."""
        panels = self.panels
        panels.inputs.set_inputs([], {}, {})
        panels.config_editor.set_config({}, {})
        panels.results.clear()
        panels.banner.hide()
        panels.dataflows.combo.clear()
        panels.dataflows.set_visible(False)

    def selection_changed(self) -> None:
        self.refresh_inspector()
        self.refresh_results()

    def graph_shown(self, snapshot: GraphSnapshot, _first: bool) -> None:
        self.refresh_inputs(snapshot)
        self.refresh_inspector()

    def dataflows_changed(self) -> None:
        panels, project = self.panels, self.workspace.project
        combo = panels.dataflows.combo
        names = [flow.name for flow in project.dataflows]
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(names)
        for index, flow in enumerate(project.dataflows):
            combo.setItemData(index, flow.describe(), Qt.ItemDataRole.ToolTipRole)
        if project.dataflow in names:
            combo.setCurrentText(project.dataflow)
        combo.blockSignals(False)
        panels.dataflows.set_visible(len(names) > 1)
        self.refresh_config()

    def script_values_changed(self) -> None:
        self.refresh_config()
        snapshot = self.workspace.graph.snapshot
        if snapshot is not None:
            self.refresh_inputs(snapshot)

    def refresh_config(self) -> None:
        """The config editor: the script's config, the user's over it, and the values the
        script computes as the kernel evaluated them."""
        project = self.workspace.project
        flow = project.current()
        if flow is None:
            return
        hints = dict(flow.config_hints)
        details: dict[str, str] = {}
        for key, info in self.workspace.script_values.of(ValueKind.CONFIG, flow.name).items():
            hints[key] = value_line(info)
            details[key] = value_details(info)
            if key in project.overrides:
                details[key] = (
                    f"Yours, used over the script's value ({value_line(info)}); "
                    "Remove goes back to the script's value"
                )
        self.panels.config_editor.set_config(flow.config, project.overrides, hints, details)

    def refresh_results(self) -> None:
        selection = self.workspace.selection
        name = selection.lead()
        panel = self.panels.results
        if name is None:
            if not selection.keys:
                panel.clear()
            return
        runs = self.workspace.runs
        panel.show_node(name, runs.node(name), runs.finished_at.get(name))

    def refresh_inspector(self) -> None:
        selection, graph = self.workspace.selection, self.workspace.graph
        lead, snapshot = selection.lead(), graph.snapshot
        inspector = self.panels.inspector
        if lead is not None and snapshot is not None:
            flow = self.workspace.project.current()
            given = flow is not None and lead in flow.overrides
            given_by = (flow.driver or flow.name) if flow is not None and given else ""
            try:
                inspector.show_node(snapshot.node(lead), snapshot, graph.card_of(lead), given_by)
            except KeyError:
                inspector.show_node(None)
        elif not selection.keys:
            inspector.show_node(None)

    def refresh_inputs(self, snapshot: GraphSnapshot) -> None:
        project = self.workspace.project
        flow = project.current()
        inputs = [(n.name, n.type) for n in snapshot.nodes if n.role is NodeRole.INPUT]
        hints = flow.input_hints if flow else {}
        script = self.workspace.script_values.of(ValueKind.INPUT, project.dataflow)
        self.panels.inputs.set_inputs(
            inputs, project.input_defaults(), project.inputs, hints, script
        )

    def inputs_changed(self) -> None:
        self.workspace.project.set_inputs(self.panels.inputs.user_values())
        if not self.panels.inputs.missing():
            self.panels.banner.clear(MISSING_INPUTS)
        self.run_controller.signing.refresh()

    def running_changed(self, running: bool) -> None:
        if running:  # the last run's message is about the last run
            self.panels.banner.clear(MISSING_INPUTS, RUN_PROBLEM)
        if not running:
            records = self.workspace.runs.records
            record = records[-1] if records else None
            lead = self.workspace.selection.lead()
            ended = record is not None and record.status in (RunStatus.DONE, RunStatus.FAILED)
            if ended and lead is not None and lead in record.targets:
                self.panels.docks.show("results")
            self.refresh_results()

    def run_added(self, record: Any) -> None:
        self.panels.run_log.add_run(record)
        self.panels.docks["run-log"].show()

    def missing_inputs(self, names: list[str]) -> None:
        panels = self.panels
        panels.docks.show("inputs")
        panels.inputs.mark_missing(names)
        snapshot = self.workspace.graph.snapshot
        types = {n.name: n.type for n in snapshot.nodes} if snapshot else {}
        described = ", ".join(f"{n} ({types[n]})" if n in types else n for n in names)
        panels.banner.show_message(
            BannerKind.ERROR,
            f"The run needs inputs that have no value: {described}. Type them in the "
            'Inputs panel (Python expressions, like "data/x.csv" or 42) and run again.',
            cause=MISSING_INPUTS,
        )
