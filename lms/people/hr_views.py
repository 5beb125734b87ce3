"""HR: the people directory."""

from flask import render_template, request
from flask_babel import gettext as _

from lms.core.routes import Routes
from lms.core.web import paginate
from lms.people import directory as people
from lms.people.choices import job_role_choices, unit_choices
from lms.people.forms import DirectoryFilterForm

bp = Routes("hr")


@bp.get("/people", endpoint="people")
def people_list():
    form = DirectoryFilterForm(request.args)
    form.unit.choices = unit_choices(_("All units"))
    form.job_role.choices = job_role_choices(_("All job roles"))
    if form.validate():
        stmt = people.directory(unit=people.unit_by_id(form.unit.data),
                                job_role=people.job_role_by_id(form.job_role.data),
                                q=form.q.data or "")
    else:  # errors show next to the fields; the list stays unfiltered
        stmt = people.directory()
    page = paginate(stmt)
    return render_template("hr/people.html", form=form, page=page)
