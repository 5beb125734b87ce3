"""Routes that a feature declares for a role blueprint.

The role blueprints (`learn`, `author`, `hr`, `manage`, `admin`, `auth`, `main`) are URL-prefix
and permission shells made in `lms/blueprints.py`. A feature's view module declares its routes
on a `Routes("learn")` table; the shell attaches every table at start-up. So endpoint names
(`learn.course`), `url_for` in templates and the permission table never depend on which
feature folder a view lives in, and features never import the blueprints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

View = Callable[..., Any]


class Routes:
    """A list of (rule, view, options) for one role blueprint, with Flask's decorators."""

    def __init__(self, blueprint: str) -> None:
        self.blueprint = blueprint
        self.rules: list[tuple[str, View, dict[str, Any]]] = []

    def route(self, rule: str, **options: Any) -> Callable[[View], View]:
        def deco(fn: View) -> View:
            self.rules.append((rule, fn, options))
            return fn
        return deco

    def get(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self.route(rule, methods=["POST"], **options)

    def attach(self, bp: Blueprint) -> None:
        if bp.name != self.blueprint:
            raise ValueError(f"routes for {self.blueprint!r} attached to {bp.name!r}")
        for rule, fn, options in self.rules:
            opts = dict(options)
            endpoint = opts.pop("endpoint", None) or fn.__name__
            bp.add_url_rule(rule, endpoint=endpoint, view_func=fn, **opts)
