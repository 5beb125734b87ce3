"""The learner's dashboard."""

from flask import render_template
from flask_login import current_user

from lms.catalog import learning
from lms.core.routes import Routes

bp = Routes("learn")


@bp.get("/")
def home():
    from lms.certification import rules as certs

    groups = learning.dashboard(current_user)
    awards = [a for a in certs.awards_of(current_user.id) if a.status != "superseded"]
    return render_template("learn/home.html", user=current_user, groups=groups,
                           awards=awards, state=certs.state)
