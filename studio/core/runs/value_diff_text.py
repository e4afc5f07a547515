"""A comparison report of two values (`studio.kernel.results.value_diff`), written for people."""

from __future__ import annotations

from typing import Any


def describe_diff(report: dict[str, Any], before: str = "before", after: str = "after") -> str:
    """Lines saying what changed, most telling first; `before`/`after` name the two versions."""
    kind = report.get("kind")
    lines: list[str] = []
    if report.get("before_type") != report.get("after_type"):
        lines.append(f"type: {report['before_type']} → {report['after_type']}")
    if report.get("note"):
        lines.append(f"({report['note']})")
    if report.get("equal"):
        lines.append(f"No change: {before} and {after} are equal.")
        return "\n".join(lines)
    if kind in ("frame", "series"):
        lines += _frame_lines(report)
    elif kind == "array":
        lines += _array_lines(report)
    elif kind == "mapping":
        lines += _mapping_lines(report)
    elif kind == "sequence":
        length = report["length"]
        if length[0] != length[1]:
            lines.append(f"length: {length[0]:,} → {length[1]:,}")
        lines.append(f"{_count(report['items_changed'], 'item')} changed")
        lines += [f"  [{e['index']}] {e['before']} → {e['after']}" for e in report["examples"]]
    else:
        lines.append(f"{report['before']} → {report['after']}{_change(report)}")
    return "\n".join(lines)


def _change(entry: dict[str, Any]) -> str:
    if "delta" not in entry:
        return ""
    relative = f", {entry['relative'] * 100:+.1f} %" if "relative" in entry else ""
    return f"  ({_signed(entry['delta'])}{relative})"


def _frame_lines(report: dict[str, Any]) -> list[str]:
    lines = []
    (rows_a, cols_a), (rows_b, cols_b) = report["shape"]
    if (rows_a, cols_a) != (rows_b, cols_b):
        lines.append(f"shape: {rows_a:,} × {cols_a} → {rows_b:,} × {cols_b}")
    if report.get("matched_by"):
        lines.append(f"rows matched by {report['matched_by']}")
    if report["columns_added"]:
        lines.append(f"columns added: {', '.join(report['columns_added'])}")
    if report["columns_removed"]:
        lines.append(f"columns removed: {', '.join(report['columns_removed'])}")
    for change in report["dtype_changes"]:
        lines.append(f"column {change['column']}: {change['before']} → {change['after']}")
    for side, word in (("added", "added"), ("removed", "removed")):
        count = report[f"rows_{side}"]
        if count:
            examples = ", ".join(report[f"rows_{side}_examples"])
            more = ", …" if count > len(report[f"rows_{side}_examples"]) else ""
            lines.append(f"rows {word}: {count:,} (index {examples}{more})")
    for column in report["changed"]:
        lines.append(f"column {column['column']}: {_count(column['cells'], 'cell')} changed")
        lines += [f"  at {e['index']}: {e['before']} → {e['after']}" for e in column["examples"]]
    for stats in report["stats"]:
        deltas = [
            f"{name} {_number(pair[0])} → {_number(pair[1])}"
            for name, pair in stats.items()
            if name != "column"
        ]
        lines.append(f"column {stats['column']}: {', '.join(deltas)}")
    return lines


def _array_lines(report: dict[str, Any]) -> list[str]:
    shape_a, shape_b = report["shape"]
    if shape_a != shape_b:
        return [f"shape: {' × '.join(map(str, shape_a))} → {' × '.join(map(str, shape_b))}"]
    lines = [f"{_count(report['cells_changed'], 'cell')} changed"]
    lines += [f"  at {e['index']}: {e['before']} → {e['after']}" for e in report["examples"]]
    stats = report.get("stats") or {}
    if stats:
        lines.append(", ".join(f"{k} {_number(v[0])} → {_number(v[1])}" for k, v in stats.items()))
    return lines


def _mapping_lines(report: dict[str, Any]) -> list[str]:
    lines = []
    if report["keys_added"]:
        lines.append(f"keys added: {', '.join(report['keys_added'])}")
    if report["keys_removed"]:
        lines.append(f"keys removed: {', '.join(report['keys_removed'])}")
    lines += [
        f"{c['key']}: {c['before']} → {c['after']}{_change(c)}" for c in report["values_changed"]
    ]
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' if number != 1 else ''}"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.6g}"


def _signed(value: float) -> str:
    return f"{value:+,.6g}"
