"""From a discovered dataflow to a Hamilton driver and its graph snapshot.

Runs in the process that runs the project's code (the kernel, or the
headless CLI). Hamilton does the real work: building the function graph
from the modules and config; this module only imports the modules fresh,
turns Hamilton's refusals into located errors and describes the nodes.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import re
import traceback
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from hamilton import node as hamilton_node

from studio.core.discovery.module_files import download_hint
from studio.core.discovery.project import Dataflow
from studio.core.discovery.type_names import short_type_name
from studio.core.graph.snapshot import ErrorKind, GraphSnapshot, LoadError, NodeInfo, NodeRole
from studio.kernel.loading import materializer_nodes
from studio.kernel.loading.code_versions import CodeVersions
from studio.kernel.loading.fresh_import import import_fresh
from studio.kernel.loading.graph_cycles import cycle_error
from studio.kernel.loading.graph_link import GraphLink
from studio.kernel.loading.node_reuse import NodeReuse, config_key
from studio.kernel.loading.script_adapters import type_rules
from studio.kernel.running.tracebacks import relative_to_root

os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

_LIFECYCLE_ATTRIBUTES = ("resolve", "generate", "inject", "expand", "transform", "decorate")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(slots=True)
class LoadedDataflow:
    """A dataflow as loaded in this process: its driver (if it built) and snapshot."""

    snapshot: GraphSnapshot
    driver: Any | None = None
    modules: tuple[ModuleType, ...] = ()
    config: dict[str, Any] | None = None
    dataflow: Dataflow | None = None
    hook: Any | None = None
    """The progress hook the driver was built with, if any (see studio.kernel.running.progress)."""
    versions_pending: bool = False
    """The snapshot's nodes have no code versions yet: `complete_versions` adds them."""
    versions_found: dict[str, str | None] = field(default_factory=dict)
    """What a `complete_versions` told to stop had worked out: the next one goes on."""


def load_dataflow(
    root: Path,
    dataflow: Dataflow,
    config: dict[str, Any] | None = None,
    adapters: Sequence[Any] = (),
    reuse: bool = False,
    defer_versions: bool = False,
) -> LoadedDataflow:
    """Import the dataflow's modules afresh and build its driver.

    `config` is merged over the dataflow's own config. Any failure is in
    the snapshot's `errors`; nothing the project's code raises escapes.
    With `reuse`, modules and nodes that cannot have changed since the last
    load are kept (see `fresh_import.unchanged_modules` and `node_reuse`).
    With `defer_versions`, a graph of more than `DEFER_VERSIONS_ABOVE` nodes comes
    without code versions, for `complete_versions` to add once it is shown.
    """
    root = root.resolve()
    full_config = {**dataflow.config, **(config or {})}
    imported = import_fresh(
        root,
        root / dataflow.search_path,
        dataflow.modules,
        named_by=dataflow.driver,
        reuse=reuse,
        notebook=dataflow.driver,
        files={name: root / file for name, file in dataflow.module_files.items()},
    )
    warnings = (
        *_environment_warnings(),
        *type_rules(dataflow.adapters)[1],
        *materializer_nodes.make_materializers(dataflow)[1],
    )
    if imported.errors:
        return LoadedDataflow(
            GraphSnapshot(
                dataflow.name,
                errors=tuple(
                    error
                    if error.hint or error.kind is not ErrorKind.IMPORT
                    else replace(error, hint=download_hint(dataflow, error.message))
                    for error in imported.errors
                ),
                modules=dataflow.modules,
                config=full_config,
                warnings=warnings,
            )
        )

    def refused(error: LoadError) -> LoadedDataflow:
        snapshot = GraphSnapshot(
            dataflow.name,
            errors=(error,),
            modules=dataflow.modules,
            config=full_config,
            warnings=warnings,
        )
        return LoadedDataflow(
            snapshot, modules=imported.modules, config=full_config, dataflow=dataflow
        )

    try:
        with _building(reuse):  # remembered even when not reused: for the next
            driver = build_driver(imported.modules, dataflow, full_config, adapters)
    except Exception as error:
        if not dataflow.materializers:
            return refused(_graph_error(root, imported.modules, error))
        try:  # the graph without the materializers Hamilton refuses, each said
            with _building(reuse):
                bare = replace(dataflow, materializers=())
                driver = build_driver(imported.modules, bare, full_config, adapters)
                kept, problems = materializer_nodes.sort_out(dataflow, driver.graph)
                dataflow = replace(dataflow, materializers=kept)
                if any(spec.runnable for spec in kept):
                    driver = build_driver(imported.modules, dataflow, full_config, adapters)
        except Exception as bare_error:
            return refused(_graph_error(root, imported.modules, bare_error))
        warnings += tuple(problems)
    cycle = cycle_error(root, driver.graph.nodes, GRAPH_LINK.cycle_starts(driver.graph.nodes))
    GRAPH_LINK.checked(acyclic=cycle is None)
    if cycle is not None:
        return refused(cycle)
    defer = defer_versions and len(driver.graph.nodes) > DEFER_VERSIONS_ABOVE
    nodes = [
        materializer_nodes.describe(info, dataflow, spec)
        if (spec := materializer_nodes.materializer_of(dataflow, info.name)) is not None
        else info
        for info in describe_nodes(driver, root, imported.modules, full_config, not defer)
    ]
    nodes += materializer_nodes.unmade_nodes(dataflow, [info.name for info in nodes])
    if not defer:
        CODE_VERSIONS.save_kept()
    snapshot = GraphSnapshot(
        dataflow.name,
        nodes=tuple(nodes),
        modules=dataflow.modules,
        config=full_config,
        warnings=warnings,
    )
    loaded = LoadedDataflow(snapshot, driver, imported.modules, full_config, dataflow)
    loaded.versions_pending = defer
    return loaded


DEFER_VERSIONS_ABOVE = 500
"""Hashing every function's code takes ~0.3 s at 5,000 nodes: a first load of a graph
bigger than this leaves it until the graph is shown."""


def complete_versions(
    loaded: LoadedDataflow, stop: Callable[[], bool] = lambda: False
) -> dict[str, str | None] | None:
    """Add the code versions a deferred load left out; returns them by node name, or
    None when `stop` (asked every hundred nodes) said to stop first."""
    if not loaded.versions_pending or loaded.driver is None:
        return {}
    graph_nodes = loaded.driver.graph.nodes
    found = loaded.versions_found
    for count, info in enumerate(loaded.snapshot.nodes):
        if (
            info.name in found
            or info.role in (NodeRole.INPUT, NodeRole.MATERIALIZER)
            or info.name not in graph_nodes
        ):
            continue
        if count % 100 == 0 and stop():
            return None
        found[info.name] = _version(graph_nodes[info.name])
    loaded.versions_pending, loaded.versions_found = False, {}
    CODE_VERSIONS.save_kept()
    loaded.snapshot = loaded.snapshot.with_versions(found)
    completed = {info.name: info for info in loaded.snapshot.nodes}
    for described in _DESCRIBED.values():
        for key, (functions, info) in described.items():
            if info.name in completed:
                described[key] = (functions, completed[info.name])
    return found


def build_driver(
    modules: Sequence[ModuleType],
    dataflow: Dataflow,
    config: dict[str, Any],
    adapters: Sequence[Any] = (),
    tasks: Any = None,
) -> Any:
    """A Hamilton driver for the modules, with Hamilton's chatter kept off the console.

    The type rules of the adapters the driver script names come along (see
    `studio.kernel.loading.script_adapters`), and so do its materializers (see
    `studio.kernel.loading.materializer_nodes`), so the graph is the one the script builds.
    With `tasks` (a Hamilton task executor), every node runs as a task on it.
    """
    from hamilton import driver, node
    from hamilton.execution.grouping import GroupNodesIndividually

    rules, _ = type_rules(dataflow.adapters)
    materializers, _ = materializer_nodes.make_materializers(dataflow)

    def builder(dynamic: bool, blocks: bool = False) -> Any:
        b = driver.Builder().with_modules(*modules).with_config(config)
        if dataflow.allow_module_overrides:
            b = b.allow_module_overrides()
        if dynamic or tasks is not None:
            b = b.enable_dynamic_execution(allow_experimental_mode=True)
        if tasks is not None:
            b = b.with_remote_executor(tasks)
            if not blocks:  # every node a task; Parallelizable blocks go as blocks
                b = b.with_grouping_strategy(GroupNodesIndividually())
        if adapters or rules:
            b = b.with_adapters(*adapters, *rules)
        if materializers:
            b = b.with_materializers(*materializers)
        return b

    with quiet_hamilton():
        built = builder(dataflow.dynamic_execution).build()
        has_blocks = any(
            n.node_role in (node.NodeType.EXPAND, node.NodeType.COLLECT)
            for n in built.graph.nodes.values()
        )
        if has_blocks and (tasks is not None or not dataflow.dynamic_execution):
            built = builder(True, blocks=True).build()
    return built


@contextlib.contextmanager
def quiet_hamilton() -> Iterator[None]:
    """Hamilton logs a banner for every graph error; the caller reports errors itself."""
    logger = logging.getLogger("hamilton")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


CODE_VERSIONS = CodeVersions()
"""Kept for the life of the process: after a save only edited functions are hashed again."""
NODE_REUSE = NodeReuse()
"""The nodes of the last build, for the next one (loads with `reuse`)."""
GRAPH_LINK = GraphLink()
"""The last graph, for a save's build to link only its changed modules into."""


@contextlib.contextmanager
def _building(reuse: bool) -> Iterator[None]:
    """Hamilton builds with the last build's nodes at hand: linked into the last graph
    where only some modules changed (with `reuse`), else resolved from the last."""
    with NODE_REUSE.building(), GRAPH_LINK.building(incremental=reuse):
        try:
            yield
        finally:
            NODE_REUSE.carried = GRAPH_LINK.kept_functions


def describe_nodes(
    driver: Any,
    root: Path,
    modules: Sequence[ModuleType],
    config: dict[str, Any],
    versions: bool = True,
) -> Iterator[NodeInfo]:

    module_names = {m.__name__ for m in modules}
    CODE_VERSIONS.new_load()
    CODE_VERSIONS.keep_in(root)
    context = (root, frozenset(module_names), config_key(config))
    last = _DESCRIBED.get(context, {}) if context[2] is not None else {}
    described: dict[tuple[int, str], tuple[tuple[Any, ...], NodeInfo]] = {}
    _DESCRIBED.clear()
    _DESCRIBED[context] = described
    for n in driver.graph.nodes.values():
        functions = tuple(n.originating_functions or ())
        key = (id(functions[0]), n.name) if functions and not n.user_defined else None
        if key is not None:
            found = last.get(key)
            if found is not None and found[0] == functions:
                described[key] = found
                yield found[1]
                continue
        info = _describe(n, functions, root, module_names, config, versions)
        if key is not None:
            described[key] = (functions, info)
        yield info


_DESCRIBED: dict[tuple[Any, ...], dict[tuple[int, str], tuple[Any, NodeInfo]]] = {}
"""The last load's descriptions of nodes made by functions: a function that is the very
same object (its module was not imported again) makes the very same nodes."""


def _describe(
    n: Any,
    functions: tuple[Any, ...],
    root: Path,
    module_names: set[str],
    config: dict[str, Any],
    versions: bool = True,
) -> NodeInfo:
    if n.user_defined:
        role = NodeRole.CONFIG if n.name in config else NodeRole.INPUT
        functions = ()
    elif n.node_role is _EXPAND:
        role = NodeRole.EXPAND
    elif n.node_role is _COLLECT:
        role = NodeRole.COLLECT
    else:
        role = NodeRole.FUNCTION
    function = inspect.unwrap(functions[0]) if functions else None
    inputs = n.input_types
    dependencies = tuple(inputs)
    optional = tuple(d for d, (_, kind) in inputs.items() if kind is _OPTIONAL)
    documentation = n.documentation
    return NodeInfo(
        name=n.name,
        type=readable_type(n.type),
        role=role,
        module=function.__module__ if function else None,
        file=_source_file(root, function),
        line=function.__code__.co_firstlineno if function else None,
        doc=inspect.cleandoc(documentation) if documentation else "",
        tags=_plain_tags(n.tags),
        dependencies=dependencies,
        optional_dependencies=optional,
        version=_version(n) if versions and role is not NodeRole.INPUT else None,
        origin=f"{function.__module__}.{function.__name__}" if function else None,
        decorators=_decorators(functions),
        group=_group(functions, module_names),
    )


_EXPAND = hamilton_node.NodeType.EXPAND
_COLLECT = hamilton_node.NodeType.COLLECT
_OPTIONAL = hamilton_node.DependencyType.OPTIONAL


def _version(n: Any) -> str | None:
    """Hamilton's version of the node's first originating function (as HamiltonNode has it)."""
    originating = (n.originating_functions or (None,))[0]
    if originating is None:
        return n.name if n.user_defined else None
    try:
        return CODE_VERSIONS.version(originating)
    except Exception:  # source unavailable, for instance
        return None


def _source_file(root: Path, function: Any) -> str | None:
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    return CODE_VERSIONS.relative_file(root, code.co_filename)


def _group(functions: tuple[Any, ...], module_names: set[str]) -> str | None:
    for function in reversed(functions):
        if function.__module__ in module_names:
            return function.__module__
    return functions[0].__module__ if functions else None


def _decorators(functions: tuple[Any, ...]) -> tuple[str, ...]:
    names: list[str] = []
    for function in functions:
        for attribute in _LIFECYCLE_ATTRIBUTES:
            for decorator in getattr(function, attribute, None) or ():
                name = type(decorator).__name__
                if name not in names:
                    names.append(name)
    return tuple(names)


def _plain_tags(tags: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for key, value in tags.items():
        if isinstance(value, str | bool | int | float) or value is None:
            plain[key] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            plain[key] = list(value)
        else:
            plain[key] = repr(value)
    return plain


def readable_type(annotation: Any) -> str:
    """A short, readable name for a type: `DataFrame`, `dict[str, float]`, `Any`.

    An annotation that is not a type (`-> boto3.resource`, a function) is named by its
    qualified name, never by its repr: `<function resource at 0x7f…>` changes on every
    load (and would mark the node changed each time)."""
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    if _is_named_object(annotation):
        return f"{annotation.__module__}.{annotation.__qualname__}"
    return short_type_name(_ADDRESS.sub("", repr(annotation)))


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _is_named_object(annotation: Any) -> bool:
    """A function, method or other named object that typing does not render itself."""
    return (
        callable(annotation)
        and isinstance(getattr(annotation, "__qualname__", None), str)
        and isinstance(getattr(annotation, "__module__", None), str)
        and annotation.__module__ not in ("typing", "typing_extensions", "collections.abc")
        and not hasattr(annotation, "__origin__")
        and not isinstance(annotation, typing.NewType)
    )


def _graph_error(root: Path, modules: Sequence[ModuleType], error: Exception) -> LoadError:
    """Hamilton's refusal, located at the function it names (when it names one)."""
    message = str(error).split("\n")[0].strip() or type(error).__name__
    functions = _functions_by_name(modules)
    candidates = [w for w in _IDENTIFIER.findall(message) if w in functions]
    file = line = None
    if candidates:
        defined_at = functions[candidates[0]]
        file, line = defined_at[-1] if "more than once" in message else defined_at[0]
        file = relative_to_root(root, file)
    detail = "".join(traceback.format_exception(error)).rstrip()
    return LoadError(ErrorKind.GRAPH, message, file=file, line=line, detail=detail)


def _functions_by_name(modules: Sequence[ModuleType]) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for module in modules:
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                code = inspect.unwrap(value).__code__
                found.setdefault(name, []).append((code.co_filename, code.co_firstlineno))
    return found


def _environment_warnings() -> Iterator[str]:
    """Settings of this environment that make Hamilton fail in confusing ways."""
    import hamilton.registry  # noqa: F401 - applies ~/.hamilton.conf to the environment

    if os.environ.get("HAMILTON_AUTOLOAD_EXTENSIONS") == "0":
        yield (
            "HAMILTON_AUTOLOAD_EXTENSIONS=0: Hamilton's pandas and numpy extensions are off, "
            "so @load_from.csv, @save_to and @extract_columns on frames will fail"
        )
    try:
        import packaging  # noqa: F401
    except ImportError:
        yield (
            "the 'packaging' package is missing: Hamilton silently skips its pandas "
            "extension; install it with `pip install packaging`"
        )
