"""Managers see their own team; HR finds people by unit (with sub-units), role and name."""


def _tree(make):
    company = make.unit("company")
    branch_a = make.unit("branch", company)
    team_a = make.unit("team", branch_a)
    branch_b = make.unit("branch", company)
    return company, branch_a, team_a, branch_b


def test_manager_sees_own_unit_and_sub_units_only(client, make, login_as):
    company, branch_a, team_a, branch_b = _tree(make)
    clerk = make.job_role(name_zh="柜员")
    inside = make.user(org_unit=team_a, name="班内成员", job_role=clerk)
    outside = make.user(org_unit=branch_b, name="外单位人员")
    login_as("manager", org_unit=branch_a)
    html = client.get("/team/").get_data(as_text=True)
    assert inside.name in html and "柜员" in html
    assert outside.name not in html


def test_manager_without_unit_gets_an_explanation(client, login_as):
    login_as("manager")
    assert "未关联组织单位" in client.get("/team/").get_data(as_text=True)


def test_hr_directory_filters(client, make, login_as):
    company, branch_a, team_a, branch_b = _tree(make)
    dispatcher = make.job_role(name_zh="抢修调度员")
    a = make.user(org_unit=team_a, name="甲调度", job_role=dispatcher)
    b = make.user(org_unit=branch_b, name="乙柜员")
    login_as("hr")
    html = client.get(f"/hr/people?unit={branch_a.id}").get_data(as_text=True)
    assert a.name in html and b.name not in html
    html = client.get(f"/hr/people?job_role={dispatcher.id}").get_data(as_text=True)
    assert a.name in html and b.name not in html
    html = client.get("/hr/people?q=乙").get_data(as_text=True)
    assert b.name in html and a.name not in html
    resp = client.get("/hr/people?unit=abc")
    assert resp.status_code == 200  # a bad filter is an error next to the field, not a 500
    assert "invalid-feedback" in resp.get_data(as_text=True)


def test_pagination(client, make, login_as, app):
    unit = make.unit()
    for i in range(app.config["PAGE_SIZE"] + 3):
        make.user(org_unit=unit, name=f"员工{i:02d}")
    login_as("hr")
    first = client.get(f"/hr/people?unit={unit.id}").get_data(as_text=True)
    second = client.get(f"/hr/people?unit={unit.id}&page=2").get_data(as_text=True)
    assert "第 1 页，共 2 页" in first and "员工27" in second
    assert client.get(f"/hr/people?unit={unit.id}&page=999").status_code == 200
