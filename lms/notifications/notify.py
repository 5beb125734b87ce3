"""Telling people things: an in-app notification, and an e-mail copy when mail is configured.

The e-mail goes out by a background job (lms/notifications/mail.py) after the caller's
commit, so a slow or failing mail server delays the mail and never fails, or slows, the
action that caused it.
"""

from __future__ import annotations

from lms.extensions import db
from lms.notifications.mail import header, queue_mail
from lms.notifications.models import Notification
from lms.people.models import User


def notify(user: User, kind: str, title: str, body: str = "", link: str = "",
           mail: bool = True) -> Notification:
    """Add an in-app notification and queue its e-mail copy (the caller commits)."""
    note = Notification(user_id=user.id, kind=kind, title=header(title, 300), body=body,
                        link=link)
    db.session.add(note)
    if mail and user.email:
        queue_mail(user.email, title, f"{body}\n\n{link}".strip())
    return note
