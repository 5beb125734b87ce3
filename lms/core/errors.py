"""The one error type services raise for a broken rule; views turn it into a message."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule was broken. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
