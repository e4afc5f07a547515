"""The executor choice as the user writes it, in the settings and on the command line."""

import pytest

from studio.core.runs.executors import ExecutorChoice, ExecutorError, ExecutorKind


@pytest.mark.parametrize(
    ("text", "kind", "address", "owned"),
    [
        ("", ExecutorKind.LOCAL, None, False),
        ("threads", ExecutorKind.THREADS, None, False),
        ("Processes", ExecutorKind.PROCESSES, None, False),
        ("dask", ExecutorKind.DASK, None, True),
        ("dask=tcp://10.0.0.5:8786", ExecutorKind.DASK, "tcp://10.0.0.5:8786", False),
        ("ray = ray://head:10001", ExecutorKind.RAY, "ray://head:10001", False),
    ],
)
def test_the_written_choice_names_the_executor_and_whether_the_studio_owns_its_cluster(
    text, kind, address, owned
):
    choice = ExecutorChoice.parse(text)
    assert (choice.kind, choice.address, choice.owns_cluster) == (kind, address, owned)
    assert ExecutorChoice.parse(choice.text) == choice


def test_a_cluster_elsewhere_says_before_the_run_that_the_disk_cache_is_not_used():
    assert ExecutorChoice.parse("dask").reuse_note is None
    elsewhere = ExecutorChoice.parse("dask=tcp://10.0.0.5:8786")
    assert not elsewhere.keeps_disk_cache
    assert "Dask at tcp://10.0.0.5:8786" in elsewhere.reuse_note
    assert "memory" in elsewhere.reuse_note


@pytest.mark.parametrize(
    ("text", "says"),
    [("spark", "unknown executor 'spark'"), ("threads=host:1", "threads takes no address")],
)
def test_a_wrong_choice_says_what_would_be_right(text, says):
    with pytest.raises(ExecutorError, match=says) as error:
        ExecutorChoice.parse(text)
    assert "dask" in str(error.value)


def test_each_engine_names_the_extra_that_installs_it():
    assert "dataflow-studio[dask]" in ExecutorChoice.parse("dask").install_hint
    assert "dataflow-studio[ray]" in ExecutorChoice.parse("ray=auto").install_hint
    assert ExecutorChoice.parse("threads").install_hint is None
