"""Opening a project folder: its saved choices, the Python it runs in, its kernel.

A folder's choices (dataflow, config, inputs, interpreter) are restored
from the app settings when it opens and saved when another opens or the
window closes. A project may run in its own Python: a chosen interpreter
is checked (off the GUI thread) before the kernel starts there, and a
trusted folder with an environment of its own (the interpreter its settings
name, a `.venv`, or one its uv, Poetry or conda files name) runs there unless
the user chose another,
as the headless commands do. Nothing of an untrusted folder runs, its
interpreter included: one chosen there is kept, and checked once the folder
is trusted. The project model owns the interpreter and the
trust: the kernel session starts in the model's interpreter, so one that
fails its check leaves the model at None (the studio's Python), which is
what runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.core.cache.cache_paths import (
    cache_problem,
    private_project_cache,
    project_cache_dir,
)
from studio.core.interpreters.check import InterpreterCheck
from studio.core.interpreters.environments import environment_to_run, found_environments
from studio.core.model import Workspace
from studio.core.notices import Notice, NoticeKind
from studio.ui import heap
from studio.ui.app_settings import AppSettings
from studio.ui.kernel.interpreter import InterpreterChecker
from studio.ui.kernel.session import KernelSession
from studio.ui.project.graph_controller import GraphController

Offer = tuple[str, Callable[[], None]]


class ProjectSession(QObject):
    opening = Signal(object)
    """(root): a folder is being opened (before its kernel starts)."""
    notice = Signal(object, object)
    """(Notice, offer or None): something to say in the message bar, with a button."""
    status = Signal(str, int)
    """(text, milliseconds; 0 keeps it): a status bar message."""
    interpreter_refused = Signal(str)
    """A chosen interpreter cannot run the kernel: why, for a dialog."""

    def __init__(
        self,
        settings: AppSettings,
        workspace: Workspace,
        session: KernelSession,
        controller: GraphController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.workspace = workspace
        self.project = workspace.project
        self.session = session
        session.read_interpreter_from(lambda: self.project.interpreter)
        self.controller = controller
        self.checker = InterpreterChecker(self)
        self.checker.checked.connect(self._on_checked)
        self.last_check: InterpreterCheck | None = None
        self._pending: tuple[Path, Path | None, str] | None = None
        """(interpreter being checked, folder to open once it is: None when switching,
        and, when the project's own was found by looking, what it is: "its .venv")."""

    @property
    def root(self) -> Path | None:
        return self.project.root

    def open(self, folder: Path) -> None:
        """Open `folder` (it exists): its saved choices, then its kernel."""
        self.save()
        heap.thaw()
        root = folder.resolve()
        state = self.settings.project_state(root)
        self.settings.add_recent_folder(root)
        with contextlib.suppress(OSError):  # a cache that cannot be made is not fatal
            private_project_cache(root)
        self.opening.emit(root)
        self._pending = None
        if not self.settings.is_trusted(root):
            self.controller.open_project(root, state, trusted=False)
            self.notice.emit(
                Notice(
                    NoticeKind.INFO,
                    f"Nothing of {root.name} has run: building its graph imports its modules, "
                    "which runs their code. Until you trust the folder, the graph is read "
                    "from the source alone and nothing can run.",
                ),
                ("Trust Folder", lambda: self.trust(root)),
            )
            return
        self._warn_if_cache_unwritable(root)
        interpreter = state.get("interpreter")
        found = environment_to_run(root) if interpreter is None else None
        if interpreter:
            self._check_then_start(root, state, Path(interpreter), "")
        elif found is not None:
            self._check_then_start(root, state, found.python, found.of("its"))
        else:
            self._start(root, state)

    def _warn_if_cache_unwritable(self, root: Path) -> None:
        """A full or read-only cache folder: the project loads and runs all the same (the
        kernel goes without its disk cache), and the user knows results are not kept."""
        folder = project_cache_dir(root)
        problem = cache_problem(folder)
        if problem is not None:
            self.notice.emit(
                Notice(
                    NoticeKind.INFO,
                    f"Results of {root.name} are not kept: the cache folder {folder} cannot "
                    f"be written ({problem}). The project loads and runs; what it computes "
                    "lasts until the kernel restarts.",
                ),
                None,
            )

    def _check_then_start(self, root: Path, state: dict, python: Path, found: str) -> None:
        """The project runs in its own Python: check it before the kernel starts there."""
        self.status.emit(f"Checking {python}…", 0)
        self._pending = (python, root, found)
        self._state_to_open = state
        self.checker.check(python)

    def trust(self, root: Path) -> None:
        """The user trusts the folder: remembered, and opened again to run its code."""
        self.settings.trust(root)
        if self.project.root == root:
            self.controller.notice_cleared.emit()
            self.open(root)

    def _start(self, root: Path, state: dict) -> None:
        """The workspace takes the folder and its choices (the interpreter among them),
        then the kernel starts in the model's interpreter."""
        self.controller.open_project(root, state)

    def environment_offer(self) -> Offer | None:
        """A button that runs the project in its own environment, when it has one."""
        if self.project.interpreter is not None or self.root is None:
            return None
        environments = found_environments(self.root)
        if not environments:
            return None
        environment = environments[0]
        return (f"Use {environment.label}", lambda: self.use_interpreter(environment.python))

    def use_interpreter(self, python: Path | None) -> bool:
        """Switch the kernel to `python` (None: the studio's own) once it checks out.

        In a folder not trusted the choice is only kept: checking an interpreter runs
        it, and one inside the folder is the folder's code. Trusting the folder opens it
        again, which checks the kept choice and starts the kernel there. Returns whether
        the switch goes ahead now."""
        root = self.root
        if root is not None and not self.project.trusted:
            self.project.choose_interpreter(python)
            self.save()
            which = str(python) if python is not None else "The studio's own Python"
            self.status.emit(
                f"{which} is kept for {root.name}: it is checked and runs once you trust "
                "the folder",
                10_000,
            )
            return False
        opening = self._pending[1] if self._pending is not None else None
        if opening is not None:  # chosen while the folder's own environment is checked
            self._state_to_open = {**self._state_to_open, "interpreter": str(python or "")}
            if python is None:
                self._pending = None
                self._start(opening, self._state_to_open)
                return True
            self._pending = (python, opening, "")
            self.checker.check(python)
            return True
        if python is None:
            self.project.choose_interpreter(None)
            self.status.emit("Restarting the kernel in the studio's Python…", 4000)
            self.session.restart()
            return True
        self.status.emit(f"Checking {python}…", 0)
        self._pending = (python, None, "")
        self.checker.check(python)
        return True

    def _on_checked(self, check: InterpreterCheck) -> None:
        self.last_check = check
        pending = self._pending
        if pending is None or pending[0] != check.python:
            return  # an earlier check, overtaken by another choice
        self._pending = None
        python, opening, found = pending
        self.status.emit("", 0)
        if opening is not None:
            state = self._state_to_open
            if check.ok and found:
                self._start(opening, {**state, "environment": str(python)})
                self.status.emit(f"Running {opening.name} in {found}: {check.describe()}", 8000)
            elif check.ok:
                self._start(opening, state)
            else:
                # The failed choice is dropped: the model holds what runs (None).
                self._start(opening, {**state, "interpreter": None})
                purpose = f"{opening.name}'s code ({found})" if found else "the studio's kernel"
                self.notice.emit(
                    Notice(
                        NoticeKind.ERROR,
                        f"{check.describe(purpose)}\nThe studio's own Python runs the project "
                        "meanwhile.",
                    ),
                    None,
                )
            return
        if not check.ok:
            self.interpreter_refused.emit(check.describe())
            return
        self.project.choose_interpreter(python)
        self.status.emit(f"Restarting the kernel in {check.describe()}…", 5000)
        self.session.restart()

    def restart_kernel(self) -> None:
        """Refused in a folder not trusted: a kernel starts in the folder, which runs its
        code (and the one before it is not the open folder's)."""
        root = self.root
        if root is not None and not self.project.trusted:
            self.notice.emit(
                Notice(
                    NoticeKind.INFO,
                    f"{root.name} is not trusted: no kernel runs its code until you trust it.",
                ),
                ("Trust Folder", lambda: self.trust(root)),
            )
            return
        self.status.emit("Restarting the kernel…", 3000)
        self.session.restart()

    def save(self) -> None:
        """Keep the open project's choices for the next time it opens."""
        if self.project.root is not None:
            self.settings.save_project_state(self.project.root, self.project.state())
