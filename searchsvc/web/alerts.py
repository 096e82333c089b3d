"""Email alerts on the web: sign up (double opt-in), confirm, manage, unsubscribe in one click.

Why these answers: the sign-up answer is the same whether or not the address already
follows the search, or has hit its daily limit of confirmation emails — so the form cannot
be used to find out who subscribes to what. Only the per-client limit is said out loud (a
429), because it is about the asker, not the address. Links are capabilities: a signed
token in the path, so the pages need no account, and a cross-site form cannot act without
knowing the token. ``GET`` never unsubscribes (mail scanners fetch links); ``POST`` does,
which is also what RFC 8058 one-click mail clients send.

Addresses never reach a log line in full (:func:`~searchsvc.alerts.addresses.mask`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from searchsvc.alerts.addresses import has_line_break, mask, normalize_address
from searchsvc.alerts.errors import AlertError
from searchsvc.alerts.mail import confirmation_message
from searchsvc.alerts.queries import canonical, label
from searchsvc.alerts.settings import FREQUENCIES, AlertSettings, alert_settings
from searchsvc.alerts.smtp import RecipientError, Sender, ServerError
from searchsvc.alerts.store import AlertStore, utcnow
from searchsvc.alerts.tokens import CONFIRM, MANAGE, UNSUBSCRIBE, LinkData, Signer
from searchsvc.errors import QueryError
from searchsvc.web.params import SearchParams, parse_search_args
from searchsvc.web.services import services

log = logging.getLogger(__name__)
bp = Blueprint("alerts", __name__, url_prefix="/alerts")
EXTENSION = "searchsvc.alerts"
FIELDS = ("email", "frequency", "query")


class _Handles:
    """The app's alert settings, store and signer, opened on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.settings: AlertSettings | None = None
        self.store: AlertStore | None = None
        self.signer: Signer | None = None


def _handles() -> tuple[AlertSettings, AlertStore, Signer]:
    h: _Handles = current_app.extensions.setdefault(EXTENSION, _Handles())
    if h.signer is None:
        with h.lock:
            if h.signer is None:
                svc = services()
                settings = alert_settings(svc.config)
                settings = dataclasses.replace(settings, data_dir=svc.data_dir)
                if not settings.enabled:
                    raise NotFound("Email alerts are not switched on for this site.")
                store = AlertStore(settings.store_path)
                h.settings, h.store = settings, store
                h.signer = Signer(settings.secret or store.secret(), settings.confirm_hours * 3600)
    assert h.settings and h.store and h.signer
    return h.settings, h.store, h.signer


def _page(template: str, status: int = 200, **data: Any) -> Any:
    return render_template(f"alerts/{template}", **data), status


def _refusal(message: str, status: int = 400, title: str = "That alert could not be set up") -> Any:
    return _page("message.html", status, title=title, message=message, error=True)


def _link_refused(e: AlertError) -> Any:
    return _refusal(str(e), 400, "This link does not work")


# --- the form on search, speaker and committee pages -------------------------------------------


@bp.app_context_processor
def _form_context() -> dict[str, Any]:
    return {"alert_subscription": alert_subscription}


def alert_subscription() -> dict[str, str] | None:
    """What the "Email me new matches" form follows on this page, or None (alerts off, nothing chosen)."""
    if not services().config["alerts.enabled"]:
        return None
    try:
        endpoint, view_args = request.endpoint or "", request.view_args or {}
        if endpoint == "search.search":
            params = parse_search_args(request.args)
        elif endpoint == "pages.speaker":
            params = SearchParams(speaker=(view_args["name"],), include_procedural=True)
        elif endpoint == "pages.committee":
            record = services().catalog.committee(view_args["committee_id"])
            if record is None:
                return None
            params = SearchParams(committee=(record.name,))
        else:
            return None
    except (QueryError, KeyError):
        return None
    query = canonical(params.to_args())
    return {"query": query, "label": label(query)} if query else None


# --- sign up and confirm ----------------------------------------------------------------------


@bp.post("/subscribe")
def subscribe() -> Any:
    settings, store, signer = _handles()
    for name in FIELDS:
        if any(has_line_break(v) for v in request.form.getlist(name)):
            return _refusal(f"The {name} field cannot contain line breaks.")
    client = request.remote_addr or "-"
    now = utcnow()
    if settings.signups_per_client and store.signups_from(client, now - timedelta(hours=1)) >= settings.signups_per_client:
        return _refusal("Too many sign-ups from your network in the last hour. Try again later.", 429,
                        "Too many sign-ups")
    try:
        email = normalize_address(request.form.get("email", ""))
    except AlertError as e:
        return _refusal(str(e))
    frequency = request.form.get("frequency", "daily")
    if frequency not in FREQUENCIES:
        return _refusal(f"How often must be {' or '.join(FREQUENCIES)}.")
    pairs = parse_qsl(request.form.get("query", ""))
    if any(has_line_break(k) or has_line_break(v) for k, v in pairs):
        return _refusal("The search to follow cannot contain line breaks.")
    try:
        params = parse_search_args(MultiDict(pairs))
    except QueryError as e:
        return _refusal(f"That search cannot be followed: {e}")
    query = canonical(params.to_args())
    if not query:
        return _refusal("Choose some words, a speaker or a committee to follow first.")
    store.record_signup(client, email, now)
    # The same answer from here on, whatever happens to this address.
    if store.signups_for(email, now - timedelta(days=1)) <= settings.signups_per_address:
        added = store.add_pending(email, query, label(query), frequency, max_alerts=settings.max_per_address, now=now)
        if added is not None:
            subscriber, alert = added
            token = signer.make(CONFIRM, LinkData(alert.id, subscriber.nonce))
            message = confirmation_message(settings, email, alert.label, settings.link(f"alerts/confirm/{token}"),
                                           settings.confirm_hours)
            try:
                with Sender(settings) as sender:
                    sender.send(message)
                log.info("alerts: confirmation sent to %s", mask(email))
            except RecipientError as e:  # about the address: the same answer as ever
                log.warning("alerts: confirmation to %s refused: %s", mask(email), e)
            except ServerError as e:  # about us: say so, the person can try later
                log.error("alerts: confirmation to %s not sent: %s", mask(email), e)
                return _refusal("The confirmation email could not be sent just now. Please try again later.",
                                503, "Email is not working just now")
    return _page("subscribed.html", hours=settings.confirm_hours)


@bp.get("/confirm/<token>")
def confirm(token: str) -> Any:
    settings, store, signer = _handles()
    try:
        link = signer.read(CONFIRM, token)
    except AlertError as e:
        return _link_refused(e)
    from searchsvc.index import IndexStore

    mark = IndexStore(settings.data_dir).last_batch() or 0
    alert = store.confirm(link.subscriber_id, link.nonce, mark)
    if alert is None:
        return _refusal("This alert no longer exists: it was deleted, or never confirmed in time. "
                        "Sign up again from the search page.", 404, "This link does not work")
    sub = store.subscriber(alert.subscriber_id)
    assert sub is not None
    manage = url_for("alerts.manage", token=signer.make(MANAGE, LinkData(sub.id, sub.nonce)))
    return _page("confirmed.html", alert=alert, manage_url=manage)


# --- manage and leave ---------------------------------------------------------------------------


GONE = "These alerts have been deleted: no more emails will be sent to this address."


def _subscriber_of(signer: Signer, store: AlertStore, purpose: str, token: str) -> tuple[Any, LinkData]:
    """The address a valid link is for (None: deleted since); a forged or damaged link is an AlertError."""
    link = signer.read(purpose, token)
    sub = store.subscriber(link.subscriber_id)
    return (sub if sub is not None and sub.nonce == link.nonce else None), link


@bp.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str) -> Any:
    _settings, store, signer = _handles()
    try:
        sub, _link = _subscriber_of(signer, store, MANAGE, token)
    except AlertError as e:
        return _link_refused(e)
    if sub is None:
        return _page("message.html", 404, title="Nothing to manage", message=GONE)
    if request.method == "POST":
        if request.form.get("delete") == "all":
            store.delete_subscriber(sub.id)
            log.info("alerts: %s deleted every alert", mask(sub.email))
            return _page("message.html", title="Your alerts are deleted",
                         message="Every alert and your email address have been deleted. No more emails will be sent.")
        try:
            alert_id = int(request.form.get("delete", ""))
        except ValueError:
            return _refusal("Choose an alert to delete.", 400, "Nothing deleted")
        store.delete_alert(sub.id, alert_id)
        if store.subscriber(sub.id) is None:
            return _page("message.html", title="Your alerts are deleted",
                         message="That was your last alert, so your email address has been deleted too.")
    return _page("manage.html", alerts=store.alerts_of(sub.id), masked=mask(sub.email), token=token)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> Any:
    """GET shows a button; POST (the button, or a mail client's RFC 8058 one-click) unsubscribes."""
    _settings, store, signer = _handles()
    try:
        sub, link = _subscriber_of(signer, store, UNSUBSCRIBE, token)
    except AlertError as e:
        return _link_refused(e)
    if sub is None:  # unsubscribing twice is not an error (mail clients may retry the POST)
        return _page("message.html", title="You are unsubscribed", message=GONE)
    alert = store.alert(link.alert_id) if link.alert_id else None
    if link.alert_id and (alert is None or alert.subscriber_id != sub.id):
        return _page("message.html", title="You are unsubscribed", message="That alert has already been deleted.")
    if request.method == "GET":
        return _page("unsubscribe.html", alert=alert, token=token)
    if alert is not None:
        store.delete_alert(sub.id, alert.id)
        message = f"The alert “{alert.label}” is deleted."
    else:
        store.delete_subscriber(sub.id)
        message = "Every alert and your email address have been deleted. No more emails will be sent."
    log.info("alerts: %s unsubscribed", mask(sub.email))
    return _page("message.html", title="You are unsubscribed", message=message)
