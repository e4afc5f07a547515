"""The studio side of `bench_compatibility.py`: run `studio graph` and pick the dataflow.

`studio graph FOLDER --format json --interpreter PYTHON [--dataflow NAME] [--static]`
prints the dataflows it found ("dataflows", and "dataflow_details" with
each one's modules), the one it loaded ("dataflow", "modules"), its nodes
with their dependencies, and the errors. Without an explicit dataflow in
the case, the bench takes the one named after the case's driver script
when its modules are the case's, else any whose modules are the case's,
else the script's own (so a misread shows as a difference), else the
smallest that holds the case's modules, else the studio's choice.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.compat_cases import Case

ROOT = Path(__file__).resolve().parents[1]
STUDIO = ROOT / ".venv" / "bin" / "studio"
STUDIO_TIMEOUT = 180


@dataclass
class StudioResult:
    nodes: dict[str, set[str]] | None = None  # name -> dependencies, None when not loaded
    dataflow: str = ""
    error: str = ""  # the first error (or, when loaded, the first warning)
    unavailable: bool = False  # the studio cannot be asked at all (e.g. an older CLI)
    seconds: float = 0.0
    runs: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    """Config keys given with --config because the script sets them when it runs."""
    unexpanded: set[str] = field(default_factory=set)
    """With --static: the functions drawn as one node, their decorators not applied."""


class _StudioUnavailableError(Exception):
    pass


def _ask(
    folder: Path,
    python: Path,
    env: dict[str, str],
    dataflow: str | None,
    config: dict[str, Any] | None = None,
    static: bool = False,
) -> dict[str, Any]:
    command = [str(STUDIO), "graph", str(folder), "--format", "json", "--interpreter", str(python)]
    if static:
        command.append("--static")
    if dataflow:
        command += ["--dataflow", dataflow]
    for key, value in (config or {}).items():
        command += ["--config", f"{key}={value!r}"]
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=STUDIO_TIMEOUT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"errors": [{"message": f"studio graph timed out after {STUDIO_TIMEOUT} s"}]}
    if "unrecognized arguments" in done.stderr:
        raise _StudioUnavailableError(
            "studio graph does not take --interpreter yet (unrecognized arguments)"
        )
    try:
        payload = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"errors": [{"message": _crash(done.stderr, done.returncode)}]}
    return payload if isinstance(payload, dict) else {"errors": [{"message": "not a JSON object"}]}


def _crash(stderr: str, status: int) -> str:
    """One line for a studio that printed no JSON: the exception and where, else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    places = [line for line in lines if line.startswith('File "')]
    errors = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception)\b:?", line)]
    if errors:
        where = ""
        if places:
            found = re.match(r'File "([^"]+)", line (\d+)', places[-1])
            where = f" at {Path(found[1]).name}:{found[2]}" if found else ""
        return f"crashed: {errors[-1][:140]}{where}"
    return (lines[-1] if lines else f"exit status {status}")[:200]


def _module_set(modules: Any) -> frozenset[str]:
    names = modules if isinstance(modules, list) else []
    return frozenset(str(n).removesuffix(".py").replace("/", ".") for n in names)


def _script_names(case: Case) -> set[str]:
    if case.driver is None:
        return set()
    path = Path(case.driver)
    without = str(path.with_suffix(""))
    return {path.stem, without, without.replace("/", "."), case.driver}


def _first_problem(payload: dict[str, Any]) -> str:
    for error in payload.get("errors") or []:
        where = f" ({error.get('file')}:{error.get('line')})" if error.get("file") else ""
        return f"{str(error.get('message', error)).strip().splitlines()[0][:160]}{where}"
    for warning in payload.get("warnings") or []:
        return str(warning).strip().splitlines()[0][:160] if str(warning).strip() else ""
    return ""


def _candidates(case: Case, payload: dict[str, Any]) -> Iterator[str]:
    """Dataflow names to try, best first: the script's own, the chosen one, the others."""
    names = [str(n) for n in payload.get("dataflows") or []]
    own = [n for n in names if n in _script_names(case)]
    chosen = str(payload.get("dataflow") or "")
    yield from own
    if chosen and chosen not in own:
        yield chosen
    yield from (n for n in names if n not in own and n != chosen)


def _pick(case: Case, first: dict[str, Any], ask: Any) -> dict[str, Any]:
    """The payload of the dataflow to compare with (see the module docstring)."""
    wanted = frozenset(case.modules)
    chosen = str(first.get("dataflow") or "")
    details = first.get("dataflow_details")
    payloads = {chosen: first}
    if isinstance(details, list):
        modules = {str(d.get("name")): _module_set(d.get("modules")) for d in details}
        same = [str(d.get("name")) for d in details if _module_set(d.get("modules")) == wanted]
        if len(same) > 1:
            configs = {str(d.get("name")): d.get("config") or {} for d in details}
            best = max(same, key=lambda name: _closeness(case.config, configs[name]))
            return payloads[best] if best in payloads else ask(best)
    else:  # an older studio: ask for each dataflow until the modules match
        modules = {chosen: _module_set(first.get("modules"))}
    for name in _candidates(case, first):
        if name not in modules:
            payloads[name] = ask(name)
            modules[name] = _module_set(payloads[name].get("modules"))
        if modules[name] == wanted:
            return payloads[name] if name in payloads else ask(name)
    own = [n for n in _candidates(case, first) if n in _script_names(case)]
    if own:
        return payloads.get(own[0]) or ask(own[0])
    wider = sorted((len(m), n) for n, m in modules.items() if m > wanted)
    if wider:  # no script: the smallest dataflow that holds the case's modules
        return payloads.get(wider[0][1]) or ask(wider[0][1])
    return first


def _closeness(wanted: dict[str, Any], found: dict[str, Any]) -> int:
    """Keys with the same value, less keys with another one."""
    same = sum(1 for k, v in found.items() if k in wanted and wanted[k] == v)
    other = sum(1 for k, v in found.items() if k in wanted and wanted[k] != v)
    return same - other


def _run_time_keys(case: Case, payload: dict[str, Any]) -> dict[str, Any]:
    """The case's values for keys the chosen dataflow leaves to the script's run time."""
    name = str(payload.get("dataflow") or "")
    for details in payload.get("dataflow_details") or []:
        if str(details.get("name")) != name:
            continue
        hints = details.get("config_hints") or {}
        config = details.get("config") or {}
        return {
            k: v
            for k, v in case.config.items()
            if k in hints and k not in config and "set at run time" in str(hints[k])
        }
    return {}


def _nodes(payload: dict[str, Any]) -> dict[str, set[str]] | None:
    nodes = payload.get("nodes")
    if not isinstance(nodes, list) or payload.get("errors"):
        return None
    return {
        str(n["name"]): set(n.get("dependencies") or []) | set(n.get("optional_dependencies") or [])
        for n in nodes
    }


def run_studio(
    case: Case,
    folder: Path,
    python: Path,
    env: dict[str, str],
    matches: Any = lambda nodes: False,
    static: bool = False,
) -> StudioResult:
    """The studio's graph for the case; run-time config is given only when it is needed
    for `matches` (the comparison with the reference)."""
    result = StudioResult()
    started = time.perf_counter()

    def ask(name: str | None, config: dict[str, Any] | None = None) -> dict[str, Any]:
        result.runs.append(name or "(default)")
        return _ask(folder, python, env, name, config, static)

    try:
        payload = ask(case.studio_dataflow)
        if case.studio_dataflow is None and payload.get("dataflows"):
            payload = _pick(case, payload, ask)
        given = _run_time_keys(case, payload)
        if given and not matches(_nodes(payload)):
            result.given = sorted(given)
            payload = {**ask(str(payload.get("dataflow") or ""), given), "dataflow_details": []}
    except _StudioUnavailableError as error:
        result.unavailable, result.error = True, str(error)
        result.seconds = time.perf_counter() - started
        return result
    result.seconds = time.perf_counter() - started
    result.dataflow = str(payload.get("dataflow") or "")
    result.error = _first_problem(payload)
    result.nodes = _nodes(payload)
    result.unexpanded = {
        str(n["name"]) for n in payload.get("nodes") or [] if n.get("expanded") is False
    }
    return result
