"""Journeys through the real app in headless Chromium, with screenshots of the key pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def _answer_key(database_url: str, attempt_id: str) -> list[tuple[int, str, object]]:
    """(index, type, right answer) for each question of an attempt, read from the database."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            layout = conn.execute(text("SELECT layout FROM attempts WHERE public_id = :p"),
                                  {"p": attempt_id}).scalar_one()
            layout = json.loads(layout) if isinstance(layout, str) else layout
            out = []
            for i, entry in enumerate(layout):
                qtype, options, answer = conn.execute(text(
                    "SELECT type, options, answer FROM questions WHERE id = :i"),
                    {"i": entry["q"]}).one()
                options = json.loads(options) if isinstance(options, str) else options
                answer = json.loads(answer) if isinstance(answer, str) else answer
                if qtype == "single":
                    out.append((i, qtype, next(o["id"] for o in options if o["correct"])))
                elif qtype == "multiple":
                    out.append((i, qtype, [o["id"] for o in options if o["correct"]]))
                elif qtype == "true_false":
                    out.append((i, qtype, "true" if answer["value"] else "false"))
                elif qtype == "numeric":
                    out.append((i, qtype, f"{answer['value']:g}"))
                else:
                    out.append((i, qtype, answer["accept"][0]))
            return out
    finally:
        engine.dispose()


def _answer(page, index, qtype, value):
    if qtype == "single" or qtype == "true_false":
        page.check(f"#q{index}-{value}")
    elif qtype == "multiple":
        for v in value:
            page.check(f"#q{index}-{v}")
    else:
        page.fill(f"#q{index}", value)
        page.dispatch_event(f"#q{index}", "change")


def test_employee_learns_an_assigned_course_and_passes_its_quiz(page, server, shot):
    sign_in(page, "E1001")
    assigned = page.locator("section[aria-labelledby=assigned-h] a.list-group-item")
    assert assigned.count() >= 2
    assert page.locator("[data-status=overdue]").count() >= 1  # the demo's overdue item
    shot(page, "dashboard")
    page.click("text=营业厅服务规范与排队管理")
    page.wait_for_url("**/learn/courses/SV-401")
    shot(page, "course")
    page.click("text=开始第一课")
    # Read every lesson, moving on with "Next"; the last one leads back to the course.
    for _ in range(10):
        page.wait_for_selector(".lesson-body h2")
        nxt = page.locator("button[value=next]")
        if nxt.count() == 0:
            page.click("button[value=stay]")
            break
        nxt.click()
    shot(page, "lesson")
    page.goto("/learn/courses/SV-401")
    assert "学完全部" in page.content()
    page.click("text=通过测验")
    page.click("text=开始测验")
    page.wait_for_url("**/learn/attempts/*")
    attempt_id = page.url.rsplit("/", 1)[-1]
    key = _answer_key(server["database_url"], attempt_id)
    half = len(key) // 2
    for index, qtype, value in key[:half]:
        _answer(page, index, qtype, value)
    page.wait_for_function(
        "document.getElementById('save-status').textContent.startsWith('已保存')")
    shot(page, "quiz-before-reload")
    page.reload()
    for index, qtype, value in key[:half]:  # every saved answer is back after the reload
        if qtype in ("single", "true_false"):
            assert page.is_checked(f"#q{index}-{value}")
        elif qtype == "multiple":
            assert all(page.is_checked(f"#q{index}-{v}") for v in value)
        else:
            assert page.input_value(f"#q{index}") == value
    for index, qtype, value in key[half:]:
        _answer(page, index, qtype, value)
    page.on("dialog", lambda d: d.accept())
    page.click("#submit-btn")
    page.wait_for_url("**/result")
    assert page.inner_text("#score") == "100"
    shot(page, "quiz-result")
    # SV-401 also needs its month-end drill: an assessment run scoring 70 or more.
    page.goto("/learn/courses/SV-401")
    page.click("a[href$='/practice/scenarios/month-end-payment-peak/assessment']")
    # The scenario's reference plan: pool the counters (the payment counters take every
    # service type), follow the double peak within the staff-hour budget, kiosks at 50%.
    payment, general = [3, 5, 5, 4, 3, 3, 5, 5, 2], [3, 5, 6, 4, 3, 4, 5, 5, 3]
    for h in range(9):
        page.fill(f"#co_0_{h}", str(payment[h]))
        page.fill(f"#co_1_{h}", str(general[h]))
    for kind in ("account_change", "consultation", "complaint"):
        page.check(f"input[name=cs_0][value={kind}]")
    page.fill("#kiosk_share", "50")
    page.click("button[value=run]")  # the confirmation is accepted by the handler above
    page.wait_for_url("**/learn/practice/runs/*")
    assert float(page.inner_text("#score")) >= 70
    assert page.locator("canvas[data-chart]").count() >= 1
    shot(page, "practice-result")
    page.goto("/learn/")
    completed = page.locator("#done-h + ul")
    assert "营业厅服务规范与排队管理" in completed.inner_text()
    # Lessons, quiz and drill meet the business-hall certification: it is issued at once.
    awards = page.inner_text("#my-awards")
    assert "营业厅数字化服务岗位认证" in awards and "有效" in awards
    shot(page, "dashboard-after")
    page.click("#my-awards >> text=验证页面")
    assert page.inner_text("#verify-state") == "有效"
    shot(page, "verify")


def test_language_switch_turns_the_interface_to_english_and_back(page, shot):
    sign_in(page, "T0001")
    assert "课程工作室" in page.inner_text("nav")
    page.click("#locale-form button[value=en]")
    page.wait_for_selector("text=Studio")
    nav = page.inner_text("nav")
    assert "My learning" in nav and "Catalogue" in nav and "我的学习" not in nav
    page.goto("/learn/catalog")
    body = page.inner_text("main")
    assert "Course catalogue" in body and "课程目录" not in body
    shot(page, "catalog-en")
    page.goto("/author/")
    assert "Studio" in page.inner_text("main h1")
    page.click("#locale-form button[value=zh_CN]")
    page.wait_for_selector("text=课程工作室")
    assert "我的学习" in page.inner_text("nav")


def test_phone_width_navigation(browser, server, shot):
    context = browser.new_context(base_url=server["base"], viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "A0001")
    assert not page.is_visible("text=系统管理")  # collapsed behind the menu button
    page.click("button.navbar-toggler")
    page.click("text=系统管理")
    page.wait_for_url("**/admin/users")
    shot(page, "admin-phone")
    context.close()


def test_hr_finds_expiring_certifications_filters_and_exports(page, shot):
    sign_in(page, "H0001")
    page.click("nav >> text=持证合规")
    page.wait_for_url("**/hr/compliance")
    page.select_option("#days", "60")
    page.click("main button[type=submit]")
    expiring = page.locator("#expiring tbody tr")
    assert expiring.count() >= 2 and "CERT-" in expiring.first.inner_text()
    shot(page, "compliance")
    # Filter by the urban branch (with its sub-units): the county's holder disappears.
    page.select_option("#unit", label="\u2003城区供电分公司")
    page.click("main button[type=submit]")
    page.wait_for_url("**unit=*")
    body = page.inner_text("#expiring")
    assert "清河" not in body
    shot(page, "compliance-filtered")
    with page.expect_download() as download_info:
        page.click("text=导出 CSV")
    download = download_info.value
    content = open(download.path(), encoding="utf-8-sig").read()
    assert content.startswith("工号,") and "CERT-HALL" in content
    with page.expect_download() as download_info:
        page.click("text=导出 Excel")
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_manager_plans_a_rotation_and_sees_readiness_on_the_board(page, shot):
    sign_in(page, "M0001")
    page.click("nav >> text=轮岗看板")
    page.wait_for_url("**/team/rotations")
    assert "周晓燕" in page.inner_text("main")  # the demo plan for E1001
    page.click("text=制定轮岗计划")
    page.fill("#employee_no", "E2002")
    page.select_option("#to_role", label="客户经理")
    page.fill("#start_date", "2027-03-01")
    page.fill("#mentor_no", "E1005")
    page.click("main button[type=submit]")
    page.wait_for_url("**/team/rotations/*")
    assert "已为" in page.inner_text(".alert")  # enrolled in the missing courses
    assert "就绪度" in page.inner_text("#readiness")
    name = page.inner_text("h1").split()[0]
    shot(page, "rotation-detail")
    page.goto("/team/rotations")
    card = page.locator("[data-column]", has_text=name)
    assert card.count() == 1 and "就绪度" in card.inner_text()
    shot(page, "rotation-board")
    page.goto("/team/skills")
    assert page.locator("#skills tbody tr").count() >= 5
    shot(page, "skills-matrix")


def test_trainer_authors_a_lesson_with_preview_and_publishes(page, server, shot):
    sign_in(page, "T0001")
    page.goto("/author/courses/DT-104")
    page.goto("/author/courses/DT-104/modules/0/lessons/new")
    page.fill("#title_zh", "转人工前的核对清单")
    page.fill("#title_en", "Checklist before a handover")
    body = ("## 核对清单\n\n| 项目 | 说明 |\n|---|---|\n| 身份 | 已核实 |\n\n"
            "<script>alert(1)</script>\n\n**务必**记录工单号。\n")
    page.fill("#body", body)
    page.dispatch_event("#body", "input")
    # The live preview shows exactly what learners will see: the table, and the script inert.
    page.wait_for_selector("#preview table")
    preview = page.inner_html("#preview")
    assert "<strong>务必</strong>" in preview and "<script>" not in preview
    assert "&lt;script&gt;" in preview
    shot(page, "lesson-editor")
    page.click("#lesson-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.goto("/author/courses/DT-104")
    assert page.locator("#draft-badge").count() == 1
    # Learners still see the published version until the trainer publishes.
    page.on("dialog", lambda d: d.accept())
    page.click("button:has-text('发布')")
    page.wait_for_selector(".alert-success")
    shot(page, "published")
    assert page.locator("#draft-badge").count() == 0
    page.goto("/learn/courses/DT-104")
    assert "转人工前的核对清单" in page.inner_text("main")
    shipped = yaml.safe_load((Path(__file__).resolve().parents[2] / "courses" /
                              "dt-104-ai-service" / "course.yaml").read_text(encoding="utf-8"))
    assert f"第 {shipped['version'] + 1} 版" in page.inner_text("main")  # one publish later


def test_trainer_imports_a_gift_bank_with_preview_and_sees_its_findings(page, server, shot,
                                                                         tmp_path):
    gift = tmp_path / "bank.gift"
    gift.write_text(
        "::q1:: 居民客户本月示值差 120，倍率 1，电量是多少千瓦时？ {#120:0}\n\n"
        "::q2:: 远程费控客户交费后多久内复电？ {=按规定时限内自动复电 ~立即人工上门复电"
        " ~次月抄表后复电 ~交费 7 天后复电}\n\n"
        "::q3:: 日冻结数据保存在电能表内。 {T}\n", encoding="utf-8")
    sign_in(page, "T0001")
    page.goto("/author/courses/DT-104/banks/import")
    page.set_input_files("#file", str(gift))
    page.fill("#bank_id", "dt-104-gift")
    page.fill("#title_zh", "导入的题库")
    page.fill("#title_en", "Imported bank")
    page.click("#bank-import-form button[type=submit]")
    page.wait_for_selector("#bank-import-confirm")
    text = page.inner_text("main")
    # The preview shows what was read, and the checks say the bank is still too small.
    assert "居民客户本月示值差" in text and "3" in text
    assert "40" in text
    shot(page, "bank-import-preview")
    page.click("#bank-import-confirm button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "dt-104-gift" in page.inner_text("main")
    shot(page, "bank-imported")


def test_hr_revokes_a_certificate_and_lifts_the_hold(page, shot):
    sign_in(page, "H0001")
    page.goto("/hr/certifications/CERT-HALL")
    page.locator("main table tbody tr td:nth-child(2) a").first.click()
    page.wait_for_url("**/hr/awards/*")
    assert page.locator("#history").inner_text()
    page.fill("#revoke-reason", "端到端测试：违规办理")
    page.click("#revoke-reason ~ button[type=submit]")
    page.wait_for_selector("#hold")
    assert "已撤销" in page.inner_text("#award-state")
    shot(page, "award-revoked-on-hold")
    page.fill("#lift-reason", "端到端测试：复核后恢复")
    page.click("#lift-reason ~ button[type=submit]")
    page.wait_for_selector("text=已解除暂停")
    history = page.inner_text("#history")
    assert "撤销" in history and "解除暂停" in history and "复核后恢复" in history
    shot(page, "award-hold-lifted")
