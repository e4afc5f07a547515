"""`studio run PATH [NODE ...]`: compute nodes headlessly and print or save their results.

Without nodes, what the driver script asks `execute` for (every sink when it
names none), with the inputs and config the script computes evaluated as
the window evaluates them (`kernel/running/script_inputs.py`).

Exit status: 0 when every node computed, 1 when a node failed or was
interrupted (named, with how long it ran), 2 when the run could not start
(graph errors, missing or bad inputs, bad options).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from studio.cli import load_deadline
from studio.cli.interpreter_choice import InterpreterError, choose_interpreter, run_there
from studio.cli.result_text import format_result
from studio.cli.supervised import NodeTeller, run_supervised
from studio.core.atomic_write import MissingFolderError, check_folder, reason, replacing
from studio.core.cache.cache_paths import durations_file
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.load_timeout import LoadTimeout
from studio.core.protocol import NodeStatus, RunStatus
from studio.core.runs.executors import LOCAL, ExecutorChoice
from studio.core.runs.run_forecast import DurationBook, forecast
from studio.core.runs.run_plan import RunMode, missing_inputs, run_targets
from studio.core.time_text import format_seconds
from studio.core.values import parse_assignments

EXIT_OK = 0
EXIT_NODE_FAILED = 1
EXIT_NOT_STARTED = 2
OUTPUT_FORMATS = (".csv", ".parquet", ".json", ".pkl")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio run",
        description="Compute nodes of a Hamilton project and print their results.",
    )
    parser.add_argument("path", help="project folder")
    parser.add_argument(
        "nodes",
        nargs="*",
        metavar="NODE",
        help="nodes to compute (default: what the driver script asks for)",
    )
    parser.add_argument("--dataflow", help="dataflow name (a driver script's stem, e.g. run)")
    parser.add_argument(
        "--config", action="append", default=[], metavar="KEY=VALUE", help="config value"
    )
    parser.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=EXPR",
        help="input value: a Python expression (a bare word is taken as text); repeatable",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        help=f"write the one requested result to a file ({', '.join(OUTPUT_FORMATS)}); "
        ".pkl writes a dict of name -> value when no node or several are named",
    )
    parser.add_argument(
        "--materialize",
        action="store_true",
        help="also run the driver script's materializers (they write their files)",
    )
    parser.add_argument(
        "--plan",
        action="store_true",
        help="print what the run would compute and how long it took before, without running",
    )
    parser.add_argument(
        "--interpreter",
        type=Path,
        metavar="PYTHON",
        help="run in this Python (default: the project's own: settings, .venv/venv, or the uv, "
        "Poetry or conda environment it names)",
    )
    parser.add_argument(
        "--executor",
        default="local",
        metavar="EXECUTOR",
        help="where nodes run: local (default), threads, processes, dask, ray (a cluster "
        "started for this run and stopped after it), or dask=ADDRESS / ray=ADDRESS to run "
        "on a running cluster",
    )
    load_deadline.add_option(parser)
    return parser


def _split_inputs(items: Sequence[str]) -> dict[str, str]:
    inputs = {}
    for item in items:
        name, sep, expression = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--input {item!r} is not of the form NAME=EXPR")
        inputs[name.strip()] = expression
    return inputs


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        config = parse_assignments(options.config, "--config")
        typed_inputs = _split_inputs(options.input)
        executor = ExecutorChoice.parse(options.executor)
    except ValueError as error:
        parser.error(str(error))
    if options.output is not None:
        if len(options.nodes) > 1 and options.output.suffix != ".pkl":
            parser.error("--output writes one result: name exactly one node (or use .pkl)")
        if options.output.suffix not in OUTPUT_FORMATS:
            parser.error(f"--output must end in one of {', '.join(OUTPUT_FORMATS)}")
        try:
            check_folder(options.output)
        except OSError as error:  # said before the run, not after it
            return _fail(f"cannot write {options.output}: {reason(error)}", EXIT_NOT_STARTED)
    root = Path(options.path).expanduser()
    try:
        choice = choose_interpreter(root, options.interpreter)
    except InterpreterError as error:
        return _fail(str(error), EXIT_NOT_STARTED)
    if choice.python is not None:
        return run_there(choice, ["run", *_child_arguments(options)]).returncode
    return run_supervised(lambda: _run_here(options, root, config, typed_inputs, executor))


def _run_here(
    options: argparse.Namespace,
    root: Path,
    config: dict[str, Any],
    typed_inputs: dict[str, str],
    executor: ExecutorChoice = LOCAL,
) -> int:
    from studio.core.discovery.project import ValueKind
    from studio.kernel.loading.project_load import headless, load_project
    from studio.kernel.running.runner import Runner
    from studio.kernel.running.script_inputs import ScriptValues

    runner = Runner()
    script_values = ScriptValues()
    _, hook = runner.adapters()
    stdout = sys.stdout
    with headless():
        try:
            with load_deadline.deadline(options.load_timeout):
                load = load_project(
                    root, options.dataflow, config, [hook], script_values=script_values
                )
        except LoadTimeout as stopped:
            return _fail(f"loading {options.path} {stopped}", EXIT_NOT_STARTED)
        for warning in load.warnings():
            print(f"studio: warning: {warning}", file=sys.stderr)
        loaded, flow = load.loaded, load.dataflow
        if loaded.driver is None or flow is None or load.project is None:
            for error in loaded.snapshot.errors:
                print(f"  {error}", file=sys.stderr)
                if error.hint:
                    print(f"    {error.hint}", file=sys.stderr)
            return _fail("the graph did not load", EXIT_NOT_STARTED)
        loaded.hook = hook
        known = {i.name for i in loaded.snapshot.nodes}
        unknown = [n for n in options.nodes if n not in known]
        if unknown:
            return _fail(f"no node named {', '.join(unknown)} in {flow.name}", EXIT_NOT_STARTED)
        asked = [o for o in flow.outputs if o in known]
        nodes = list(options.nodes) or asked or run_targets(loaded.snapshot, [], RunMode.ALL)
        as_dict = options.output is not None and (len(nodes) > 1 or not options.nodes)
        if as_dict and options.output.suffix != ".pkl":
            return _fail(
                f"the run computes {len(nodes)} outputs ({', '.join(nodes)}): --output must "
                "end in .pkl to hold them all (or name one node)",
                EXIT_NOT_STARTED,
            )
        expressions = {name: repr(value) for name, value in flow.inputs.items()}
        expressions.update(typed_inputs)
        book = DurationBook(durations_file(load.project.root))
        writers: list[str] = []
        if options.materialize:
            writers, problem = _materializers(flow, loaded.snapshot)
            if problem:
                return _fail(problem, EXIT_NOT_STARTED)
        names = list(dict.fromkeys([*nodes, *writers]))
        if options.plan:
            computed = [v.key for v in flow.script_values if v.kind is ValueKind.INPUT and v.key]
            given = {**dict.fromkeys(computed, "the script's"), **expressions}
            plan = _plan_text(loaded.snapshot, names, given, book, flow.overrides)
            print(plan, file=stdout)
            return EXIT_OK
        script_values.evaluate(load.project, flow, [ValueKind.INPUT])
        try:
            outcome = runner.run(
                loaded,
                names,
                RunMode.UPSTREAM,
                expressions,
                listener=NodeTeller(),
                root=load.project.root,
                bare_words_are_strings=True,
                executor=executor,
                script_inputs=script_values.held(flow, ValueKind.INPUT),
            )
        finally:
            runner.task_drivers.clusters.stop()
    if outcome.install_hint:
        return _fail(
            f"{outcome.message}\n  install it with: {outcome.install_hint}", EXIT_NOT_STARTED
        )
    for note in outcome.notes:
        print(f"studio: note: {note}", file=sys.stderr)
    _record_durations(book, loaded.snapshot, outcome.nodes)
    if outcome.status is not RunStatus.DONE:
        for frame in (f for f in outcome.frames if f.in_project):
            print(f"  {frame.file}, line {frame.line}, in {frame.function}", file=sys.stderr)
            if frame.text:
                print(f"    {frame.text}", file=sys.stderr)
    if outcome.status in (RunStatus.MISSING_INPUTS, RunStatus.BAD_INPUTS):
        hint = " (give them with --input NAME=EXPR)" if outcome.missing else ""
        return _fail(outcome.message + hint, EXIT_NOT_STARTED)
    if outcome.status is RunStatus.INTERRUPTED:
        return _fail(_interrupted_text(outcome), EXIT_NODE_FAILED)
    if outcome.status is not RunStatus.DONE:
        node = f"node {outcome.failed_node!r} failed: " if outcome.failed_node else ""
        return _fail(node + outcome.message, EXIT_NODE_FAILED)
    if options.output is not None:
        value = {n: runner.results[n] for n in nodes} if as_dict else runner.results[nodes[0]]
        try:
            write_result(value, options.output)
        except MissingFolderError as error:  # removed during the run
            return _fail(f"cannot write {options.output}: {error}", EXIT_NOT_STARTED)
        except OSError as error:
            return _fail(f"cannot write {options.output}: {reason(error)}", EXIT_NODE_FAILED)
        except (TypeError, ValueError, ImportError, AttributeError) as error:
            return _fail(f"cannot write {options.output}: {error}", EXIT_NODE_FAILED)
        except pickle.PicklingError as error:
            return _fail(f"cannot write {options.output}: {error}", EXIT_NODE_FAILED)
        except Exception as error:  # the value's own code (its __str__, its to_json) raised
            why = f"writing the value raised {type(error).__name__}: {error}"
            return _fail(f"cannot write {options.output}: {why}", EXIT_NODE_FAILED)
        print(f"wrote {', '.join(nodes)} to {options.output}", file=sys.stderr)
        return EXIT_OK
    handed = {n.name for n in outcome.nodes if n.status is NodeStatus.GIVEN}
    for name in names:
        how = f" (given by {flow.driver or flow.name}, --overrides)" if name in handed else ""
        print(f"== {name}{how} ==")
        print(format_result(runner.results[name]))
    return EXIT_OK


def _materializers(flow: Any, snapshot: GraphSnapshot) -> tuple[list[str], str]:
    """The driver's materializers that can run here, or why none can (each one that
    cannot is said on stderr)."""
    from studio.kernel.loading.materializer_nodes import cannot_run

    known = {info.name for info in snapshot.nodes}
    writers = []
    for spec in flow.materializers:
        reason = cannot_run(flow, [spec.id])
        if reason is None and spec.id not in known:
            reason = f"materializer {spec.id!r} is not in the graph (see the warnings above)"
        if reason is None:
            writers.append(spec.id)
        else:
            print(f"studio: warning: {reason}", file=sys.stderr)
    if writers:
        return writers, ""
    if not flow.materializers:
        return [], f"{flow.driver or flow.name} gives its driver no materializers"
    return [], "none of the driver's materializers can run"


def _plan_text(
    snapshot: GraphSnapshot,
    nodes: list[str],
    expressions: dict[str, str],
    book: DurationBook,
    given: Collection[str] = (),
) -> str:
    known = {n.name for n in snapshot.nodes}
    handed = [name for name in given if name in known]
    plan = forecast(snapshot, nodes, RunMode.UPSTREAM, (), book, given=handed)
    lines = [f"The run {plan.headline()}.", *plan.table()]
    missing = missing_inputs(snapshot, plan.targets, expressions, handed)
    if missing:
        lines.append(f"It needs inputs: {', '.join(missing)} (give them with --input NAME=EXPR)")
    return "\n".join(lines)


def _record_durations(book: DurationBook, snapshot: GraphSnapshot, nodes: list[Any]) -> None:
    """What each computed node took: `--plan` and the window estimate the next run with it."""
    versions = {n.name: n.version for n in snapshot.nodes}
    for node in nodes:
        if node.status is NodeStatus.COMPUTED and node.name in versions:
            book.record(node.name, versions[node.name], node.seconds)
    if nodes:
        book.save()


def _interrupted_text(outcome: Any) -> str:
    """Which node a stop (Ctrl+C) ended, and how long it had run."""
    node = next((n for n in outcome.nodes if n.name == outcome.failed_node), None)
    if node is None:
        return "interrupted"
    return f"interrupted: node {node.name!r} had run {format_seconds(node.seconds)}"


def _fail(message: str, code: int) -> int:
    print(f"studio: {message}", file=sys.stderr)
    return code


def _child_arguments(options: argparse.Namespace) -> list[str]:
    """The same command for another Python: the folder and output made absolute."""
    arguments = run_arguments(Path(options.path), options.nodes, options, options.output)
    if options.plan:
        arguments.append("--plan")
    if options.materialize:
        arguments.append("--materialize")
    if options.executor != "local":
        arguments += ["--executor", options.executor]
    return arguments + load_deadline.child_arguments(options.load_timeout)


def run_arguments(
    folder: Path, nodes: Sequence[str], options: argparse.Namespace, output: Path | None
) -> list[str]:
    """`studio run`'s arguments for `folder`, with the dataflow, config and inputs of
    `options` (any command that has those options: `studio diff` runs through this)."""
    arguments = [str(folder.expanduser().absolute()), *nodes]
    if options.dataflow:
        arguments += ["--dataflow", options.dataflow]
    for item in options.config:
        arguments += ["--config", item]
    for item in options.input:
        arguments += ["--input", item]
    if output is not None:
        arguments += ["--output", str(output.expanduser().absolute())]
    return arguments


def write_result(value: Any, path: Path) -> None:
    """Write `value` to `path` whole or not at all: into a file beside it, renamed over
    it once written (a value that cannot be written leaves no empty or partial file)."""
    with replacing(path) as partial:
        _write(value, partial, path.suffix)


def _write(value: Any, path: Path, suffix: str) -> None:
    import pandas as pd

    if suffix == ".pkl":
        data = pickle.dumps(value)  # before the file: a refusal writes nothing
        path.write_bytes(data)
        return
    frame = _as_frame(value, pd)
    if suffix == ".csv":
        if frame is None:
            raise TypeError(f"a {type(value).__name__} is not a table; use .json or .pkl")
        frame.to_csv(path, index=not isinstance(frame.index, pd.RangeIndex))
    elif suffix == ".parquet":
        if frame is None:
            raise TypeError(f"a {type(value).__name__} is not a table; use .json or .pkl")
        frame.to_parquet(path)
    elif suffix == ".json":
        if frame is not None:
            frame.to_json(path, orient="records", date_format="iso", indent=2)
        else:
            path.write_text(json.dumps(value, indent=2, default=str) + "\n", encoding="utf-8")


def _as_frame(value: Any, pd: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, pd.Series):
        return value.to_frame(name=value.name if value.name is not None else "value")
    if type(value).__module__ == "numpy" and getattr(value, "ndim", 0) in (1, 2):
        return pd.DataFrame(value)
    return None
