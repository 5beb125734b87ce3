"""One line to build any object the tests need, through the real services."""

from __future__ import annotations

import itertools

from lms.models import JobRole, OrgUnit, User
from lms.services import accounts, org

_seq = itertools.count(1)


class Factories:
    PASSWORD = "Passw0rd-test"  # noqa: S105

    def unit(self, kind: str = "company", parent: OrgUnit | None = None, **kw) -> OrgUnit:
        n = next(_seq)
        return org.create_unit(code=kw.get("code", f"U{n}"), name_zh=kw.get("name_zh",
                               f"单位{n}"), name_en=kw.get("name_en", f"Unit {n}"),
                               kind=kind, parent=parent)

    def job_role(self, **kw) -> JobRole:
        n = next(_seq)
        return org.save_job_role(None, code=kw.get("code", f"role_{n}"),
                                 name_zh=kw.get("name_zh", f"岗位{n}"),
                                 name_en=kw.get("name_en", f"Role {n}"))

    def user(self, roles: set[str] | None = None, password: str | None = None,
             **kw) -> User:
        n = next(_seq)
        return accounts.create_user(
            employee_no=kw.get("employee_no", f"T{n:05d}"),
            name=kw.get("name", f"测试用户{n}"),
            email=kw.get("email", f"user{n}@example.com"),
            password=password or self.PASSWORD, roles=roles or set(),
            org_unit=kw.get("org_unit"), job_role=kw.get("job_role"),
            locale=kw.get("locale"))
