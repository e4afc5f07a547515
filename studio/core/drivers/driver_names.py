"""Names for the drivers of one script that a user recognises (`run · csv`, `run · load=polars`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.core.drivers.driver_scripts import DriverFacts


def name_drivers(drivers: list[DriverFacts]) -> None:
    """Give each of several drivers a label that tells it from the others.

    In this order, each way that tells more of them apart is added to the name: the
    modules' key, the enclosing function or command, the variable, the `if` branch, what
    differs in config, in modules, in adapters, async or not; else the line.
    """
    if len(drivers) < 2:
        return
    axes = [
        [d.choice for d in drivers],
        [d.function for d in drivers],
        [d.variable for d in drivers],
        [d.condition for d in drivers],
        _config_differences(drivers),
        _module_differences(drivers),
        [_adapters_label(d) for d in drivers],
        ["async" if d.is_async else None for d in drivers],
    ]
    chosen: list[list[str | None]] = []
    distinct = 1
    for axis in axes:
        if len(set(axis)) < 2:
            continue
        with_axis = len(set(zip(*chosen, axis, strict=True)))
        if with_axis > distinct:
            chosen.append(axis)
            distinct = with_axis
        if distinct == len(drivers):
            break
    labels = [" · ".join(str(v) for v in values if v) for values in zip(*chosen, strict=True)]
    if distinct < len(drivers) or not all(labels):
        labels = [f"line {d.line}" for d in drivers]
    _label(drivers, labels)


def _label(drivers: list[DriverFacts], labels: list[str]) -> None:
    for driver, label in zip(drivers, labels, strict=True):
        driver.label = label


def _module_differences(drivers: list[DriverFacts]) -> list[str | None]:
    common = set.intersection(*(set(d.modules) for d in drivers))
    labels: list[str | None] = []
    for driver in drivers:
        own = [m.rsplit(".", 1)[-1] for m in driver.modules if m not in common]
        labels.append(", ".join(own) or None)
    return labels


def _config_differences(drivers: list[DriverFacts]) -> list[str | None]:
    keys = sorted({k for d in drivers for k in d.config})
    differing = [k for k in keys if len({repr(d.config.get(k)) for d in drivers}) > 1]
    labels: list[str | None] = []
    for driver in drivers:
        parts = [f"{k}={driver.config[k]}" for k in differing if k in driver.config]
        labels.append(", ".join(parts) or None)
    return labels


def _adapters_label(driver: DriverFacts) -> str:
    return ", ".join(a.rsplit(".", 1)[-1] for a in driver.adapters) or "no adapter"
