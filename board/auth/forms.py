"""Sign-in and registration forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField("Keep me signed in on this device")


class RegisterForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    display_name = StringField(
        "Display name", validators=[DataRequired(), Length(max=80)],
        description="Shown next to your comments.",
    )
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(
            min=10, max=1024, message="Choose a password of at least 10 characters.")],
        description="At least 10 characters.",
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
