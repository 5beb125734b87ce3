"""The compliance export is one row per person × certification that concerns them (required
by the job role: held, in window, expired, revoked or missing; or held anyway), everyone in
the filtered population included, with unit and job role, the page's filters and its
30/60/90-day choice honoured, localised headers and real dates; the page shows % compliant
per unit rolled up to parent units, and labels what its cards count."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from openpyxl import load_workbook

from lms.certification import rules as certs
from lms.people.models import RoleRequirement
from tests.forms import form_fields


def _org(make, db):
    hr = make.user(roles={"hr"})
    course = make.course("CMP-1", quiz=False)

    def cert(code, name):
        return certs.save_certification(
            None, code=code, name_zh=name, name_en=name, description_zh="", description_en="",
            validity_months=12, recert_window_days=30,
            requirements=[("course", course.code, None)], actor=hr)

    needed, other = cert("C-NEED", "必备认证"), cert("C-EXTRA", "加分认证")
    clerk, analyst = make.job_role(name_zh="营业员"), make.job_role(name_zh="分析员")
    db.session.add(RoleRequirement(job_role_id=clerk.id, kind="certification",
                                   ref="C-NEED", position=0))
    db.session.commit()
    company = make.unit("company", name_zh="公司", code="CO")
    branch = make.unit("branch", company, name_zh="分公司", code="BR")
    team = make.unit("division", branch, name_zh="班组", code="TM")
    holder = make.user(org_unit=team, job_role=clerk, name="持证人", employee_no="E4001")
    soon = make.user(org_unit=team, job_role=clerk, name="快到期", employee_no="E4002")
    gap = make.user(org_unit=branch, job_role=clerk, name="缺证人", employee_no="E4003")
    nothing = make.user(org_unit=branch, job_role=analyst, name="无要求", employee_no="E4004")
    certs.issue_manually(holder, needed, hr, "考核通过")
    certs.issue_manually(holder, other, hr, "考核通过")
    award = certs.issue_manually(soon, needed, hr, "考核通过")
    award.expires_at = datetime.now(UTC) + timedelta(days=45)
    db.session.commit()
    return dict(company=company, branch=branch, team=team, holder=holder, soon=soon,
                gap=gap, nothing=nothing)


def _export(client, page_query: str, fmt: str = "xlsx"):
    html = client.get("/hr/compliance?" + page_query).get_data(as_text=True)
    start = html.index(f'href="/hr/compliance/export.{fmt}')
    link = html[start + len('href="'):html.index('"', start + len('href="'))]
    resp = client.get(link.replace("&amp;", "&"))
    assert resp.status_code == 200
    return resp


def test_export_has_everyone_with_gaps_roles_and_real_dates(client, make, login_as, db):
    o = _org(make, db)
    login_as("hr")
    html = client.get("/hr/compliance").get_data(as_text=True)
    data = form_fields(html, action="/hr/compliance")
    data.update(unit=str(o["branch"].id), days="60")
    rows = list(load_workbook(io.BytesIO(_export(client, urlencode(data)).data)).active.values)
    head = rows[0]
    assert head[:4] == ("工号", "姓名", "组织单位", "岗位") and "60 天内到期" in head
    col = {name: i for i, name in enumerate(head)}
    got = {(r[0], r[col["认证编码"]]): r for r in rows[1:]}
    assert set(got) == {("E4001", "C-NEED"), ("E4001", "C-EXTRA"), ("E4002", "C-NEED"),
                        ("E4003", "C-NEED"), ("E4004", None)}
    assert got[("E4004", None)][col["状态"]] == "无岗位要求且未持证"  # present, with nothing
    assert got[("E4001", "C-NEED")][col["状态"]] == "有效"
    assert got[("E4001", "C-NEED")][col["岗位要求"]] == "是"
    assert got[("E4001", "C-EXTRA")][col["岗位要求"]] == "否"
    assert got[("E4003", "C-NEED")][col["状态"]] == "缺少"
    assert got[("E4001", "C-NEED")][col["岗位"]] == "营业员"
    assert isinstance(got[("E4001", "C-NEED")][col["颁发日期"]], datetime)
    assert got[("E4002", "C-NEED")][col["60 天内到期"]] == "是"  # 45 days left
    # the 30-day choice of the page: no longer "within"
    data.update(days="30")
    rows = list(load_workbook(io.BytesIO(_export(client, urlencode(data)).data)).active.values)
    col30 = rows[0].index("30 天内到期")
    assert {r[0]: r[col30] for r in rows[1:] if r[0] == "E4002"} == {"E4002": "否"}
    # a certification filter: one row per person for it, missing where not held
    data.update(certification=str(certs.certification_by_code("C-EXTRA").id))
    body = _export(client, urlencode(data), "csv").get_data(as_text=True)
    lines = body.strip().splitlines()
    assert lines[0].startswith("\ufeff工号,姓名,组织单位,岗位")
    assert len(lines) == 5 and sum("缺少" in line for line in lines) == 3


def test_page_shows_percent_compliant_per_unit_rolled_up(client, make, login_as, db):
    _org(make, db)
    login_as("hr")
    html = client.get("/hr/compliance").get_data(as_text=True)
    units = html[html.index('id="units"'):]

    def row(code):
        start = units.index(f'data-unit="{code}"')
        return units[start:units.index("</tr>", start)]

    # team: 2 people, both hold C-NEED → 100 %; branch adds the gap and the no-requirement
    # person: 4 people, 3 compliant → 75 %; the company rolls the branch up
    assert "<td>2</td><td>2</td><td>100.0%</td>" in row("TM")
    assert "<td>4</td><td>3</td><td>75.0%</td>" in row("BR")
    assert "<td>4</td><td>3</td><td>75.0%</td>" in row("CO")
    assert "每张卡片计证书数，不是人数" in html and "有效证书" in html
    assert 'data-y-title="合规率（百分比）"' in html and 'data-x-title="组织单位"' in html
