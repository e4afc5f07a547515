"""The studio's agent inside the Jupyter kernel: answers the GUI's requests.

It registers the `studio` comm target; each request (see
`studio.core.protocol` for the messages) is routed to a `_handle_<method>`
method. Handlers run on the kernel's shell thread, like any cell, so an
interrupt reaches them and the kernel shows busy while they work.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

from studio.core import protocol
from studio.core.discovery import ProjectFolderError, discover
from studio.core.project import Project
from studio.core.snapshot import ErrorKind, GraphSnapshot, LoadError
from studio.kernel.graph_builder import LoadedDataflow, load_dataflow


class RequestError(Exception):
    """A request that cannot be served; its message is shown to the user."""


class Agent:
    def __init__(self, user_namespace: dict[str, Any] | None = None) -> None:
        self.comm: Any = None
        self.user_namespace = user_namespace if user_namespace is not None else {}
        self.project: Project | None = None
        self.loaded: LoadedDataflow | None = None

    # -- comm plumbing -------------------------------------------------------

    def open(self, comm: Any, _open_msg: dict[str, Any]) -> None:
        """Comm target: the GUI opened its comm (again, after a reconnect)."""
        self.comm = comm
        comm.on_msg(self._on_msg)

    def send(self, message: dict[str, Any]) -> None:
        if self.comm is not None:
            self.comm.send(message)

    def _on_msg(self, msg: dict[str, Any]) -> None:
        data = msg["content"]["data"]
        if data.get("kind") == protocol.REQUEST:
            self.send(self.dispatch(data))

    def dispatch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Run one request and build its reply; nothing raised escapes."""
        request_id = data.get("id", -1)
        handler = getattr(self, f"_handle_{data.get('method')}", None)
        if handler is None:
            return protocol.reply_error(request_id, f"unknown method {data.get('method')!r}")
        try:
            return protocol.reply_ok(request_id, handler(data.get("params") or {}))
        except RequestError as error:
            return protocol.reply_error(request_id, str(error))
        except KeyboardInterrupt:
            return protocol.reply_error(request_id, "interrupted")
        except Exception as error:
            detail = "".join(traceback.format_exception(error))
            return protocol.reply_error(request_id, f"{type(error).__name__}: {error}", detail)

    # -- handlers ------------------------------------------------------------

    def _handle_hello(self, _params: dict[str, Any]) -> dict[str, Any]:
        import hamilton.version

        return {
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "hamilton": ".".join(str(p) for p in hamilton.version.VERSION),
            "cwd": str(Path.cwd()),
        }

    def _handle_load(self, params: dict[str, Any]) -> dict[str, Any]:
        root = Path(params["root"])
        self.send(protocol.event(protocol.EVENT_LOADING, {"root": str(root)}))
        try:
            project = discover(root)
        except ProjectFolderError as error:
            raise RequestError(str(error)) from None
        self.project = project
        if Path.cwd() != project.root:
            os.chdir(project.root)
        try:
            flow = project.dataflow(params.get("dataflow"))
        except LookupError as error:
            message = str(error).strip("'\"")
            snapshot = GraphSnapshot("", errors=(LoadError(ErrorKind.PROJECT, message),))
            return {"project": _project_summary(project, None), "snapshot": snapshot.to_dict()}
        loaded = load_dataflow(project.root, flow, params.get("config") or {})
        if loaded.driver is not None:
            self.loaded = loaded
            self.user_namespace["dr"] = loaded.driver
        return {
            "project": _project_summary(project, flow.name),
            "snapshot": loaded.snapshot.to_dict(),
        }


def _project_summary(project: Project, chosen: str | None) -> dict[str, Any]:
    return {
        "root": str(project.root),
        "dataflow": chosen,
        "dataflows": [flow.to_dict() for flow in project.dataflows],
        "problems": [str(problem) for problem in project.problems],
    }


def install(kernel: Any) -> Agent:
    """Register the agent's comm target in a running ipykernel."""
    agent = Agent(kernel.shell.user_ns if kernel.shell is not None else None)
    kernel.comm_manager.register_target(protocol.COMM_TARGET, agent.open)
    return agent
