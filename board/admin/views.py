"""The admin pages (admins only): parse the form, call one service, respond."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import settings
from ..auth.access import admin_required
from ..errors import BoardError, ValidationError
from ..routing import parse_id
from ..timeutil import utcnow
from . import service
from .forms import (POLICY_FIELDS, ROLES, WORDLIST_FIELDS, WORDLIST_LABELS, OriginForm, PlainForm,
                    PolicyForm, PromoteForm, RoleForm, SiteForm, StaffForm, ThreadForm,
                    ToggleForm, WordListsForm, choices)

bp = Blueprint("admin", __name__)


def _flash_form_errors(form: FlaskForm) -> None:
    for name, errors in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        for message in errors:
            flash(f"{label.text if label else name}: {message}", "error")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _flag(raw: str | None) -> bool:
    if raw not in ("1", "0"):
        raise ValidationError("That request could not be read; please try again.")
    return raw == "1"


@bp.route("/")
@admin_required
def index():
    """The admin start page."""
    return render_template("admin/index.html")


@bp.route("/sites", methods=["GET", "POST"])
@admin_required
def sites():
    """Sites and the origins allowed to embed them; POST creates a site."""
    form = SiteForm()
    if form.validate_on_submit():
        try:
            site = service.create_site(form.name.data or "", _lines(form.origins.data),
                                       bool(form.auto_create_threads.data), current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash(f"Site {site.name} created.", "success")
            return redirect(url_for(".sites"))
    elif request.method == "POST":
        _flash_form_errors(form)
    return render_template("admin/sites.html", sites=service.sites(), form=form,
                           origin_form=OriginForm(formdata=None))


@bp.route("/sites/<int:site_id>/origins", methods=["POST"])
@admin_required
def add_origin(site_id: int):
    """Allow one more origin."""
    form = OriginForm()
    if form.validate_on_submit():
        try:
            row = service.add_origin(site_id, form.origin.data or "", current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash(f"{row.origin} may now embed this site's threads.", "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for(".sites"))


@bp.route("/sites/<int:site_id>/origins/<int:origin_id>/delete", methods=["POST"])
@admin_required
def remove_origin(site_id: int, origin_id: int):
    """Remove an allowed origin."""
    if PlainForm().validate_on_submit():
        try:
            service.remove_origin(site_id, origin_id, current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash("The origin was removed.", "success")
    return redirect(url_for(".sites"))


@bp.route("/sites/<int:site_id>/auto-create", methods=["POST"])
@admin_required
def auto_create(site_id: int):
    """Turn automatic thread creation on or off."""
    form = ToggleForm()
    if form.validate_on_submit():
        enabled = _flag(form.value.data)
        service.set_auto_create(site_id, enabled, current_user, utcnow())
        flash("Automatic thread creation is " + ("on." if enabled else "off."), "success")
    return redirect(url_for(".sites"))


def _thread_form() -> ThreadForm:
    form = ThreadForm()
    form.site.choices = choices([("", "No site")] + [(str(s.id), s.name) for s in service.sites()])
    return form


@bp.route("/threads", methods=["GET", "POST"])
@admin_required
def threads():
    """Threads, newest first; POST creates one."""
    form = _thread_form()
    if form.validate_on_submit():
        try:
            thread = service.create_thread(
                form.key.data or "", form.title.data or "", form.url.data or "",
                int(form.site.data) if form.site.data else None, current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash(f"Thread {thread.key} created.", "success")
            return redirect(url_for(".threads"))
    elif request.method == "POST":
        _flash_form_errors(form)
    return render_template("admin/threads.html", threads=service.thread_list(), form=form)


@bp.route("/threads/<int:thread_id>/open", methods=["POST"])
@admin_required
def thread_open(thread_id: int):
    """Open or close a thread to new comments."""
    form = ToggleForm()
    if form.validate_on_submit():
        thread = service.set_thread_open(thread_id, _flag(form.value.data), current_user, utcnow())
        flash(f"Thread {thread.key} is " + ("open." if thread.is_open else "closed."), "success")
    return redirect(url_for(".threads"))


@bp.route("/threads/<int:thread_id>/confirm", methods=["POST"])
@admin_required
def thread_confirm(thread_id: int):
    """Confirm a thread created by an embed: it goes on the public index as it is."""
    if PlainForm().validate_on_submit():
        thread = service.confirm_thread(thread_id, current_user, utcnow())
        flash(f"Thread {thread.key} is confirmed and listed.", "success")
    return redirect(url_for(".threads"))


@bp.route("/word-lists", methods=["GET", "POST"])
@admin_required
def word_lists():
    """The screening word lists, one entry per line."""
    form = WordListsForm()
    if form.validate_on_submit():
        try:
            service.save_word_lists({name: _lines(getattr(form, name).data)
                                     for name in WORDLIST_FIELDS}, current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash("The word lists are saved; new comments are screened with them.", "success")
            return redirect(url_for(".word_lists"))
    elif request.method == "POST":
        _flash_form_errors(form)
    else:
        current = settings.word_lists().to_mapping()
        for name in WORDLIST_FIELDS:
            getattr(form, name).data = "\n".join(current[name])
    return render_template("admin/word_lists.html", form=form, names=WORDLIST_FIELDS,
                           labels=WORDLIST_LABELS)


@bp.route("/policy", methods=["GET", "POST"])
@admin_required
def policy():
    """The moderation policy."""
    form = PolicyForm()
    if form.validate_on_submit():
        try:
            service.save_policy({name: getattr(form, name).data for name in POLICY_FIELDS},
                                current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash("The moderation policy is saved.", "success")
            return redirect(url_for(".policy"))
    elif request.method == "POST":
        _flash_form_errors(form)
    else:
        current = settings.policy()
        for name in POLICY_FIELDS:
            getattr(form, name).data = getattr(current, name)
    return render_template("admin/policy.html", form=form)


@bp.route("/staff", methods=["GET", "POST"])
@admin_required
def staff():
    """Staff accounts; POST creates one."""
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = service.create_staff(form.email.data or "", form.display_name.data or "",
                                        form.password.data or "", form.role.data or "",
                                        current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash(f"{user.display_name} is now a {user.role.value}.", "success")
            return redirect(url_for(".staff"))
    elif request.method == "POST":
        _flash_form_errors(form)
    accounts, now = service.staff(), utcnow()
    return render_template("admin/staff.html", staff=accounts, form=form,
                           suspended={u.id for u in accounts if u.is_suspended(now)},
                           promote=PromoteForm(formdata=None), roles=ROLES)


@bp.route("/staff/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int):
    """Change an account's role."""
    form = RoleForm()
    if form.validate_on_submit():
        try:
            user = service.set_role(user_id, form.role.data or "", current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash(f"{user.display_name} is now a {user.role.value}.", "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for(".staff"))


@bp.route("/staff/promote", methods=["POST"])
@admin_required
def promote():
    """Give an existing account (found by e-mail address) a role."""
    form = PromoteForm()
    if form.validate_on_submit():
        try:
            user = service.find_account(form.email.data or "")
            user = service.set_role(user.id, form.role.data or "", current_user, utcnow())
        except BoardError as error:
            flash(error.message, "error")
        else:
            flash(f"{user.display_name} is now a {user.role.value}.", "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for(".staff"))


@bp.route("/log")
@admin_required
def audit_log():
    """The audit log: admin changes, staff actions and sign-ins, newest first."""
    prefix = request.args.get("kind") or None
    actor = request.args.get("actor", "")
    try:
        page = service.audit_log(prefix, parse_id(actor),
                                 cursor=request.args.get("cursor") or None)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for(".audit_log"))
    keep: dict[str, Any] = {k: v for k, v in request.args.items() if k != "cursor" and v}
    return render_template(
        "admin/log.html", page=page, kind=prefix, kinds=KINDS,
        next_url=url_for(".audit_log", cursor=page.next_cursor, **keep)
        if page.next_cursor else None,
    )


KINDS = [("site.", "Sites"), ("thread.", "Threads"), ("settings.", "Settings"),
         ("staff.", "Staff"), ("member.", "Suspensions"), ("comment.", "Comment decisions"),
         ("auth.", "Sign-ins")]
