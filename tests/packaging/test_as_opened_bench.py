"""The runs-as-opened bench's comparison keeps working without Hamilton's examples."""

import pickle

import numpy as np
import pandas as pd

from bench.bench_as_opened import compare_outputs, plain_outputs
from bench.doc_sections import other_sections, replace_section


def _load(path, value):
    path.write_bytes(pickle.dumps(value))
    return pickle.loads(path.read_bytes())


def test_equal_frames_a_differing_series_and_a_missing_output_are_told_apart(tmp_path):
    frame = pd.DataFrame({"a": [1.0, np.nan], "b": ["x", "y"]})
    records = [
        {"method": "execute", "outputs": {"frame": frame, "series": pd.Series([1, 2])}},
        {"method": "execute", "outputs": {"array": np.array([1.0, np.nan]), "gone": 3}},
    ]
    plain = plain_outputs(_load(tmp_path / "plain.pkl", records))
    studio = _load(
        tmp_path / "studio.pkl",
        {
            "frame": frame.copy(),
            "series": pd.Series([1, 3]),
            "array": np.array([1.0, np.nan]),
            "other": 1,
        },
    )

    result = compare_outputs(plain, studio)

    assert sorted(result.equal) == ["array", "frame"]
    assert list(result.differing) == ["series"]
    assert "different" in result.differing["series"]
    assert result.missing == ["gone"]
    assert result.extra == ["other"]
    assert compare_outputs(plain, studio, shape_only=True).differing == {}


def test_a_rerun_replaces_its_own_section_and_keeps_the_others():
    page = "# Title\n\nintro\n\n## Mine\n\nold\n\n## Theirs\n\nkept\n"
    page = replace_section(page, "## Mine", "## Mine\n\nnew\n")
    assert page == "# Title\n\nintro\n\n## Mine\n\nnew\n\n## Theirs\n\nkept\n"
    assert replace_section("# T\n", "## Mine", "## Mine\n\nx\n") == "# T\n\n## Mine\n\nx\n"
    assert other_sections(page, {"## Theirs"}) == "## Mine\n\nnew\n"
