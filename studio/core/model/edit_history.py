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
        self.done: list[EditPlan] = []
        self.undone: list[EditPlan] = []
        self.changed = Event()
        """What Undo or Redo would do changed."""

    def apply(self, plan: EditPlan) -> None:
        plan.apply()
        self.done.append(plan)
        self.undone.clear()
        self.changed.emit()

    def undo(self) -> EditPlan | None:
        if not self.done:
            return None
        self.done[-1].undo()
        self.undone.append(self.done.pop())
        self.changed.emit()
        return self.undone[-1]

    def redo(self) -> EditPlan | None:
        if not self.undone:
            return None
        self.undone[-1].apply()
        self.done.append(self.undone.pop())
        self.changed.emit()
        return self.done[-1]

    def clear(self) -> None:
        if self.done or self.undone:
            self.done.clear()
            self.undone.clear()
            self.changed.emit()

    @property
    def undo_text(self) -> str | None:
        return self.done[-1].summary if self.done else None

    @property
    def redo_text(self) -> str | None:
        return self.undone[-1].summary if self.undone else None
