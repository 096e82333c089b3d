"""The Flask app factory: blueprints, the one error handler, security headers.

Why a factory (the Flask tutorial's ``create_app(test_config)``): tests build an
app on a temporary data directory, the CLI builds one from the configuration,
and nothing is opened at import time. Importing ``searchsvc`` must not import
Flask; only this package does.

Errors: every error a request can cause ends in :func:`_error`, which answers
with the same shape everywhere — an HTML page for people, or
``{"ok": false, "error": "...", "status": N}`` under ``/api/`` — with the reason
in plain words. A :class:`~searchsvc.errors.QueryError` (a bad parameter or
query) is a 400, an unknown id a 404, a missing index a 503; anything else is a
bug, logged with its traceback and answered 500 without details.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, jsonify, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from searchsvc.config import Config, load_config
from searchsvc.errors import QueryError, SearchIndexError, SearchsvcError
from searchsvc.web.services import EXTENSION, Services
from searchsvc.web.views import wants_json

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def create_app(config: Config | None = None, test_config: dict[str, Any] | None = None, *,
               run_dir: Path | None = None) -> Flask:
    """Build the web app. ``config`` defaults to :func:`load_config`; ``test_config``
    overrides Flask settings, e.g. ``{"SEARCHSVC_DATA_DIR": tmp_path, "TESTING": True}``;
    ``run_dir`` is what a server's worker processes share (:class:`searchsvc.web.server.RunDir`: the
    rate limit's table, cached responses); without it both are kept in this process."""
    app = Flask(__name__)
    app.config.from_mapping(SITE_NAME="Council minutes search", SEARCHSVC_DATA_DIR=None, JSON_SORT_KEYS=False,
                            SEARCHSVC_RUN_DIR=str(run_dir) if run_dir is not None else None)
    if test_config:
        app.config.from_mapping(test_config)
    config = config or load_config()
    data_dir = Path(app.config["SEARCHSVC_DATA_DIR"] or config.data_dir).expanduser().resolve()
    app.json.sort_keys = False  # type: ignore[attr-defined]  # key order is part of the API
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = Services(config, data_dir)

    from searchsvc.web import api, directory, feeds, ops, pages, search
    from searchsvc.web.canonical import drop_unknown_arguments
    from searchsvc.web.ratelimit import RATE_TABLE, ExpensiveGate, RateLimiter, SharedCounts
    from searchsvc.web.templating import setup_templating

    app.register_blueprint(search.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(directory.bp)
    app.register_blueprint(feeds.bp)
    from searchsvc.web import alerts  # email alerts: /alerts/*
    app.register_blueprint(alerts.bp)
    ops.install(app)
    # Browsers and feed readers ask for /favicon.ico whatever the page links: point them at the SVG.
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: redirect(url_for("static", filename="favicon.svg"), 301))
    setup_templating(app)
    limiter = RateLimiter(config["web.rate_limit_per_minute"],
                          counts=SharedCounts(run_dir / RATE_TABLE) if run_dir is not None else None)
    app.before_request(limiter.check)
    app.before_request(drop_unknown_arguments)
    if config["search.cache_size"]:  # after the rate limit and the canonical redirect, before the gate
        from searchsvc.web.responsecache import RESPONSES, ResponseCache

        responses = app.extensions["searchsvc_responses"] = ResponseCache(
            shared_dir=run_dir / RESPONSES if run_dir is not None else None)
        app.before_request(responses.lookup)
        app.after_request(responses.store)
    gate = ExpensiveGate()
    app.before_request(gate.enter)
    app.teardown_request(gate.leave)
    app.config["MAX_CONTENT_LENGTH"] = config["web.max_body_bytes"]  # also bounds chunked bodies
    app.before_request(_body_limit)
    if config["web.public_base_url"]:
        from searchsvc.web.server import PublicBaseURL

        app.wsgi_app = PublicBaseURL(app.wsgi_app, config["web.public_base_url"])  # type: ignore[method-assign]

    @app.after_request
    def headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/") or request.path.endswith((".atom", ".csv", ".xml")) \
                or request.path.startswith("/feeds/"):
            # A public, read-only, cookie-less API: any page may call it.
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
        return response

    app.register_error_handler(QueryError, lambda e: _error(str(e), 400))
    app.register_error_handler(SearchIndexError, _index_missing)
    app.register_error_handler(SearchsvcError, _failure)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _bug)
    log.debug("web app on data directory %s", data_dir)
    return app


def _body_limit() -> None:
    """413 for a declared body over ``web.max_body_bytes``, whether or not the route reads it."""
    from werkzeug.exceptions import RequestEntityTooLarge

    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge(f"Request bodies may be at most {limit:,} bytes.")


def _error(message: str, status: int, headers: dict[str, str] | None = None) -> Any:
    from searchsvc.web.ops import hide_paths
    from searchsvc.web.render import error_json

    message = hide_paths(message)
    if wants_json():
        response = jsonify(error_json(message, status))
    else:
        titles = {400: "That search could not be run", 404: "Not found", 405: "Method not allowed",
                  429: "Too many requests", 503: "Search is not ready yet"}
        typed = request.args.get("q", "")  # shown again in the box, so it can be corrected
        response = make_response(render_template("error.html", message=message, status=status,
                                                 title=titles.get(status, "Something went wrong"),
                                                 typed_q=typed if len(typed) <= 500 else ""))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _index_missing(e: SearchIndexError) -> Any:
    log.warning("search unavailable: %s", e)
    return _error(f"The search index is not available: {e}", 503, {"Retry-After": "60"})


def _failure(e: SearchsvcError) -> Any:
    log.error("request failed: %s", e)
    return _error(str(e), 500)


def _http(e: HTTPException) -> Any:
    status = e.code or 500
    message = e.description or e.name
    if status == 404 and "requested URL was not found" in message:
        message = f"There is no page at {request.path}."
    headers = {"Retry-After": str(g.get("retry_after", 60))} if status in (429, 503) else None
    if status == 405:
        headers = {"Allow": ", ".join(sorted(e.valid_methods or ()))} if getattr(e, "valid_methods", None) else None
    return _error(message, status, headers)


def _bug(e: Exception) -> Any:
    log.exception("unexpected error serving %s", request.full_path)
    return _error("Something went wrong on our side; it has been logged.", 500)
