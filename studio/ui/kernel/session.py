"""The GUI's side of the kernel: start it, talk to its agent, notice when it dies.

A `KernelSession` owns one ipykernel process at a time. It talks to the
agent over the `studio` comm (protocol in `studio.core.protocol`): a
request is a params record, its reply carries the method's result record,
and each event is decoded into its payload record and handed to the
listeners' `_on_<event name>` methods (see `deliver`). It never blocks the
event loop waiting for the kernel. Sockets are IPC files in a private folder (mode
0700): no TCP port is opened.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient
from PySide6.QtCore import QObject, QTimer, Signal
from qtconsole.manager import QtKernelManager

from studio.core import protocol
from studio.core.platform.job_object import KillOnCloseJob
from studio.core.platform.kernel_transport import (
    kernel_transport,
    private_folder_base,
    private_folder_bases,
)
from studio.core.platform.liveness import process_alive
from studio.core.platform.ownership import owned_by_me
from studio.core.protocol import ErrorCode, node_frames
from studio.core.protocol.events import EventPayload, decode_event
from studio.core.protocol.requests import HelloParams, HelloResult, Params
from studio.core.protocol.wire import Record, WireError
from studio.ui.kernel.kernel_ending import (
    close_client,
    close_thread_loop,
    contain_kernel,
    end_kernel,
    find_provisioners_soon,
)
from studio.ui.kernel.messages import Reply, ReplyCallback, decode_reply, deliver
from studio.ui.kernel.spec import StudioKernelSpecManager, kernel_environment

_POLL_MS = 200
_HELLO_RETRY_MS = 1000


class KernelState(enum.StrEnum):
    """What `state_changed` carries."""

    STOPPED = "stopped"
    STARTING = "starting"
    IDLE = "idle"
    BUSY = "busy"
    DEAD = "dead"


class KernelSession(QObject):
    """One kernel process and the comm to its agent."""

    state_changed = Signal(object)
    """The new `KernelState`."""
    ready = Signal(object)
    """The agent answered `hello` (after every start or restart); carries its
    `HelloResult`."""
    died = Signal(str)
    """The kernel process ended without being asked to; carries a readable reason."""
    start_failed = Signal(str)
    """No kernel could be started (its folder is gone, its Python will not run): why."""
    output = Signal(str, str)
    """Text the kernel printed: (stream name, text)."""
    _subshell_decided = Signal(int, str)

    def __init__(self, parent: QObject | None = None, restart_on_death: bool = True) -> None:
        super().__init__(parent)
        self.restart_on_death = restart_on_death
        self._manager: Any = None
        self._client: Any = None
        self._comm: Any = None
        self._data_comm: Any = None
        self._subshell_id: str | None = None
        self._data_ready = False
        self._data_outbox: list[dict[str, Any]] = []
        self._generation = 0
        self._folder: Path | None = None
        self._job: KillOnCloseJob | None = None
        self._cwd: Path | None = None
        self._interpreter: Callable[[], Path | None] = lambda: None
        """Which Python a start uses: the project model's (see `read_interpreter_from`)."""
        self._pending: dict[int, tuple[ReplyCallback | None, type[Record]]] = {}
        self._listeners: list[object] = []
        self._hello_ids: set[int] = set()
        self._ids = itertools.count(1)
        self._state = KernelState.STOPPED
        self._prestarted: tuple[Path, Path | None] | None = None
        self._info: HelloResult | None = None
        self._busy_with: set[str | None] = set()
        """Requests the main shell said it is busy with and has not finished."""
        self.requests_lost_at_death = 0
        """How many requests the last death cut short (their callers report it)."""
        self._alive_timer = QTimer(self)
        self._alive_timer.setInterval(_POLL_MS)
        self._alive_timer.timeout.connect(self._check_alive)
        # A reply published before our IOPub subscription is connected is lost (ZeroMQ's
        # slow joiner): say hello again until the agent's answer gets through.
        self._hello_timer = QTimer(self)
        self._hello_timer.setInterval(_HELLO_RETRY_MS)
        self._hello_timer.timeout.connect(self._say_hello)
        self._subshell_decided.connect(self._on_subshell_decided)
        find_provisioners_soon()

    # -- public API ----------------------------------------------------------

    @property
    def state(self) -> KernelState:
        return self._state

    @property
    def info(self) -> HelloResult | None:
        """The agent's `hello` answer (pid, python, hamilton version, cwd); None until
        the kernel is up."""
        return self._info

    def listen(self, listener: object) -> None:
        """Hand the kernel's events to `listener`'s `_on_<event name>` methods (see
        `deliver`), in the order listeners registered."""
        if listener not in self._listeners:
            self._listeners.append(listener)
            if isinstance(listener, QObject):
                listener.destroyed.connect(lambda: self.unlisten(listener))

    def unlisten(self, listener: object) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def pid(self) -> int | None:
        process = self._process()
        return process.pid if process is not None else None

    @property
    def connection_folder(self) -> Path | None:
        return self._folder

    @property
    def kernel_manager(self) -> Any:
        return self._manager

    @property
    def kernel_client(self) -> Any:
        return self._client

    def read_interpreter_from(self, interpreter: Callable[[], Path | None]) -> None:
        """Each start runs the kernel in `interpreter()` (None: the studio's Python): the
        window's project model owns that choice, the session keeps no copy."""
        self._interpreter = interpreter

    def prestart(self, cwd: Path) -> None:
        """Start the kernel now, for the folder a window is about to open: the kernel's
        own start (half a second and more) runs while the window is built, and that
        window's `start` in the same folder keeps it."""
        self.start(cwd)
        self._prestarted = (Path(cwd), self._interpreter())

    def start(self, cwd: Path) -> None:
        """Start a kernel whose working directory is `cwd` (the project folder)."""
        prestarted, self._prestarted = self._prestarted, None
        interpreter = self._interpreter()
        if prestarted == (Path(cwd), interpreter) and self._manager is not None:
            self.state_changed.emit(self._state)  # for whoever connected since
            return
        self._stop(wait=False)
        self._cwd = Path(cwd)
        if not self._cwd.is_dir():  # it would fail with a FileNotFoundError, and hang
            self.start_failed.emit(f"the folder {self._cwd} does not exist")
            return
        remove_stale_kernel_folders()
        base = private_folder_base(KERNEL_FOLDER_PREFIX)  # macOS: socket paths fit
        self._folder = Path(tempfile.mkdtemp(prefix=KERNEL_FOLDER_PREFIX, dir=base))
        self._folder.chmod(0o700)
        (self._folder / _OWNER_FILE).write_text(str(os.getpid()), encoding="utf-8")
        spec_manager = StudioKernelSpecManager(interpreter=str(interpreter) if interpreter else "")
        manager = QtKernelManager(
            kernel_name="studio", kernel_spec_manager=spec_manager, autorestart=False
        )
        transport = kernel_transport(self._folder)
        manager.transport = transport.transport
        manager.ip = transport.ip
        manager.connection_file = str(self._folder / "connection.json")
        self._set_state(KernelState.STARTING)
        try:
            manager.start_kernel(cwd=str(self._cwd), env=kernel_environment(interpreter))
        except (OSError, RuntimeError) as error:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
            self._set_state(KernelState.STOPPED)
            self.start_failed.emit(f"the kernel could not start: {error}")
            return
        self._job = contain_kernel(manager)  # Windows: it ends with the studio
        client = manager.client()
        client.start_channels(hb=False)
        client.iopub_channel.message_received.connect(self._on_iopub)
        self._manager = manager
        self._client = client
        self._open_comm()
        self._alive_timer.start()

    def request(self, params: Params, on_reply: ReplyCallback | None = None) -> int:
        """Send the request `params` are for to the agent; `on_reply` is called on the GUI
        thread with a reply whose `result` is the params' `result_type`.

        Result requests (`protocol.DATA_METHODS`) go over the data comm to a
        subshell, so they are answered while a run or a cell is busy.
        """
        method = params.method
        request_id = next(self._ids)
        if self._comm is None:
            if on_reply is not None:
                failed = Reply(False, message="no kernel running", code=ErrorCode.NO_KERNEL)
                QTimer.singleShot(0, lambda: on_reply(failed))
            return request_id
        self._pending[request_id] = (on_reply, params.result_type)
        message = protocol.request(request_id, method, params.to_wire())
        if method not in protocol.DATA_METHODS:
            self._comm.send(message)
        elif self._data_ready:
            self._send_data(message)
        else:
            self._data_outbox.append(message)
        return request_id

    def _send_data(self, message: dict[str, Any]) -> None:
        if self._subshell_id is None:
            self._data_comm.send(message)
            return
        client = self._client
        content = {"comm_id": self._data_comm.comm_id, "data": message}
        msg = client.session.msg("comm_msg", content)
        msg["header"]["subshell_id"] = self._subshell_id
        client.shell_channel.send(msg)

    def _decide_subshell(self, connection_file: str, generation: int) -> None:
        """Worker thread: ask the kernel for a subshell, if it has them."""
        subshell = ""
        client = BlockingKernelClient(connection_file=connection_file)
        try:
            client.load_connection_file()
            client.start_channels(iopub=False, stdin=False, hb=False)
            info = client.kernel_info(reply=True, timeout=30)
            if "kernel subshells" in info["content"].get("supported_features", []):
                request = client.session.msg("create_subshell_request", {})
                client.control_channel.send(request)
                while True:
                    reply = client.control_channel.get_msg(timeout=30)
                    if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
                        subshell = reply["content"].get("subshell_id") or ""
                        break
        except Exception:
            subshell = ""
        finally:
            close_client(client)
            close_thread_loop()
        self._subshell_decided.emit(generation, subshell)

    def _on_subshell_decided(self, generation: int, subshell: str) -> None:
        if generation != self._generation or self._data_comm is None:
            return
        self._subshell_id = subshell or None
        self._data_ready = True
        outbox, self._data_outbox = self._data_outbox, []
        for message in outbox:
            self._send_data(message)

    def restart(self) -> None:
        """Replace the kernel by a fresh one (its variables are lost)."""
        if self._cwd is not None:
            self.start(self._cwd)

    def interrupt(self) -> None:
        if self._manager is not None and self._manager.has_kernel:
            self._manager.interrupt_kernel()

    def shutdown(self, wait: bool = True) -> None:
        """Stop the kernel and remove its connection folder; safe to call twice. A restart
        after it starts nothing (no folder is remembered: the next may not be trusted).
        Without `wait` the kernel is ended on a thread (`wait_for_endings`)."""
        self._stop(wait)

    def _stop(self, wait: bool) -> None:
        """Stop the kernel; without `wait` (a restart), its channels' threads are joined
        and its process ended on a thread (a third of a second and more, which would
        freeze the window), what it sends meanwhile going nowhere."""
        self._cwd = None
        self._alive_timer.stop()
        self._hello_timer.stop()
        self._fail_pending(ErrorCode.KERNEL_SHUT_DOWN, "the kernel was shut down")
        self._comm = None
        self._data_comm = None
        self._subshell_id = None
        self._data_ready = False
        self._data_outbox = []
        self._generation += 1
        client, self._client = self._client, None
        manager, self._manager = self._manager, None
        folder, self._folder = self._folder, None
        job, self._job = self._job, None
        if client is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                client.iopub_channel.message_received.disconnect(self._on_iopub)
        if client is not None or manager is not None or folder is not None:
            end_kernel(client, manager, folder, wait, job)
        self._info = None
        self._busy_with.clear()
        self._set_state(KernelState.STOPPED)

    # -- internals -----------------------------------------------------------

    def _open_comm(self) -> None:
        comm = self._client.comm_manager.new_comm(protocol.COMM_TARGET)
        comm.on_msg(self._on_comm_msg)
        self._comm = comm
        data_comm = self._client.comm_manager.new_comm(protocol.DATA_COMM_TARGET)
        data_comm.on_msg(self._on_comm_msg)
        self._data_comm = data_comm
        self._say_hello()
        self._hello_timer.start()
        threading.Thread(
            target=self._decide_subshell,
            args=(self._manager.connection_file, self._generation),
            name="studio-subshell",
            daemon=True,
        ).start()

    def _say_hello(self) -> None:
        if self._info or self._comm is None:
            self._hello_timer.stop()
            return
        self._hello_ids.add(self.request(HelloParams(), self._on_hello))

    def _on_hello(self, reply: Reply) -> None:
        if reply.ok and not self._info:
            self._hello_timer.stop()
            for request_id in self._hello_ids:  # earlier hellos whose answers were lost
                self._pending.pop(request_id, None)
            self._hello_ids.clear()
            self._info = reply.result
            self._set_state(KernelState.IDLE)
            self.ready.emit(self._info)

    def _on_comm_msg(self, msg: dict[str, Any]) -> None:
        data = msg["content"]["data"]
        kind = data.get("kind")
        if kind == protocol.REPLY:
            callback, result_type = self._pending.pop(data.get("id"), (None, Record))
            if callback is not None:
                data = node_frames.join(data, msg.get("buffers") or ())
                callback(decode_reply(data, result_type))
        elif kind == protocol.EVENT:
            try:
                payload = decode_event(data.get("event"), data.get("data"))
            except WireError as error:
                self.output.emit("stderr", f"studio: an event did not decode: {error}\n")
                return
            if payload is not None:
                self._dispatch(payload)

    def _dispatch(self, payload: EventPayload) -> None:
        for listener in list(self._listeners):
            deliver(listener, payload)

    def _on_iopub(self, msg: dict[str, Any]) -> None:
        msg_type = msg["header"]["msg_type"]
        if msg_type == "status" and self._info:  # before hello, the kernel is still starting
            parent = msg.get("parent_header") or {}
            if parent.get("subshell_id"):
                return  # a result fetched beside the main shell: it stays as it is
            state = msg["content"].get("execution_state")
            request = parent.get("msg_id")
            if state == "busy":
                self._busy_with.add(request)
                self._set_state(KernelState.BUSY)
            elif state == "idle":
                self._busy_with.discard(request)
                if not self._busy_with:  # idle once every request it was busy with is done
                    self._set_state(KernelState.IDLE)
        elif msg_type == "stream":
            self.output.emit(msg["content"].get("name", "stdout"), msg["content"].get("text", ""))

    def _process(self) -> Any:
        if self._manager is None or self._manager.provisioner is None:
            return None
        return getattr(self._manager.provisioner, "process", None)

    def _check_alive(self) -> None:
        process = self._process()
        code = process.poll() if process is not None else None
        if process is None or code is None:
            return
        self._alive_timer.stop()
        reason = _exit_reason(code)
        self._set_state(KernelState.DEAD)
        self.requests_lost_at_death = len(self._pending)
        self._fail_pending(ErrorCode.KERNEL_DIED, f"the kernel died ({reason})")
        self._comm = None
        self._data_comm = None
        self._data_ready = False
        self._generation += 1
        self.died.emit(reason)
        if self.restart_on_death and self._cwd is not None:
            self.start(self._cwd)

    def _fail_pending(self, code: ErrorCode, message: str) -> None:
        pending, self._pending = self._pending, {}
        for callback, _result_type in pending.values():
            if callback is not None:
                callback(Reply(False, message=message, code=code))

    def _set_state(self, state: KernelState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)


def _exit_reason(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


KERNEL_FOLDER_PREFIX = "studio-kernel-"
_OWNER_FILE = "owner.pid"
_STALE_WITHOUT_OWNER_S = 24 * 3600


def remove_stale_kernel_folders() -> list[Path]:
    """Remove the connection folders of kernels whose app is gone (killed, or crashed
    before it could clean up); what was removed."""
    removed = []
    found = (b.glob(f"{KERNEL_FOLDER_PREFIX}*") for b in private_folder_bases(KERNEL_FOLDER_PREFIX))
    for folder in itertools.chain.from_iterable(found):
        try:
            if not owned_by_me(folder) or not folder.is_dir():
                continue
            owner = folder / _OWNER_FILE
            if owner.exists():
                stale = not process_alive(int(owner.read_text(encoding="utf-8").strip() or 0))
            else:  # from an older version: by age
                stale = time.time() - folder.stat().st_mtime > _STALE_WITHOUT_OWNER_S
        except (OSError, ValueError):
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
