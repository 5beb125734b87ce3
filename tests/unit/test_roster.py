"""Roster import from HR's CSV: column dialects, encodings, per-row errors, all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from lms.core.audit import AuditEvent
from lms.core.errors import ServiceError
from lms.people import roster
from lms.people.models import RoleAssignment, User
from lms.people.roster import apply_roster, preview_roster


@pytest.fixture(autouse=True)
def english(db):
    """Messages are compared in English whatever the default interface language."""
    with force_locale("en"):
        yield


def csv_file(*lines: str, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def count(model, *where) -> int:
    from lms.extensions import db

    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def user(db, employee_no: str) -> User:
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def messages(row) -> dict[str, str]:
    return {f: str(m) for f, m in row.errors}


@pytest.fixture()
def org(make):
    company = make.unit(code="CITY", name_zh="城区供电公司", name_en="City Power Supply")
    hall = make.unit(kind="team", parent=company, code="HALL1", name_zh="城区营业厅",
                     name_en="City Business Hall")
    dispatch = make.unit(kind="team", parent=company, code="DISP", name_zh="抢修调度班",
                         name_en="Repair Dispatch Team")
    clerk = make.job_role(code="counter_clerk", name_zh="营业厅柜员", name_en="Counter clerk")
    dispatcher = make.job_role(code="dispatcher", name_zh="抢修调度员",
                               name_en="Repair dispatcher")
    hr = make.user(roles={"hr"}, employee_no="H0001", name="钱人事", email="hr@corp.example.cn")
    return {"company": company, "hall": hall, "dispatch": dispatch, "clerk": clerk,
            "dispatcher": dispatcher, "hr": hr}


PROJECT = csv_file(
    "employee_no,name,email,org_unit,job_role",
    "E1001,周晓燕,Clerk@Corp.example.cn,hall1,counter_clerk",
    "E1002,吴建国,dispatcher@corp.example.cn,抢修调度班,抢修调度员",
    "E1003,Anna Li,anna@corp.example.cn,City Business Hall,Counter clerk",
    "E1004,郑海涛,meter@corp.example.cn,,",
)


# --- reading the project's own columns ------------------------------------------------------

def test_preview_of_project_columns_plans_creates_and_writes_nothing(db, org):
    users_before = count(User)
    preview = preview_roster(PROJECT)
    assert [r.action for r in preview.rows] == ["create"] * 4
    assert preview.totals == {"create": 4, "update": 0, "unchanged": 0, "error": 0, "rows": 4}
    assert preview.ignored_columns == [] and not preview.has_errors
    first = preview.rows[0]
    assert (first.line, first.employee_no, first.name, first.email) == (
        2, "E1001", "周晓燕", "clerk@corp.example.cn")
    assert first.org_unit_id == org["hall"].id and first.job_role_id == org["clerk"].id
    assert preview.rows[1].org_unit_id == org["dispatch"].id  # by Chinese name
    assert preview.rows[2].job_role_id == org["clerk"].id  # by English name
    assert preview.rows[3].org_unit_id is None and preview.rows[3].job_role_id is None
    assert count(User) == users_before
    assert not db.session.new and not db.session.dirty


def test_apply_creates_everyone_with_history_and_one_audit_event(db, org):
    result = apply_roster(PROJECT, actor=org["hr"], ip="10.0.0.8")
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert result.created_employee_nos == ["E1001", "E1002", "E1003", "E1004"]
    db.session.expire_all()
    clerk = user(db, "E1001")
    assert clerk.name == "周晓燕" and clerk.email == "clerk@corp.example.cn"
    assert clerk.org_unit.code == "HALL1" and clerk.job_role.code == "counter_clerk"
    assert clerk.active and clerk.roles == {"learner"}
    # A random password nobody knows: an administrator issues a reset.
    assert clerk.password_hash and not clerk.check_password("E1001")
    assert user(db, "E1002").password_hash != clerk.password_hash
    history = db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == clerk.id)).all()
    assert [(h.job_role_id, h.end_date) for h in history] == [(org["clerk"].id, None)]
    assert history[0].start_date == date.today()
    assert user(db, "E1004").org_unit is None and user(db, "E1004").job_role is None
    assert count(RoleAssignment, RoleAssignment.user_id == user(db, "E1004").id) == 0
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "roster_imported")).all()
    assert len(events) == 1
    assert events[0].actor_id == org["hr"].id and events[0].ip == "10.0.0.8"
    assert events[0].details == {"rows": 4, "created": 4, "updated": 0, "unchanged": 0}
    assert count(AuditEvent, AuditEvent.action == "user_created") == 1  # only the HR fixture


def test_imported_people_can_sign_in_after_a_password_reset(db, org):
    from lms.people import accounts

    apply_roster(PROJECT, actor=org["hr"])
    password = accounts.reset_password(user(db, "E1003"), actor=org["hr"])
    assert accounts.authenticate("anna@corp.example.cn", password).employee_no == "E1003"


def test_headers_match_case_insensitively_and_unknown_columns_are_listed(db, org):
    data = csv_file(" Employee_No ,NAME, Email ,Org_Unit,备注,job_role,,Phone",
                    "E2001,王丽娜,agent@corp.example.cn,CITY,新员工,,,13800000000")
    preview = preview_roster(data)
    assert preview.ignored_columns == ["备注", "Phone"]
    assert preview.columns["employee_no"] == "Employee_No"
    row = preview.rows[0]
    assert (row.employee_no, row.name, row.email, row.org_unit_id) == (
        "E2001", "王丽娜", "agent@corp.example.cn", org["company"].id)
    assert row.action == "create"


def test_chinese_headings_are_understood(db, org):
    data = csv_file("工号,姓名,邮箱,部门,岗位",
                    "E2002,冯志强,accounts@corp.example.cn,城区营业厅,营业厅柜员")
    row = preview_roster(data).rows[0]
    assert (row.org_unit_id, row.job_role_id, row.action) == (
        org["hall"].id, org["clerk"].id, "create")


# --- Moodle "upload users" columns ----------------------------------------------------------

def test_moodle_columns(db, org):
    data = csv_file(
        "username,firstname,lastname,email,idnumber,institution,department,city,auth",
        "zhouxy,晓燕,周,clerk@corp.example.cn,E3001,城区供电公司,HALL1,广州,manual",
        "anna,Anna,Li,anna@corp.example.cn,,CITY,,Shenzhen,manual",
        "ouyang,娜娜,欧阳,nana@corp.example.cn,E3003,CITY,,广州,manual",
        "mixed,Jian Guo,吴,wu@corp.example.cn,E3004,,DISP,,manual",
    )
    preview = preview_roster(data)
    assert preview.ignored_columns == ["city", "auth"]
    assert preview.columns["employee_no"] == "idnumber + username"
    assert preview.columns["name"] == "firstname + lastname"
    rows = preview.rows
    assert [r.employee_no for r in rows] == ["E3001", "anna", "E3003", "E3004"]
    assert [r.name for r in rows] == ["周晓燕", "Anna Li", "欧阳娜娜", "Jian Guo 吴"]
    assert [r.org_unit_id for r in rows] == [org["hall"].id, org["company"].id,
                                             org["company"].id, org["dispatch"].id]
    assert all(r.action == "create" for r in rows)
    apply_roster(data, actor=org["hr"])
    assert user(db, "E3001").name == "周晓燕"


def test_a_name_column_wins_over_first_and_last_names(db, org):
    data = csv_file("idnumber,name,firstname,lastname,email",
                    "E3101,陈思雨,思雨,陈,analyst@corp.example.cn",
                    "E3102,,建国,吴,wu@corp.example.cn")
    assert [r.name for r in preview_roster(data).rows] == ["陈思雨", "吴建国"]


# --- encodings and delimiters -----------------------------------------------------------------

def test_gb18030_file_from_chinese_excel(db, org):
    data = csv_file("工号,姓名,邮箱,部门,岗位",
                    "E4001,欧阳娜娜,nana@corp.example.cn,抢修调度班,抢修调度员",
                    "E4002,𠮷野家,yoshino@corp.example.cn,城区营业厅,营业厅柜员",
                    encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    preview = preview_roster(data)
    assert preview.encoding == "gb18030"
    assert [r.name for r in preview.rows] == ["欧阳娜娜", "𠮷野家"]
    assert preview.rows[0].org_unit_id == org["dispatch"].id
    assert preview.totals["create"] == 2


def test_utf8_with_bom_and_utf16_from_excel(db, org):
    text = ["employee_no,name,email", "E4101,周晓燕,clerk@corp.example.cn"]
    with_bom = b"\xef\xbb\xbf" + csv_file(*text)
    preview = preview_roster(with_bom)
    assert preview.columns["employee_no"] == "employee_no"  # the BOM is not in the header
    assert preview.rows[0].name == "周晓燕"
    unicode_text = csv_file(*[t.replace(",", "\t") for t in text], encoding="utf-16")
    preview = preview_roster(unicode_text)
    assert (preview.encoding, preview.delimiter) == ("utf-16", "\t")
    assert preview.rows[0].name == "周晓燕"


def test_semicolon_file(db, org):
    data = csv_file("employee_no;name;email;org_unit",
                    'E4201;"Li; Anna";anna@corp.example.cn;HALL1',
                    "E4202;周晓燕;clerk@corp.example.cn;City Power Supply")
    preview = preview_roster(data)
    assert preview.delimiter == ";"
    assert [r.name for r in preview.rows] == ["Li; Anna", "周晓燕"]
    assert [r.org_unit_id for r in preview.rows] == [org["hall"].id, org["company"].id]


def test_tab_file_with_unix_newlines(db, org):
    data = csv_file("employee_no\tname\temail", "E4301\t吴建国\twu@corp.example.cn",
                    newline="\n")
    preview = preview_roster(data)
    assert preview.delimiter == "\t" and preview.rows[0].name == "吴建国"


def test_line_numbers_count_blank_lines_and_multiline_cells(db, org):
    data = csv_file("employee_no,name,email,备注", "", 'E4401,周晓燕,clerk@corp.example.cn,"两行',
                    '备注"', ",,,", "E4402,吴建国,wu@corp.example.cn,")
    preview = preview_roster(data)
    assert [r.line for r in preview.rows] == [3, 6]


# --- per-row errors -----------------------------------------------------------------------------

def test_every_kind_of_row_error(db, org, make):
    make.user(employee_no="E0900", name="林已有", email="taken@corp.example.cn")
    data = csv_file(
        "employee_no,name,email,org_unit,job_role",
        ",无工号,nobody@corp.example.cn,,",                        # 2 missing employee no
        "E5002,,noname@corp.example.cn,,",                        # 3 missing name
        "E5003,坏邮箱,not-an-email,,",                              # 4 bad e-mail
        "E5004,无邮箱,,,",                                          # 5 missing e-mail
        "E5005,未知单位,u5@corp.example.cn,NOWHERE,",               # 6 unknown org unit
        "E5006,未知岗位,u6@corp.example.cn,,astronaut",             # 7 unknown job role
        "E5007,重复甲,u7@corp.example.cn,,",                        # 8 fine …
        "E5007,重复乙,u7b@corp.example.cn,,",                       # 9 … repeated number
        "E5009,邮箱被占,Taken@corp.example.cn,,",                   # 10 e-mail of E0900
        "E5010,同邮箱甲,same@corp.example.cn,,",                    # 11 fine …
        "E5011,同邮箱乙,same@corp.example.cn,,",                    # 12 … same e-mail
        f"{'X' * 33},太长,long@corp.example.cn,,",                  # 13 too long
        "E5013,好人,good@corp.example.cn,HALL1,counter_clerk",     # 14 fine
    )
    preview = preview_roster(data)
    by_line = {r.line: r for r in preview.rows}
    assert messages(by_line[2]) == {"employee_no": "The employee number is missing."}
    assert messages(by_line[3]) == {"name": "The name is missing."}
    assert messages(by_line[4]) == {"email": "This is not a valid e-mail address."}
    assert messages(by_line[5]) == {"email": "The e-mail is missing."}
    assert messages(by_line[6]) == {"org_unit": "Unknown org unit: NOWHERE."}
    assert messages(by_line[7]) == {"job_role": "Unknown job role: astronaut."}
    assert messages(by_line[9]) == {
        "employee_no": "Employee number E5007 already appears on line 8."}
    assert messages(by_line[10]) == {"email": "This e-mail already belongs to 林已有 (E0900)."}
    assert messages(by_line[12]) == {
        "email": "This e-mail is already given to E5010 on line 11."}
    assert messages(by_line[13]) == {
        "employee_no": "The employee number is longer than 32 characters."}
    assert [line for line, r in by_line.items() if not r.errors] == [8, 11, 14]
    assert all(r.action == "error" for r in preview.rows if r.errors)
    assert preview.totals == {"create": 3, "update": 0, "unchanged": 0, "error": 10,
                              "rows": 13}
    assert preview.has_errors and len(preview.with_errors()) == 10


def test_a_unit_name_shared_by_two_units_must_be_given_by_code(db, org, make):
    make.unit(kind="team", parent=org["company"], code="HALL2", name_zh="城区营业厅",
              name_en="Another Hall")
    data = csv_file("employee_no,name,email,org_unit",
                    "E5101,周晓燕,clerk@corp.example.cn,城区营业厅",
                    "E5102,吴建国,wu@corp.example.cn,hall2")
    rows = preview_roster(data).rows
    assert messages(rows[0]) == {
        "org_unit": "Several org units are called 城区营业厅: use the unit code."}
    assert rows[1].org_unit_id is not None and rows[1].action == "create"


def test_one_bad_row_means_nothing_is_imported(db, org):
    users_before, events_before = count(User), count(AuditEvent)
    data = csv_file("employee_no,name,email,job_role",
                    "E6001,周晓燕,clerk@corp.example.cn,counter_clerk",
                    "E6002,吴建国,wu@corp.example.cn,counter_clerk",
                    "E6003,郑海涛,meter@corp.example.cn,no_such_role")
    with pytest.raises(ServiceError) as err:
        apply_roster(data, actor=org["hr"])
    assert err.value.field == "file"
    assert str(err.value.message).startswith("Rows with errors: 1. Nothing was imported;")
    db.session.rollback()
    assert count(User) == users_before and count(AuditEvent) == events_before
    assert count(RoleAssignment) == 0


# --- updates, history, idempotence ------------------------------------------------------------

def test_updates_show_what_changes_and_keep_the_job_role_history(db, org, make):
    person = make.user(employee_no="E7001", name="周小燕", email="old@corp.example.cn",
                       org_unit=org["hall"], job_role=org["clerk"])
    steady = make.user(employee_no="E7002", name="吴建国", email="wu@corp.example.cn",
                       org_unit=org["dispatch"], job_role=org["dispatcher"])
    data = csv_file("employee_no,name,email,org_unit,job_role",
                    "E7001,周晓燕,new@corp.example.cn,DISP,dispatcher",
                    "E7002,吴建国,WU@corp.example.cn,,",   # blanks keep what is there
                    "E7003,郑海涛,meter@corp.example.cn,HALL1,counter_clerk")
    preview = preview_roster(data)
    moved, same, new = preview.rows
    assert moved.action == "update"
    assert moved.changes == {"name": ("周小燕", "周晓燕"),
                             "email": ("old@corp.example.cn", "new@corp.example.cn"),
                             "org_unit": ("HALL1", "DISP"),
                             "job_role": ("counter_clerk", "dispatcher")}
    assert same.action == "unchanged" and same.changes == {}
    assert new.action == "create"
    assert preview.totals == {"create": 1, "update": 1, "unchanged": 1, "error": 0, "rows": 3}

    result = apply_roster(data, actor=org["hr"])
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert result.updated_employee_nos == ["E7001"]
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert (person.name, person.email, person.org_unit.code, person.job_role.code) == (
        "周晓燕", "new@corp.example.cn", "DISP", "dispatcher")
    history = db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == person.id).order_by(RoleAssignment.id)).all()
    assert [(h.job_role.code, h.end_date) for h in history] == [
        ("counter_clerk", date.today()), ("dispatcher", None)]
    assert history[1].note == "roster import"
    steady = db.session.get(User, steady.id)
    assert steady.org_unit.code == "DISP" and steady.job_role.code == "dispatcher"
    assert count(RoleAssignment, RoleAssignment.user_id == steady.id) == 1


def test_importing_the_same_file_again_changes_nothing(db, org):
    apply_roster(PROJECT, actor=org["hr"])
    db.session.expire_all()
    snapshot = [(u.employee_no, u.name, u.email, u.org_unit_id, u.job_role_id, u.password_hash)
                for u in db.session.scalars(select(User).order_by(User.id))]
    history = count(RoleAssignment)

    preview = preview_roster(PROJECT)
    assert preview.totals == {"create": 0, "update": 0, "unchanged": 4, "error": 0, "rows": 4}
    result = apply_roster(PROJECT, actor=org["hr"])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert not result.changed
    db.session.expire_all()
    assert snapshot == [(u.employee_no, u.name, u.email, u.org_unit_id, u.job_role_id,
                         u.password_hash)
                        for u in db.session.scalars(select(User).order_by(User.id))]
    assert count(RoleAssignment) == history
    assert count(AuditEvent, AuditEvent.action == "roster_imported") == 1


def test_the_same_people_in_moodle_form_are_unchanged(db, org):
    apply_roster(PROJECT, actor=org["hr"])
    moodle = csv_file("username,firstname,lastname,email,department",
                      "E1001,晓燕,周,clerk@corp.example.cn,HALL1",
                      "E1003,Anna,Li,ANNA@corp.example.cn,City Business Hall")
    assert [r.action for r in preview_roster(moodle).rows] == ["unchanged", "unchanged"]


# --- whole-file problems and limits -------------------------------------------------------------

def test_a_file_over_5_mb_is_refused(db, org):
    big = csv_file("employee_no,name,email") + b"#" * roster.MAX_BYTES
    with pytest.raises(ServiceError) as err:
        preview_roster(big)
    assert err.value.field == "file" and "5 MB" in str(err.value.message)


def test_more_than_20000_rows_is_refused(db, org):
    lines = [f"E{i:06d},员工{i},e{i}@corp.example.cn" for i in range(roster.MAX_ROWS + 1)]
    data = csv_file("employee_no,name,email", *lines)
    assert len(data) < roster.MAX_BYTES
    with pytest.raises(ServiceError) as err:
        preview_roster(data)
    assert err.value.field == "file" and "20000" in str(err.value.message)
    preview = preview_roster(csv_file("employee_no,name,email", *lines[:-1]))
    assert preview.totals["create"] == roster.MAX_ROWS


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b" \r\n\r\n", "The file is empty."),
    (b"PK\x03\x04rest-of-a-zip", "This is an Excel workbook: save it as CSV and upload that."),
    (b"employee_no,name,email\r\n", "The file has no data rows."),
    (csv_file("employee_no,name,org_unit", "E1,周,CITY"),
     "The file has no column for: email."),
    (csv_file("phone,city", "1,2"), "The file has no column for: employee_no, name, email."),
    (b"\x81", "The file could not be read as text: save it as CSV (UTF-8)."),
])
def test_whole_file_problems_name_the_file_field(db, org, data, message):
    with pytest.raises(ServiceError) as err:
        preview_roster(data)
    assert err.value.field == "file"
    assert str(err.value.message) == message
