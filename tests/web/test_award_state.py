"""One definition of an award's state: Python and SQL agree on every state."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.certification import rules as certs
from lms.certification import state as award_state
from lms.certification.models import Award, Certification


def test_python_and_sql_agree_on_every_state(make, db):
    course = make.course("AST-1")
    hr = make.user(roles={"hr"})
    cert = certs.save_certification(
        None, code="AST", name_zh="状态", name_en="State", description_zh="",
        description_en="", validity_months=24, recert_window_days=30,
        requirements=[("course", course.code, None)], actor=hr)
    now = certs.now()
    cases = {
        "valid": ("active", now + timedelta(days=200)),
        "expiring": ("active", now + timedelta(days=10)),
        "expired": ("active", now - timedelta(days=1)),
        "revoked": ("revoked", now + timedelta(days=200)),
        "superseded": ("superseded", now + timedelta(days=200)),
    }
    ids = {}
    for name, (status, expires) in cases.items():
        award = Award(user_id=make.user().id, certification_id=cert.id, status=status,
                      expires_at=expires, issued_at=now - timedelta(days=300))
        db.session.add(award)
        db.session.flush()
        ids[award.id] = name
    never = Award(user_id=make.user().id, certification_id=cert.id, status="active",
                  expires_at=None, issued_at=now)
    db.session.add(never)
    db.session.commit()
    ids[never.id] = "valid"
    windows = award_state.window_lengths()
    in_sql = dict(db.session.execute(select(Award.id, award_state.state_sql(now, windows))
                                     .join(Certification)).all())
    for award in db.session.scalars(select(Award)):
        expected = ids[award.id]
        assert award_state.state(award, now) == expected
        assert in_sql[award.id] == expected
        for name in award_state.STATES:
            matched = db.session.scalar(select(Award.id).join(Certification).where(
                Award.id == award.id, award_state.in_state_sql(name, now, windows)))
            assert (matched is not None) == (name == expected), (award.id, name)
        counts = db.session.scalar(select(Award.id).where(
            Award.id == award.id, award_state.counts_sql(now))) is not None
        assert counts == award_state.counts(award, now) == (expected in award_state.COUNTING)
