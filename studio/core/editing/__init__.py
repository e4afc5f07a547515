"""Changing a dataflow by rewriting its Python files: rename, connect, add, remove.

Each edit is planned first (`EditPlan`: the bytes of every file before and
after, and a summary), refused with a reason when it cannot be done safely
(`EditRefusedError`), then applied; an applied edit can be undone byte for byte.
The rewriting goes through libcst so that formatting and comments stay.
Nothing here imports or runs the user's code.
"""

from studio.core.editing.edit_plan import (
    ConfirmationNeededError,
    EditConflictError,
    EditPlan,
    EditRefusedError,
    FileChange,
)

__all__ = [
    "ConfirmationNeededError",
    "EditConflictError",
    "EditPlan",
    "EditRefusedError",
    "FileChange",
]
