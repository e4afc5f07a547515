"""Run menu: run the selection (up- or downstream), run all, stop, executors, the cache."""

from __future__ import annotations

from studio.core.model import Workspace
from studio.core.runs.run_forecast import RunForecast
from studio.core.runs.run_plan import RunMode
from studio.ui.actions import SEPARATOR, ActionRegistry, MenuEntry, bind_enabled
from studio.ui.kernel.session import KernelState
from studio.ui.window.window_actions.services import Services

RUNS = ("run", "run-downstream", "recompute", "run-all")
MENU: list[MenuEntry] = [
    *RUNS, SEPARATOR, "stop", SEPARATOR, "executor", SEPARATOR, "clear-results", "cache-limit",
]  # fmt: skip


def declare(actions: ActionRegistry, workspace: Workspace, services: Services) -> None:
    commands, runs = services.commands, services.run_controller
    add = actions.add
    add(
        "run",
        "▶ Run",
        lambda: commands.run_selected(RunMode.UPSTREAM),
        "Ctrl+Return",
        tip="Run the selected nodes and what they need",
    )
    add(
        "run-downstream",
        "Run Downstream",
        lambda: commands.run_selected(RunMode.DOWNSTREAM),
        tip="Run the selected nodes and everything that uses them",
    )
    add(
        "recompute",
        "Recompute",
        lambda: commands.run_selected(RunMode.UPSTREAM, recompute=True),
        "Ctrl+Alt+Return",
        tip="Run the selected nodes without reusing any result",
    )
    add(
        "run-all",
        "Run All",
        runs.run_all,
        "Ctrl+Shift+Return",
        tip="Compute what the driver script asks for (its final_vars), or every sink",
    )
    add(
        "stop",
        "■ Stop",
        commands.stop_run,
        tip="Interrupt the running node",
        help="stop a run (Esc does it too)",
    )
    add(
        "clear-results",
        "Clear Results",
        commands.clear_results,
        tip="Forget results in the kernel and on disk",
    )
    add(
        "executor",
        "&Executor…",
        services.executor.open_settings,
        tip="Where runs execute: locally, on threads, processes, Dask or Ray",
    )
    add(
        "cache-limit",
        "Result Cache &Limit…",
        services.cache_limit.choose,
        tip="How much of its results a project keeps on disk",
    )
    actions.gesture("Double-click", "run a node (and what it needs); on a module box, expand it")
    actions.gesture("Esc", "stop a run; otherwise leave the focus, clear the selection")
    _show_plans_on_hover(actions, workspace, services)
    _enabled_by_the_model(actions, workspace, services)


def _enabled_by_the_model(
    actions: ActionRegistry, workspace: Workspace, services: Services
) -> None:
    """Run commands are on in a trusted folder with a kernel and no run going; Stop while
    a run goes, or the driver script's values are evaluated."""
    project, runs, session = workspace.project, workspace.runs, services.session

    def can_run() -> bool:
        return project.trusted and session.state is not KernelState.STOPPED and not runs.running

    events = (session.state_changed, project.trusted_changed, runs.running_changed)
    for action_id in RUNS:
        bind_enabled(actions[action_id], events, can_run)
    evaluating = workspace.script_values
    bind_enabled(
        actions["stop"],
        (runs.running_changed, evaluating.evaluating_changed),
        lambda: runs.running or evaluating.evaluating,
    )


def _show_plans_on_hover(actions: ActionRegistry, workspace: Workspace, services: Services) -> None:
    """Hovering Run or Run All says what the run would compute, reuse, and for how long."""
    for action_id, mode in (("run", RunMode.UPSTREAM), ("run-all", RunMode.ALL)):
        action = actions[action_id]
        tip = action.toolTip()

        def show(action=action, tip=tip, mode=mode) -> None:  # type: ignore[no-untyped-def]
            names = [] if mode is RunMode.ALL else workspace.selection.names()

            def answer(plan: RunForecast | None) -> None:
                if plan is None:
                    action.setToolTip(tip)
                    return
                headline = plan.headline()
                action.setToolTip(f"{tip}\n{headline[:1].upper()}{headline[1:]}")
                services.status.message(f"{action.text().strip('▶ ')} {headline}", 5000)

            services.run_controller.forecast(names, mode, answer)

        action.hovered.connect(show)
