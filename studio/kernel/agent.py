"""The studio's agent inside the Jupyter kernel: answers the GUI's requests.

It registers the `studio` comm target; each request (see
`studio.core.protocol` for the messages) is decoded with its method's params
record and routed to a `_handle_<method>` method, which answers with the
method's result record. Handlers run on the kernel's shell thread, like any
cell, so an interrupt reaches them and the kernel shows busy while they
work. What a load leaves for after its reply is `load_finish`'s.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import sys
import traceback
from pathlib import Path
from typing import Any

from studio.core import protocol
from studio.core.cache.file_cache import writes_held
from studio.core.discovery.discover import imported_packages
from studio.core.discovery.project import Project, ValueKind
from studio.core.protocol import data_requests as data
from studio.core.protocol import events, node_frames
from studio.core.protocol import lazy_requests as lazy
from studio.core.protocol import requests as req
from studio.core.protocol.methods import PARAMS
from studio.core.protocol.wire import Record, WireError
from studio.core.runs.executors import (
    LOCAL,
    ExecutorChoice,
    ExecutorError,
    ExecutorKind,
    engine_installed,
)
from studio.core.runs.value_diff_text import describe_diff
from studio.kernel.executors.clusters import Clusters, ClusterState
from studio.kernel.executors.task_driver import TaskDrivers
from studio.kernel.loading import fresh_import
from studio.kernel.loading.graph_builder import LoadedDataflow
from studio.kernel.loading.load_finish import LoadFinisher, SentGraph
from studio.kernel.loading.project_load import load_project
from studio.kernel.results.bounded_display import BoundedDisplay
from studio.kernel.results.lazy_results import LazyResults
from studio.kernel.results.namespace import Results
from studio.kernel.results.tables import TableError, TableViews
from studio.kernel.results.value_diff import compare
from studio.kernel.results.viewers import describe_result
from studio.kernel.running import cache_trim
from studio.kernel.running.event_batches import EventBatches
from studio.kernel.running.run_interrupt import RunInterrupt
from studio.kernel.running.runner import Runner
from studio.kernel.running.running_marker import RunningMarker, kernel_folder
from studio.kernel.running.script_inputs import ScriptValues
from studio.kernel.running.tracebacks import describe


class RequestError(Exception):
    """A request that cannot be served; its message is shown to the user."""

    def __init__(self, code: protocol.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class Agent:
    def __init__(self, user_namespace: dict[str, Any] | None = None) -> None:
        self.comm: Any = None
        self.user_namespace = user_namespace if user_namespace is not None else {}
        self.project: Project | None = None
        self.loaded: LoadedDataflow | None = None
        self.clusters = Clusters()
        self.runner = Runner(Results(), task_drivers=TaskDrivers(self.clusters))
        self.user_namespace["results"] = self.runner.results
        self.tables = TableViews()
        self.lazy = LazyResults(self.tables)
        self.display = BoundedDisplay()
        self.run_interrupt = RunInterrupt()
        self.script_values = ScriptValues()
        """The inputs and config the driver scripts compute, evaluated (see `script_inputs`)."""
        self._run_ids = 0
        self.marker = RunningMarker(None)
        self._sent = SentGraph()
        self.finisher = LoadFinisher(self.send, self._sent, lambda: self.loaded)
        """What a load leaves for after its reply (see `load_finish`)."""

    # -- comm plumbing -------------------------------------------------------

    def open(self, comm: Any, _open_msg: dict[str, Any]) -> None:
        """Comm target: the GUI opened its main comm (again, after a reconnect)."""
        self.comm = comm
        comm.on_msg(lambda msg: self._on_msg(comm, msg))

    def open_data(self, comm: Any, _open_msg: dict[str, Any]) -> None:
        """Comm target for data requests, which the GUI sends to a subshell."""
        comm.on_msg(lambda msg: self._on_msg(comm, msg))

    def send(self, message: dict[str, Any]) -> None:
        """An event, on the main comm."""
        if self.comm is not None:
            self.comm.send(message)

    def _on_msg(self, comm: Any, msg: dict[str, Any]) -> None:
        data = msg["content"]["data"]
        if data.get("kind") == protocol.REQUEST:
            # A load makes and drops a whole graph's objects: collecting garbage while
            # it runs scans them again and again (a third of a big load's time). It
            # is collected once, after the reply is out.
            is_load = data.get("method") == protocol.Method.LOAD
            paused = is_load and gc.isenabled()
            if paused:
                gc.disable()
            collect_later = False
            try:
                reply = self.dispatch(data)
                # Output printed while serving the request goes out before its reply.
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                reply, frames = node_frames.split(reply) if is_load else (reply, [])
                if frames:
                    comm.send(reply, buffers=frames)
                else:
                    comm.send(reply)
                if is_load and self.finisher.unfinished():
                    # Waits for the IOPub thread to send the reply: the rest would slow it.
                    sys.stdout.flush()
                    collect_later = self.finisher.start()
            finally:
                if paused:
                    gc.enable()
                    if not collect_later:
                        self.finisher.collect_when_idle()

    def finish_load(self) -> None:
        """Wait for what the last load left out (see `LoadFinisher.finish`)."""
        self.finisher.finish()

    def dispatch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Run one request and build its reply; nothing raised escapes."""
        request_id = data.get("id", -1)
        method = data.get("method")
        handler = getattr(self, f"_handle_{method}", None)
        kind = PARAMS.get(method) if method in set(protocol.Method) else None
        try:
            self.finish_load()  # a request that came before it was done waits for it
            if kind is None or handler is None:
                return protocol.reply_error(
                    request_id, protocol.ErrorCode.BAD_REQUEST, f"unknown method {method!r}"
                )
            try:
                params = kind.from_wire(data.get("params") or {})
            except WireError as error:
                message = f"bad params for {method}: {error}"
                return protocol.reply_error(request_id, protocol.ErrorCode.BAD_REQUEST, message)
            result: Record = handler(params)
            return protocol.reply_ok(request_id, result.to_wire())
        except RequestError as error:
            return protocol.reply_error(request_id, error.code, str(error))
        except TableError as error:
            return protocol.reply_error(request_id, protocol.ErrorCode.TABLE, str(error))
        except KeyboardInterrupt:
            return protocol.reply_error(request_id, protocol.ErrorCode.INTERRUPTED, "interrupted")
        except Exception as error:
            detail = "".join(traceback.format_exception(error))
            message = f"{type(error).__name__}: {error}"
            return protocol.reply_error(request_id, protocol.ErrorCode.FAILED, message, detail)

    # -- handlers ------------------------------------------------------------

    def _handle_hello(self, _params: req.HelloParams) -> req.HelloResult:
        import hamilton.version

        return req.HelloResult(
            pid=os.getpid(),
            python=sys.version.split()[0],
            executable=sys.executable,
            hamilton=".".join(str(p) for p in hamilton.version.VERSION),
            cwd=str(Path.cwd()),
            engines={
                choice.kind.value: engine_installed(choice)
                for choice in (ExecutorChoice(ExecutorKind.DASK), ExecutorChoice(ExecutorKind.RAY))
            },
        )

    def _handle_load(self, params: req.LoadParams) -> req.LoadResult:
        root = Path(params.root)
        self.runner.cache_path = Path(params.cache_dir) if params.cache_dir else None
        if self.runner.cache_path is not None:
            spill = self.runner.cache_path.parent / "previous" / str(os.getpid())
            if self.runner.previous.folder != spill:
                self.runner.previous.folder = spill
                atexit.register(self.runner.previous.clear)
        cache, hook = self.runner.adapters()
        adapters = [a for a in (cache, hook) if a is not None]
        # The same folder again (a save): what did not change is not imported again.
        reuse = self.project is not None and self.project.root == root.resolve()
        # A first load sends the graph before what it does not need (see `load_finish`),
        # the entries kept for the next session included.
        with writes_held() as held:
            try:
                load = load_project(
                    root,
                    params.dataflow,
                    params.config,
                    adapters,
                    reuse,
                    not reuse,
                    script_values=self.script_values,
                )
            finally:
                self.finisher.write_later(held)
        if load.project is None:
            raise RequestError(protocol.ErrorCode.FOLDER_UNUSABLE, load.snapshot.errors[0].message)
        self.project = load.project
        self.finisher.expect_extensions(imported_packages(load.project))
        loaded = load.loaded
        if loaded.driver is not None:
            loaded.hook = hook
            self.loaded = loaded
            self.user_namespace["dr"] = loaded.driver
        chosen = load.dataflow.name if load.dataflow is not None else None
        snapshot = loaded.snapshot
        known = self._sent.nodes if params.known == self._sent.token else {}
        token = self._sent.take({n.name: n for n in snapshot.nodes})
        return req.LoadResult(
            project=_project_summary(load.project, chosen),
            snapshot=snapshot.to_wire(known),
            token=token,
            versions_follow=loaded.versions_pending,
        )

    def _handle_run(self, params: req.RunParams) -> req.RunResult:
        loaded = self.loaded
        if loaded is None or loaded.driver is None:
            raise RequestError(
                protocol.ErrorCode.NOT_LOADED, "the graph did not load; fix the errors first"
            )
        try:
            executor = ExecutorChoice.parse(params.executor)
        except ExecutorError as error:
            raise RequestError(protocol.ErrorCode.BAD_REQUEST, str(error)) from None
        self._run_ids += 1
        listener = _EventListener(self, self._run_ids)
        before = self.clusters.state()
        try:
            with self.run_interrupt.running():
                outcome = self._run(params, loaded, listener, executor)
        finally:
            listener.batches.flush()
            after = self.clusters.state()
            if after != before:
                self._send_cluster(after)
        cached = None
        if self.runner.cache_path is not None:
            limit = params.cache_limit or cache_trim.DEFAULT_LIMIT
            cached, _ = cache_trim.trim(self.runner.cache_path, limit)
        wire = {"run_id": self._run_ids, **outcome.to_dict(), "cache_bytes": cached}
        return req.RunResult.from_wire(wire)

    def _run(
        self,
        params: req.RunParams,
        loaded: LoadedDataflow,
        listener: Any,
        executor: ExecutorChoice = LOCAL,
    ) -> Any:
        return self.runner.run(
            loaded,
            list(params.nodes),
            params.mode,
            params.inputs,
            recompute=params.recompute,
            listener=listener,
            namespace=self.user_namespace,
            root=self.project.root if self.project else None,
            executor=executor,
            script_inputs=self._script_inputs(params, loaded),
        )

    def _script_inputs(self, params: req.RunParams, loaded: LoadedDataflow) -> dict[str, Any]:
        if not params.script_inputs or loaded.dataflow is None or self.project is None:
            return {}
        self.script_values.evaluate(
            self.project, loaded.dataflow, [ValueKind.INPUT], retry_interrupted=False
        )
        return dict(self.script_values.held(loaded.dataflow, ValueKind.INPUT))

    def _handle_script_values(self, params: req.ScriptValuesParams) -> req.ScriptValuesResult:
        """Evaluate the inputs the driver script computes; describe them and its config's."""
        if self.project is None:
            raise RequestError(protocol.ErrorCode.NOT_LOADED, "no folder is loaded")
        try:
            flow = self.project.dataflow(params.dataflow)
        except LookupError as error:
            raise RequestError(protocol.ErrorCode.BAD_REQUEST, str(error)) from None
        self.script_values.evaluate(self.project, flow, [ValueKind.INPUT])
        described = [
            value.info()
            for kind in (ValueKind.CONFIG, ValueKind.INPUT)
            for value in self.script_values.held(flow, kind).values()
        ]
        return req.ScriptValuesResult(dataflow=flow.name, values=described)

    def _handle_cluster(self, params: req.ClusterParams) -> req.ClusterResult:
        """The cluster runs go to; `stop` stops it (a cluster the studio started)."""
        if params.stop and self.clusters.current is not None:
            self.clusters.stop()
            self.runner.task_drivers.forget()
            self._send_cluster(None)
        return req.ClusterResult(_cluster_info(self.clusters.state()))

    def _send_cluster(self, state: ClusterState | None) -> None:
        self.send(events.message(events.ClusterChanged(_cluster_info(state))))

    def _handle_clear_results(self, _params: req.ClearResultsParams) -> req.ClearResultsResult:
        """Forget results in memory and on disk (Hamilton's cache folder)."""
        self.runner.clear()
        self.display.forget()
        removed = False
        path = self.runner.cache_path
        if path is not None and path.exists():
            shutil.rmtree(path, ignore_errors=True)
            removed = True
        loaded = self.loaded
        if loaded is not None and loaded.dataflow is not None and loaded.driver is not None:
            from studio.kernel.loading.graph_builder import build_driver

            cache, hook = self.runner.adapters()
            adapters = [a for a in (cache, hook) if a is not None]
            loaded.driver = build_driver(
                loaded.modules, loaded.dataflow, loaded.config or {}, adapters
            )
            loaded.hook = hook
            self.user_namespace["dr"] = loaded.driver
        return req.ClearResultsResult(cache_removed=removed)

    # -- results (data comm, served on a subshell) ------------------------------

    def _handle_result_info(self, params: data.ResultInfoParams) -> data.ResultInfoResult:
        """What the results panel shows; a table comes with its first page of rows."""
        name = params.name
        if name not in self.runner.results:
            return data.ResultInfoResult(name, available=False)
        value = self.runner.results[name]

        def describe() -> dict[str, Any]:
            info = describe_result(value)
            if info["kind"] == data.ResultKind.TABLE:
                info["table"] = self.tables.open(name, value, first_rows=params.rows)
            return info

        info = self.display.describe(value, describe)  # a repr that hangs is given up
        info["has_previous"] = name in self.runner.previous
        return data.ResultInfoResult.from_wire({"name": name, "available": True, **info})

    def _handle_compare(self, params: data.CompareParams) -> data.CompareResult:
        """How the node's output changed since the value its last recompute replaced."""
        name = params.name
        if name not in self.runner.results or name not in self.runner.previous:
            raise RequestError(
                protocol.ErrorCode.FAILED,
                f"{name} has no previous result: it was not computed again after a change",
            )
        report = compare(self.runner.previous.get(name), self.runner.results[name])
        return data.CompareResult(name, report, describe_diff(report, "previous", "now"))

    def _handle_table_rows(self, params: data.TableRowsParams) -> data.TablePage:
        page = self.tables.rows(params.view, params.start, params.stop)
        return data.TablePage.from_wire(page)

    def _handle_table_sort(self, params: data.TableSortParams) -> data.TableSortResult:
        sorted_ = self.tables.sort(params.view, params.column, params.ascending, params.first_rows)
        return data.TableSortResult.from_wire(sorted_)

    def _handle_table_filter(self, params: data.TableFilterParams) -> data.TableFilterResult:
        filtered = self.tables.filter(params.view, params.expression, params.first_rows)
        return data.TableFilterResult.from_wire(filtered)

    def _handle_table_summaries(
        self, params: data.TableSummariesParams
    ) -> data.TableSummariesResult:
        return data.TableSummariesResult.from_wire(self.tables.summaries(params.view))

    def _handle_table_export(self, params: data.TableExportParams) -> data.TableExportResult:
        exported = self.tables.export(params.view, params.path, params.format)
        return data.TableExportResult.from_wire(exported)

    def _handle_table_close(self, params: data.TableCloseParams) -> req.Empty:
        self.tables.close(params.view)
        return req.Empty()

    def _handle_lazy_fetch(self, params: lazy.LazyFetchParams) -> lazy.LazyJob:
        """Start computing a lazy result's first rows; the reply comes before they do."""
        value = self._result(params.name)
        started = self.lazy.fetch(params.name, value, params.rows, params.first_rows)
        return lazy.LazyJob.from_wire(started)

    def _handle_lazy_count(self, params: lazy.LazyCountParams) -> lazy.LazyJob:
        return lazy.LazyJob.from_wire(self.lazy.count(params.name, self._result(params.name)))

    def _handle_lazy_poll(self, params: lazy.LazyPollParams) -> lazy.LazyJob:
        return lazy.LazyJob.from_wire(self.lazy.poll(params.job, params.wait))

    def _handle_lazy_stop(self, params: lazy.LazyStopParams) -> lazy.LazyJob:
        return lazy.LazyJob.from_wire(self.lazy.stop(params.job))

    def _result(self, name: str) -> Any:
        if name not in self.runner.results:
            raise RequestError(
                protocol.ErrorCode.FAILED, f"{name} is not in this kernel's memory: run it again"
            )
        return self.runner.results[name]

    def _handle_stop_run(self, _params: data.StopRunParams) -> data.StopRunResult:
        return data.StopRunResult(sent=self.run_interrupt.interrupt())


class _EventListener:
    """Sends a run's progress to the GUI as events."""

    def __init__(self, agent: Agent, run_id: int) -> None:
        self.agent = agent
        self.run_id = run_id
        self.batches = EventBatches(agent.send)

    def run_started(self, execution_path: list[str]) -> None:
        self.agent.send(events.message(events.RunStarted(self.run_id, execution_path)))

    def node_started(self, name: str) -> None:
        self.agent.marker.mark(name)
        self.batches.add(events.NodeStarted(self.run_id, name))

    def node_finished(
        self,
        name: str,
        status: protocol.NodeStatus,
        seconds: float,
        error: BaseException | None,
        _result: Any,
    ) -> None:
        message = describe(error) if error else ""
        self.batches.add(events.NodeFinished(self.run_id, name, status, seconds, message))


def _cluster_info(state: ClusterState | None) -> req.ClusterInfo | None:
    return None if state is None else req.ClusterInfo.from_wire(state.to_dict())


def _project_summary(project: Project, chosen: str | None) -> req.ProjectSummary:
    return req.ProjectSummary(
        root=str(project.root),
        dataflow=chosen,
        dataflows=[flow.to_dict() for flow in project.dataflows],
        problems=[str(problem) for problem in project.problems],
    )


def install(kernel: Any) -> Agent:
    """Register the agent's comm target in a running ipykernel."""
    agent = Agent(kernel.shell.user_ns if kernel.shell is not None else None)
    agent.marker = RunningMarker(kernel_folder())
    fresh_import.IMPORTING.append(lambda name: agent.send(events.message(events.Importing(name))))
    if kernel.shell is not None:
        # A console cell waits for the load's last steps too, like a request.
        kernel.shell.events.register("pre_execute", agent.finish_load)
    kernel.comm_manager.register_target(protocol.COMM_TARGET, agent.open)
    kernel.comm_manager.register_target(protocol.DATA_COMM_TARGET, agent.open_data)
    return agent
