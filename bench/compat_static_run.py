"""`bench_compatibility.py --static`: run each case's reference and `studio graph --static`,
classify the difference (`compat_static.classify`) and write its section of
docs/COMPATIBILITY.md."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict
from pathlib import Path

from bench.bench_compatibility import DOC, compare, run_reference_with_origins
from bench.compat_cases import Case
from bench.compat_static import HEADING, StaticOutcome, classify, section, summary, table
from bench.compat_studio import run_studio
from bench.compat_venv import CACHE, ROOT, ensure_venv, subprocess_env, venv_python
from bench.doc_sections import replace_section


def run_static_case(case: Case, examples: Path, failed_packages: dict[str, str]) -> StaticOutcome:
    """The graph read from source against plain Hamilton's (see `compat_static`)."""
    driver = f"{case.driver} ({case.label})" if case.label else case.driver or "—"
    outcome = StaticOutcome(case.example, driver)
    if case.name in failed_packages:
        outcome.why = failed_packages[case.name]
        return outcome
    folder = examples / case.example
    graph, origins, error, _ = run_reference_with_origins(case, folder / case.search_path)
    if graph is None:
        outcome.why = f"reference fails: {error}"
        return outcome
    outcome.nodes = len(graph)

    def matches(nodes: dict[str, set[str]] | None) -> bool:
        return nodes is not None and not compare(graph, nodes)

    studio = run_studio(case, folder, venv_python(), subprocess_env(), matches, static=True)
    if studio.nodes is None:
        outcome.result, outcome.why = "other", f"studio: {studio.error}"
        return outcome
    outcome.read = len(studio.nodes)
    outcome.unexpanded = tuple(sorted(studio.unexpanded))
    outcome.result, outcome.why = classify(graph, origins, studio.nodes, studio.unexpanded)
    return outcome


def main_static(cases: list[Case], examples: Path, write: bool) -> int:
    failed_packages, _ = ensure_venv()
    outcomes = []
    for case in cases:
        outcome = run_static_case(case, examples, failed_packages)
        outcomes.append(outcome)
        cards = ", ".join(outcome.unexpanded)
        print(
            f"{outcome.result:>8}  {case.name}  nodes={outcome.nodes} read={outcome.read}  "
            f"{outcome.why}{f'  (not expanded: {cards})' if cards else ''}",
            flush=True,
        )
    print("\n" + "\n".join(table(outcomes)) + "\n\n" + summary(outcomes))
    (CACHE / "compat-static-results.json").write_text(
        json.dumps([asdict(o) for o in outcomes], indent=2)
    )
    if write:
        text = section(outcomes, datetime.date.today().isoformat())
        DOC.write_text(replace_section(DOC.read_text(), HEADING, text))
        print(f"bench: wrote the static section of {DOC.relative_to(ROOT)}")
    return 0
