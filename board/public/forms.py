"""The comment form."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Optional, Regexp

from ..comments.idempotency import FORM_KEY_PATTERN, new_form_key
from ..comments.service import Submission


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment")
    consent = BooleanField(
        "I agree that the organisation may publish and reproduce my comment, "
        "under the comment policy above."
    )
    parent_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,18}$")])
    # Made when the form is rendered: sending the same form twice stores one comment.
    idempotency_key = HiddenField(default=new_form_key,
                                  validators=[Optional(), Regexp(FORM_KEY_PATTERN)])

    def submission(self) -> Submission:
        """What the member sent, for the submission service."""
        return Submission(
            body=self.body.data or "", consent=bool(self.consent.data),
            parent_id=int(self.parent_id.data) if self.parent_id.data else None,
            idempotency_key=self.idempotency_key.data or None,
        )
