"""The decision form of the moderation page."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class DecisionForm(FlaskForm):
    """One decision; the reason code is checked by the lifecycle against the fixed list."""

    action = HiddenField(validators=[DataRequired(), Length(max=20)])
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
    reason = StringField("Reason", validators=[Optional(), Length(max=40)])
    note = StringField("Note (optional)", validators=[Optional(), Length(max=2000)])
