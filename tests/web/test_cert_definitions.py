"""Defining certifications: a preview of who qualifies before saving, everyone evaluated at
once, stable references, cycles refused, retiring — through HR's pages."""

from __future__ import annotations

from lms.certification import rules as certs
from lms.people.models import RoleRequirement
from tests.forms import form_fields
from tests.web.test_certification import _cert, _finish_course

NEW = "/hr/certifications/new"


def _fill(page_html: str, action: str | None = None, **values) -> dict:
    data = form_fields(page_html, action)
    data.update({k.replace("__", "-"): v for k, v in values.items()})
    return data


def _define(client, path, **values):
    """Fill the definition form as rendered, post it (preview), then confirm."""
    preview = client.post(path, data=_fill(client.get(path).get_data(as_text=True), path,
                                           **values))
    return preview


def test_new_certification_previews_then_awards_everyone_who_qualifies(client, make,
                                                                        login_as, db):
    course = make.course("DEF-1")
    ready, other = make.user(name="已达标员工"), make.user(name="未达标员工")
    _finish_course(db, ready, course)
    login_as("hr")
    preview = _define(client, NEW, code="C-NEW", name_zh="新认证", name_en="New",
                      validity_months="12", recert_window_days="30",
                      requirements__0__kind="course", requirements__0__ref="DEF-1")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="preview-awarded-count">1<' in html
    assert "已达标员工" in html.split('id="preview-awarded"')[1].split("</ul>")[0]
    assert "未达标员工" not in html
    assert certs.certification_by_code("C-NEW") is None  # nothing saved yet
    done = client.post(NEW, data=form_fields(html, NEW), follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "已达标员工" in page and "1" in page
    assert certs.current_award(ready.id, "C-NEW") is not None
    assert certs.current_award(other.id, "C-NEW") is None


def test_changed_fields_get_a_new_preview_not_a_save(client, make, login_as, db):
    make.course("DEF-2")
    login_as("hr")
    html = _define(client, NEW, code="C-TWO", name_zh="二", name_en="Two",
                   recert_window_days="30", requirements__0__kind="course",
                   requirements__0__ref="DEF-2").get_data(as_text=True)
    data = form_fields(html, NEW)
    data["name_zh"] = "二改"
    resp = client.post(NEW, data=data)
    assert resp.status_code == 200 and 'id="preview"' in resp.get_data(as_text=True)
    assert certs.certification_by_code("C-TWO") is None


def test_editing_requirements_shows_who_would_lose_eligibility(client, make, login_as, db):
    course = make.course("DEF-3", quiz_settings={"max_attempts": 0})
    person = make.user(name="将失去资格者")
    _finish_course(db, person, course)  # scores 100
    hr = login_as("hr")
    cert = _cert(make, course, code="C-EDIT", hr=hr)
    assert certs.check_and_issue(person.id)  # holds it under the old rules
    make.course("DEF-3B")
    path = f"/hr/certifications/{cert.code}/edit"
    html = _define(client, path, requirements__2__kind="course",
                   requirements__2__ref="DEF-3B").get_data(as_text=True)
    assert 'id="preview-losing-count">1<' in html
    assert "将失去资格者" in html.split('id="preview-losing"')[1].split("</ul>")[0]
    done = client.post(path, data=form_fields(html, path), follow_redirects=True)
    assert done.status_code == 200
    db.session.expire_all()
    assert [r.ref for r in certs.certification_by_code("C-EDIT").requirements][-1] == "DEF-3B"
    assert certs.state(certs.current_award(person.id, "C-EDIT")) == "valid"  # keeps its dates


def test_renaming_a_referenced_code_is_refused_next_to_the_field(client, make, login_as, db):
    course = make.course("DEF-4")
    hr = login_as("hr")
    base = _cert(make, course, code="C-BASE", hr=hr)
    certs.save_certification(None, code="C-UP", name_zh="上级", name_en="Up",
                             description_zh="", description_en="", validity_months=None,
                             recert_window_days=30,
                             requirements=[("certification", "C-BASE", None)], actor=hr)
    path = f"/hr/certifications/{base.code}/edit"
    resp = _define(client, path, code="C-RENAMED")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "不能修改" in html and "C-UP" in html
    assert 'is-invalid' in html.split('name="code"')[0][-300:] + \
        html.split('name="code"')[1][:300]
    assert certs.certification_by_code("C-BASE") is not None


def test_unknown_references_and_cycles_are_refused_next_to_the_field(client, make, login_as,
                                                                      db):
    course = make.course("DEF-5")
    hr = login_as("hr")
    a = _cert(make, course, code="C-A", hr=hr)
    certs.save_certification(None, code="C-B", name_zh="乙", name_en="B", description_zh="",
                             description_en="", validity_months=None, recert_window_days=30,
                             requirements=[("certification", "C-A", None)], actor=hr)
    path = f"/hr/certifications/{a.code}/edit"
    resp = _define(client, path, requirements__2__kind="certification",
                   requirements__2__ref="C-B")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "C-A → C-B → C-A" in html
    resp = _define(client, NEW, code="C-SC", name_zh="丙", name_en="C",
                   recert_window_days="30", requirements__0__kind="scenario",
                   requirements__0__ref="no-such-scenario")
    assert resp.status_code == 422 and "no-such-scenario" in resp.get_data(as_text=True)


def test_retired_certification_keeps_awards_and_badge_but_awards_no_more(client, make,
                                                                       login_as, db):
    course = make.course("DEF-6", quiz_settings={"max_attempts": 0})
    holder, later = make.user(), make.user()
    hr = login_as("hr")
    cert = _cert(make, course, code="C-OLD", hr=hr)
    _finish_course(db, holder, course)
    award = certs.current_award(holder.id, cert.code)
    expires = award.expires_at
    path = f"/hr/certifications/{cert.code}"
    action = f"/hr/certifications/{cert.code}/retire"
    page = client.post(action, data={**form_fields(client.get(path).get_data(as_text=True),
                                                   action), "reason": "业务调整"},
                       follow_redirects=True).get_data(as_text=True)
    assert 'id="retired"' in page
    assert "C-OLD" not in client.get("/hr/certifications").get_data(as_text=True)
    assert "C-OLD" in client.get("/hr/certifications?retired=1").get_data(as_text=True)
    assert "C-OLD" not in client.get("/hr/compliance").get_data(as_text=True)
    assert client.get(f"/badges/classes/{cert.code}.json").status_code == 200
    db.session.refresh(award)
    assert award.expires_at == expires and certs.state(award) == "valid"
    _finish_course(db, later, course)
    assert certs.current_award(later.id, cert.code) is None


def test_daily_sweep_evaluates_every_active_certification(make, db):
    course = make.course("DEF-7", quiz_settings={"max_attempts": 0})
    person = make.user()
    _finish_course(db, person, course)
    hr = make.user(roles={"hr"})
    cert = _cert(make, course, code="C-SWEEP", hr=hr)  # saved without the web's evaluation
    assert certs.current_award(person.id, cert.code) is None
    result = certs.sweep()
    assert result.issued == 1 and certs.current_award(person.id, cert.code) is not None
    assert certs.sweep().issued == 0


def test_job_role_reference_blocks_rename(make, db):
    import pytest

    from lms.core.errors import ServiceError

    course = make.course("DEF-8")
    hr = make.user(roles={"hr"})
    cert = _cert(make, course, code="C-ROLE", hr=hr)
    role = make.job_role()
    db.session.add(RoleRequirement(job_role_id=role.id, kind="certification", ref="C-ROLE"))
    db.session.commit()
    with pytest.raises(ServiceError) as e:
        certs.save_certification(cert, code="C-ROLE2", name_zh="x", name_en="x",
                                 description_zh="", description_en="", validity_months=12,
                                 recert_window_days=30,
                                 requirements=[("course", course.code, None)], actor=hr)
    assert e.value.field == "code"


def test_a_required_scenario_variant_keeps_its_id(make, db):
    import pytest

    from lms.practice.variants import VariantError, VariantInput, save_variant
    from tests.web.test_practice import HALL, _scenario

    base = _scenario(db, HALL)
    trainer = make.user(roles={"trainer"})
    data = VariantInput(
        code="hall-req", name_zh="变体", name_en="Variant", description_zh="",
        description_en="", difficulty=2, demand={"arrivals": "15"},
        groups={"general": (3, 5)}, kiosks=None, standby=None,
        targets={"mean_wait_min": (10.0, None, 1.0)}, allow=["counters_open"])
    variant = save_variant(base, data, trainer)
    certs.save_certification(None, code="C-SCN", name_zh="场景", name_en="Scenario",
                             description_zh="", description_en="", validity_months=None,
                             recert_window_days=30,
                             requirements=[("scenario", "hall-req", 70)],
                             actor=make.user(roles={"hr"}))
    data.code = "hall-renamed"
    with pytest.raises(VariantError) as e:
        save_variant(base, data, trainer, existing=variant)
    assert e.value.problems[0][0] == "code" and "C-SCN" in e.value.problems[0][1]
