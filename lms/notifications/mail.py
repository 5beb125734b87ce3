"""E-mail copies of notifications, sent by a background job.

`notify` submits a `mail` job with its commit; a worker sends it through SMTP (MAIL_SERVER
…). A failure (server down, refused, timed out) raises, so the queue retries with back-off
(`JOBS_RETRY_DELAY`, doubling, `RETRIES` times); the action that caused the mail has long
been answered by then. Without MAIL_SERVER nothing is queued and the mail is only logged.

Header values are single-line by construction: `header()` folds every run of white space
(line breaks included) into one space, so a title typed with a line break cannot make an
invalid (or injected) header.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from lms.jobs import runner

log = logging.getLogger(__name__)

KIND = "mail"
RETRIES = 5
_SUBJECT_MAX = 200


def header(value: Any, limit: int = _SUBJECT_MAX) -> str:
    """A header value on one line: white space (CR, LF, tabs …) folded to single spaces."""
    return " ".join(str(value or "").split())[:limit]


def build(to: str, subject: str, body: str) -> EmailMessage:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = header(cfg.get("MAIL_FROM") or "lms@localhost")
    msg["To"] = header(to)
    msg["Subject"] = header(subject)
    msg.set_content(body)
    return msg


def send(to: str, subject: str, body: str) -> None:
    """Send now through SMTP; raises OSError / SMTPException when it cannot."""
    cfg = current_app.config
    msg = build(to, subject, body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25),
                      timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        smtp.send_message(msg)


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send an e-mail by a job after the caller's commit (only logged without MAIL_SERVER)."""
    if not current_app.config.get("MAIL_SERVER"):
        log.info("mail (not configured) to=%s subject=%s", to, header(subject))
        return
    runner.submit(KIND, {"to": header(to, 255), "subject": header(subject), "body": body})


@runner.handler(KIND, label=_l("E-mail"), retries=RETRIES, backoff=2.0,
                summary=lambda r: str(_l("Sent to %(to)s.", to=r["to"])))
def _send(ctx: runner.JobContext) -> dict[str, Any]:
    if not current_app.config.get("MAIL_SERVER"):
        return {"to": ctx.params["to"], "sent": False}
    send(ctx.params["to"], ctx.params["subject"], ctx.params["body"])
    return {"to": ctx.params["to"], "sent": True}
