"""The functions behind a dataflow's nodes, read from its files: what an edit may touch.

Hamilton makes a node of every public function a dataflow module defines;
a parameter named like another node is an edge. Some decorators make
nodes whose names come from strings (`@extract_columns`, `@parameterize`…)
or change what the parameters mean (`@inject`, `@does`, `@pipe`…): edits
refuse to touch those. `@config.when` variants (`name__variant`) are one
node, edited together.
"""

from __future__ import annotations

import ast
import keyword
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.discovery.module_reader import decode_source, import_bindings
from studio.core.discovery.project import Dataflow
from studio.core.editing.edit_plan import EditRefusedError, read_bytes

KEEPS_THE_SIGNATURE = frozenset(
    {"tag", "tag_outputs", "check_output", "check_output_custom", "cache", "output", "schema"}
)
"""Decorators that leave a function's name and parameters meaning what they say."""

CONFIG_VARIANTS = frozenset({"when", "when_not", "when_in", "when_not_in"})
_CONFIG_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "when": lambda value, given: value == given,
    "when_not": lambda value, given: value != given,
    "when_in": lambda value, given: given in value,
    "when_not_in": lambda value, given: given not in value,
}
SUBDAGS = frozenset({"subdag", "parameterized_subdag"})
"""Decorators that build nodes from other modules, whose parameters may name our nodes."""


@dataclass(frozen=True, slots=True)
class FunctionSite:
    """A top-level public function of a dataflow module, and the node it makes."""

    node: str
    function: str
    path: Path
    module: str
    line: int
    parameters: tuple[str, ...]
    returns: str | None
    """The return annotation as written."""
    decorators: tuple[str, ...]
    """Each decorator's last name (`extract_columns`, `when`…)."""
    strings: frozenset[str] = frozenset()
    """String constants in its decorators: names of nodes it may make."""
    annotations: tuple[str | None, ...] = ()
    """Each parameter's annotation as written (None: none), in `parameters`' order."""
    conditions: tuple[tuple[str, str, Any], ...] | None = ()
    """Its `@config.when*` tests as (decorator, key, literal value); None when one is
    not a literal."""

    def chosen_under(self, config: Mapping[str, Any]) -> bool | None:
        """Whether Hamilton takes this function under `config` (its `@config.when*` tests,
        a missing key being None as for Hamilton); None when a test cannot be read."""
        if self.conditions is None:
            return None
        return all(
            _CONFIG_TESTS[kind](value, config.get(key)) for kind, key, value in self.conditions
        )

    def annotation_of(self, parameter: str) -> str | None:
        """How this function annotates `parameter` (None: it does not, or has no such one)."""
        if parameter not in self.parameters or not self.annotations:
            return None
        return self.annotations[self.parameters.index(parameter)]

    @property
    def plain(self) -> bool:
        """Its node is named after it and its parameters are edges: safe to edit."""
        return all(d in KEEPS_THE_SIGNATURE or d in CONFIG_VARIANTS for d in self.decorators)

    def refusal(self) -> str | None:
        """Why this function's node cannot be edited, or None."""
        if self.plain:
            return None
        made_by = next(d for d in self.decorators if d not in KEEPS_THE_SIGNATURE)
        return (
            f"`{self.node}` is made by @{made_by} ({self.path.name}:{self.line}); "
            "edit that function's code instead"
        )


class DataflowFunctions:
    """Every node-making function of a dataflow, by node name, with the edges between them."""

    def __init__(self, root: Path, sites: Iterable[FunctionSite], strings: Iterable[str]) -> None:
        self.root = root
        self.sites = list(sites)
        self.module_files = {site.module: site.path for site in self.sites}
        self._by_node: dict[str, list[FunctionSite]] = {}
        for site in self.sites:
            self._by_node.setdefault(site.node, []).append(site)
        self.decorator_strings = frozenset(strings)
        """String constants in decorators: names of nodes they may make."""
        self.subdag_inputs: dict[str, Path] = {}
        """Names the modules given to `@subdag` take from outside them, and where."""

    @classmethod
    def read_all(cls, root: Path, flows: list[Dataflow]) -> DataflowFunctions:
        """The functions of several dataflows (those sharing modules), each file once."""
        readings = [cls.read(root, flow) for flow in flows]
        seen: set[tuple[Path, str]] = set()
        sites = []
        for reading in readings:
            for site in reading.sites:
                if (site.path, site.function) not in seen:
                    seen.add((site.path, site.function))
                    sites.append(site)
        merged = cls(root, sites, set().union(*(r.decorator_strings for r in readings)))
        for reading in readings:
            merged.module_files.update(reading.module_files)
            merged.subdag_inputs.update(reading.subdag_inputs)
        return merged

    @classmethod
    def read(cls, root: Path, flow: Dataflow) -> DataflowFunctions:
        sites: list[FunctionSite] = []
        strings: set[str] = set()
        files: dict[str, Path] = {}
        subdag_modules: set[str] = set()
        for module in flow.modules:
            path = module_file(root, flow, module)
            tree = _parse(path) if path is not None else None
            if path is None or tree is None:
                continue
            files[module] = path
            found, names = read_sites(tree, source_text(path), path, module)
            sites += found
            strings |= names
            subdag_modules |= _subdag_modules(tree, module)
        functions = cls(root, sites, strings)
        functions.module_files.update(files)
        for module in subdag_modules - set(files):
            path = module_file(root, flow, module)
            tree = _parse(path) if path is not None else None
            if path is None or tree is None:
                continue
            inner, _ = read_sites(tree, "", path, module)
            defined = {site.node for site in inner}
            for site in inner:
                for parameter in site.parameters:
                    if parameter not in defined:
                        functions.subdag_inputs.setdefault(parameter, path)
        return functions

    @property
    def nodes(self) -> set[str]:
        return set(self._by_node)

    def sites_of(self, node: str) -> list[FunctionSite]:
        return self._by_node.get(node, [])

    def site(self, node: str) -> FunctionSite:
        """The one function behind `node`, or a refusal saying why there is none."""
        sites = self.sites_of(node)
        if not sites:
            raise LookupError(f"no function makes a node named `{node}` in this dataflow")
        return sites[0]

    def editable(self, node: str, verb: str) -> list[FunctionSite]:
        """The functions behind `node`, or a refusal saying why `verb` cannot change them."""
        sites = self.sites_of(node)
        if not sites:
            raise EditRefusedError(f"cannot {verb}: {not_a_function(self, node)}")
        for site in sites:
            if (reason := site.refusal()) is not None:
                raise EditRefusedError(f"cannot {verb}: {reason}")
        return sites

    def users(self, node: str) -> list[FunctionSite]:
        """Functions that take `node` as a parameter."""
        return [site for site in self.sites if node in site.parameters]

    def is_input(self, name: str) -> bool:
        """Whether `name` is an external input: a parameter no function makes."""
        return (
            not self.sites_of(name) and name not in self.decorator_strings and any(self.users(name))
        )

    def input_type(self, name: str) -> tuple[str | None, FunctionSite | None]:
        """The type the functions taking input `name` give it (the most common annotation,
        the first user's on a tie), and a function that writes it so; (None, None) when
        none annotates it."""
        annotated = [(s.annotation_of(name), s) for s in self.users(name) if s.annotation_of(name)]
        if not annotated:
            return None, None
        counts = Counter(annotation for annotation, _ in annotated)
        best = max(counts, key=lambda a: (counts[a], -[x for x, _ in annotated].index(a)))
        return best, next(site for annotation, site in annotated if annotation == best)

    def upstream(self, node: str) -> set[str]:
        """Every node `node` depends on, directly or not (through decorator-made nodes too:
        a column `@extract_columns` makes depends on what its function takes)."""
        seen: set[str] = set()
        pending = [node]
        while pending:
            name = pending.pop()
            makers = self.sites_of(name) or [s for s in self.sites if name in s.strings]
            for site in makers:
                for parameter in site.parameters:
                    if parameter not in seen:
                        seen.add(parameter)
                        pending.append(parameter)
        return seen

    def taken(self, name: str) -> bool:
        """Whether a node, or a decorator string that may make one, already uses `name`."""
        return name in self._by_node or name in self.decorator_strings


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(source_text(path))
    except (SyntaxError, EditRefusedError):
        return None


def source_text(path: Path) -> str:
    """A module's text, decoded as Python decodes it (coding cookie, BOM)."""
    try:
        raw = read_bytes(path)  # a notebook module's: its cell's body
    except OSError as error:
        raise EditRefusedError(f"{path.name} cannot be read: {error.strerror}") from error
    if raw is None:
        raise EditRefusedError(f"{path.name} cannot be read: it is not there")
    text, problem = decode_source(raw, path.name)
    if text is None:
        raise EditRefusedError(f"{path.name} {problem.message if problem else 'cannot be decoded'}")
    return text


def _subdag_modules(tree: ast.Module, module: str) -> set[str]:
    """Modules a file passes to `@subdag(...)`, by their import names."""
    package = module.rpartition(".")[0]
    bindings = import_bindings(tree, package)
    found = set()
    for statement in tree.body:
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in statement.decorator_list:
            if isinstance(decorator, ast.Call) and _decorator_name(decorator) in SUBDAGS:
                found |= {
                    bindings.get(arg.id, arg.id)
                    for arg in decorator.args
                    if isinstance(arg, ast.Name)
                }
    return found


def read_sites(
    tree: ast.Module, text: str, path: Path, module: str
) -> tuple[list[FunctionSite], set[str]]:
    """The node-making functions of one module, and the strings its decorators hold."""
    sites: list[FunctionSite] = []
    strings: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if statement.name.startswith("_"):
            continue
        decorators = tuple(_decorator_name(d) for d in statement.decorator_list)
        if "hamilton_exclude" in decorators:
            continue
        made = {
            n.value
            for decorator in statement.decorator_list
            for n in ast.walk(decorator)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        strings |= made
        arguments = statement.args
        every = (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
        parameters = tuple(a.arg for a in every)
        annotations = tuple(
            ast.get_source_segment(text, a.annotation) if a.annotation and text else None
            for a in every
        )
        returns = (
            ast.get_source_segment(text, statement.returns) if statement.returns and text else None
        )
        node = statement.name
        if CONFIG_VARIANTS & set(decorators) and "__" in node.strip("_"):
            node = node.rsplit("__", 1)[0]
        first_line = min([statement.lineno, *(d.lineno for d in statement.decorator_list)])
        sites.append(
            FunctionSite(
                node,
                statement.name,
                path,
                module,
                first_line,
                parameters,
                returns,
                decorators,
                frozenset(made),
                annotations,
                _config_conditions(statement.decorator_list),
            )
        )
    return sites, strings


def _config_conditions(decorators: list[ast.expr]) -> tuple[tuple[str, str, Any], ...] | None:
    """The `@config.when*` tests of a function as literals; None when one is not literal."""
    found = []
    for decorator in decorators:
        kind = _decorator_name(decorator)
        if kind not in CONFIG_VARIANTS or not isinstance(decorator, ast.Call):
            continue
        for keyword_ in decorator.keywords:
            if keyword_.arg == "name":
                continue
            try:
                value = ast.literal_eval(keyword_.value)
            except ValueError:
                return None
            if keyword_.arg is None:
                return None
            found.append((kind, keyword_.arg, value))
    return tuple(found)


def module_file(root: Path, flow: Dataflow, module: str) -> Path | None:
    """The file a dataflow module is imported from (the search path first, then the root);
    for a module a notebook's cell makes, its stand-in `flow.ipynb/module.py`; for one
    made from a file of its own (`Dataflow.module_files`), that file."""
    if flow.driver and flow.driver.endswith(".ipynb"):
        stand_in = root / flow.driver / f"{module}.py"
        if read_bytes(stand_in) is not None:
            return stand_in
    if module in flow.module_files:
        return root / flow.module_files[module]
    parts = module.split(".")
    for base in dict.fromkeys([root / flow.search_path, root]):
        for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts)):
            if candidate.suffix == ".py" and candidate.is_file():
                return candidate
            package = candidate / "__init__.py"
            if candidate.is_dir() and package.is_file():
                return package
    return None


def not_a_function(functions: DataflowFunctions, name: str) -> str:
    """Why no edit can change `name` in the files: what it is instead."""
    if name in functions.decorator_strings:
        return f"`{name}` is made by a decorator from a string; edit that decorator's code"
    if any(name in site.parameters for site in functions.sites):
        return f"`{name}` is an input of the dataflow (no function makes it)"
    return f"no function of this dataflow makes a node named `{name}`"


def is_node_name(name: str) -> bool:
    """A name Hamilton can make a node of: an identifier, not a keyword, not private."""
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


def _decorator_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return "?"
