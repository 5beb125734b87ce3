"""A tiny in-process signal hub so that services can react to each other without importing
each other in circles (e.g. certification rules listening for completions)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_listeners: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def on(name: str):
    def deco(fn):
        if fn not in _listeners[name]:
            _listeners[name].append(fn)
        return fn
    return deco


def emit(name: str, **payload: Any) -> None:
    for fn in list(_listeners[name]):
        fn(**payload)
