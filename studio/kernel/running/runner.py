"""Running nodes of a loaded dataflow with Hamilton, reusing what is still valid.

Two layers of reuse, both Hamilton's own:

- results still in this kernel whose lineage is unchanged are passed as
  `overrides`, so Hamilton does not even walk past them;
- everything else goes through Hamilton's result cache
  (`Builder.with_cache`, on disk), which skips a node whose code and input
  data versions match a stored result. It survives kernel and app restarts.
"""

from __future__ import annotations

import sqlite3
import time
import traceback
import uuid
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from studio.core.cache.cache_paths import cache_problem
from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.protocol import NodeStatus, RunStatus
from studio.core.protocol.requests import TracebackFrame
from studio.core.runs.executors import LOCAL, ExecutorChoice
from studio.core.runs.file_reads import FileStamp, file_salts
from studio.core.runs.run_plan import RunMode, missing_inputs, needed_nodes, run_targets
from studio.core.runs.staleness import given_salts, lineage_signatures
from studio.kernel.executors.clusters import ClusterError
from studio.kernel.executors.task_driver import TaskDrivers
from studio.kernel.executors.task_progress import TaskProgress
from studio.kernel.loading.graph_builder import LoadedDataflow, build_driver, quiet_hamilton
from studio.kernel.loading.materializer_nodes import cannot_run
from studio.kernel.results.namespace import Results
from studio.kernel.results.previous_results import PreviousResults
from studio.kernel.running import fingerprints
from studio.kernel.running.inputs import InputError, evaluate_inputs
from studio.kernel.running.progress import ObservedCache, ProgressHook, RunListener
from studio.kernel.running.script_inputs import ScriptValue, script_signatures
from studio.kernel.running.tracebacks import describe, frames


@dataclass
class NodeOutcome:
    name: str
    status: NodeStatus
    seconds: float = 0.0
    error: str = ""


@dataclass
class RunOutcome:
    status: RunStatus
    targets: list[str]
    nodes: list[NodeOutcome] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    failed_node: str | None = None
    frames: list[TracebackFrame] = field(default_factory=list)
    traceback: str = ""
    missing: list[str] = field(default_factory=list)
    reused_from_memory: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the user should know of a run that went well (a result not kept on disk)."""
    install_hint: str = ""
    """The command that installs a missing engine (a run on Dask or Ray)."""
    reads: dict[str, list[FileStamp]] = field(default_factory=dict)
    """The files each node of the run read (computed, or reused from the disk cache)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Recorder:
    """Collects node outcomes and forwards them to the caller's listener."""

    def __init__(self, forward: RunListener | None, given: Collection[str] = ()) -> None:
        self.forward = forward
        self.given = set(given)
        self.nodes: dict[str, NodeOutcome] = {}

    def run_started(self, execution_path: list[str]) -> None:
        if self.forward is not None:
            self.forward.run_started([n for n in execution_path if n not in self.given])

    def node_started(self, name: str) -> None:
        if self.forward is not None:
            self.forward.node_started(name)

    def node_finished(
        self,
        name: str,
        status: NodeStatus,
        seconds: float,
        error: BaseException | None,
        result: Any,
    ) -> None:
        previous = self.nodes.get(name)
        total = seconds + (previous.seconds if previous else 0.0)  # Parallelizable: once per item
        self.nodes[name] = NodeOutcome(name, status, total, describe(error) if error else "")
        if self.forward is not None:
            self.forward.node_finished(name, status, seconds, error, result)


class Runner:
    """Keeps results between runs and runs what a request needs."""

    def __init__(
        self,
        results: Results | None = None,
        cache_path: Path | None = None,
        task_drivers: TaskDrivers | None = None,
    ) -> None:
        fingerprints.install()
        self.task_drivers = task_drivers if task_drivers is not None else TaskDrivers()
        """Drivers for runs elsewhere than in the kernel (threads, processes, Dask, Ray)."""
        self.results = results if results is not None else Results()
        self.cache_path = cache_path
        self.signatures: dict[str, str] = {}
        self.durations: dict[str, float] = {}
        self.previous = PreviousResults()
        self.cache_problem: str | None = None
        self.reads: dict[str, list[FileStamp]] = {}
        """The files each kept result was computed from: a change makes it stale."""
        """Why the disk cache cannot keep results (a full or read-only disk): runs go on
        without it."""
        """Values replaced by a run whose lineage had changed: for "Compare with previous"."""

    def adapters(self, recompute: bool = False) -> tuple[ObservedCache | None, ProgressHook]:
        """The lifecycle adapters a driver needs to report progress and use the cache (a
        saver asked to run writes its file, even when its data is in the cache)."""
        cache = None
        self.cache_problem = None
        if self.cache_path is not None:
            self.cache_problem = cache_problem(self.cache_path)
        if self.cache_path is not None and self.cache_problem is None:
            try:
                cache = ObservedCache(
                    path=str(self.cache_path),
                    recompute=True if recompute else None,
                    default_saver_behavior="recompute",
                )
            except (OSError, sqlite3.Error) as error:
                self.cache_problem = str(error)
        return cache, ProgressHook(cache=cache)

    def clear(self) -> None:
        self.results.clear()
        self.signatures.clear()
        self.durations.clear()
        self.previous.clear()
        self.reads.clear()

    def valid_results(self, signatures: Mapping[str, str]) -> set[str]:
        return {
            name
            for name, signature in self.signatures.items()
            if name in self.results and signatures.get(name) == signature
        }

    def run(
        self,
        loaded: LoadedDataflow,
        names: list[str],
        mode: RunMode = RunMode.UPSTREAM,
        input_expressions: Mapping[str, str] | None = None,
        recompute: bool = False,
        listener: RunListener | None = None,
        namespace: Mapping[str, Any] | None = None,
        root: Path | None = None,
        bare_words_are_strings: bool = False,
        executor: ExecutorChoice = LOCAL,
        script_inputs: Mapping[str, ScriptValue] | None = None,
    ) -> RunOutcome:
        """Run `names` (by `mode`); inputs come from `input_expressions`, and those given
        none from the driver script's evaluated `script_inputs`."""
        started = time.perf_counter()
        snapshot = loaded.snapshot
        expressions = {k: v for k, v in (input_expressions or {}).items() if str(v).strip()}
        script = {k: v for k, v in (script_inputs or {}).items() if k not in expressions}
        targets = run_targets(snapshot, names, mode)
        outcome = RunOutcome(status=RunStatus.DONE, targets=targets)
        if not targets:
            outcome.status, outcome.message = (
                RunStatus.FAILED,
                "nothing to run: pick a computed node",
            )
            return outcome
        refused = cannot_run(loaded.dataflow, targets)
        if refused is not None:
            outcome.status, outcome.message = RunStatus.FAILED, refused
            return outcome
        signed = {**script_signatures(script), **expressions}
        given = given_values(loaded)
        salts, _reasons = file_salts({n: s for n, s in self.reads.items() if n in self.results})
        salts.update(given_salts(given))
        signatures = lineage_signatures(snapshot, signed, loaded.config or {}, salts)
        reused = {} if recompute else self._reusable(snapshot, targets, signatures)
        overrides = {**{n: v for n, v in reused.items() if n not in given}, **given}
        inputs = {n.name for n in snapshot.nodes if n.is_external_input}
        asked_inputs = {name for name in names if name in inputs}
        """Inputs asked for by name: their values are results too, as Hamilton returns them."""
        inputs_needed = _inputs_needed(snapshot, targets, overrides) | asked_inputs
        missing = missing_inputs(snapshot, targets, [*expressions, *script], overrides)
        missing += [n for n in asked_inputs - {*expressions, *script} if n not in missing]
        if missing:
            outcome.status, outcome.missing = RunStatus.MISSING_INPUTS, missing
            outcome.message = "missing inputs: " + ", ".join(
                f"{name} ({snapshot.node(name).type})" for name in missing
            )
            return outcome
        try:
            values = evaluate_inputs(
                {k: v for k, v in expressions.items() if k in inputs_needed},
                namespace,
                bare_words_are_strings,
            )
        except InputError as error:
            outcome.status, outcome.message = RunStatus.BAD_INPUTS, str(error)
            return outcome
        from_script = [v for k, v in script.items() if k in inputs_needed]
        failed_input = next((v for v in from_script if not v.ok), None)
        if failed_input is not None:
            outcome.status = RunStatus.BAD_INPUTS
            outcome.message = (
                f"input {failed_input.key!r} ({failed_input.origin}, "
                f"`{failed_input.source.text}`) failed: {failed_input.error}"
            )
            outcome.frames, outcome.traceback = failed_input.frames, failed_input.traceback
            return outcome
        values.update({v.key: v.value for v in from_script})

        try:
            driver, hook = self._driver_for(loaded, recompute, executor, root)
        except ClusterError as error:
            outcome.status, outcome.message = RunStatus.FAILED, str(error)
            outcome.install_hint = error.install_hint or ""
            return outcome
        if executor.reuse_note and self.cache_path is not None:
            outcome.notes.append(executor.reuse_note)
        recorder = _Recorder(listener, overrides)
        hook.listener = recorder
        hook.results = {}
        if isinstance(hook, TaskProgress):
            hook.given = set(overrides)
        handed = _report_given(
            recorder, hook.results, given, needed_nodes(snapshot, targets, overrides)
        )
        try:
            with quiet_hamilton():
                returned = driver.execute(targets, inputs=values, overrides=overrides)
        except KeyboardInterrupt:
            self._interrupted(outcome, recorder, hook)
        except (Exception, SystemExit) as error:
            if _caused_by_interrupt(error):
                self._interrupted(outcome, recorder, hook)
            else:
                error = _exit_within(error) or error
                if isinstance(error, SystemExit):  # the node's own end went unreported
                    hook.unfinished(NodeStatus.FAILED, error)
                outcome.status, outcome.message = RunStatus.FAILED, describe(error)
                failed = [n for n in recorder.nodes.values() if n.status is NodeStatus.FAILED]
                outcome.failed_node = failed[-1].name if failed else hook.running
                outcome.frames = frames(root or Path.cwd(), error)
                outcome.traceback = "".join(traceback.format_exception(error))
        else:
            for name in targets:
                if name in overrides:
                    hook.results[name] = returned[name]
            hook.results.update({name: values[name] for name in asked_inputs if name in values})
        finally:
            hook.listener = None
        signing = (snapshot, signed, loaded.config or {}, given_salts(given))
        self._finish(outcome, recorder, hook, signing, overrides, started)
        outcome.reused_from_memory = [n for n in outcome.reused_from_memory if n not in given]
        if handed:
            outcome.notes.append(
                f"given by {loaded.dataflow.driver if loaded.dataflow else 'the dataflow'} "
                f"(--overrides), not computed: {', '.join(handed)}"
            )
        return outcome

    def _finish(
        self,
        outcome: RunOutcome,
        recorder: _Recorder,
        hook: Any,
        signing: tuple[GraphSnapshot, Mapping[str, str], Mapping[str, Any], Mapping[str, str]],
        overrides: Mapping[str, Any],
        started: float,
    ) -> RunOutcome:
        hook.listener = None
        if hook.cache is not None:
            read = {n: s for n, s in hook.cache.reads.items() if n in hook.results}
            if isinstance(hook, TaskProgress):  # computed elsewhere: kept with the results
                run_id = hook.cache.last_run_id
                for name in set(recorder.nodes) - set(read) - set(overrides):
                    stamps = hook.cache.reads_stored_in(run_id, name)
                    if stamps is not None:
                        read[name] = stamps
            self.reads.update(read)
            outcome.reads = read
            hook.cache.reads.clear()
            hook.cache.files_changed.clear()
        self._keep(hook.results, self._signatures_after(signing, hook.results), recorder)
        if hook.cache is not None:
            outcome.notes += [
                f"{name} is kept in memory only, not across restarts: {reason}"
                for name, reason in hook.cache.not_kept.items()
            ]
            hook.cache.not_kept.clear()
            outcome.notes += [
                f"{name}: its result in the disk cache could not be read ({reason}), so it "
                "was dropped and computed again"
                for name, reason in hook.cache.dropped.items()
            ]
            hook.cache.dropped.clear()
        if self.cache_problem is not None:
            outcome.notes.append(
                "results are not kept across restarts: the cache folder cannot be written "
                f"({self.cache_problem})"
            )
        outcome.reused_from_memory = list(overrides)
        outcome.nodes = list(recorder.nodes.values())
        outcome.seconds = time.perf_counter() - started
        return outcome

    @staticmethod
    def _interrupted(outcome: RunOutcome, recorder: _Recorder, hook: Any) -> None:
        """The nodes a stop ended are reported by the hook (with how long they ran)."""
        outcome.status, outcome.message = RunStatus.INTERRUPTED, "interrupted by the user"
        outcome.frames, outcome.traceback = [], ""
        stopped = hook.interrupted()
        for name in stopped:
            recorder.nodes.setdefault(name, NodeOutcome(name, NodeStatus.INTERRUPTED))
        outcome.failed_node = stopped[0] if stopped else None

    def _reusable(
        self, snapshot: GraphSnapshot, targets: list[str], signatures: Mapping[str, str]
    ) -> dict[str, Any]:
        """Valid results at the edge of what must be computed: Hamilton stops there (not a
        materializer's: asked again, it writes its file again)."""
        writers = {n.name for n in snapshot.nodes if n.role is NodeRole.MATERIALIZER}
        valid = self.valid_results(signatures) - writers
        needed = needed_nodes(snapshot, targets)
        index = GraphIndex(snapshot)
        frontier = {
            name
            for name in valid & needed
            if name in targets
            or any(child in needed and child not in valid for child in index.children[name])
        }
        return {name: self.results[name] for name in frontier}

    def _driver_for(
        self,
        loaded: LoadedDataflow,
        recompute: bool,
        executor: ExecutorChoice = LOCAL,
        root: Path | None = None,
    ) -> tuple[Any, Any]:
        if not executor.is_local:
            usable = self.cache_path if self.cache_problem is None else None
            return self.task_drivers.driver_for(loaded, executor, usable, root, recompute)
        if not recompute and loaded.hook is not None:
            return loaded.driver, loaded.hook
        cache, hook = self.adapters(recompute=recompute)
        adapters = [a for a in (cache, hook) if a is not None]
        assert loaded.dataflow is not None
        driver = build_driver(loaded.modules, loaded.dataflow, loaded.config or {}, adapters)
        return driver, hook

    def _signatures_after(
        self,
        signing: tuple[GraphSnapshot, Mapping[str, str], Mapping[str, Any], Mapping[str, str]],
        results: Mapping[str, Any],
    ) -> dict[str, str]:
        """The signatures the run's results are kept under: with the files they read as
        they are now. A file that changed while its node ran makes a salt never seen
        again: the node and what was computed from it are stale at once."""
        kept = {n: s for n, s in self.reads.items() if n in self.results or n in results}
        salts, _reasons = file_salts(kept)
        salts = {name: uuid.uuid4().hex if name in results else s for name, s in salts.items()}
        snapshot, signed, config, given = signing
        return lineage_signatures(snapshot, signed, config, {**salts, **given})

    def _keep(
        self, results: dict[str, Any], signatures: Mapping[str, str], recorder: _Recorder
    ) -> None:
        for name, value in results.items():
            old = self.signatures.get(name)
            if name in self.results and old is not None and old != signatures.get(name, ""):
                self.previous.keep(name, self.results[name])
            self.results[name] = value
            self.signatures[name] = signatures.get(name, "")
            if name in recorder.nodes:
                self.durations[name] = recorder.nodes[name].seconds


def given_values(loaded: LoadedDataflow) -> dict[str, Any]:
    """The values the dataflow gives in place of its nodes (a notebook's `--overrides`),
    for the nodes its graph has."""
    if loaded.dataflow is None or not loaded.dataflow.overrides:
        return {}
    names = {n.name for n in loaded.snapshot.nodes}
    return {k: v for k, v in loaded.dataflow.overrides.items() if k in names}


def _report_given(
    recorder: _Recorder, results: dict[str, Any], given: Mapping[str, Any], needed: set[str]
) -> list[str]:
    """Each given node the run needs is reported as given (not computed, not reused), and
    its value kept like a result: the window shows it, as for a target."""
    handed = [name for name in given if name in needed]
    for name in handed:
        results[name] = given[name]
        recorder.node_finished(name, NodeStatus.GIVEN, 0.0, None, given[name])
    return handed


def _inputs_needed(
    snapshot: GraphSnapshot, targets: list[str], overrides: Mapping[str, Any]
) -> set[str]:
    visited = needed_nodes(snapshot, targets, overrides)
    return {name for name in visited if snapshot.node(name).role is NodeRole.INPUT}


def _exit_within(error: BaseException) -> SystemExit | None:
    """A node's `sys.exit()`, also when a library's `finally` turned it into another
    error (Hamilton's cache adapter asserts then): the run fails with it, the process
    goes on."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, SystemExit):
            return seen
        seen = seen.__context__
    return None


def _caused_by_interrupt(error: BaseException) -> bool:
    """An interrupt that a library turned into another error while unwinding.

    Hamilton's cache adapter asserts in a `finally` block when a node is
    interrupted, so the KeyboardInterrupt arrives as the AssertionError's context.
    """
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False
