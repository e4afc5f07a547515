"""What a driver script asks of each driver: the outputs and inputs of its `execute` calls.

An `execute` (or `raw_execute`, `materialize`...) call is tied to the
driver it is made on, followed through the variable that holds it; in a
script with one driver, every such call is that driver's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from studio.core.drivers.script_scopes import Binding, ScriptScopes, calls_in
from studio.core.drivers.script_values import NotLiteralError, ScriptValues

if TYPE_CHECKING:
    from studio.core.drivers.driver_scripts import DriverFacts

RUN_METHODS = frozenset(
    {"execute", "raw_execute", "materialize", "validate_execution", "validate_materialization"}
)


def attach_run_calls(
    tree: ast.Module,
    scopes: ScriptScopes,
    values: ScriptValues,
    by_node: dict[ast.Call, list[DriverFacts]],
) -> None:
    """Add to each driver the outputs and inputs the script's run calls give it."""
    for call in calls_in(tree):
        if isinstance(call.func, ast.Attribute) and call.func.attr in RUN_METHODS:
            for driver in _run_targets(scopes, call.func.value, by_node):
                _read_run_call(values, driver, call)


def _run_targets(
    scopes: ScriptScopes, receiver: ast.expr, by_node: dict[ast.Call, list[DriverFacts]]
) -> list[DriverFacts]:
    """The drivers an `execute` call is made on (all of them when the script has one)."""
    value: ast.expr | None = receiver
    if isinstance(receiver, ast.Name):
        found, _ = scopes.lookup(receiver.id, receiver)
        value = found.value if isinstance(found, Binding) else None
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call) and value in by_node:
        return by_node[value]
    return next(iter(by_node.values())) if len(by_node) == 1 else []


def _read_run_call(values: ScriptValues, driver: DriverFacts, call: ast.Call) -> None:
    assert isinstance(call.func, ast.Attribute)
    if call.func.attr in ("execute", "raw_execute"):
        wanted = call.args[0] if call.args else keyword_value(call, "final_vars")
        names = values.strings(wanted) if wanted is not None else None
        for name in names or ():
            if name not in driver.outputs:
                driver.outputs.append(name)
    inputs = keyword_value(call, "inputs")
    if inputs is None:
        return
    try:
        reading = values.read_dict(inputs)
    except NotLiteralError:
        driver.computed_inputs.append(inputs.lineno)
        return
    driver.inputs.update(reading.values)
    for key, slot in reading.run_time.items():
        driver.input_hints[key] = slot.text


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    """The value of a call's keyword argument `name`, if given."""
    return next((k.value for k in call.keywords if k.arg == name), None)
