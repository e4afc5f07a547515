"""Changing the dataflow from the canvas: graph edits, their dialogs, undo."""
