"""Graph edits of external inputs and of `@config.when` variants (issue 28)."""

from pathlib import Path

from test_editing import FEATURES, RUN, editor, hamilton_edges, snapshot

DATA = """import pandas as pd


def raw(path: str, since: pd.Timestamp) -> pd.DataFrame:
    return pd.read_csv(path)


def cleaned(raw: pd.DataFrame, since: pd.Timestamp) -> pd.DataFrame:
    return raw.dropna()
"""


def project(tmp_path: Path) -> Path:
    (tmp_path / "data.py").write_text(DATA)
    (tmp_path / "features.py").write_text(FEATURES)
    (tmp_path / "run.py").write_text(RUN)
    return tmp_path


def test_an_input_connects_with_the_type_its_other_users_give_it(tmp_path):
    root = project(tmp_path)
    editor(root).connect("path", "total").apply()
    text = (root / "features.py").read_text()
    assert "    cleaned: Any,\n    path: str,\n    scale: float = 1.0,\n" in text
    assert ("path", "total") in hamilton_edges(root)
    editor(root).connect("since", "total").apply()
    text = (root / "features.py").read_text()
    assert "since: pd.Timestamp" in text and "import pandas as pd\n" in text
    assert ("since", "total") in hamilton_edges(root)


def test_remove_of_a_config_variant_removes_only_the_one_the_config_chooses(tmp_path):
    root = project(tmp_path)
    before = snapshot(root)
    plan = editor(root).remove("extra")  # run.py's config: mode="a"
    assert plan.summary == "Remove extra__a, the variant of extra the config chooses"
    assert plan.notes[0] == (
        "only the variant `extra__a` (features.py:17) goes; `extra__b` (features.py:22) stays"
    )
    plan.apply()
    text = (root / "features.py").read_text()
    assert "def extra__a" not in text and "def extra__b(total: float)" in text
    assert ("total", "extra") in hamilton_edges(root, {"mode": "b"})
    plan.undo()
    assert snapshot(root) == before

    chosen = editor(root).remove("extra", ["extra__b"])  # the variant the window shows
    assert "`extra__b` (features.py:22) goes; `extra__a` (features.py:17) stays" in chosen.notes[0]
    (root / "run.py").write_text(RUN.replace('{"mode": "a"}', "{}"))
    every = editor(root).remove("extra")  # no config chooses one: both go, each named
    assert every.summary == "Remove node extra"
    assert every.notes[0] == (
        "every variant goes: `extra__a` (features.py:17), `extra__b` (features.py:22)"
    )
