"""`studio edit PATH ...`: change a dataflow's code from the command line, as the canvas does.

    studio edit PATH rename OLD NEW
    studio edit PATH connect SOURCE TARGET
    studio edit PATH disconnect SOURCE TARGET [--force]
    studio edit PATH add NAME [--uses A,B] [--module M] [--returns TYPE]
    studio edit PATH remove NAME

Each prints the unified diff it applied (`--dry-run`: without writing).
Exit status 0 when applied, 2 when refused (the reason on stderr). The
project's code is read, never run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from studio.core.discovery.discover import ProjectFolderError, discover
from studio.core.editing import (
    ConfirmationNeededError,
    EditConflictError,
    EditPlan,
    EditRefusedError,
)
from studio.core.editing.dataflow_editor import DataflowEditor

EXIT_OK = 0
EXIT_REFUSED = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio edit",
        description="Rename, connect, disconnect, add or remove nodes by rewriting the "
        "project's Python files (formatting and comments kept). Prints the diff.",
    )
    parser.add_argument("path", help="project folder")
    parser.add_argument("--dataflow", help="dataflow name (a driver script's stem, e.g. run)")
    parser.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    edits = parser.add_subparsers(dest="edit", required=True, metavar="EDIT")
    rename = edits.add_parser("rename", help="rename a node everywhere it is used")
    rename.add_argument("old")
    rename.add_argument("new")
    connect = edits.add_parser("connect", help="make TARGET take SOURCE as a parameter")
    connect.add_argument("source")
    connect.add_argument("target")
    disconnect = edits.add_parser("disconnect", help="remove SOURCE from TARGET's parameters")
    disconnect.add_argument("source")
    disconnect.add_argument("target")
    disconnect.add_argument(
        "--force", action="store_true", help="remove the parameter even if the body uses it"
    )
    add = edits.add_parser("add", help="add a typed stub function")
    add.add_argument("name")
    add.add_argument("--uses", default="", metavar="A,B", help="nodes it takes as parameters")
    add.add_argument("--module", help="module to write it in (default: the first use's)")
    add.add_argument("--returns", metavar="TYPE", help="return type (default: the first use's)")
    remove = edits.add_parser("remove", help="remove a node's function")
    remove.add_argument("name")
    return parser


def main(argv: Sequence[str]) -> int:
    options = build_parser().parse_args(argv)
    try:
        project = discover(options.path)
        editor = DataflowEditor(project.root, project.dataflows, project.dataflow(options.dataflow))
        plan = _plan(editor, options)
        if not options.dry_run:
            plan.apply()
    except ConfirmationNeededError as error:
        print(f"studio edit: refused: {error} (--force to do it anyway)", file=sys.stderr)
        return EXIT_REFUSED
    except (EditRefusedError, EditConflictError, ProjectFolderError, LookupError) as error:
        print(f"studio edit: refused: {error}", file=sys.stderr)
        return EXIT_REFUSED
    sys.stdout.write(plan.diff(editor.root))
    _report(plan, dry_run=options.dry_run)
    return EXIT_OK


def _plan(editor: DataflowEditor, options: argparse.Namespace) -> EditPlan:
    match options.edit:
        case "rename":
            return editor.rename(options.old, options.new)
        case "connect":
            return editor.connect(options.source, options.target)
        case "disconnect":
            return editor.disconnect(options.source, options.target, force=options.force)
        case "add":
            uses = [name.strip() for name in options.uses.split(",") if name.strip()]
            return editor.add(options.name, uses, options.module, options.returns)
        case _:
            return editor.remove(options.name)


def _report(plan: EditPlan, *, dry_run: bool) -> None:
    count = len(plan.changes)
    files = f"{count} file{'s' if count != 1 else ''}"
    done = "would change" if dry_run else "changed"
    print(f"{plan.summary}: {files} {done}{' (dry run)' if dry_run else ''}.", file=sys.stderr)
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
