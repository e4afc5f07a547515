"""What a driver script asks of each driver: the outputs and inputs of its `execute` calls.

An `execute` (or `raw_execute`, `materialize`...) call is tied to the
driver it is made on, followed through the variable that holds it; in a
script with one driver, every such call is that driver's.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING

from studio.core.drivers.script_scopes import Binding, ScriptScopes, calls_in
from studio.core.drivers.script_values import NotLiteralError, ScriptValues, run_time

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
    materialize: Callable[[DriverFacts, ast.Call], None],
) -> None:
    """Add to each driver the outputs and inputs the script's run calls give it, in the
    script's order; `materialize` reads the materializers of a `materialize` call."""
    for call, driver in driver_calls(tree, scopes, by_node, RUN_METHODS):
        if isinstance(call.func, ast.Attribute) and call.func.attr == "materialize":
            materialize(driver, call)
        _read_run_call(values, driver, call)


def driver_calls(
    tree: ast.Module,
    scopes: ScriptScopes,
    by_node: dict[ast.Call, list[DriverFacts]],
    methods: Collection[str],
) -> Iterator[tuple[ast.Call, DriverFacts]]:
    """Each call of one of `methods` made on a driver, with the driver (once per driver
    it may be made on)."""
    for call in calls_in(tree):
        if isinstance(call.func, ast.Attribute) and call.func.attr in methods:
            for driver in _run_targets(scopes, call.func.value, by_node):
                yield call, driver


def _run_targets(
    scopes: ScriptScopes, receiver: ast.expr, by_node: dict[ast.Call, list[DriverFacts]]
) -> list[DriverFacts]:
    """The drivers an `execute` call is made on.

    A call on a value the script builds otherwise (`conn.cursor().execute(...)`, a
    variable holding such a call) is no driver's; one on a value that cannot be
    followed (a parameter, an attribute, what a function of the script returns) is
    the driver's when the script has one.
    """
    value: ast.expr | None = receiver
    if isinstance(receiver, ast.Name):
        found, _ = scopes.lookup(receiver.id, receiver)
        value = found.value if isinstance(found, Binding) else None
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call) and value in by_node:
        return by_node[value]
    if isinstance(value, ast.Call) and not _made_by_a_function_of_the_script(scopes, value):
        return []
    return next(iter(by_node.values())) if len(by_node) == 1 else []


def _made_by_a_function_of_the_script(scopes: ScriptScopes, call: ast.Call) -> bool:
    """`_create_driver()`: a call of a function the script defines or imports (which may
    build the driver), unlike a method of another object (`conn.cursor()`)."""
    if not isinstance(call.func, ast.Name):
        return False
    found, _ = scopes.lookup(call.func.id, call)
    return found is None


def _read_run_call(values: ScriptValues, driver: DriverFacts, call: ast.Call) -> None:
    assert isinstance(call.func, ast.Attribute)
    method = call.func.attr
    if method in ("execute", "raw_execute"):
        wanted = call.args[0] if call.args else keyword_value(call, "final_vars")
        _add_outputs(driver, output_names(values, wanted))
    elif method == "materialize":
        _add_outputs(driver, output_names(values, keyword_value(call, "additional_vars")))
    inputs = keyword_value(call, "inputs")
    if inputs is None:
        return
    try:
        reading = values.read_dict(inputs)
    except NotLiteralError:
        driver.computed_inputs.append(inputs.lineno)
        driver.whole_inputs.append(run_time(inputs))
        return
    driver.inputs.update(reading.values)
    for key, slot in reading.run_time.items():
        driver.input_hints[key] = slot.text
        driver.input_slots[key] = slot


def _add_outputs(driver: DriverFacts, names: list[str]) -> None:
    for name in names:
        if name not in driver.outputs:
            driver.outputs.append(name)


def output_names(values: ScriptValues, wanted: ast.expr | None) -> list[str]:
    """Requested outputs as Hamilton takes them: names, or the functions themselves
    (`[loaders.spend, total]`, named by the function)."""
    if wanted is None:
        return []
    names = values.strings(wanted)
    if names is not None:
        return names
    if isinstance(wanted, ast.Name):  # `output_columns = [loaders.spend, ...]`
        found, changes = values.scopes.lookup(wanted.id, wanted)
        if isinstance(found, Binding) and not changes:
            wanted = found.value
    if not isinstance(wanted, ast.List | ast.Tuple):
        return []
    found: list[str] = []
    for element in wanted.elts:
        text = values.strings(element)
        if text is not None and len(text) == 1:
            found.append(text[0])
        elif isinstance(element, ast.Attribute):
            found.append(element.attr)
        elif isinstance(element, ast.Name) and _names_a_function(values, element):
            found.append(element.id)
        else:
            return []
    return found


def _names_a_function(values: ScriptValues, name: ast.Name) -> bool:
    """The name is a function the script defines or imports, not a variable it computes."""
    found, _ = values.scopes.lookup(name.id, name)
    return found is None


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    """The value of a call's keyword argument `name`, if given."""
    return next((k.value for k in call.keywords if k.arg == name), None)
