"""What follows a commit: facts that services stage, handled once the transaction commits.

A service that records evidence stages a fact on the session it is writing to:
`events.stage("quiz_submitted", user_id=…, attempt=…)`. Nothing runs then. When the session
commits (whoever commits: the request, a CLI command, a job), the SQLAlchemy `after_commit`
hook marks the staged facts as committed, and `FollowUpSession.commit` hands them to the
handlers that features registered with `@events.on(name)` — in a new transaction that it
commits too. Handlers may stage facts of their own (an award issued); those follow in
turn, until nothing is left. A rollback drops what was staged, so nothing follows work that
did not happen.

Who listens: certification rules (evaluate the person: `course_completed`,
`quiz_submitted`, `practice_scored`, `award_issued` …) and the xAPI record. The order of
handlers for one fact is the order of registration; facts run in the order staged.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)

STAGED = "lms.staged"
READY = "lms.ready"
MAX_ROUNDS = 50  # follow-ups of follow-ups; a longer chain is a loop


def on(name: str) -> Callable[[Handler], Handler]:
    """Register `fn(**payload)` to run after a commit that carried a `name` fact."""
    def deco(fn: Handler) -> Handler:
        if fn not in _handlers[name]:
            _handlers[name].append(fn)
        return fn
    return deco


def stage(name: str, **payload: Any) -> None:
    """Record that `name` happened in the current transaction (handled after commit)."""
    from flask import current_app

    session = current_app.extensions["sqlalchemy"].session
    session.info.setdefault(STAGED, []).append((name, payload))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    staged = session.info.pop(STAGED, [])
    if staged:
        session.info.setdefault(READY, []).extend(staged)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(STAGED, None)


class FollowUpSession(FlaskSession):
    """The app's session: after each outermost commit, runs the committed facts' handlers."""

    def commit(self) -> None:
        super().commit()
        if self.info.get("lms.draining"):
            return  # the loop below commits the handlers' work
        self.info["lms.draining"] = True
        try:
            for _round in range(MAX_ROUNDS):
                ready = self.info.pop(READY, [])
                if not ready:
                    return
                for name, payload in ready:
                    for fn in list(_handlers.get(name, ())):
                        fn(**payload)
                super().commit()
            log.error("follow-ups still pending after %d rounds; dropped", MAX_ROUNDS)
            self.info.pop(READY, None)
        finally:
            self.info.pop("lms.draining", None)


def off(name: str, fn: Handler) -> None:
    """Unregister a handler (tests that listen for a while)."""
    if fn in _handlers.get(name, []):
        _handlers[name].remove(fn)
