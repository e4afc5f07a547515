"""The frozen app opens its examples from a copy in the user's folder: the bundle is
read-only (Program Files) or signed (a macOS .app), and an edit inside it would fail
or break the signature."""

import sys

from studio.core.resources import example_path, example_to_open


def test_the_frozen_app_opens_a_copy_that_keeps_the_users_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    bundled = example_path("decorators")
    before = {p.name: p.read_bytes() for p in bundled.glob("*.py")}

    opened = example_to_open("decorators")
    assert opened == tmp_path / "data" / "examples" / "decorators"
    assert {p.name: p.read_bytes() for p in opened.glob("*.py")} == before
    edited = next(iter(sorted(opened.glob("*.py"))))
    edited.write_text("# mine\n", encoding="utf-8")

    assert example_to_open("decorators") == opened
    assert edited.read_text(encoding="utf-8") == "# mine\n"  # not copied over again
    assert {p.name: p.read_bytes() for p in bundled.glob("*.py")} == before


def test_from_source_the_example_itself_is_opened(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert example_to_open("decorators") == example_path("decorators")
