"""Forms of the moderation pages; codes are checked by the services against the fixed lists."""
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..vocabulary import Reason

REASONS = [SelectChoice("", "Choose a reason")] + [SelectChoice(r.value, r.label) for r in Reason]
BULK_ACTIONS = [SelectChoice(value, value.capitalize())
                for value in ("approve", "reject", "unpublish", "republish")]


class DecisionForm(FlaskForm):
    """One decision on one comment, at the version the moderator saw."""

    action = HiddenField(validators=[DataRequired(), Length(max=20)])
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
    reason = StringField("Reason", validators=[Optional(), Length(max=40)])
    note = StringField("Note (optional)", validators=[Optional(), Length(max=2000)])
    next = HiddenField(validators=[Optional(), Length(max=2000)])


class BulkForm(FlaskForm):
    """One action on the selected comments (the checkboxes send ``item=<id>:<version>``)."""

    action = SelectField("Action", choices=BULK_ACTIONS, validators=[DataRequired()])
    reason = SelectField("Reason", choices=REASONS, validators=[Optional()])
    note = StringField("Note (optional)", validators=[Optional(), Length(max=2000)])
    next = HiddenField(validators=[Optional(), Length(max=2000)])


class PlainForm(FlaskForm):
    """A button that needs nothing but the CSRF token (dismiss reports)."""

    next = HiddenField(validators=[Optional(), Length(max=2000)])


class SuspendForm(FlaskForm):
    """Suspend a member until a date (UTC, start of that day) or indefinitely."""

    reason = StringField("Reason (the member will see it)",
                         validators=[DataRequired(message="Give the reason for the suspension."),
                                     Length(max=500)])
    until = DateField("Until (leave empty for an indefinite suspension)",
                      validators=[Optional()])


class ReinstateForm(FlaskForm):
    """Lift a suspension."""

    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=500)])
