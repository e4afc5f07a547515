"""A driver script's materializers, read from its text: `materialize(...)` and
`with_materializers(...)`, never run."""

from pathlib import Path

from studio.core.discovery.project import Dataflow, MaterializerSpec
from tests.core.test_driver_patterns import LOADERS, flows, write


def _flow(root: Path, script: str) -> Dataflow:
    write(root, LOADERS)
    write(root, {"run.py": script})
    return flows(root)["run"]


def test_materialize_arguments_are_read_with_their_literal_keywords(tmp_path):
    flow = _flow(
        tmp_path,
        """
        from hamilton import base, driver
        from hamilton.io.materialization import to
        import load_mock, prep

        dr = driver.Builder().with_modules(load_mock, prep).build()
        dr.materialize(
            to.csv(id="save_raw", dependencies=["raw"], path="out/raw.csv", sep=";"),
            to.json(
                id="save_both",
                dependencies=["signups", "total"],
                combine=base.DictResult(),
                path="both.json",
            ),
            additional_vars=["total"],
        )
        """,
    )
    raw, both = flow.materializers
    assert raw == MaterializerSpec(
        id="save_raw",
        factory="csv",
        dependencies=("raw",),
        arguments={"path": "out/raw.csv", "sep": ";"},
        line=8,
    )
    assert both.combine == "hamilton.base.DictResult"
    assert both.dependencies == ("signups", "total") and both.runnable
    assert flow.outputs == ("raw", "signups", "total")
    assert not flow.notes
    assert Dataflow.from_dict(flow.to_dict()) == flow


def test_with_materializers_in_a_builder_chain_and_a_list_built_in_steps(tmp_path):
    flow = _flow(
        tmp_path,
        """
        from hamilton import driver
        from hamilton.io import materialization
        import load_mock, prep

        savers = [materialization.to.parquet(id="save_raw", dependencies=["raw"], path="r.pq")]
        savers.append(
            materialization.to.pickle(id="save_total", dependencies=["total"], path="t.pkl")
        )
        dr = driver.Builder().with_modules(load_mock, prep).with_materializers(*savers).build()
        dr.execute(["save_total", "signups"])
        """,
    )
    assert [(m.id, m.factory) for m in flow.materializers] == [
        ("save_raw", "parquet"),
        ("save_total", "pickle"),
    ]
    # Without asking to write files, a run computes what the materializer would save.
    assert flow.outputs == ("total", "signups")


def test_dependencies_given_as_functions_are_named_by_the_function(tmp_path):
    flow = _flow(
        tmp_path,
        """
        from hamilton import driver
        from hamilton.io.materialization import to
        import load_mock, prep
        from prep import total

        dr = driver.Driver({}, load_mock, prep)
        saver = to.json(id="save", dependencies=[prep.signups, total], path="s.json")
        dr.materialize(saver)
        """,
    )
    (spec,) = flow.materializers
    assert spec.dependencies == ("signups", "total")


def test_a_path_computed_when_the_script_runs_is_noted_and_the_materializer_kept(tmp_path):
    flow = _flow(
        tmp_path,
        """
        import os
        from hamilton import driver
        from hamilton.io.materialization import to, from_
        import load_mock, prep

        dr = driver.Driver({}, load_mock, prep)
        dr.materialize(
            to.csv(id="save_raw", dependencies=["raw"], path=os.environ["OUT"]),
            from_.csv(target="raw", path="raw.csv"),
        )
        """,
    )
    (spec,) = flow.materializers
    assert spec.computed == ("path",) and not spec.runnable
    assert spec.call_text() == "to.csv(path=…)"
    assert any("line 9" in note and "save_raw" in note for note in flow.notes)
    assert any("line 10" in note and "loaders are not shown" in note for note in flow.notes)
    assert "materializers (run only when asked): save_raw" in flow.describe()
