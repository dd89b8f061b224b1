"""The review web app (issue 5): server-rendered pages on FastAPI, Jinja2 templates, no script.

Routes (every page but ``/login`` needs a session; every POST needs the session's CSRF token
and, when the browser says where it came from, this very origin)::

    GET  /login, POST /login, POST /logout
    GET  /                      → /queue
    GET  /queue                 flagged cases oldest first; ?rule=&organisation=&age=&mine=&page=
    GET  /cases                 ?q= search (reference, names, e-mails, sender, organisation);
                                ?state= and the queue's filters; ?reference= goes to a case
    GET  /next?after=REF        "skip": the next case in the queue
    POST /queue/bulk            one decision (reject, not a nomination) on several cases
    GET  /cases/{ref}           the case page
    GET  /cases/{ref}/messages/{raw_id}/attachments/{index}   download (confidential permission)
    POST /cases/{ref}/edit | accept | request-information | reject | not-a-nomination
         | merge | rerun-extraction | claim | release | assign (admins)
    GET  /register, /register.csv
    GET  /coverage, /coverage.csv   open organisations and specialists in post; ?kind=&region=
    GET  /overview
    GET  /audit                 the audit log (admins); ?case=&user=&before=
    GET  /admin/users           accounts (admins)
    POST /admin/users/{id}/active | role | password   enable/disable, role+permission, password
    GET  /static/...

Every response carries a strict Content-Security-Policy (no script at all, no remote anything),
``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``, ``X-Frame-Options: DENY``
and ``Cache-Control: no-store`` (pages hold personal data). Sessions are server-side
(:mod:`review.sessions`); the cookie holds only a random token.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from pss_intake import cases
from pss_intake.config import Settings
from register import coverage
from replies.render import national_phone
from review import actions, flow, queries, sessions, users
from review.auth import (
    FREE_CLIENT_FAILURES,
    FREE_FAILURES,
    ROLES,
    Reviewer,
    Throttle,
    authenticate,
    csrf_matches,
    dummy_hash,
)
from review.mail import attachment
from store.db import Database
from store.models import Case, CaseState, User

__all__ = ["CSP", "create_app"]

log = logging.getLogger("review")

HERE = Path(__file__).parent
SESSION_COOKIE = "pss_review_session"
#: The cookie's name over HTTPS: the ``__Host-`` prefix makes browsers refuse it unless it is
#: Secure, for this host only and for the whole path (no sibling domain can plant one).
SECURE_SESSION_COOKIE = "__Host-pss_review_session"
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
#: No script may run and nothing may load from elsewhere; the sanitised email HTML is shown in
#: a sandboxed srcdoc iframe, which inherits this policy.
CSP = ("default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" even on
    # our own forms, and the Origin check could not then refuse null. Nothing goes elsewhere.
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class NotSignedIn(Exception):
    """The request needs a session and has none (or it is no longer valid)."""


class CsrfFailed(Exception):
    """A POST without the session's CSRF token, or from another origin."""


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("cache-control", "max-age=3600" if static else "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SessionCookie:
    """ASGI middleware writing the session cookie a handler asked for: a route sets
    ``request.state.session_cookie`` to a token (a new session, or a visitor's first token)
    or to ``""`` (sign-out: the cookie is removed)."""

    def __init__(self, app: ASGIApp, *, name: str, secure: bool, max_age: int) -> None:
        self.app, self.name, self.secure, self.max_age = app, name, secure, max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def send_with_cookie(message: Message) -> None:
            token = state.get("session_cookie")
            if message["type"] == "http.response.start" and token is not None:
                age = self.max_age if token else 0
                value = (f"{self.name}={token}; Path=/; HttpOnly; SameSite=Lax; "
                         f"Max-Age={age}" + ("; Secure" if self.secure else ""))
                MutableHeaders(scope=message).append("set-cookie", value)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class SessionStore:
    """Finds the session of a request once (cached on ``request.state``) and knows the CSRF
    token the request's forms must carry.

    :param secret: key of the sign-in form's CSRF HMAC (:func:`sessions.anonymous_csrf`).
    """

    def __init__(self, db: Database, secret: str, lifetimes: sessions.Lifetimes,
                 cookie: str) -> None:
        self.db, self.secret, self.lifetimes, self.cookie = db, secret, lifetimes, cookie

    def token(self, request: Request) -> str | None:
        """The request's cookie token when it has a well-formed one."""
        token = request.cookies.get(self.cookie)
        if token and len(token) <= 128 and set(token) <= _TOKEN_CHARS:
            return token
        return None

    def live(self, request: Request) -> tuple[sessions.LiveSession, Reviewer] | None:
        """The request's valid session and its reviewer, or None."""
        if "live" not in request.state._state:
            with self.db.transaction() as session:
                # A GET shows a page (or a download, right after one): its notices are taken
                # now, in this transaction, as the page's own may not allow a second writer.
                found = sessions.load(session, self.token(request), self.lifetimes,
                                      take_flashes=request.method == "GET")
                request.state.live = (found[0], Reviewer.of(found[1])) if found else None
        live: tuple[sessions.LiveSession, Reviewer] | None = request.state.live
        return live

    def csrf(self, request: Request, *, issue: bool = False) -> str:
        """The CSRF token for this request's forms; ``""`` for a visitor without a cookie
        unless ``issue`` (the sign-in page), which gives them one. Only the sign-in page
        does: a favicon's 404 fetched alongside must not replace the cookie its form used."""
        live = self.live(request)
        if live is not None:
            return live[0].csrf_token
        token = self.token(request) or request.state._state.get("session_cookie")
        if not token:
            if not issue:
                return ""
            token = sessions.new_token()
            request.state.session_cookie = token
        return sessions.anonymous_csrf(self.secret, token)

    def expected_csrf(self, request: Request) -> str | None:
        """The token a POST must carry; None when the browser has no cookie at all."""
        live = self.live(request)
        if live is not None:
            return live[0].csrf_token
        token = self.token(request)
        return sessions.anonymous_csrf(self.secret, token) if token else None


def current_reviewer(request: Request) -> Reviewer:
    """The signed-in reviewer (dependency); raises :class:`NotSignedIn` without a valid
    session: none, ended, expired, or its account disabled or changed since sign-in."""
    store: SessionStore = request.app.state.sessions
    live = store.live(request)
    if live is None:
        raise NotSignedIn()
    return live[1]


def _origin_allowed(request: Request, secure: bool) -> bool:
    """False when the browser says the form came from anywhere but this origin: another site,
    another scheme on this host, or ``null`` (a sandboxed frame, a file, a redirect chain)."""
    origin = request.headers.get("origin")
    if origin is not None:
        scheme = "https" if secure else request.url.scheme
        if origin.lower() != f"{scheme}://{request.headers.get('host', '').lower()}":
            return False
    # Fetch metadata, where the browser sends it: only this origin, or the user's own typing.
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


async def require_csrf(request: Request) -> None:
    """Refuse a POST (dependency; raises :class:`CsrfFailed`) that lacks the session's CSRF
    token or that a browser says came from another origin."""
    if not _origin_allowed(request, request.app.state.settings.review.secure_cookies):
        raise CsrfFailed()
    form = await request.form()
    given = form.get("csrf_token")
    store: SessionStore = request.app.state.sessions
    expected = await run_in_threadpool(store.expected_csrf, request)
    if not csrf_matches(expected, given if isinstance(given, str) else None):
        raise CsrfFailed()


SignedIn = Annotated[Reviewer, Depends(current_reviewer)]
FormText = Annotated[str, Form()]
FormItems = Annotated[list[str], Form()]
CSRF_CHECKED = [Depends(require_csrf)]


def _local_path(value: str | None) -> str:
    """A redirect target on this site only (no scheme, no host, no ``//``)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/queue"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/queue"
    return value


def _printable(text: str) -> str:
    """``text`` without control or format characters (a NUL cannot go into a PostgreSQL
    query; a bidi override would make a search box lie about what it holds)."""
    return "".join(c for c in text if c.isprintable() or c == " ")


def _coverage_filters(kind: str, region: str) -> tuple[str, str]:
    """The coverage filters, refused (400) unless a known type and a plain region code."""
    if kind and kind not in coverage.KINDS:
        raise HTTPException(400, "Unknown type of organisation.")
    if region and not (region.isascii() and region.isalnum() and len(region) <= 16):
        raise HTTPException(400, "Unknown region.")
    return kind, region


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%d %b %Y %H:%M") if value else ""


def _age(days: float) -> str:
    if days < 1:
        hours = int(days * 24)
        return "under an hour" if hours < 1 else f"{hours} hour{'s' if hours != 1 else ''}"
    whole = int(days)
    return f"{whole} day{'s' if whole != 1 else ''}"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=_when, age=_age, size=_size,
                       state=lambda s: queries.STATE_WORDS.get(s, s),
                       ntype=lambda t: queries.TYPE_WORDS.get(t, t or "Not stated"),
                       phone=national_phone)
    env.globals.update(STATES=CaseState.ALL)
    return env


CONFIDENTIAL_SHOWN = "confidential fields shown"
"""The audit ``field`` of a consultation in which job title and pay band were on the page."""


def create_app(settings: Settings, db: Database, *, login_failure_delay: float = 1.0) -> FastAPI:
    """The review app for ``db``.

    :param settings: ``review.secret_key`` keys the sign-in form's CSRF token (a random key
        per process when unset); ``review.secure_cookies`` sets ``Secure`` (and the
        ``__Host-`` cookie name); ``review.session_hours`` / ``session_idle_minutes`` bound
        sessions; ``review.trusted_proxies`` are the only peers whose X-Forwarded-For is
        believed.
    :param login_failure_delay: seconds each failed sign-in waits before answering (slows
        guessing; tests pass 0).

    ``app.state.throttles`` holds the sign-in :class:`review.auth.Throttle` pair
    (``address``: per address and client; ``client``: per client).
    """
    # No trailing-slash redirects: a path that is not a route is the 404 page.
    app = FastAPI(title="PSS review", docs_url=None, redoc_url=None, openapi_url=None,
                  redirect_slashes=False)
    app.state.db = db
    app.state.settings = settings
    env = _templates()
    throttles = {"address": Throttle(FREE_FAILURES), "client": Throttle(FREE_CLIENT_FAILURES)}
    app.state.throttles = throttles
    dummy_hash()  # made now, so the first unknown address costs no more than a known one
    secret = (settings.review.secret_key.get_secret_value() if settings.review.secret_key
              else secrets.token_urlsafe(32))
    if not settings.review.secret_key:
        log.warning("event=review-secret-key-missing sign-in forms open before a restart "
                    "will need reloading; set PSS_INTAKE_REVIEW__SECRET_KEY")
    secure = settings.review.secure_cookies
    lifetimes = sessions.Lifetimes(
        absolute=dt.timedelta(hours=settings.review.session_hours),
        idle=dt.timedelta(minutes=settings.review.session_idle_minutes))
    cookie = SECURE_SESSION_COOKIE if secure else SESSION_COOKIE
    store = SessionStore(db, secret, lifetimes, cookie)
    app.state.sessions = store

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(SessionCookie, name=cookie, secure=secure,
                       max_age=int(lifetimes.absolute.total_seconds()))
    app.add_middleware(SecurityHeaders)
    if settings.review.trusted_proxies:
        # The client address (sign-in throttling, logs) and scheme come from X-Forwarded-*
        # only when the peer is one of these proxies; by default nobody is believed.
        app.add_middleware(ProxyHeadersMiddleware,
                           trusted_hosts=list(settings.review.trusted_proxies))

    # -- helpers --------------------------------------------------------------------------------

    def flash(request: Request, kind: str, text: str) -> None:
        live = store.live(request)
        if live is not None:
            with db.transaction() as session:
                sessions.add_flash(session, live[0].id, kind, text)

    def pop_flashes(request: Request) -> list[Any]:
        live = store.live(request)
        if live is None:
            return []
        flashes, live[0].flashes = live[0].flashes, []
        return flashes

    def render(request: Request, template: str, reviewer: Reviewer | None, *,
               status: int = 200, section: str = "", **context: Any) -> HTMLResponse:
        body = env.get_template(template).render(
            reviewer=reviewer, csrf=store.csrf(request, issue=template == "login.html"),
            flashes=pop_flashes(request), section=section, **context,
        )
        return HTMLResponse(body, status_code=status)

    def act(request: Request, reviewer: Reviewer, reference: str,
            action: Callable[..., str], *args: Any, advance: bool = False,
            claim_checked: bool = True) -> Response:
        """Run one case action in a transaction; report its message (or error) on the page.

        A case someone else is handling is refused (``claim_checked``). After a decision
        (``advance``) the reviewer lands on the next case in the queue."""
        target = actions.normalise_reference(reference)
        try:
            with db.transaction() as session:
                case = actions.find_case(session, reference)
                if claim_checked:
                    flow.check_claim(case, reviewer)
                message = action(session, settings, case, reviewer, *args)
                flow.release_if_closed(case)
                if case.merged_into_id is not None and case.state == CaseState.MERGED:
                    merged = session.get(Case, case.merged_into_id)
                    target = merged.reference if merged and merged.reference else target
                following = flow.next_case(session, reviewer, after=case) if advance else None
            if advance:
                message += (f" Next in the queue: {following}." if following
                            else " The queue is empty.")
                target = following or ""
            flash(request, "ok", message)
        except actions.CaseNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except actions.ActionError as exc:
            # NotAllowed included: a refusal answers exactly like any other error (303 back to
            # the case, the reason shown there), so a refused edit of a confidential field
            # cannot be told from an allowed one whose value was already there.
            flash(request, "error", str(exc))
        if not target:
            return RedirectResponse("/queue", status_code=303)
        return RedirectResponse(f"/cases/{quote(target)}", status_code=303)

    def filters_of(state: str, rule: str, organisation: str, age: int, mine: bool, q: str,
                   page: int) -> queries.CaseFilters:
        if state and state not in CaseState.ALL:
            raise HTTPException(400, "Unknown state.")
        if age and age not in dict(queries.AGE_CHOICES):
            raise HTTPException(400, "Unknown age filter.")
        return queries.CaseFilters(state=state, rule=_printable(rule)[:64],
                                   organisation=_printable(organisation)[:500], age=age,
                                   mine=mine, q=" ".join(_printable(q).split())[:200],
                                   page=max(1, min(page, 100_000)))

    def list_page(request: Request, reviewer: Reviewer,
                  filters: queries.CaseFilters) -> Response:
        with db.transaction() as session:
            listing = queries.list_cases(session, filters, reviewer)
            return render(request, "queue.html", reviewer, section="queue", listing=listing,
                          rows=listing.rows, counts=queries.state_counts(session),
                          state=filters.state, rules=queries.rule_choices(), rule=filters.rule,
                          organisations=queries.organisations_any(session, filters.state),
                          organisation=filters.organisation, ages=queries.AGE_CHOICES,
                          filters=filters, bulk_actions=flow.BULK_ACTIONS)

    # -- errors ---------------------------------------------------------------------------------

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return render(request, "error.html", None, status=401, title="Sign in first",
                      message="Your session has ended. Sign in again.")

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return render(request, "error.html", None, status=403, title="Form expired",
                      message="This form could not be accepted (it is out of date or did not "
                              "come from this site). Go back, reload the page and try again.")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # A value of the wrong kind (a file sent for a text field, a page number that is not
        # a number...): the error page, never FastAPI's JSON (which would echo the input).
        where = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "request"
                        for e in exc.errors()})
        log.info("event=invalid-request path=%s fields=%s", request.url.path, ",".join(where))
        return render(request, "error.html", None, status=400, title="Bad request",
                      message="This request could not be understood: a value in it is not "
                              "of the right kind. Go back and try again.")

    # Starlette's class, so routing's own 404/405 get the error page too (never JSON).
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {403: "Not allowed", 404: "Not found", 400: "Bad request"}
        return render(request, "error.html", None, status=exc.status_code,
                      title=titles.get(exc.status_code, "Error"), message=str(exc.detail))

    # -- signing in -----------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/queue") -> Response:
        if store.live(request) is not None:
            return RedirectResponse(_local_path(next), status_code=303)
        return render(request, "login.html", None, next=_local_path(next), error=None, email="")

    def _sign_in(request: Request, email: str, password: str) -> str | None:
        """The new session's cookie token, or None for a refused attempt."""
        with db.transaction() as session:
            outcome = authenticate(session, email, password)
            if outcome.status != "ok" or outcome.user is None:
                return None
            # A new session at sign-in (no fixation): the visitor's token is not reused, and
            # a session this browser still had is ended.
            sessions.end(session, store.token(request))
            token = sessions.start(session, outcome.user, lifetimes)
            cases.audit(session, None, "signed-in", actor=outcome.user.email)
            log.info("event=signed-in user=%s", outcome.user.id)
            return token

    def _throttled(request: Request, wait: float, target: str, email: str) -> Response:
        # The same answer for every address, with or without an account.
        seconds = max(1, int(wait + 0.999))
        response = render(request, "login.html", None, status=429, next=target, email=email,
                          error=f"Too many sign-in attempts from here. Wait {seconds} "
                                f"second{'s' if seconds != 1 else ''} and try again.")
        response.headers["retry-after"] = str(seconds)
        return response

    @app.post("/login", dependencies=CSRF_CHECKED)
    async def login(request: Request, email: FormText = "", password: FormText = "",
                    next: FormText = "/queue") -> Response:
        client = request.client.host if request.client else "unknown"
        target = _local_path(next)
        address = email.strip().lower()[:320]
        pair = f"{address}\x00{client}"
        wait = max(throttles["address"].wait(pair), throttles["client"].wait(client))
        if wait > 0:
            return _throttled(request, wait, target, email[:320])
        token = await run_in_threadpool(_sign_in, request, address, password[:1024])
        if token is not None:
            throttles["address"].succeeded(pair)
            request.state.session_cookie = token
            return RedirectResponse(target, status_code=303)
        throttles["address"].failed(pair)
        throttles["client"].failed(client)
        log.warning("event=sign-in-failed client=%s", client)
        if login_failure_delay:
            await asyncio.sleep(login_failure_delay)
        return render(request, "login.html", None, status=401, next=target, email=email[:320],
                      error="The email address or password is not right.")

    @app.post("/logout", dependencies=CSRF_CHECKED)
    def logout(request: Request) -> Response:
        live = store.live(request)
        with db.transaction() as session:
            if live is not None:
                cases.audit(session, None, "signed-out", actor=live[1].email)
            sessions.end(session, store.token(request))
        request.state.session_cookie = ""
        return RedirectResponse("/login", status_code=303)

    # -- pages ----------------------------------------------------------------------------------

    @app.get("/")
    def home(reviewer: SignedIn) -> Response:
        return RedirectResponse("/queue", status_code=303)

    @app.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, reviewer: SignedIn, rule: str = "", organisation: str = "",
              age: int = 0, mine: bool = False, page: int = 1) -> Response:
        return list_page(request, reviewer, filters_of(CaseState.NEEDS_REVIEW, rule,
                                                       organisation, age, mine, "", page))

    @app.get("/cases", response_class=HTMLResponse)
    def case_list(request: Request, reviewer: SignedIn, state: str | None = None,
                  reference: str = "", q: str = "", rule: str = "", organisation: str = "",
                  age: int = 0, mine: bool = False, page: int = 1) -> Response:
        if reference.strip():
            return RedirectResponse(
                f"/cases/{quote(actions.normalise_reference(reference))}", status_code=303)
        # A search looks at every state unless one is chosen; a plain list is the queue.
        chosen = state if state is not None else ("" if q.strip() else CaseState.NEEDS_REVIEW)
        return list_page(request, reviewer, filters_of(chosen, rule, organisation, age, mine,
                                                       q, page))

    @app.get("/next")
    def next_in_queue(request: Request, reviewer: SignedIn, after: str = "") -> Response:
        """"Skip": the next case in the queue after ``after`` (or the first)."""
        with db.transaction() as session:
            current = None
            if after.strip():
                try:
                    current = actions.find_case(session, after)
                except actions.CaseNotFound:
                    current = None
            following = flow.next_case(session, reviewer, after=current)
        if following is None:
            flash(request, "ok", "No other case needs review.")
            return RedirectResponse("/queue", status_code=303)
        return RedirectResponse(f"/cases/{quote(following)}", status_code=303)

    @app.post("/queue/bulk", dependencies=CSRF_CHECKED)
    def bulk(request: Request, reviewer: SignedIn,
             refs: FormItems = [],  # noqa: B006 - FastAPI copies defaults
             action: FormText = "", reason: FormText = "", back: FormText = "/queue"
             ) -> Response:
        try:
            with db.transaction() as session:
                report = flow.bulk(session, settings, reviewer, refs, action, reason)
            words = flow.BULK_ACTIONS[action][1]
            flash(request, "ok", f"{len(report.done)} case(s) {words}"
                  + (f": {', '.join(report.done)}." if report.done else "."))
            for ref, why in report.skipped:
                flash(request, "error", f"{ref} was left as it was: {why}")
        except actions.ActionError as exc:
            flash(request, "error", str(exc))
        return RedirectResponse(_local_path(back), status_code=303)

    @app.get("/cases/{reference}", response_class=HTMLResponse)
    def case_view(request: Request, reference: str, reviewer: SignedIn) -> Response:
        with db.transaction() as session:
            try:
                case = actions.find_case(session, reference)
            except actions.CaseNotFound as exc:
                raise HTTPException(404, str(exc)) from exc
            # Consultation is recorded too (DOMAIN.md section 7, audit log design), and whether
            # the confidential fields were shown (DSPT: evidence of who consulted what).
            cases.audit(session, case, "case-viewed", actor=reviewer.email,
                        field=CONFIDENTIAL_SHOWN if reviewer.confidential else None)
            page = queries.case_page(session, settings, case, reviewer)
            return render(request, "case.html", reviewer, section="queue", page=page,
                          case=case)

    @app.get("/cases/{reference}/messages/{raw_id}/attachments/{index}")
    def download(reference: str, raw_id: int, index: int, reviewer: SignedIn) -> Response:
        if not reviewer.confidential:
            # An original file cannot be masked and may state a job title or pay band.
            raise HTTPException(403, "Original attachments can be downloaded only by "
                                     "colleagues with the confidential permission. Their "
                                     "text is shown on the case page.")
        with db.transaction() as session:
            try:
                case = actions.find_case(session, reference)
            except actions.CaseNotFound as exc:
                raise HTTPException(404, str(exc)) from exc
            raw = queries.raw_message_of(session, case, raw_id)
            if raw is None:
                raise HTTPException(404, "No such message on this case.")
            try:
                part, data = attachment(raw.content, index)
            except (KeyError, Exception) as exc:  # noqa: BLE001 - unparseable is "not there"
                raise HTTPException(404, "No such attachment.") from exc
            if len(data) > settings.review.attachment_max_download_bytes:
                raise HTTPException(400, "This attachment is too large to download here.")
            cases.audit(session, case, "attachment-downloaded", actor=reviewer.email,
                        raw_message_id=raw.id, new_value=part.filename)
        ascii_name = part.filename.encode("ascii", "replace").decode().replace('"', "'")
        return Response(data, media_type="application/octet-stream", headers={
            # Always a download, never rendered by the browser on our origin.
            "content-disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{quote(part.filename)}",
            "content-security-policy": "default-src 'none'; sandbox",
        })

    # -- actions --------------------------------------------------------------------------------

    @app.post("/cases/{reference}/edit", dependencies=CSRF_CHECKED)
    def edit(request: Request, reference: str, reviewer: SignedIn, field: FormText = "",
             value: FormText = "", reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.edit_field, field, value, reason)

    @app.post("/cases/{reference}/accept", dependencies=CSRF_CHECKED)
    def accept(request: Request, reference: str, reviewer: SignedIn,
               reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.accept, reason, advance=True)

    @app.post("/cases/{reference}/request-information", dependencies=CSRF_CHECKED)
    def request_information(request: Request, reference: str, reviewer: SignedIn,
                            items: FormItems = [],  # noqa: B006 - FastAPI copies defaults
                            reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.request_information, items, reason,
                   advance=True)

    @app.post("/cases/{reference}/reject", dependencies=CSRF_CHECKED)
    def reject(request: Request, reference: str, reviewer: SignedIn,
               reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.reject, reason, advance=True)

    @app.post("/cases/{reference}/not-a-nomination", dependencies=CSRF_CHECKED)
    def not_a_nomination(request: Request, reference: str, reviewer: SignedIn,
                         reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.mark_not_a_nomination, reason,
                   advance=True)

    @app.post("/cases/{reference}/merge", dependencies=CSRF_CHECKED)
    def merge(request: Request, reference: str, reviewer: SignedIn, into: FormText = "",
              reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.merge_into, into, reason, advance=True)

    @app.post("/cases/{reference}/claim", dependencies=CSRF_CHECKED)
    def claim(request: Request, reference: str, reviewer: SignedIn) -> Response:
        return act(request, reviewer, reference, flow.claim, claim_checked=False)

    @app.post("/cases/{reference}/release", dependencies=CSRF_CHECKED)
    def release(request: Request, reference: str, reviewer: SignedIn) -> Response:
        return act(request, reviewer, reference, flow.release, claim_checked=False)

    @app.post("/cases/{reference}/assign", dependencies=CSRF_CHECKED)
    def assign(request: Request, reference: str, reviewer: SignedIn,
               to: FormText = "") -> Response:
        return act(request, reviewer, reference, flow.assign, to, claim_checked=False)

    @app.post("/cases/{reference}/rerun-extraction", dependencies=CSRF_CHECKED)
    def rerun(request: Request, reference: str, reviewer: SignedIn,
              reason: FormText = "") -> Response:
        return act(request, reviewer, reference, actions.rerun_extraction, reason)

    # -- register, overview, audit --------------------------------------------------------------

    @app.get("/register", response_class=HTMLResponse)
    def register(request: Request, reviewer: SignedIn, former: bool = False) -> Response:
        with db.transaction() as session:
            entries = queries.register_entries(session, reviewer, include_former=former)
        groups: dict[str, list[queries.RegisterEntry]] = {}
        for entry in entries:
            groups.setdefault(entry.organisation, []).append(entry)
        return render(request, "register.html", reviewer, section="register",
                      groups=groups, former=former, total=len(entries))

    @app.get("/register.csv")
    def register_csv(reviewer: SignedIn, former: bool = False) -> Response:
        with db.transaction() as session:
            entries = queries.register_entries(session, reviewer, include_former=former)
            # Disclosure is recorded (DOMAIN.md section 7): who exported, how many rows, and
            # whether the restricted columns were in it.
            cases.audit(session, None, "register-exported", actor=reviewer.email,
                        new_value=f"{len(entries)} rows",
                        field="restricted columns" if reviewer.confidential else None)
        body = queries.register_csv(entries, reviewer)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
        return Response(body.encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition":
                                 f'attachment; filename="pss-register-{stamp}.csv"'})

    @app.get("/coverage", response_class=HTMLResponse)
    def coverage_page(request: Request, reviewer: SignedIn, kind: str = "",
                      region: str = "") -> Response:
        kind, region = _coverage_filters(kind, region)
        with db.transaction() as session:
            rows = coverage.coverage(session, kind=kind or None, region=region or None)
            choices = coverage.region_choices(session)
        bars = coverage.regions(rows)
        return render(request, "coverage.html", reviewer, section="coverage", rows=rows,
                      covered=sum(1 for r in rows if r.specialists_in_post), bars=bars,
                      chart_width=620, chart_height=max(26, 26 * len(bars)),
                      kinds=coverage.KINDS, kind=kind, region=region, region_choices=choices,
                      region_name=coverage.region_name, query=request.url.query)

    @app.get("/coverage.csv")
    def coverage_csv(reviewer: SignedIn, kind: str = "", region: str = "") -> Response:
        kind, region = _coverage_filters(kind, region)
        with db.transaction() as session:
            rows = coverage.coverage(session, kind=kind or None, region=region or None)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
        return Response(coverage.coverage_csv(rows).encode("utf-8-sig"),
                        media_type="text/csv; charset=utf-8",
                        headers={"content-disposition":
                                 f'attachment; filename="pss-coverage-{stamp}.csv"'})

    @app.get("/overview", response_class=HTMLResponse)
    def overview(request: Request, reviewer: SignedIn) -> Response:
        with db.transaction() as session:
            stats = queries.overview(session)
        return render(request, "overview.html", reviewer, section="overview", stats=stats,
                      chasers=settings.chasers)

    @app.get("/audit", response_class=HTMLResponse)
    def audit_log(request: Request, reviewer: SignedIn, case: str = "", user: str = "",
                  before: str = "") -> Response:
        if not reviewer.is_admin:
            raise HTTPException(403, "The audit log is for administrators.")
        # An entry id to page back from: a whole number the database can hold (a longer one
        # would overflow the query), else the request is refused.
        before_id: int | None = None
        if before.strip():
            text = before.strip()
            if not text.isascii() or not text.isdigit() or len(text) > 18:
                raise HTTPException(400, "The page asked for is not valid.")
            before_id = int(text)
        with db.transaction() as session:
            rows = queries.audit_rows(session, reviewer, case_reference=case or None,
                                      actor=user or None, before=before_id)
            people = queries.actors(session)
        return render(request, "audit.html", reviewer, section="audit", rows=rows,
                      case_filter=case, user_filter=user, people=people,
                      older=rows[-1].id if len(rows) >= 200 else None)

    # -- accounts (admins) ----------------------------------------------------------------------

    def _admin(reviewer: Reviewer) -> None:
        if not reviewer.is_admin:
            raise HTTPException(403, "Accounts are managed by administrators.")

    def _account_change(request: Request, reviewer: Reviewer, user_id: int,
                        change: Callable[[Any, str], str]) -> Response:
        """Run one account change (audited, ending that account's sessions); back to the
        list with what was done or why not."""
        _admin(reviewer)
        try:
            with db.transaction() as session:
                user = session.get(User, user_id)
                if user is None:
                    raise HTTPException(404, "There is no such account.")
                message = change(session, user.email)
            flash(request, "ok", f"Changed: {message}.")
        except users.UserError as exc:
            flash(request, "error", f"Not changed: {exc}.")
        return RedirectResponse("/admin/users", status_code=303)

    @app.get("/admin/users", response_class=HTMLResponse)
    def account_list(request: Request, reviewer: SignedIn) -> Response:
        _admin(reviewer)
        with db.transaction() as session:
            return render(request, "users.html", reviewer, section="users",
                          users=users.list_users(session), roles=ROLES)

    @app.post("/admin/users/{user_id}/active", dependencies=CSRF_CHECKED)
    def account_active(request: Request, user_id: int, reviewer: SignedIn,
                       active: FormText = "") -> Response:
        if active not in ("yes", "no"):
            raise HTTPException(400, "Say yes or no.")
        return _account_change(request, reviewer, user_id, lambda s, email: users.set_active(
            s, email, active == "yes", actor=reviewer.email))

    @app.post("/admin/users/{user_id}/role", dependencies=CSRF_CHECKED)
    def account_role(request: Request, user_id: int, reviewer: SignedIn, role: FormText = "",
                     confidential: FormText = "") -> Response:
        # An unticked checkbox sends nothing: absent is "no"; anything but "yes" is refused.
        if role not in ROLES or confidential not in ("", "yes"):
            raise HTTPException(400, "Choose a role.")
        return _account_change(request, reviewer, user_id, lambda s, email: users.set_role(
            s, email, role=role, confidential=confidential == "yes", actor=reviewer.email))

    @app.post("/admin/users/{user_id}/password", dependencies=CSRF_CHECKED)
    def account_password(request: Request, user_id: int, reviewer: SignedIn,
                         password: FormText = "") -> Response:
        return _account_change(request, reviewer, user_id, lambda s, email: users.reset_password(
            s, email, password, actor=reviewer.email))

    return app
