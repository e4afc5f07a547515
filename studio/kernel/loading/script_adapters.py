"""The type rules of the adapters a driver script names, without starting what they drive.

A script's adapter can change which graphs Hamilton accepts: the Dask
adapter lets a `dask` Series feed a `pandas` Series parameter, the Ray
adapter accepts object references as inputs. Building the graph as the
script would therefore needs the adapter's edge and input checks, but not
the adapter itself (which would connect to a cluster). `TypeRulesOf` holds
an instance made without running its `__init__` and asks it only those two
questions. Adapters that are not Hamilton's own are named, never run.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from hamilton.lifecycle import api

_CHECKS = ("do_check_edge_types_match", "do_validate_input")


class TypeRulesOf(api.EdgeConnectionHook):
    """Hamilton's edge and input checks of one adapter class, and nothing else of it."""

    def __init__(self, adapter_class: type) -> None:
        self.adapter_class = adapter_class
        self._probe = adapter_class.__new__(adapter_class)

    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        return self._ask("do_check_edge_types_match", type_from=type_from, type_to=type_to)

    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        return self._ask("do_validate_input", node_type=node_type, input_value=input_value)

    def _ask(self, method: str, **arguments: Any) -> bool:
        check = getattr(self._probe, method, None)
        if check is None:
            return False
        try:
            return bool(check(**arguments))
        except Exception:  # a check that needs the adapter's state: no opinion
            return False


def type_rules(adapter_names: Iterable[str]) -> tuple[list[TypeRulesOf], list[str]]:
    """Type rules for the Hamilton adapters named, and a warning for each that cannot load."""
    rules: list[TypeRulesOf] = []
    warnings: list[str] = []
    for name in adapter_names:
        module_name, _, class_name = name.rpartition(".")
        if not module_name.startswith("hamilton."):
            continue
        try:
            adapter_class = getattr(importlib.import_module(module_name), class_name)
        except ImportError as error:
            missing = getattr(error, "name", None) or str(error)
            warnings.append(
                f"the driver script's {class_name} needs `{missing}`, which this environment "
                "does not have: the graph is built with Hamilton's default type checks"
            )
            continue
        except AttributeError:
            warnings.append(f"{name}, named by the driver script, is not in this Hamilton")
            continue
        if isinstance(adapter_class, type) and any(hasattr(adapter_class, c) for c in _CHECKS):
            rules.append(TypeRulesOf(adapter_class))
    return rules, warnings
