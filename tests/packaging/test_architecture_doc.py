"""docs/ARCHITECTURE.md names every module of the studio, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
LAYERS = ("core", "kernel", "ui", "cli")


def _sections() -> dict[str, str]:
    """Each layer's section of the document, by layer."""
    text = DOC.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for layer in LAYERS:
        match = re.search(rf"^### `studio/{layer}`.*?(?=^##)", text, re.S | re.M)
        assert match, f"ARCHITECTURE.md has no section for studio/{layer}"
        found[layer] = match.group(0)
    return found


def _modules(layer: str) -> set[str]:
    base = ROOT / "studio" / layer
    return {p.relative_to(base).as_posix() for p in base.rglob("*.py") if p.name != "__init__.py"}


def test_every_module_is_described_in_its_layers_section() -> None:
    sections = _sections()
    missing = [
        f"studio/{layer}/{module}"
        for layer in LAYERS
        for module in sorted(_modules(layer))
        if f"`{module}`" not in sections[layer]
    ]
    assert not missing, f"not described in docs/ARCHITECTURE.md: {missing}"


def test_every_module_the_document_names_exists() -> None:
    sections = _sections()
    gone = [
        f"studio/{layer}/{name}"
        for layer, section in sections.items()
        for name in re.findall(r"`([\w/]+\.py)`", section)
        if not (ROOT / "studio" / layer / name).is_file() and not (ROOT / "studio" / name).is_file()
    ]
    whole = DOC.read_text(encoding="utf-8")
    gone += [p for p in re.findall(r"studio/[\w/]+\.py", whole) if not (ROOT / p).is_file()]
    assert not gone, f"docs/ARCHITECTURE.md names files that do not exist: {gone}"
