"""The node inspector: what a node is, where it comes from, and its source code."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.editing.notebook_sources import (
    NO_JUPYTER,
    notebook_of,
    notebook_place,
    read_module_text,
)
from studio.core.editing.source_code import SourceExcerpt, function_source
from studio.core.graph.function_cards import FunctionCard
from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo
from studio.ui.code.code_editor import CodeEditor
from studio.ui.editing.open_in_editor import open_in_editor, open_in_jupyter
from studio.ui.theme import KIND_LABELS, Theme

_PLACEHOLDER = "Select a node to see what it is and the code behind it."


class InspectorPanel(QWidget):
    node_link_activated = Signal(str)
    """A dependency link was clicked: the name of the node to go to."""
    save_requested = Signal(object, str)
    """Ctrl+S in the source: (the excerpt as opened, the edited text)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.root: Path | None = None
        self.info: NodeInfo | None = None
        self.excerpt: SourceExcerpt | None = None
        self._snapshot: GraphSnapshot | None = None
        self._card: FunctionCard | None = None
        self._given_by = ""
        self._details = QTextBrowser()
        self._details.setOpenLinks(False)
        self._details.anchorClicked.connect(self._on_link)
        self._details.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._source = CodeEditor(theme.pygments_style)
        self._source.modificationChanged.connect(lambda _changed: self._update_title())
        self._source_title = QLabel()
        self._source_title.setContentsMargins(8, 4, 8, 2)
        title_font = QFont(self._source_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 0.92)
        self._source_title.setFont(title_font)
        self._find = QLineEdit()
        self._find.setPlaceholderText("Find")
        self._find.setClearButtonEnabled(True)
        self._find.setFixedWidth(120)
        self._find.returnPressed.connect(lambda: self._source.find_text(self._find.text()))
        self.whole_module = self._tool(
            "Whole Module", "Show and edit the whole module", checkable=True
        )
        self.whole_module.toggled.connect(lambda _on: self._reload_source())
        self.save_button = self._tool("Save", "Write your changes to the file (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = self._tool("Revert", "Discard your changes: show the file again")
        self.revert_button.clicked.connect(self._revert)
        self.open_button = self._tool("Open in Editor", "Open the file at this line in $EDITOR")
        self.open_button.clicked.connect(self._open_in_editor)
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 2)
        header.setSpacing(2)
        for widget in (self._find, self.whole_module, self.save_button, self.revert_button):
            header.addWidget(widget)
        header.addStretch(1)
        header.addWidget(self.open_button)
        source_box = self._source_box = QWidget()
        source_layout = QVBoxLayout(source_box)
        source_layout.setContentsMargins(0, 0, 0, 0)
        source_layout.setSpacing(0)
        source_layout.addWidget(self._source_title)
        source_layout.addLayout(header)
        source_layout.addWidget(self._source)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._details)
        splitter.addWidget(source_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.show_node(None)

    # -- public ---------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._source.set_style(theme.pygments_style)
        if self.info is not None:
            self.show_node(self.info, self._snapshot, self._card, self._given_by)

    def show_node(
        self,
        info: NodeInfo | None,
        snapshot: GraphSnapshot | None = None,
        card: FunctionCard | None = None,
        given_by: str = "",
    ) -> None:
        """Show a node (with the other nodes of its function's `card`, if it has one);
        `given_by`: the file that gives its value in place of its function's (a notebook's
        `--overrides`)."""
        self.info = info
        self._card = card
        self._snapshot = snapshot
        self._given_by = given_by
        if info is None:
            self._details.setHtml(
                f"<p style='color:{self.theme.node_subtext.name()}'>{_PLACEHOLDER}</p>"
            )
            self._set_excerpt(None)
            return
        self._details.setHtml(self._details_html(info, snapshot, card, given_by))
        self._reload_source()

    def show_location(self, file: str, line: int | None) -> None:
        """Show a whole file scrolled to a line (for errors and traceback frames)."""
        if self.root is None:
            return
        path = Path(file) if Path(file).is_absolute() else self.root / file
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            self._source_title.setText(f"{file}: {error.strerror}")
            self._source.clear()
            return
        self._set_excerpt(SourceExcerpt(path, 1, text, line or 1))

    def source_text(self) -> str:
        return self._source.toPlainText()

    @property
    def editor(self) -> CodeEditor:
        return self._source

    @property
    def source_area(self) -> QWidget:
        """The source, its title and its buttons: where Save and Find (Ctrl+S, Ctrl+F) act."""
        return self._source_box

    def focus_find(self) -> None:
        self._find.setFocus()

    def save(self) -> None:
        if self.excerpt is not None and self._source.modified:
            self.save_requested.emit(self.excerpt, self._source.toPlainText())

    def saved(self, text: str) -> None:
        """The edited text is now the file's: later saves compare against it."""
        if self.excerpt is not None:
            excerpt = self.excerpt
            self.excerpt = SourceExcerpt(excerpt.path, excerpt.first_line, text, excerpt.focus_line)
        self._source.document().setModified(False)

    def rebase(self, on_disk: str, merged: str) -> None:
        """The file now holds `on_disk`; the editor shows `merged`, unsaved, to be checked."""
        self.saved(on_disk)
        self.replace_text(merged)

    def replace_text(self, text: str) -> None:
        """Put `text` in the editor as one undoable step (the user's version stays in undo)."""
        cursor = self._source.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(text)

    def _reload_source(self) -> None:
        info = self.info
        excerpt = None
        if info is not None and info.file and info.line and self.root is not None:
            path = Path(info.file) if Path(info.file).is_absolute() else self.root / info.file
            try:
                excerpt = function_source(path, info.line)
                if self.whole_module.isChecked():
                    text = read_module_text(path)
                    excerpt = SourceExcerpt(path, 1, text, excerpt.focus_line)
            except OSError:
                excerpt = None
        self._set_excerpt(excerpt)

    def _revert(self) -> None:
        self._source.document().setModified(False)
        self._reload_source()

    def _open_in_editor(self) -> None:
        if self.excerpt is None:
            return
        notebook = notebook_of(self.excerpt.path)
        if notebook is None:
            open_in_editor(self.excerpt.path, self.excerpt.focus_line)
        elif not open_in_jupyter(notebook, self.root):
            self._source_title.setText(NO_JUPYTER.format(name=notebook.name))

    def _tool(self, text: str, tip: str, *, checkable: bool = False) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        button.setAutoRaise(True)
        return button

    def details_text(self) -> str:
        return self._details.toPlainText()

    # -- rendering -------------------------------------------------------------

    def _details_html(
        self,
        info: NodeInfo,
        snapshot: GraphSnapshot | None,
        card: FunctionCard | None = None,
        given_by: str = "",
    ) -> str:
        muted = self.theme.node_subtext.name()
        accent = self.theme.kind(info.kind).accent.name()
        rows = [("Type", html.escape(info.type))]
        if info.module:
            rows.append(("Module", html.escape(info.module)))
        if info.file:
            where = f"{info.file}:{info.line}"
            if self.root is not None:  # a notebook's module: its cell and line
                where = notebook_place(self.root / info.file, info.line) or where
            rows.append(("File", html.escape(where)))
        if given_by:
            rows.append(("Value", f"given by {html.escape(given_by)} (--overrides), not computed"))
        if info.origin and info.is_generated:
            rows.append(("Made from", f"<code>{html.escape(info.origin)}</code>"))
        if card is not None:
            checks = f", {card.validators} validating it" if card.validators else ""
            rows.append(
                (
                    "Function",
                    f"<code>{html.escape(card.title)}</code> makes {len(card.members)} "
                    f"nodes{checks}: {_links(card.members)}",
                )
            )
        if info.decorators:
            rows.append(("Decorators", ", ".join(f"@{html.escape(d)}" for d in info.decorators)))
        tags = {k: v for k, v in info.tags.items() if k != "module"}
        if tags:
            rows.append(
                (
                    "Tags",
                    "<br>".join(
                        f"{html.escape(k)} = {html.escape(str(v))}" for k, v in tags.items()
                    ),
                )
            )
        if snapshot is not None:
            index = GraphIndex(snapshot)
            own = card.members if card is not None else (info.name,)
            parents = _outside(own, index.parents)
            children = _outside(own, index.children)
            if parents:
                rows.append(("Depends on", _links(parents)))
            if children:
                rows.append(("Used by", _links(children)))
        label = f"<td style='color:{muted};padding-right:10px' valign='top'>"
        table = "".join(f"<tr>{label}{k}</td><td>{v}</td></tr>" for k, v in rows)
        doc = html.escape(info.doc).replace("\n", "<br>") if info.doc else "<i>no docstring</i>"
        return (
            f"<div style='font-size:13pt;font-weight:600'>{html.escape(info.name)}</div>"
            f"<div style='color:{accent};margin-bottom:6px'>{KIND_LABELS[info.kind]}</div>"
            f"<p>{doc}</p><table cellspacing='2'>{table}</table>"
        )

    def _set_excerpt(self, excerpt: SourceExcerpt | None) -> None:
        if self._source.modified:
            self._update_title()  # unsaved code stays, whatever else asks to be shown
            return
        self.excerpt = excerpt
        self._render_source()

    def _render_source(self) -> None:
        excerpt = self.excerpt
        self._source_box.setVisible(excerpt is not None)
        if excerpt is None:
            self._source_title.setText("")
            self._source.show_code("")
            return
        self._source.show_code(excerpt.text, excerpt.first_line, excerpt.focus_line)
        in_notebook = notebook_of(excerpt.path) is not None  # saved into its cell
        self.open_button.setText("Open in Jupyter" if in_notebook else "Open in Editor")
        self.open_button.setToolTip(
            "Open the notebook in JupyterLab (or Jupyter Notebook)"
            if in_notebook
            else "Open the file at this line in $EDITOR"
        )
        self._update_title()

    def _update_title(self) -> None:
        """Where the code comes from; while it has unsaved changes, it stays on screen."""
        excerpt, modified = self.excerpt, self._source.modified
        self.save_button.setEnabled(modified)
        self.revert_button.setEnabled(modified)
        if excerpt is None:
            return
        name = excerpt.path.name if self.root is None else _relative(excerpt.path, self.root)
        if notebook_of(excerpt.path) is not None:
            where = notebook_place(excerpt.path, excerpt.focus_line) or excerpt.path.parent.name
            unsaved = " • unsaved" if modified else ""
            self._source_title.setText(f"{where} (module {excerpt.path.stem}){unsaved}")
            self._source_title.setToolTip("Saved into the notebook's cell" if modified else "")
            return
        self._source_title.setText(
            f"{name}, line {excerpt.focus_line}{' • unsaved' if modified else ''}"
        )
        self._source_title.setToolTip("Unsaved: Ctrl+S saves, Revert discards" if modified else "")

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "node":
            self.node_link_activated.emit(url.path())


def _outside(own: tuple[str, ...], neighbours: dict[str, list[str]]) -> list[str]:
    """The neighbours of a node, or of a function card's nodes, that are not its own."""
    found = dict.fromkeys(n for name in own for n in neighbours.get(name, ()))
    return [n for n in found if n not in own]


def _links(names: list[str]) -> str:
    return ", ".join(f"<a href='node:{html.escape(n)}'>{html.escape(n)}</a>" for n in names)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
