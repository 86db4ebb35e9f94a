"""What keeps the local page safe from the stories it shows and from other sites in the browser.

- ``Guard``, an ASGI middleware around the whole app: refuses a ``Host`` that is not this server's
  (so a DNS-rebinding page cannot read the library), refuses a request body over the limit before
  reading it (``Content-Length``) and while streaming it (bytes counted as they arrive), and sets
  the security headers on every response: a Content-Security-Policy that allows no script at all
  (the page has none; story text can never run), no framing, no sniffing.
- ``Csrf``: a secret made per process, put in a hidden field of every form that changes
  something; a POST must bring it back, and must come from this origin (``Origin``, or
  ``Referer`` when a client sends no ``Origin``, and ``Sec-Fetch-Site`` when sent).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# No script may run on any page: the app has none, so story text injected by mistake can't either.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cache-control", b"no-store"),
)
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


class BodyTooLarge(Exception):
    """A request body grew past the limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def host_name(value: str) -> str:
    """The name part of a ``Host`` header or a URL's netloc, lower-case, without port or brackets.

    >>> host_name("[::1]:8000"), host_name("LocalHost:80"), host_name("127.0.0.1")
    ('::1', 'localhost', '127.0.0.1')
    """
    try:
        name = urlsplit("//" + value).hostname
    except ValueError:
        return ""
    return name or ""


def allowed_hosts(bind: str) -> frozenset[str] | None:
    """The ``Host`` names a server bound to ``bind`` answers; None for any (a wildcard address,
    which the reader chose knowing that other machines can reach it)."""
    name = host_name(bind) or bind.strip("[]").lower()
    if name in WILDCARDS:
        return None
    return LOCAL_NAMES | {name}


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Host check, body limit and security headers around an ASGI app."""

    def __init__(
        self, app: ASGIApp, *, hosts: Iterable[str] | None, max_body: int, too_large: str | None = None
    ) -> None:
        self.app = app
        self.hosts = None if hosts is None else frozenset(hosts)
        self.max_body = max_body
        self.too_large = too_large or f"The request is too large: at most {max_body:,} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self.hosts is not None and host_name(headers.get("host", "")) not in self.hosts:
            await _refuse(send, 400, "This server only answers to its own address (unknown Host).")
            return
        length = headers.get("content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _refuse(send, 400, "Bad Content-Length.")
                return
            if declared > self.max_body:
                await _refuse(send, 413, self.too_large)
                return
        limit = self.max_body
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, counted, with_headers)


class Csrf:
    """The per-process token of state-changing forms, and the same-origin check of a POST."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token or secrets.token_urlsafe(32)

    def origin_problem(self, headers: Headers) -> str | None:
        """Why a POST with these headers comes from another site; None when it is this one's.
        Checked before the body is read."""
        host = headers.get("host", "")
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return f"the form was sent from another site ({site})"
        origin = headers.get("origin")
        if origin is not None:
            if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
                return "the form was sent from another origin"
        else:
            referer = headers.get("referer")
            if referer is not None and urlsplit(referer).netloc.lower() != host.lower():
                return "the form was sent from another page"
        return None

    def token_problem(self, sent: object) -> str | None:
        """Why the form's token is not this process's; None when it is."""
        if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), self.token.encode()):
            return "the form's security token is missing or out of date (reload the page and try again)"
        return None
