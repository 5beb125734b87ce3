"""Telling the person, their team leaders and HR what happened to a certificate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.certification.models import Award
from lms.core.clock import local_date
from lms.notifications.notify import notify
from lms.people import directory
from lms.people.models import User


def _staff(person: User, actor: User | None) -> list[tuple[User, str]]:
    """(who, link) for the person's managers and HR, each once, never the actor."""
    seen = {person.id} | ({actor.id} if actor else set())
    out: list[tuple[User, str]] = []
    for who, link in [(m, f"/team/people/{person.public_id}")
                      for m in directory.managers_of(person)] + \
                     [(h, "") for h in directory.with_role("hr")]:
        if who.id not in seen:
            seen.add(who.id)
            out.append((who, link))
    return out


def _hr_link(award: Award) -> str:
    return f"/hr/awards/{award.verification_code}"


def revoked(award: Award, actor: User | None, reason: str) -> None:
    person, cert = award.user, award.certification
    notify(person, "award_revoked", str(_l(
        "Your certification %(c)s has been revoked: %(r)s", c=cert.name_zh, r=reason)),
        link="/learn/certifications")
    for who, link in _staff(person, actor):
        notify(who, "award_revoked", str(_l(
            "The certification %(c)s of %(p)s has been revoked: %(r)s", c=cert.name_zh,
            p=person.name, r=reason)), link=link or _hr_link(award), mail=False)


def reinstated(award: Award, actor: User | None, reason: str) -> None:
    person, cert = award.user, award.certification
    notify(person, "award_reinstated", str(_l(
        "The hold on your certification %(c)s has been lifted: you can qualify again with "
        "new results (%(r)s).", c=cert.name_zh, r=reason)), link="/learn/certifications")
    for who, link in _staff(person, actor):
        notify(who, "award_reinstated", str(_l(
            "The revocation hold on %(c)s for %(p)s has been lifted: %(r)s", c=cert.name_zh,
            p=person.name, r=reason)), link=link or _hr_link(award), mail=False)


def expiry_notice(award: Award, days: int) -> None:
    """To the person: `days` (calendar days in the organisation's zone) before expiry, or,
    with 0, on expiry."""
    cert = award.certification
    expires = local_date(award.expires_at)
    if days:
        title = _l("Your certification %(c)s expires on %(d)s (in %(n)d days): recertify "
                   "before then.", c=cert.name_zh, d=expires, n=days)
    else:
        title = _l("Your certification %(c)s expired on %(d)s.", c=cert.name_zh, d=expires)
    notify(award.user, "recertification", str(title), link="/learn/certifications")


def expiry_digest(rows: list[tuple[Award, int]]) -> int:
    """One message per manager and per HR person listing the day's expiry notices; returns
    the number of messages."""
    if not rows:
        return 0
    per: dict[int, tuple[User, list[str]]] = {}
    for award, days in rows:
        when = _l("expires in %(n)d days", n=days) if days else _l("expired")
        line = f"{award.user.name} {award.user.employee_no} · {award.certification.code} · " \
               f"{local_date(award.expires_at)} · {when}"
        for who, _link in _staff(award.user, None):
            per.setdefault(who.id, (who, []))[1].append(line)
    for who, lines in per.values():
        notify(who, "expiry_digest", str(_l("Certificates expiring: %(n)d notices today",
                                            n=len(lines))),
               body="\n".join(lines), link="/hr/compliance" if who.has_role("hr")
               else "/team/compliance", mail=True)
    return len(per)
