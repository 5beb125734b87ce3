"""YAML (and JSON, which is YAML) parsing with a bound on nesting depth.

PyYAML builds nested documents recursively, so a file of ten thousand ``[`` ends in a
RecursionError. ``load`` first walks the event stream (iteratively) and refuses a document
nested deeper than ``MAX_DEPTH`` with a one-line message naming the line.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 32  # scenarios need about 6 levels, course packages about 5


class TooDeep(ValueError):
    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(f"nested more than {MAX_DEPTH} levels deep at line {line}")


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise TooDeep if any mapping or list in ``text`` is nested deeper than ``max_depth``
    (or yaml.YAMLError if the text is not YAML)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > max_depth:
                mark = event.start_mark
                raise TooDeep(mark.line + 1 if mark is not None else 0)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def load(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """``yaml.safe_load`` with the nesting bound (TooDeep or yaml.YAMLError on bad input)."""
    check_depth(text, max_depth)
    return yaml.safe_load(text)
