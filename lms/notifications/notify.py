"""Telling people things: an in-app notification, and an e-mail when mail is configured.

Mail goes through SMTP (MAIL_SERVER …) when set; otherwise it is only logged, so a single
machine needs nothing extra. Sending never blocks or breaks the action that caused it.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from lms.extensions import db
from lms.notifications.models import Notification
from lms.people.models import User

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> bool:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (not configured) to=%s subject=%s", to, subject)
        return False
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg["MAIL_FROM"], to, subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg.get("MAIL_PORT", 25), timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
        return True
    except (OSError, smtplib.SMTPException):
        log.warning("mail to %s failed", to, exc_info=True)
        return False


def notify(user: User, kind: str, title: str, body: str = "", link: str = "",
           mail: bool = True) -> Notification:
    """Add an in-app notification (the caller commits) and send the e-mail copy."""
    note = Notification(user_id=user.id, kind=kind, title=title[:300], body=body, link=link)
    db.session.add(note)
    if mail and user.email:
        send_mail(user.email, title, f"{body}\n\n{link}".strip())
    return note
