"""Forms of the admin pages; the services check every value again."""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, HiddenField, IntegerField, PasswordField,
                     SelectField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..screening.policy import MAX_REPORTER_AGE_DAYS, PolicySettings
from ..screening.wordlists import WordLists

ROLES = [("member", "Member"), ("moderator", "Moderator"), ("admin", "Admin")]


def choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class SiteForm(FlaskForm):
    name = StringField("Site name", validators=[DataRequired(), Length(max=120)])
    origins = TextAreaField("Allowed origins, one per line (https://www.example.org)",
                            validators=[Optional(), Length(max=20_000)])
    auto_create_threads = BooleanField(
        "Create a thread when an allowed origin embeds an unknown key")


class OriginForm(FlaskForm):
    origin = StringField("Add an origin", validators=[DataRequired(), Length(max=255)])


class ToggleForm(FlaskForm):
    """A button that sets one yes/no value."""

    value = HiddenField(validators=[DataRequired()])


class PlainForm(FlaskForm):
    """A button that needs nothing but the CSRF token."""


class ThreadForm(FlaskForm):
    key = StringField("Key (as in /t/<key>)", validators=[DataRequired(), Length(max=200)])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    url = StringField("Post address", validators=[DataRequired(), Length(max=2000)])
    site = SelectField("Site", choices=choices([("", "No site")]), validators=[Optional()])


WORDLIST_LABELS = {
    "profanity_extra": "Extra profanity (added to the shipped list)",
    "profanity_allow": "Allowed words and phrases (never flagged as profanity)",
    "threat": "Threat phrases",
    "unlawful": "Unlawful-activity phrases",
    "defamation": "Defamation phrases",
    "obscene": "Obscene terms",
    "blocked_domains": "Blocked link domains",
}
WORDLIST_FIELDS = [f.name for f in fields(WordLists)]


def _wordlists_form() -> type[FlaskForm]:
    attrs: dict[str, Any] = {
        name: TextAreaField(WORDLIST_LABELS.get(name, name), validators=[Length(max=200_000)])
        for name in WORDLIST_FIELDS
    }
    return type("WordListsForm", (FlaskForm,), attrs)


WordListsForm = _wordlists_form()


class PolicyForm(FlaskForm):
    premoderate_all = BooleanField("Pre-moderate every comment (nothing is public before approval)")
    auto_approve_after = IntegerField(
        "Auto-approve unflagged comments of members with this many approved comments "
        "(0: never; needs pre-moderation off)", validators=[NumberRange(min=0, max=100_000)])
    auto_reject_certain_spam = BooleanField(
        "Reject automatically what the spam screen marks certain")
    report_threshold = IntegerField(
        "Hide automatically, pending a moderator's look, after this many established readers "
        "report a comment", validators=[NumberRange(min=1, max=100_000)])
    reporter_min_age_days = IntegerField(
        "Established readers: accounts at least this many days old, with an approved comment "
        "and not suspended (other reports still reach the queue)",
        validators=[NumberRange(min=0, max=MAX_REPORTER_AGE_DAYS)])


POLICY_FIELDS = [f.name for f in fields(PolicySettings)]


class StaffForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Initial password (at least 10 characters)",
                             validators=[DataRequired(), Length(max=1024)])
    role = SelectField("Role", choices=choices(ROLES[1:]))


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=choices(ROLES))


class PromoteForm(FlaskForm):
    email = EmailField("E-mail address of an existing account",
                       validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=choices(ROLES))
