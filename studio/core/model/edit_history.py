"""The graph edits made in this window, in order: what Undo and Redo step through.

Each step is an applied `EditPlan`; undoing writes every file back byte for
byte, redoing writes the edit again. Both refuse (and keep their place)
when a file changed on disk since, so another editor's save is never lost.
"""

from __future__ import annotations

from studio.core.editing import EditPlan
from studio.core.model.events import Event


class EditHistory:
    def __init__(self) -> None:
        self._done: list[EditPlan] = []
        self._undone: list[EditPlan] = []
        self.changed = Event()
        """What Undo or Redo would do changed."""

    @property
    def done(self) -> tuple[EditPlan, ...]:
        """The applied edits, oldest first (what Undo steps back through)."""
        return tuple(self._done)

    @property
    def undone(self) -> tuple[EditPlan, ...]:
        """The undone edits, the next Redo last."""
        return tuple(self._undone)

    def apply(self, plan: EditPlan) -> None:
        plan.apply()
        self._done.append(plan)
        self._undone.clear()
        self.changed.emit()

    def undo(self) -> EditPlan | None:
        if not self._done:
            return None
        self._done[-1].undo()
        self._undone.append(self._done.pop())
        self.changed.emit()
        return self._undone[-1]

    def redo(self) -> EditPlan | None:
        if not self._undone:
            return None
        self._undone[-1].apply()
        self._done.append(self._undone.pop())
        self.changed.emit()
        return self._done[-1]

    def clear(self) -> None:
        if self._done or self._undone:
            self._done.clear()
            self._undone.clear()
            self.changed.emit()

    @property
    def undo_text(self) -> str | None:
        return self._done[-1].summary if self._done else None

    @property
    def redo_text(self) -> str | None:
        return self._undone[-1].summary if self._undone else None
