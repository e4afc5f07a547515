"""The graph snapshot: what the kernel tells the rest of the app about a dataflow.

A snapshot is plain data (JSON-serialisable) so it can cross the process
boundary between the kernel and the GUI. It describes every Hamilton node
of one dataflow under one configuration, or the errors that kept the graph
from loading.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any


class NodeRole(enum.StrEnum):
    FUNCTION = "function"
    """Computed by a function written by the user."""
    INPUT = "input"
    """An external input: supplied by whoever runs the dataflow."""
    CONFIG = "config"
    """A configuration value used as an input."""
    EXPAND = "expand"
    """Yields `Parallelizable` items."""
    COLLECT = "collect"
    """Gathers `Collect` items."""
    MATERIALIZER = "materializer"
    """Made by a materializer the driver script gives (`to.csv(...)`): it writes a file,
    so it runs only when asked by name."""


class NodeKind(enum.StrEnum):
    """How a node is drawn: one look per kind (see the canvas legend)."""

    FUNCTION = "function"
    INPUT = "input"
    CONFIG = "config"
    CONFIG_DEPENDENT = "config-dependent"
    GENERATED = "generated"
    MATERIALIZER = "materializer"


class ErrorKind(enum.StrEnum):
    SYNTAX = "syntax"
    IMPORT = "import"
    GRAPH = "graph"
    """Hamilton refused the modules: type mismatch, duplicate name, missing hint..."""
    PROJECT = "project"
    """The folder or dataflow itself: missing folder, unknown dataflow name."""


@dataclass(frozen=True, slots=True)
class NodeInfo:
    name: str
    type: str
    role: NodeRole
    module: str | None
    """Module of the function that computes the node."""
    file: str | None
    """Source file, relative to the project root when it lies inside it."""
    line: int | None
    doc: str
    tags: dict[str, Any]
    dependencies: tuple[str, ...]
    optional_dependencies: tuple[str, ...]
    """The subset of `dependencies` that have a default value."""
    version: str | None
    """Hamilton's code version: a hash of the function's source, docs and comments excluded."""
    origin: str | None
    """`module.function` the node comes from; None for inputs."""
    decorators: tuple[str, ...] = ()
    group: str | None = None
    """The dataflow module that brings the node into the graph (for @subdag
    nodes that is the module of the decorated function, not the helper's)."""
    expanded: bool = True
    """False for a function of the graph read from source whose decorators could
    not be applied without running it: drawn as one node until the folder is trusted."""
    kind: NodeKind = field(init=False, repr=False, compare=False)
    """How the node is drawn; worked out once, as drawing a big graph asks often."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self._kind())

    @property
    def is_external_input(self) -> bool:
        return self.role in (NodeRole.INPUT, NodeRole.CONFIG)

    @property
    def is_config_dependent(self) -> bool:
        """Chosen by `@config.when` (or similar) for the current configuration."""
        return "hamilton.config" in self.tags

    @property
    def is_generated(self) -> bool:
        """Produced by a decorator under a name other than its function's."""
        if self.origin is None:
            return False
        return self.name != self.origin.rpartition(".")[2]

    def _kind(self) -> NodeKind:
        if self.role is NodeRole.INPUT:
            return NodeKind.INPUT
        if self.role is NodeRole.CONFIG:
            return NodeKind.CONFIG
        if self.role is NodeRole.MATERIALIZER:
            return NodeKind.MATERIALIZER
        if self.is_config_dependent:
            return NodeKind.CONFIG_DEPENDENT
        if self.is_generated:
            return NodeKind.GENERATED
        return NodeKind.FUNCTION

    def to_dict(self) -> dict[str, Any]:
        """Field by field: `dataclasses.asdict` deep-copies, the slowest part of a
        big graph's reply."""
        return {
            "name": self.name,
            "type": self.type,
            "role": self.role.value,
            "module": self.module,
            "file": self.file,
            "line": self.line,
            "doc": self.doc,
            "tags": dict(self.tags),
            "dependencies": list(self.dependencies),
            "optional_dependencies": list(self.optional_dependencies),
            "version": self.version,
            "origin": self.origin,
            "decorators": list(self.decorators),
            "group": self.group,
            "expanded": self.expanded,
            "is_external_input": self.is_external_input,
            "is_config_dependent": self.is_config_dependent,
            "is_generated": self.is_generated,
        }

    def to_wire(self) -> dict[str, Any]:
        """`to_dict` without what `from_dict` fills in itself (empty and derived
        fields): a third smaller, for the kernel's replies."""
        data: dict[str, Any] = {"name": self.name, "type": self.type, "role": self.role.value}
        for key, value in (
            ("module", self.module),
            ("file", self.file),
            ("line", self.line),
            ("doc", self.doc),
            ("tags", self.tags),
            ("dependencies", self.dependencies),
            ("optional_dependencies", self.optional_dependencies),
            ("version", self.version),
            ("origin", self.origin),
            ("decorators", self.decorators),
            ("group", self.group),
        ):
            if value:
                data[key] = value
        if not self.expanded:
            data["expanded"] = False
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NodeInfo:
        return cls(
            name=data["name"],
            type=data["type"],
            role=NodeRole(data["role"]),
            module=data.get("module"),
            file=data.get("file"),
            line=data.get("line"),
            doc=data.get("doc", ""),
            tags=dict(data.get("tags", {})),
            dependencies=tuple(data.get("dependencies", ())),
            optional_dependencies=tuple(data.get("optional_dependencies", ())),
            version=data.get("version"),
            origin=data.get("origin"),
            decorators=tuple(data.get("decorators", ())),
            group=data.get("group"),
            expanded=data.get("expanded", True),
        )


@dataclass(frozen=True, slots=True)
class LoadError:
    kind: ErrorKind
    message: str
    file: str | None = None
    line: int | None = None
    detail: str = ""
    """Longer text, such as the traceback of an import error."""
    hint: str = ""
    """What to do about it, when that is known (the command that installs a missing package)."""

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.kind.value} error: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadError:
        return cls(
            kind=ErrorKind(data["kind"]),
            message=data["message"],
            file=data.get("file"),
            line=data.get("line"),
            detail=data.get("detail", ""),
            hint=data.get("hint", ""),
        )


@dataclass(frozen=True, slots=True)
class GraphSnapshot:
    dataflow: str
    nodes: tuple[NodeInfo, ...] = ()
    errors: tuple[LoadError, ...] = ()
    modules: tuple[str, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    _edges: list[tuple[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def ok(self) -> bool:
        return not self.errors

    def node(self, name: str) -> NodeInfo:
        for info in self.nodes:
            if info.name == name:
                return info
        raise KeyError(name)

    def edges(self) -> list[tuple[str, str]]:
        """(upstream, downstream) pairs for every dependency inside the graph (do not modify)."""
        if self._edges is None:
            names = {n.name for n in self.nodes}
            edges = [(dep, n.name) for n in self.nodes for dep in n.dependencies if dep in names]
            object.__setattr__(self, "_edges", edges)
        return self._edges  # type: ignore[return-value]

    def with_versions(self, versions: Mapping[str, str | None]) -> GraphSnapshot:
        """The same graph with the code versions of the nodes `versions` names, in new
        nodes (the kernel sends them after the graph when hashing them would delay it)."""
        nodes = tuple(
            replace(n, version=versions[n.name]) if n.name in versions else n for n in self.nodes
        )
        return replace(self, nodes=nodes)

    def fill_versions(self, versions: Mapping[str, str | None]) -> GraphSnapshot:
        """`with_versions` for the window's own snapshot of a reply that left them out:
        its nodes get them in place (a version not known yet is None), since new nodes
        for a 5,000-node graph cost the window 35 ms, which stalled it while it laid the
        graph out. The snapshot returned is a new object: what was worked out from
        this one (lineage signatures) is not taken for it."""
        put, missing = object.__setattr__, object()
        for node in self.nodes:
            if node.version is None:
                version = versions.get(node.name, missing)
                if version is not missing:
                    put(node, "version", version)
        filled = replace(self)
        object.__setattr__(filled, "_edges", self._edges)  # versions change no edge
        return filled

    def to_dict(self) -> dict[str, Any]:
        return {**self.to_dict_without_nodes(), "nodes": [n.to_dict() for n in self.nodes]}

    def to_wire(self, known: Mapping[str, NodeInfo] | None = None) -> dict[str, Any]:
        """What the kernel sends (`from_dict` reads it): nodes in their short form, and
        each node equal to the one of that name in `known` (what the receiver holds)
        as its name alone."""
        known = known or {}
        data = self.to_dict_without_nodes()
        data["nodes"] = [
            n.name if (k := known.get(n.name)) is n or k == n else n.to_wire() for n in self.nodes
        ]
        return data

    def to_dict_without_nodes(self) -> dict[str, Any]:
        return {
            "dataflow": self.dataflow,
            "modules": list(self.modules),
            "config": self.config,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], known: Mapping[str, NodeInfo] | None = None
    ) -> GraphSnapshot:
        """From `to_dict`'s data, or `to_wire`'s with the `known` nodes it was made for
        (KeyError when a node it names is not among them)."""
        known = known or {}
        return cls(
            dataflow=data["dataflow"],
            nodes=tuple(
                known[n] if isinstance(n, str) else NodeInfo.from_dict(n)
                for n in data.get("nodes", ())
            ),
            errors=tuple(LoadError.from_dict(e) for e in data.get("errors", ())),
            modules=tuple(data.get("modules", ())),
            config=dict(data.get("config", {})),
            warnings=tuple(data.get("warnings", ())),
        )
