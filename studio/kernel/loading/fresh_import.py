"""Importing the project's modules as fresh module objects, every time.

`importlib.reload` keeps deleted functions alive in the old module's
namespace (they would show up as ghost nodes), and bytecode caches can be
stale when a file is saved twice within a second. So before each load the
project's modules are purged from `sys.modules`, and while they are imported
a meta path finder compiles project files straight from source (or takes
the code it compiled from the very same bytes, in this session or an earlier
one: see `studio.core.cache.file_cache`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import linecache
import re
import sys
import sysconfig
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import CodeType, ModuleType

from studio.core.cache.compiled_code import code_cache, compile_and_keep, kept_code
from studio.core.cache.file_cache import FileCache
from studio.core.cache.parsed_files import digest_of
from studio.core.discovery.scan import is_project_path
from studio.core.graph.snapshot import ErrorKind, LoadError
from studio.core.interpreters.check import install_command
from studio.core.interpreters.package_names import distribution_for
from studio.core.load_timeout import LoadTimeout
from studio.kernel.loading.notebook_modules import (
    NotebookModuleLoader,
    find_notebook_spec,
    notebook_specs,
)
from studio.kernel.running.tracebacks import innermost_project_frame, relative_to_root

_COMPILED: dict[str, tuple[bytes, CodeType]] = {}
"""The last code object of each file, with its source digest: unchanged files are not
compiled again."""
IMPORTING: list[Callable[[str], None]] = []
"""Told the name of each project module just before it is imported: a module that
never finishes importing is then named (by the window, or the command line's timeout).
A module kept from the last load is not told: after a save at 5,000 nodes that was 19
events of 20, each a message for the kernel to send and the window to take in."""
_EXECUTED: dict[str, tuple[str, bytes]] = {}
"""Module name -> the file and the digest of the source its module was made from."""


class _SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Compiles from the source file itself; never reads or writes `.pyc` files.

    A compiled module is reused only for the very same bytes (a digest, not a
    timestamp, decides), so a file saved twice within a second is never stale.
    """

    def __init__(self, fullname: str, path: str, kept: FileCache) -> None:
        super().__init__(fullname, path)
        self.kept = kept

    def get_code(self, fullname: str) -> CodeType:
        source = self.get_data(self.path)
        digest = digest_of(source)
        _EXECUTED[fullname] = (self.path, digest)
        cached = _COMPILED.get(self.path)
        if cached is not None and cached[0] == digest:
            return cached[1]
        code = kept_code(self.kept, self.path, digest)  # an earlier session's, or prefetched
        if code is None:
            code = compile_and_keep(self.kept, self.path, source, digest)
        _COMPILED[self.path] = (digest, code)
        return code


class ProjectFinder(importlib.abc.MetaPathFinder):
    """Finds modules the usual way, and gives those inside the project a source-only loader."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._prefix = str(root)
        self.kept = code_cache(root)
        self.notebook: dict[str, NotebookModuleLoader] = {}
        """The modules of the notebook whose dataflow loads: they come first, as the
        magic's modules do in the notebook's namespace."""
        self.files: dict[str, Path] = {}
        """Modules made from a given file under a given name (`Dataflow.module_files`)."""

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if self.notebook and (found := find_notebook_spec(self.notebook, fullname)):
            return found
        if fullname in self.files:
            return self._file_spec(fullname, self.files[fullname])
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = spec.origin or ""
        if not origin.startswith(self._prefix) or not is_project_path(self.root, Path(origin)):
            return None
        spec.loader = _SourceOnlyLoader(fullname, origin, self.kept)
        return spec

    def _file_spec(self, fullname: str, file: Path) -> importlib.machinery.ModuleSpec | None:
        """The module `fullname` made from `file`, as `spec_from_file_location` makes it
        (a package's `__init__.py` a package, so that its relative imports work)."""
        package = [str(file.parent)] if file.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(
            fullname,
            file,
            loader=_SourceOnlyLoader(fullname, str(file), self.kept),
            submodule_search_locations=package,
        )


def install_finder(root: Path) -> ProjectFinder:
    """Put a `ProjectFinder` for `root` first on `sys.meta_path` (replacing an older one)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, ProjectFinder)]
    finder = ProjectFinder(root)
    sys.meta_path.insert(0, finder)
    return finder


_loaded_from: set[Path] = set()
"""Project roots (and search folders) this process has imported from."""


def purge_project_modules(
    roots: set[Path], names: Sequence[str] = (), keep: frozenset[str] = frozenset()
) -> list[str]:
    """Forget every imported module whose file lies in one of the projects' own code,
    but those in `keep`.

    Modules called like one of `names` go too, wherever they came from, so
    that a module of another project can never stand in for this one's.
    """
    tops = {name.split(".")[0] for name in names}
    prefixes = tuple(str(root) for root in roots)
    passed = _passed_for(frozenset(prefixes), frozenset(tops))
    purged = []
    for name, module in list(sys.modules.items()):
        if name in keep:
            continue
        file = getattr(module, "__file__", None)
        path = getattr(module, "__path__", None)
        seen = passed.get(name) if path is None else None
        if seen is not None and seen[0] is module and seen[1] is file:
            continue  # passed the test below before, and its answer cannot have changed
        locations = [file or ""]
        locations += [p for p in path or [] if isinstance(p, str)]
        same_name = name.split(".")[0] in tops and not any(_is_installed(p) for p in locations if p)
        if not same_name and not any(p.startswith(prefixes) for p in locations):
            if path is None:
                passed[name] = (module, file)
            continue  # the test every installed module takes: a string prefix, no paths
        if same_name or any(_inside_project(r, p) for r in roots for p in locations):
            del sys.modules[name]
            purged.append(name)
    return purged


_passed: dict[tuple[frozenset[str], frozenset[str]], dict[str, tuple[object, object]]] = {}
"""For the last purge's roots and names: the modules (no package) its test let stay, by
name, with their module object and `__file__` (a save's purge in a kernel holding
1,000-2,000 modules tested each again: 3-5 ms of a 100-node save)."""


def _passed_for(roots: frozenset[str], tops: frozenset[str]) -> dict[str, tuple[object, object]]:
    """The modules the test passed for these `roots` and `tops` (forgotten when they
    change: the test's answer depends on them and on nothing else of a module that has
    no `__path__` but its name and `__file__`)."""
    key = (roots, tops)
    if key not in _passed:
        _passed.clear()
        _passed[key] = {}
    return _passed[key]


def _is_installed(location: str) -> bool:
    """Part of an installed library or the standard library, never a project's."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    return "site-packages" in location or any(location.startswith(p) for p in prefixes)


def _inside_project(root: Path, location: str) -> bool:
    return location.startswith(str(root)) and is_project_path(root, Path(location))


_searched: set[Path] = set()
"""Folders outside a project put on `sys.path` for it (the parent of a package)."""


def search_folders(root: Path, search_path: Path) -> list[Path]:
    """What goes first on `sys.path` for a load: the dataflow's search path, then the
    root; for a folder that is itself a package, imported from its parent, the parent
    alone (the root on the path would let its modules shadow installed ones: a
    package's `langchain.py` taken for the library)."""
    if search_path == root:
        return [root]
    if search_path == root.parent and (root / "__init__.py").is_file():
        return [search_path]
    return [search_path, root]


def use_search_path(folders: Sequence[Path]) -> None:
    """Put `folders` on `sys.path` right after the standard library, dropping folders of
    earlier projects.

    After the standard library, not first: a project's `numbers.py` or `random.py`
    put first would stand in for the standard module everywhere in the process
    (ipykernel, Hamilton and every library import those), and the kernel died at
    once, again and again. Before the installed libraries, as plain Python has it:
    a project's `utils.py` is its own, whatever is installed.
    """
    earlier = [str(f) for f in _loaded_from] + [str(f) for f in _searched]
    for entry in earlier + [str(f) for f in folders]:
        while entry in sys.path:
            sys.path.remove(entry)
    position = after_standard_library()
    for folder in reversed(folders):
        sys.path.insert(position, str(folder))


def after_standard_library() -> int:
    """The place on `sys.path` just after the standard library's folders (its zip, its
    source folder, its compiled modules), where a project's folders go."""
    standard = {sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")}
    position = 0
    for index, entry in enumerate(sys.path):
        name = Path(entry).name
        if entry in standard or name == "lib-dynload" or name.endswith(".zip"):
            position = index + 1
    return position


def standard_library_clash(root: Path, search_path: Path, name: str) -> LoadError | None:
    """A project module named like a module of the standard library (`numbers.py`,
    `json/`): Python imports the standard one, which ipykernel, Hamilton and the
    libraries need, so the project's cannot be loaded under that name."""
    top = name.split(".")[0]
    if top not in sys.stdlib_module_names:
        return None
    for folder in dict.fromkeys((search_path, root)):
        for candidate in (folder / f"{top}.py", folder / top):
            if candidate.exists():
                file = relative_to_root(root, str(candidate))
                return LoadError(
                    ErrorKind.IMPORT,
                    f"{file} has the name of the standard library's module `{top}`: Python "
                    "imports the standard one (ipykernel, Hamilton and other libraries need "
                    "it), so this file cannot be loaded as the project's",
                    file=file,
                    hint=f"rename {file} (for example to {top}_nodes) and the imports of it",
                )
    return None


@dataclass(frozen=True, slots=True)
class ImportResult:
    modules: tuple[ModuleType, ...]
    errors: tuple[LoadError, ...]


def import_fresh(
    root: Path,
    search_path: Path,
    names: Sequence[str],
    named_by: str | None = None,
    reuse: bool = False,
    notebook: str | None = None,
    files: dict[str, Path] | None = None,
) -> ImportResult:
    """Import `names` anew, with `search_path` (and the root) on `sys.path` (see
    `use_search_path`); a name the standard library has is refused (see
    `standard_library_clash`).

    With `reuse`, modules of `root` whose files did not change, and that name no
    module that did, are kept as they are (see `unchanged_modules`). With `notebook`
    (root-relative), the modules its `%%cell_to_module` cells make are imported from
    their cells. `files` names modules made from a given file (`Dataflow.module_files`).

    Errors come back as `LoadError`s naming the project file and line at
    fault; nothing raised by the project's code escapes (an interrupt
    included: it becomes an error saying the import was interrupted).
    """
    root = root.resolve()
    search_path = search_path.resolve()
    finder = install_finder(root)
    finder.notebook = notebook_specs(root, notebook)
    finder.files = dict(files or {})
    use_search_path(search_folders(root, search_path))
    keep = unchanged_modules(root) if reuse else frozenset()
    purge_project_modules({root, *_loaded_from}, names, keep)
    # The parent of a folder that is a package is on the path, never one of the projects:
    # its other folders' modules are not the project's to forget.
    _loaded_from.update({root, search_path} if search_path.is_relative_to(root) else {root})
    _searched.add(search_path)
    importlib.invalidate_caches()
    linecache.checkcache()
    modules: list[ModuleType] = []
    errors: list[LoadError] = []
    for name in names:
        clash = standard_library_clash(root, search_path, name)
        if clash is not None:
            errors.append(clash)
            continue
        if name not in sys.modules:  # a kept module is not imported: nothing to wait for
            for listener in IMPORTING:
                listener(name)
        try:
            modules.append(importlib.import_module(name))
        except SyntaxError as error:
            errors.append(_syntax_error(root, error))
        except ModuleNotFoundError as error:
            errors.append(_not_found(root, name, error, named_by))
        except BaseException as error:  # user code may raise anything
            if isinstance(error, GeneratorExit):
                raise
            errors.append(_import_error(root, name, error))
    errors = [_with_clash_hint(root, search_path, error) for error in errors]
    return ImportResult(tuple(modules), tuple(_one_per_missing_package(errors)))


def _with_clash_hint(root: Path, search_path: Path, error: LoadError) -> LoadError:
    """An import that failed on a standard module the project shadows (its `logging.py`,
    imported by a dataflow module as its own, is not what `import logging` gives): the
    hint names the file."""
    if error.hint:
        return error
    text = f"{error.message}\n{error.detail}"
    for name in re.findall(r"(?:module|from) '([A-Za-z_][\w]*)'", text):
        clash = standard_library_clash(root, search_path, name)
        if clash is not None:
            return replace(error, hint=f"{clash.message}: {clash.hint}")
    return error


def unchanged_modules(root: Path) -> frozenset[str]:
    """Imported modules of `root` made from exactly the bytes their files hold now, and
    whose source names no module that changed (a word in the text counts, however it is
    used: a cautious test for an import, at worst a module is imported again)."""
    prefix = str(root)
    changed: set[str] = set()
    sources: dict[str, bytes] = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if not file.startswith(prefix):
            continue
        executed = _EXECUTED.get(name)
        try:
            source = Path(file).read_bytes()
        except OSError:
            source = None
        same = (
            executed is not None
            and source is not None
            and executed[0] == file
            and digest_of(source) == executed[1]
        )
        if same and source is not None:
            sources[name] = source
        else:
            changed.add(name)
    while changed and sources:
        short = [n.rpartition(".")[2].encode() for n in changed]
        words = re.compile(rb"\b(" + b"|".join(re.escape(n) for n in short) + rb")\b")
        hit = {
            name
            for name, source in sources.items()
            # The plain search first: most files hold no changed name at all, and the
            # pattern's search is 1 ms per file of a 5,000-node project.
            if (any(n in source for n in short) and words.search(source))
            or any(name.startswith(f"{c}.") for c in changed)
        }
        if not hit:
            break
        changed |= hit
        for name in hit:
            del sources[name]
    return frozenset(sources)


def _one_per_missing_package(errors: list[LoadError]) -> list[LoadError]:
    """Modules that import the same missing package make one error, naming them all."""
    kept: list[LoadError] = []
    seen: dict[str, int] = {}
    for error in errors:
        if not error.hint:
            kept.append(error)
            continue
        if error.hint not in seen:
            seen[error.hint] = len(kept)
            kept.append(error)
            continue
        first = kept[seen[error.hint]]
        where = f"{error.file}:{error.line}" if error.line else str(error.file)
        if (error.file, error.line) == (first.file, first.line) or where in first.message:
            continue
        also = " (also imported by " if "(also imported by" not in first.message else ", "
        message = first.message.removesuffix(")") + also + where + ")"
        kept[seen[error.hint]] = replace(first, message=message)
    return kept


def _syntax_error(root: Path, error: SyntaxError) -> LoadError:
    detail = "".join(traceback.format_exception_only(error)).rstrip()
    return LoadError(
        kind=ErrorKind.SYNTAX,
        message=error.msg,
        file=relative_to_root(root, error.filename),
        line=error.lineno,
        detail=detail,
    )


def _not_found(
    root: Path, name: str, error: ModuleNotFoundError, named_by: str | None
) -> LoadError:
    if error.name == name or name.startswith(f"{error.name}."):
        by = f" (named by {named_by})" if named_by else ""
        return LoadError(ErrorKind.IMPORT, f"module {name!r}{by} was not found", file=named_by)
    located = _import_error(root, name, error)
    missing = error.name or ""
    top = missing.split(".")[0]
    if not missing or (root / top).exists() or (root / f"{top}.py").exists():
        return located
    return replace(located, hint=install_hint(missing))


def install_hint(module: str) -> str:
    """How to get a missing library into the environment this process runs in."""
    package = distribution_for(module)
    if getattr(sys, "frozen", False):
        return (
            f"`{module}` comes from the package {package}, which the studio's own Python "
            "cannot install: run the project in its own environment (Kernel › Project "
            "Interpreter…, or --interpreter)"
        )
    command = install_command(Path(sys.executable), [package])
    return f"install {package} into this environment: {command}"


def _import_error(root: Path, name: str, error: BaseException) -> LoadError:
    file, line = innermost_project_frame(root, error)
    if isinstance(error, LoadTimeout):
        message = f"{name} did not finish importing within {error.seconds:g} s"
    elif isinstance(error, KeyboardInterrupt):
        message = f"importing {name} was interrupted"
    elif isinstance(error, SystemExit):
        message = f"{name} called sys.exit({error.code!r}) while being imported"
    else:
        message = f"{type(error).__name__}: {error}"
    detail = "".join(traceback.format_exception(error)).rstrip()
    return LoadError(ErrorKind.IMPORT, message, file=file, line=line, detail=detail)
