"""The learner's Certifications page: requirements in words, progress, next steps, held
certificates with status and PDF."""

from __future__ import annotations

import re

from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from tests.web.test_certification import _cert, _finish_course


def test_learner_sees_requirements_in_words_progress_and_next_step(client, make, login_as,
                                                                    db):
    course = make.course("LRN-1", title_zh="智能电表基础")
    other = make.course("LRN-2", title_zh="抢修调度")
    hr = make.user(roles={"hr"})
    _cert(make, course, code="C-METER", hr=hr)
    certs.save_certification(None, code="C-DISP", name_zh="调度认证", name_en="Dispatch",
                             description_zh="", description_en="", validity_months=None,
                             recert_window_days=30,
                             requirements=[("course", "LRN-2", None),
                                           ("certification", "C-METER", None)], actor=hr)
    user = login_as("learner")
    first = db.session.scalar(select(Lesson).where(Lesson.course_id == other.id))
    learning.complete_lesson(user, other, first)
    html = client.get("/learn/certifications").get_data(as_text=True)
    meter = html.split('id="cert-C-METER"')[1].split('id="cert-')[0]
    text = re.sub(r"<[^>]+>", "", meter)
    assert "完成课程“智能电表基础”" in text and "测验“" in text and "不低于80分" in text
    assert "2项要求中已满足0项" in meter
    nxt = re.search(r'class="btn btn-sm btn-outline-primary next-step" href="([^"]+)"', meter)
    assert nxt and nxt.group(1) == "/learn/courses/LRN-1"
    assert client.get(nxt.group(1)).status_code == 200
    disp = html.split('id="cert-C-DISP"')[1]
    assert "抢修调度" in disp and "营业厅岗位认证" in disp and 'href="#cert-C-METER"' in disp
    assert "还没有" in html.split('id="held"')[1].split("</table>")[0]

    _finish_course(db, user, course)
    html = client.get("/learn/certifications").get_data(as_text=True)
    held = html.split('id="held"')[1].split("</table>")[0]
    award = certs.current_award(user.id, "C-METER")
    assert "营业厅岗位认证" in held and "有效" in held
    pdf = f"/learn/awards/{award.verification_code}/certificate.pdf"
    assert pdf in held and client.get(pdf).mimetype == "application/pdf"
    meter = html.split('id="cert-C-METER"')[1].split('id="cert-')[0]
    assert "2项要求中已满足2项" in meter
