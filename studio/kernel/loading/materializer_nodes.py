"""The driver script's materializers, made again with Hamilton's own `to`, and their nodes.

Discovery reads each `to.<format>(...)` a driver gets as a `MaterializerSpec`
(`studio.core.drivers.materializers`); here they become Hamilton's
`MaterializerFactory`s again, from their literal arguments alone (a `combine`
is a Hamilton result builder, made without arguments: nothing of the script
runs), for `Builder.with_materializers`. Hamilton then adds its own nodes: the
saver named by the id and, for `combine`, `<id>_build_result` that joins the
dependencies. A materializer whose arguments the script computes is not made:
its node is described from the spec alone, so it is shown but cannot run.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from studio.core.discovery.project import Dataflow, MaterializerSpec
from studio.core.graph.snapshot import NodeInfo, NodeRole

BUILD_RESULT = "_build_result"
"""What Hamilton appends to a materializer's id for the node joining its dependencies."""


def make_materializers(dataflow: Dataflow) -> tuple[list[Any], list[str]]:
    """Hamilton's materializers for the dataflow's runnable specs, and a warning for each
    that Hamilton cannot make here (an unknown format, a saver of a library not installed)."""
    if not dataflow.materializers:
        return [], []
    from hamilton.io.materialization import to

    made: list[Any] = []
    problems: list[str] = []
    for spec in dataflow.materializers:
        if not spec.runnable:
            continue
        try:
            factory = getattr(to, spec.factory)
            combine = _result_builder(spec.combine) if spec.combine else None
            made.append(
                factory(
                    id=spec.id,
                    dependencies=list(spec.dependencies),
                    combine=combine,
                    **spec.arguments,
                )
            )
        except Exception as error:
            reason = str(error).split(". ")[0].strip() or type(error).__name__
            problems.append(
                f"{where(dataflow, spec)}: materializer {spec.id!r} ({spec.call_text()}) is left "
                f"out: {_short(reason)}"
            )
    return made, problems


def sort_out(dataflow: Dataflow, graph: Any) -> tuple[tuple[MaterializerSpec, ...], list[str]]:
    """The dataflow's materializers that Hamilton accepts on the graph built without them
    (its function graph), and a warning for each it refuses (a dependency not in the
    graph, a saver that takes no such type or misses an argument)."""
    made, problems = make_materializers(dataflow)
    by_id = {factory.id: factory for factory in made}
    kept: list[MaterializerSpec] = []
    for spec in dataflow.materializers:
        factory = by_id.get(spec.id)
        if factory is None:
            kept += [spec] if not spec.runnable else []
            continue
        try:
            factory.generate_nodes(graph)
        except Exception as error:
            reason = str(error).split("\n")[0].strip() or type(error).__name__
            problems.append(
                f"{where(dataflow, spec)}: materializer {spec.id!r} is left out: {_short(reason)}"
            )
        else:
            kept.append(spec)
    return tuple(kept), problems


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _result_builder(dotted: str) -> Any:
    if not dotted.startswith("hamilton."):
        raise ValueError(f"{dotted} is not one of Hamilton's result builders")
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)()


def where(dataflow: Dataflow, spec: MaterializerSpec) -> str:
    """`run.py:12`: where the script makes the materializer."""
    return f"{dataflow.driver or dataflow.name}:{spec.line}"


def materializer_of(dataflow: Dataflow | None, name: str) -> MaterializerSpec | None:
    """The materializer a node of the graph belongs to: its saver (the id) or its join."""
    for spec in dataflow.materializers if dataflow is not None else ():
        if name in (spec.id, spec.id + BUILD_RESULT):
            return spec
    return None


def describe(info: NodeInfo, dataflow: Dataflow, spec: MaterializerSpec) -> NodeInfo:
    """A node Hamilton made for a materializer, as the canvas draws it: its own kind, and
    where the script makes it (the inspector shows those lines)."""
    joined = info.name != spec.id
    saved = ", ".join(spec.dependencies)
    doc = (
        f"Joins {saved} for materializer {spec.id}."
        if joined
        else f"Saves {saved} with {spec.call_text()}. It writes a file, so it runs only when "
        "you run it by name."
    )
    return NodeInfo(
        name=info.name,
        type=info.type,
        role=NodeRole.MATERIALIZER,
        module=None,
        file=dataflow.driver,
        line=spec.line,
        doc=doc,
        tags=info.tags,
        dependencies=info.dependencies,
        optional_dependencies=info.optional_dependencies,
        version=version(spec),
        origin=None,
    )


def version(spec: MaterializerSpec) -> str:
    """The materializer's own code version: another path or format is another version,
    so what it wrote before is stale."""
    text = json.dumps(spec.to_dict(), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def unmade_nodes(dataflow: Dataflow, present: Sequence[str]) -> Iterator[NodeInfo]:
    """The materializers that were not made (their arguments are computed when the script
    runs) whose dependencies are in the graph: shown, with why they cannot run."""
    names = set(present)
    for spec in dataflow.materializers:
        if spec.runnable or spec.id in names or not set(spec.dependencies) <= names:
            continue
        computed = ", ".join(spec.computed)
        yield NodeInfo(
            name=spec.id,
            type="dict[str, Any]",
            role=NodeRole.MATERIALIZER,
            module=None,
            file=dataflow.driver,
            line=spec.line,
            doc=f"Saves {', '.join(spec.dependencies)} with {spec.call_text()}. {computed} "
            "computed when the script runs: it cannot run here.",
            tags={"studio.cannot_run": f"{computed} is computed when the script runs"},
            dependencies=spec.dependencies,
            optional_dependencies=(),
            version=version(spec),
            origin=None,
        )


def cannot_run(dataflow: Dataflow | None, targets: Sequence[str]) -> str | None:
    """Why a run of `targets` cannot start: a materializer among them was not made."""
    for name in targets:
        spec = materializer_of(dataflow, name)
        if spec is not None and not spec.runnable and dataflow is not None:
            computed = ", ".join(f"`{key}`" for key in spec.computed)
            return (
                f"materializer {spec.id!r} cannot run: {where(dataflow, spec)} gives it "
                f"{computed} when the script runs, which the studio does not evaluate"
            )
    return None
