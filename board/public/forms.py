"""The comment form."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Optional, Regexp


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment")
    consent = BooleanField(
        "I agree that the organisation may publish and reproduce my comment, "
        "under the comment policy above."
    )
    parent_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,18}$")])
