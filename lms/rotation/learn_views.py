"""My next role: the learner's rotation plan and readiness."""

from flask import render_template
from flask_login import current_user

from lms.core.routes import Routes

bp = Routes("learn")


@bp.get("/next-role")
def next_role():
    from lms.rotation import plans as rotation
    from lms.rotation import readiness

    plans = rotation.my_plans(current_user)
    active = next((p for p in plans if p.status == "active"), None)
    state = readiness.for_person(current_user.id, active.to_role) if active else None
    return render_template("learn/next_role.html", plans=plans, plan=active, state=state)
