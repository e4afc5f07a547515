"""Hamilton lifecycle adapters that report a run as it goes.

`ProgressHook` turns Hamilton's graph and node hooks into calls on a
listener (the agent sends them to the GUI as events) and keeps every
node's result. `ObservedCache` is Hamilton's own result cache, which also
says, per node, whether it executed the function or took a stored result.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
import time
import weakref
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from hamilton.caching.adapter import CachingBehavior, CachingEventType, HamiltonCacheAdapter
from hamilton.caching.stores.base import ResultRetrievalError
from hamilton.caching.stores.file import FileResultStore
from hamilton.caching.stores.sqlite import SQLiteMetadataStore
from hamilton.lifecycle import GraphExecutionHook, NodeExecutionHook

from studio.core.protocol import NodeStatus
from studio.core.runs.file_reads import FileStamp, changed_files
from studio.kernel.running import file_audit, read_store


class RunListener(Protocol):
    def run_started(self, execution_path: list[str]) -> None: ...
    def node_started(self, name: str) -> None: ...
    def node_finished(
        self,
        name: str,
        status: NodeStatus,
        seconds: float,
        error: BaseException | None,
        result: Any,
    ) -> None: ...


_CODE_VERSIONS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
"""Hamilton's code version of each node function, shared by every cache adapter."""


class QuickCommitStore(SQLiteMetadataStore):
    """Hamilton's SQLite metadata store in write-ahead-log mode.

    Hamilton commits once per node; in SQLite's default mode each commit
    waits for the disk (half a millisecond and more), in WAL mode with
    `synchronous=NORMAL` it does not. A crash can lose the last commits,
    which only means those nodes are computed again: the store stays whole.
    """

    failed: str | None = None
    """Why a write of the store failed (a full or read-only disk): those nodes are only
    not reused later."""

    def initialize(self, run_id: Any) -> None:
        try:
            super().initialize(run_id)
        except sqlite3.Error as error:
            self.failed = str(error)

    def set(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().set(*args, **kwargs)
        except sqlite3.Error as error:
            self.failed = str(error)

    def _get_connection(self) -> sqlite3.Connection:
        fresh = not hasattr(self._thread_local, "connection")
        connection = super()._get_connection()
        if fresh:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self._path}{suffix}").chmod(0o600)
        return connection


class LenientResultStore(FileResultStore):
    """Hamilton's file result store, which leaves out what pickle cannot write, writes
    each result whole or not at all, and drops a result it cannot read.

    Clients, connections, sockets and lambdas are common results in Hamilton
    projects; Hamilton's store fails the node on them. Here the value stays
    in the kernel's memory only, and the refusal is noted for the user.

    Hamilton writes a result straight to its final name, so a process killed
    during a big write left a truncated pickle that failed its node in every
    later run ("pickle data was truncated"). Here a result is written beside
    its final name and renamed over it once whole; one that cannot be read all
    the same (written by an older studio, or a class that no longer exists) is
    deleted and its node computed again (Hamilton recomputes on
    `ResultRetrievalError`), with a note.
    """

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.refused: list[str] = []
        """Why each result not kept was refused (in the order met)."""
        self.dropped: list[str] = []
        """Why each unreadable stored result was dropped (in the order met)."""

    def set(
        self,
        data_version: str,
        result: Any,
        saver_cls: Any = None,
        loader_cls: Any = None,
    ) -> None:
        try:
            super().set(data_version, result, saver_cls, loader_cls)
        except OSError as error:  # a full or read-only disk
            self.refused.append(f"the disk cache cannot be written ({error.strerror or error})")
        except Exception as error:
            if saver_cls is not None or not _refused_by_pickle(error):
                raise
            self.refused.append(
                f"the disk cache cannot pickle it ({type(error).__name__}: {error})"
            )

    @staticmethod
    def _write_result(file_path: Path, stored_result: Any) -> None:
        """Whole or not at all: a partial file never has the result's name. The user's
        data: readable by its owner only (0600) from the start."""
        data = stored_result.save()
        partial = file_path.with_name(
            f".{file_path.name}.{os.getpid()}.{threading.get_ident()}.partial"
        )
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
            partial.replace(file_path)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise

    def get(self, data_version: str) -> Any | None:
        try:
            return super().get(data_version)
        except Exception as error:
            self.delete(data_version)
            self.dropped.append(f"{type(error).__name__}: {error}")
            raise ResultRetrievalError(str(error)) from error


def _refused_by_pickle(error: BaseException) -> bool:
    """Raised while Hamilton pickles a stored result (by the value's own `__reduce__` or
    `__getstate__`, or by pickle), not by the store's other work."""
    trace = error.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_name == "save" and "caching" in code.co_filename:
            return True
        trace = trace.tb_next
    return False


class ObservedCache(HamiltonCacheAdapter):
    """Hamilton's cache adapter, remembering for each node whether it ran or was reused.

    Code versions are Hamilton's own, hashed once per function rather than
    once per node and run (the source of a function does not change while
    its function object lives; a reloaded module brings new objects).
    """

    def __init__(self, *args: Any, path: str, **kwargs: Any) -> None:
        kwargs.setdefault("metadata_store", QuickCommitStore(path=path))
        kwargs.setdefault("result_store", LenientResultStore(path=path))
        super().__init__(*args, path=path, **kwargs)
        self.outcomes: dict[tuple[str, str], NodeStatus] = {}
        self.not_kept: dict[str, str] = {}
        """Nodes whose results the store could not write, and why (until read)."""
        self.dropped: dict[str, str] = {}
        """Nodes whose stored results could not be read and were computed again, and why
        (until read)."""
        self.reads: dict[str, list[FileStamp]] = {}
        """The files each node of the last runs read (computed, or reused from the disk
        cache), until read."""
        self.files_changed: dict[str, list[str]] = {}
        """Nodes whose stored result was not reused because files they read changed."""

    def pre_node_execute(self, *, run_id: str, node_: Any, **kwargs: Any) -> None:
        """Hamilton's cache key, then: a stored result whose node read files that changed
        since is not reused (the node is computed again)."""
        super().pre_node_execute(run_id=run_id, node_=node_, **kwargs)
        name = node_.name
        if self.behaviors[run_id][name] is not CachingBehavior.DEFAULT:
            return
        key = self.get_cache_key(run_id=run_id, node_name=name, task_id=kwargs.get("task_id"))
        stamps = read_store.load(self.metadata_store.connection, key)
        if not stamps:
            return
        changed = changed_files(stamps)
        if changed:  # Hamilton keeps a key's first data version: it goes, then the node runs
            with contextlib.suppress(sqlite3.Error):
                self.metadata_store.delete(cache_key=key)
            self.behaviors[run_id][name] = CachingBehavior.RECOMPUTE
            self.files_changed[name] = changed
        else:
            self.reads[name] = stamps  # reused: it stands for these files as they are

    def _execute_node(
        self,
        run_id: str,
        node_name: str,
        node_callable: Any,
        node_kwargs: dict[str, Any],
        task_id: str | None = None,
    ) -> Any:
        """The node's function, recording the files it reads (see `file_audit`)."""
        with file_audit.recording(ignore=[str(self._path)]) as read:
            result = super()._execute_node(run_id, node_name, node_callable, node_kwargs, task_id)
        self.reads[node_name] = read.stamps
        if read.stamps or node_name in self.files_changed:  # most read none: no write
            key = self.get_cache_key(run_id=run_id, node_name=node_name, task_id=task_id)
            read_store.save(self.metadata_store.connection, key, read.stamps)
        return result

    def do_node_execute(self, *, run_id: str, node_: Any, **kwargs: Any) -> Any:
        store = self.result_store
        dropped = len(store.dropped) if isinstance(store, LenientResultStore) else 0
        try:
            return super().do_node_execute(run_id=run_id, node_=node_, **kwargs)
        finally:
            if isinstance(store, LenientResultStore) and len(store.dropped) > dropped:
                self.dropped[node_.name] = store.dropped[-1]

    def post_node_execute(self, *, run_id: str, node_: Any, **kwargs: Any) -> None:
        store = self.result_store
        refused = len(store.refused) if isinstance(store, LenientResultStore) else 0
        super().post_node_execute(run_id=run_id, node_=node_, **kwargs)
        if isinstance(store, LenientResultStore) and len(store.refused) > refused:
            self.not_kept[node_.name] = store.refused[-1]

    def version_code(self, node_name: str, run_id: str | None = None) -> str:
        run_id = self.last_run_id if run_id is None else run_id
        functions = self._fn_graphs[run_id].nodes[node_name].originating_functions
        if not functions:
            return super().version_code(node_name, run_id)
        function = functions[0]
        try:
            return _CODE_VERSIONS[function]  # type: ignore[return-value]
        except (KeyError, TypeError):
            version = super().version_code(node_name, run_id)
            with contextlib.suppress(TypeError):
                _CODE_VERSIONS[function] = version
            return version

    def _log_event(
        self, run_id: str, node_name: str, actor: Any, event_type: Any, *args: Any, **kwargs: Any
    ) -> None:
        super()._log_event(run_id, node_name, actor, event_type, *args, **kwargs)
        if event_type is CachingEventType.EXECUTE_NODE:
            self.outcomes[(run_id, node_name)] = NodeStatus.COMPUTED
        elif event_type is CachingEventType.GET_RESULT:
            self.outcomes[(run_id, node_name)] = NodeStatus.REUSED

    def outcome(self, run_id: str, node_name: str) -> str | None:
        return self.outcomes.pop((run_id, node_name), None)

    def reads_stored_in(self, run_id: str, node_name: str) -> list[FileStamp] | None:
        """The files a node computed in that run by another process read (a worker of
        the processes, Dask or Ray executor keeps them with its result)."""
        try:
            row = self.metadata_store.connection.execute(
                "SELECT cache_key FROM history JOIN cache_metadata USING (cache_key) "
                "WHERE history.run_id = ? AND cache_metadata.node_name = ? LIMIT 1",
                (run_id, node_name),
            ).fetchone()
        except (AttributeError, sqlite3.Error):
            return None
        return read_store.load(self.metadata_store.connection, row[0]) if row else None

    def stored_in(self, run_id: str, node_name: str) -> bool:
        """Whether the node was computed (and stored) in that run, by any process.

        Workers elsewhere run their own copy of this adapter; what they stored
        is in the shared metadata store, what they reused is not.
        """
        try:
            cursor = self.metadata_store.connection.execute(
                "SELECT 1 FROM history JOIN cache_metadata USING (cache_key) "
                "WHERE history.run_id = ? AND cache_metadata.node_name = ? LIMIT 1",
                (run_id, node_name),
            )
            return cursor.fetchone() is not None
        except (AttributeError, sqlite3.Error):
            return True


@dataclass
class ProgressHook(NodeExecutionHook, GraphExecutionHook):
    """Reports node starts and ends to `listener`, and keeps each node's result."""

    listener: RunListener | None = None
    cache: ObservedCache | None = None
    results: dict[str, Any] = field(default_factory=dict)
    running: str | None = None
    _started: dict[str, float] = field(default_factory=dict)
    clock: Callable[[], float] = time.perf_counter

    def run_before_graph_execution(
        self, *, execution_path: Collection[str], run_id: str, **future_kwargs: Any
    ) -> None:
        self.running = None
        if self.listener is not None:
            self.listener.run_started(list(execution_path))

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Nothing to do: `running` still names the node a failed run stopped in."""

    def run_before_node_execution(self, *, node_name: str, **future_kwargs: Any) -> None:
        self.running = node_name
        self._started[node_name] = self.clock()
        if self.listener is not None:
            self.listener.node_started(node_name)

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        result: Any,
        error: Exception | None,
        success: bool,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        unwinding = sys.exc_info()[1]
        if isinstance(unwinding, KeyboardInterrupt):
            # Hamilton calls post-node hooks from a `finally`, as if the node succeeded.
            self.interrupted()
            return
        if isinstance(unwinding, SystemExit):  # the node called sys.exit(): it failed
            success, error, result = False, unwinding, None  # type: ignore[assignment]
        seconds = self.clock() - self._started.pop(node_name, self.clock())
        self.running = None
        if success:
            self.results[node_name] = result
            status = (
                self.cache.outcome(run_id, node_name) if self.cache else None
            ) or NodeStatus.COMPUTED
        else:
            status = NodeStatus.FAILED
        if self.listener is not None:
            self.listener.node_finished(node_name, status, seconds, error, result)

    def interrupted(self) -> list[str]:
        """The node a stop ended (reported once, with the time it ran until then)."""
        return self.unfinished(NodeStatus.INTERRUPTED)

    def unfinished(self, status: NodeStatus, error: BaseException | None = None) -> list[str]:
        """The node the run ended in whose end this hook never saw, reported once as
        `status` with the time it ran until then.

        Hamilton's cache adapter raises in its own post-node hook when a node is
        interrupted or calls `sys.exit()`, before this hook's turn: the runner asks
        here instead.
        """
        if self.running is None:
            return []
        started = self._started.pop(self.running, None)
        if started is not None and self.listener is not None:
            seconds = self.clock() - started
            self.listener.node_finished(self.running, status, seconds, error, None)
        return [self.running]
