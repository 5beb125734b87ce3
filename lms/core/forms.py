"""Forms that any feature may use."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A bare POST (enrol, mark complete): the CSRF token is the point."""
