"""Errors raised for bad scenarios and bad decisions.

Each error names the field it is about (``path``, dotted with ``[i]`` for list items) and
says what is wrong in one short sentence (``message``), so the CLI can print one line and
the web layer can put the message next to the field.
"""

from __future__ import annotations


class SimulationError(Exception):
    """Base class: a problem with the input of a simulation, reported without a traceback."""

    def __init__(self, path: str, message: str, source: str | None = None):
        self.path = path
        self.message = message
        self.source = source
        self.errors: list[tuple[str, str]] = [(path, message)]  # all problems found, first first
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.path) if p]
        return ": ".join([*parts, self.message])

    def to_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


class ScenarioError(SimulationError):
    """The scenario (the world) is invalid: bad YAML, a missing field, a value out of bounds."""


class DecisionError(SimulationError):
    """The trainee's decisions are invalid here (unknown, not allowed, out of bounds)."""


class InvariantError(AssertionError):
    """A model broke one of its own invariants: a bug in the engine, never a user error."""
