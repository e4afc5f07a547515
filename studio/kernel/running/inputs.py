"""Input values typed as Python expressions, evaluated where the project's code runs."""

from __future__ import annotations

import contextlib
import datetime
import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class InputError(Exception):
    """An input expression that could not be evaluated; says which and why."""


def default_namespace() -> dict[str, Any]:
    """Names an input expression can use without importing them."""
    namespace: dict[str, Any] = {"datetime": datetime, "Path": Path}
    for alias, module in (("pd", "pandas"), ("np", "numpy")):
        with contextlib.suppress(ImportError):
            namespace[alias] = importlib.import_module(module)
    return namespace


def evaluate_inputs(
    expressions: Mapping[str, str],
    namespace: Mapping[str, Any] | None = None,
    bare_words_are_strings: bool = False,
) -> dict[str, Any]:
    """Evaluate each expression; the first failure raises `InputError` naming the input.

    With `bare_words_are_strings`, text that is not a Python expression, or a
    single undefined name, is taken as a string (handy on a command line:
    `--input data_dir=data`).
    """
    scope = {**default_namespace(), **(namespace or {})}
    values = {}
    for name, expression in expressions.items():
        text = expression.strip()
        if not text:
            raise InputError(f"input {name!r} has no value")
        try:
            values[name] = eval(text, dict(scope))  # the user's own expression, in their kernel
        except SyntaxError as error:
            if bare_words_are_strings:
                values[name] = text
                continue
            raise InputError(
                f"input {name!r}: {text!r} is not a Python expression ({error.msg})"
            ) from None
        except NameError as error:
            if bare_words_are_strings and text.isidentifier():
                values[name] = text
                continue
            raise InputError(
                f"input {name!r}: {error}; text must be in quotes, e.g. {json.dumps(text)}"
            ) from None
        except Exception as error:
            raise InputError(f"input {name!r}: {type(error).__name__}: {error}") from None
    return values
