"""The learner's inbox."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from lms.core.routes import Routes
from lms.core.web import paginate

bp = Routes("learn")


@bp.route("/notifications", methods=["GET", "POST"])
def notifications():
    from lms.core.forms import ActionForm
    from lms.notifications import inbox

    form = ActionForm()
    if form.validate_on_submit():
        inbox.mark_all_read(current_user)
        return redirect(url_for("learn.notifications"))
    return render_template("learn/notifications.html", page=paginate(inbox.query(current_user)),
                           form=form)
