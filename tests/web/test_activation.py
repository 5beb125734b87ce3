"""People whose account was made for them sign in without an administrator resetting each
one: HR prints one-time activation codes; a temporary password must be replaced at once;
no secret ever travels in the session cookie."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from lms.people.models import User
from lms.people.security_models import ActivationCode
from tests.forms import form_fields

NEW_PASSWORD = "Counter2027pass"


def _session(client, app) -> dict:
    """The session cookie's content, as anyone holding the cookie can read it."""
    cookie = client.get_cookie("session")
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def _codes(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-employee="([^"]+)">([A-Z0-9-]+)<', html))


def _activate(client, employee_no: str, code: str, password: str = NEW_PASSWORD):
    page = client.get("/activate")
    assert page.status_code == 200
    fields = form_fields(page.get_data(as_text=True), action="")
    assert set(fields) >= {"identifier", "code", "new_password", "confirm", "csrf_token"}
    fields.update(identifier=employee_no, code=code, new_password=password, confirm=password)
    return client.post("/activate", data=fields)


def test_roster_import_prints_codes_and_people_activate_their_own_account(
        client, make, login_as, auth, db, app, worker):
    make.unit(code="HALL")
    login_as("hr")
    csv_text = ("employee_no,name,email,org_unit\n"
                "R001,赵一,r001@example.com,HALL\nR002,钱二,r002@example.com,HALL\n")
    preview = auth.post("/hr/roster", {"file": (io.BytesIO(csv_text.encode()), "r.csv")},
                        content_type="multipart/form-data").get_data(as_text=True)
    apply = form_fields(preview, action="/hr/roster/apply")
    job_page = client.post("/hr/roster/apply", data=apply).headers["Location"]
    worker.drain()  # the import runs as a job; its page links to the codes
    html = client.get(job_page).get_data(as_text=True)
    codes_page = re.search(r'id="print-codes" href="([^"]+)"', html).group(1)
    html = client.get(codes_page).get_data(as_text=True)
    sheet = client.post(codes_page, data=form_fields(html, action=""))
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    codes = _codes(sheet.get_data(as_text=True))
    assert set(codes) == {"R001", "R002"}
    assert not any(code in str(_session(client, app)) for code in codes.values())
    stored = db.session.scalars(select(ActivationCode.code_hash)).all()
    assert len(stored) == 2 and not set(codes.values()) & set(stored)  # only hashes kept
    auth.logout()

    # 赵一 opens the activation page, types her number, the code and her own password.
    done = _activate(client, "R001", codes["R001"].lower())  # any case, as typed off paper
    assert done.status_code == 302 and done.headers["Location"].endswith("/learn/")
    home = client.get(done.headers["Location"])
    assert home.status_code == 200 and "赵一" in home.get_data(as_text=True)
    assert NEW_PASSWORD not in str(_session(client, app))
    auth.logout()
    assert auth.login("R001", NEW_PASSWORD).status_code == 302
    auth.logout()

    # The code works once.
    again = _activate(client, "R001", codes["R001"], "Another2027pass")
    assert again.status_code == 422 and "已过期" in again.get_data(as_text=True)
    # A code belongs to one person only.
    other = _activate(client, "R002", codes["R001"])
    assert other.status_code == 422


def test_a_weak_password_or_expired_code_is_refused_next_to_the_field(client, make, db,
                                                                      login_as, auth):
    person = make.user(employee_no="P100")
    login_as("admin")
    edit = client.get(f"/admin/users/{person.public_id}").get_data(as_text=True)
    fields = form_fields(edit, action=f"/admin/users/{person.public_id}/activation-code")
    sheet = client.post(f"/admin/users/{person.public_id}/activation-code", data=fields)
    code = _codes(sheet.get_data(as_text=True))["P100"]
    auth.logout()

    weak = _activate(client, "P100", code, "short1")
    assert weak.status_code == 422
    assert 'id="new_password"' in weak.get_data(as_text=True)
    assert "is-invalid" in weak.get_data(as_text=True)

    db.session.execute(update(ActivationCode).values(
        expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    db.session.commit()
    expired = _activate(client, "P100", code)
    assert expired.status_code == 422 and "已过期" in expired.get_data(as_text=True)


def test_a_temporary_password_must_be_changed_at_first_sign_in(client, make, login_as,
                                                              auth, db, app):
    person = make.user(employee_no="P200")
    login_as("admin")
    edit = client.get(f"/admin/users/{person.public_id}").get_data(as_text=True)
    fields = form_fields(edit, action=f"/admin/users/{person.public_id}/reset-password")
    shown = client.post(f"/admin/users/{person.public_id}/reset-password", data=fields)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    temporary = re.search(r'id="temporary-password".*?<code[^>]*>([^<]+)</code>',
                          shown.get_data(as_text=True), re.S).group(1)
    assert temporary not in str(_session(client, app))  # not flashed into the cookie
    auth.logout()

    signed_in = auth.login("P200", temporary)
    assert signed_in.status_code == 302
    # Every page sends them to change the password first.
    page = client.get("/learn/", follow_redirects=True)
    assert page.request.path == "/account"
    assert "临时" in page.get_data(as_text=True)
    form = form_fields(page.get_data(as_text=True), action="")
    form.update(current_password=temporary, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    changed = client.post("/account", data=form, follow_redirects=True)
    assert changed.status_code == 200
    assert client.get("/learn/").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(User.must_change_password).where(
        User.employee_no == "P200")) is False


def test_hr_prints_codes_for_people_the_api_created(client, make, login_as, db):
    waiting = make.user(employee_no="P300", name="孙三")
    login_as("hr")
    page = client.get("/hr/activation")
    assert page.status_code == 200 and "P300" in page.get_data(as_text=True)
    fields = form_fields(page.get_data(as_text=True), action="")
    assert fields["scope"] == "without"
    sheet = client.post("/hr/activation", data=fields)
    assert "P300" in _codes(sheet.get_data(as_text=True))
    listed = client.get("/hr/activation").get_data(as_text=True)
    assert re.search(r"P300.*?\d{4}-\d{2}-\d{2}", listed, re.S)
    # Asking again for people without a code prints nobody (earlier codes stay valid).
    again = client.post("/hr/activation", data=form_fields(listed, action=""))
    assert _codes(again.get_data(as_text=True)) == {}
    assert waiting.employee_no == "P300"
