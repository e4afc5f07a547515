"""The wire protocol between the studio (GUI process) and its agent in the kernel.

The two talk over one Jupyter comm whose target name is `studio`. The GUI
opens the comm once the kernel has started; every message is a JSON
object in the comm's `data`, of one of three kinds:

    request  GUI -> kernel   {"kind": "request", "id": 7, "method": "load", "params": {...}}
    reply    kernel -> GUI   {"kind": "reply", "id": 7, "ok": true, "result": {...}}
                             {"kind": "reply", "id": 7, "ok": false,
                              "error": {"message": "...", "detail": "traceback"}}
    event    kernel -> GUI   {"kind": "event", "event": "loading", "data": {...}}

Every request gets exactly one reply with the same id, unless the kernel
dies first (the GUI then fails the pending requests itself). Requests are
handled in the order they are sent. Events arrive between a request and
its reply, to report progress.

Methods (params -> result):

    hello   {}                                   -> {"pid", "python", "hamilton", "cwd",
                                                     "executable"}
        Sent first: proves the agent is up and says where it runs.

    load    {"root": str, "dataflow": str | None,   -> {"project": PROJECT, "snapshot": SNAPSHOT}
             "config": {key: value}}
        Discovers the folder, imports the dataflow's modules afresh and
        builds the Hamilton driver with the dataflow's config updated by
        `config`. When the graph does not load, the snapshot holds the
        errors (the reply is still ok); a failed reply means the request
        itself was bad (the folder is gone, for instance).

    PROJECT  = {"root": str, "dataflows": [DATAFLOW], "problems": [str], "dataflow": str}
    DATAFLOW = `Dataflow.to_dict()` (see studio.core.project)
    SNAPSHOT = `GraphSnapshot.to_dict()` (see studio.core.snapshot)

Events:

    loading  {"root": str, "dataflow": str | None}    a load has started
"""

from __future__ import annotations

from typing import Any

COMM_TARGET = "studio"

REQUEST = "request"
REPLY = "reply"
EVENT = "event"

HELLO = "hello"
LOAD = "load"

EVENT_LOADING = "loading"


def request(request_id: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": REQUEST, "id": request_id, "method": method, "params": params or {}}


def reply_ok(request_id: int, result: dict[str, Any]) -> dict[str, Any]:
    return {"kind": REPLY, "id": request_id, "ok": True, "result": result}


def reply_error(request_id: int, message: str, detail: str = "") -> dict[str, Any]:
    return {
        "kind": REPLY,
        "id": request_id,
        "ok": False,
        "error": {"message": message, "detail": detail},
    }


def event(name: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": EVENT, "event": name, "data": data or {}}
