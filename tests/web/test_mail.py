"""E-mail copies of notifications go out through a job with retries: a broken mail server
or a title with a line break never fails the action that caused the mail."""

from __future__ import annotations

import socket
import socketserver
import threading

import pytest
from sqlalchemy import select, update

from lms.catalog.models import Course, Lesson
from lms.certification import rules as certs
from lms.certification.models import Award
from lms.studio.editors import grant


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens once closed


class FakeSmtp:
    """A minimal SMTP server on loopback: refuses the first `refuse` connections (421),
    then accepts and keeps every message."""

    def __init__(self, refuse: int = 0) -> None:
        self.refuse, self.connections, self.messages = refuse, 0, []
        smtp = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                smtp.connections += 1
                if smtp.connections <= smtp.refuse:
                    self.wfile.write(b"421 busy, try later\r\n")
                    return
                self.wfile.write(b"220 fake ESMTP\r\n")
                data, reading = [], False
                for raw in self.rfile:
                    line = raw.decode("utf-8", "replace")
                    if reading:
                        if line.rstrip("\r\n") == ".":
                            reading = False
                            smtp.messages.append("".join(data))
                            data = []
                            self.wfile.write(b"250 queued\r\n")
                        else:
                            data.append(line)
                        continue
                    verb = line[:4].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-fake\r\n250 8BITMIME\r\n")
                    elif verb == "DATA":
                        reading = True
                        self.wfile.write(b"354 go on\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def mail_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    return app.config


def test_a_title_with_a_line_break_and_a_dead_mail_server_break_nothing(
        client, make, db, auth, login_as, mail_config):
    """As seen: assigning such a course and completing its lesson answered 500, and the
    award the completion earned was never created."""
    trainer = login_as("trainer")
    course = make.course("ML-1", lessons=1, quiz=False)
    grant(course, trainer, "owner")
    db.session.execute(update(Course).where(Course.id == course.id).values(
        title_zh="数字化营销\n第二行", title_en="Digital\r\nmarketing"))
    db.session.commit()
    certs.save_certification(
        None, code="C-ML", name_zh="换行\n认证", name_en="Line\nbreak", description_zh="",
        description_en="", validity_months=None, recert_window_days=0,
        requirements=[("course", "ML-1", None)], actor=make.user(roles={"hr"}))
    learner = make.user()
    resp = auth.post("/author/courses/ML-1/assign",
                     {"target": "people", "employee_nos": learner.employee_no})
    assert resp.status_code == 302
    auth.logout()
    auth.login(learner.employee_no)
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    path = f"/learn/courses/ML-1/lessons/{lesson.slug}"
    resp = auth.post(f"{path}/complete", form_page=path)
    assert resp.status_code == 302
    assert db.session.scalar(select(Award).where(Award.user_id == learner.id)) is not None


def _mail_jobs(db):
    from lms.jobs.models import Job

    return db.session.scalars(select(Job).where(Job.kind == "mail").order_by(Job.id)).all()


def test_mail_waits_for_a_failing_server_and_goes_out_once_it_is_back(
        app, client, make, db, auth, mail_config, worker, monkeypatch):
    from email import message_from_string
    from email.policy import default

    from lms.notifications.notify import notify

    user = make.user(email="clerk@example.com")
    notify(user, "assignment", "New course assigned:\r\nBcc: victim@example.com", "Due soon")
    db.session.commit()
    worker.drain()
    (job,) = _mail_jobs(db)
    # The server is down: the job tried 1 + RETRIES times and says why.
    assert job.status == "failed" and job.attempts == 6 and "Connection refused" in job.error
    with FakeSmtp(refuse=1) as smtp:
        monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
        admin = make.user(roles={"admin"})
        auth.login(admin.employee_no)
        from tests.forms import form_fields

        html = client.get("/admin/jobs?status=failed").get_data(as_text=True)
        action = f"/admin/jobs/{job.public_id}/retry"
        assert client.post(action, data=form_fields(html, action)).status_code == 302
        worker.drain()
        # Refused once more (421), then accepted: one mail, after two more attempts.
        assert len(smtp.messages) == 1 and smtp.connections == 2
    (job,) = _mail_jobs(db)
    assert job.status == "done" and job.attempts == 8
    msg = message_from_string(smtp.messages[0], policy=default)
    assert msg["To"] == "clerk@example.com" and "Bcc" not in msg
    assert msg["Subject"] == "New course assigned: Bcc: victim@example.com"


def test_without_a_mail_server_nothing_is_queued(app, make, db, monkeypatch):
    from lms.notifications.notify import notify

    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    notify(make.user(), "assignment", "Hello")
    db.session.commit()
    assert _mail_jobs(db) == []
