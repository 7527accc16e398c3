"""What every request and response passes through, as plain ASGI middleware.

The workbench serves a browser on the analyst's own machine, so other sites that browser visits
are the threat: a page that posts to it (cross-site request forgery), a page whose name is made to
resolve to 127.0.0.1 so it can read the workbench as its own (DNS rebinding), a page that frames
it. Security headers go on every response, errors and refusals included.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not "no-referrer": under it a browser sends `Origin: null` even on a same-origin POST, and
    # the origin check below would refuse the workbench's own form.
    "Referrer-Policy": "same-origin",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_COOKIE = "sayso_form"

log = logging.getLogger(__name__)


def allowed_hosts(host: str) -> list[str]:
    """The names a Host header may give: loopback ones and the address the server was bound to
    (an IPv6 address in brackets, as a Host header writes it)."""
    bound = f"[{host.strip('[]')}]" if ":" in host else host
    return list(dict.fromkeys([*LOOPBACK_HOSTS, bound.lower()]))


class Secured:
    """The outermost middleware: adds `SECURITY_HEADERS` to every response, answers a failure
    nothing else caught with a 500 that carries them too (Starlette's own 500 is built outside
    any user middleware), serves HEAD as GET without the body, and refuses (400) a URL holding a
    NUL character, which no page needs and PostgreSQL cannot take in a string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                headers.update(SECURITY_HEADERS)
                message = {**message, "headers": headers.raw}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            if "\x00" in scope["path"] or b"%00" in scope["query_string"]:
                await PlainTextResponse("NUL in URL", 400)(scope, receive, send_secured)
                return
            await self.app({**scope, "method": "GET"} if head else scope, receive, send_secured)
        except Exception:
            if started:  # too late for another answer: let the server log it and drop the line
                raise
            log.exception("unhandled error answering %s %s", scope["method"], scope["path"])
            await PlainTextResponse("Internal Server Error", 500)(scope, receive, send_secured)


class SameOrigin:
    """Refuses (403) a state-changing request a browser sent from another origin: its Origin,
    or lacking one its Referer, must name the host it was sent to (which TrustedHost checked).
    Browsers always send one of them on a POST; clients that send neither (curl, scripts) pass,
    and the paste form also needs its signed token (`FormTokens`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = Headers(scope=scope)
            claimed = headers.get("origin") or headers.get("referer")
            if claimed is not None and (urlsplit(claimed).netloc.lower()
                                        != headers.get("host", "").lower()):
                refusal = PlainTextResponse("cross-site request refused", 403)
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


class FormTokens:
    """Signed double-submit tokens for the paste form. The cookie holds a random session id and
    the form an HMAC of it under a key made by this process: a site that cannot read the
    workbench's pages cannot forge one, and a cookie it plants (cookies ignore ports, so any
    local page can) comes with no matching token."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def _sign(self, session: str) -> bytes:
        return hmac.new(self._key, session.encode(), hashlib.sha256).hexdigest().encode()

    def issue(self, request: Request) -> tuple[str, str]:
        """The (session id, token) pair a form page sets as cookie and hidden field."""
        session = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
        return session, self._sign(session).decode()

    def valid(self, request: Request, token: str) -> bool:
        session = request.cookies.get(FORM_COOKIE)
        return bool(session and token) and hmac.compare_digest(
            self._sign(session), token.encode("utf-8", "replace"))
