"""The inspector's code editor types Python as an editor does: indentation and find."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from studio.ui.code.code_editor import CodeEditor


def test_return_keeps_indentation_and_tab_backspace_step_by_level(qtbot):
    editor = CodeEditor("default")
    qtbot.addWidget(editor)
    editor.show_code("def f(x: int) -> int:")
    assert not editor.modified
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QTest.keyClicks(editor, "if x:")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QTest.keyClicks(editor, "return 1")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    QTest.keyClicks(editor, "return 2")
    assert editor.toPlainText() == (
        "def f(x: int) -> int:\n    if x:\n        return 1\n    return 2"
    )
    assert editor.modified
    editor.undo()
    assert editor.toPlainText().endswith("return 1\n    ")


def test_find_selects_the_next_match_and_wraps(qtbot):
    editor = CodeEditor("default")
    qtbot.addWidget(editor)
    editor.show_code("a = 1\nb = a\nc = a\n")
    assert editor.find_text("a")
    first = editor.textCursor().position()
    assert editor.find_text("a") and editor.textCursor().position() > first
    assert editor.find_text("a") and editor.find_text("a")
    assert editor.textCursor().position() == first
    assert not editor.find_text("zebra")


def test_code_shown_is_coloured_and_an_empty_view_makes_no_lexer(qtbot):
    editor = CodeEditor("default")
    qtbot.addWidget(editor)
    assert editor._highlighter._lexer is None  # nothing to colour yet: no Pygments rules
    editor.show_code("def f(x):\n    return x")
    line = editor.document().firstBlock().layout().formats()
    keyword = next(f for f in line if f.start == 0)  # `def`
    assert keyword.length == 3 and keyword.format.foreground().color().name() != "#000000"
