"""The login cookie, HttpOnly: the server's two small routes put it in place and take
it away (``dashboard/server.py`` mounts them beside the app).

A Streamlit script cannot set a cookie itself, and a cookie written by page script
could be read by page script. So after a login the app hands the browser a one-time
code (:func:`siapkan`, valid two minutes, in this process's memory); a tiny script on
the page posts it to ``/api/sesi/pasang``, whose response sets the cookie with the
token (``HttpOnly; SameSite=Strict``, ``Secure`` over HTTPS, for the session timeout).
``/api/sesi/lepas`` clears it at logout. The token itself
(:mod:`pipelines.auth.sessions`) is checked server-side on every reload.
"""

from __future__ import annotations

import json
import secrets
import threading
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipelines.auth.sessions import COOKIE

PASANG = "/api/sesi/pasang"
LEPAS = "/api/sesi/lepas"
CODE_SECONDS = 120

_pending: dict[str, tuple[str, float, int]] = {}  # code -> (token, valid until, max-age)
_used: set[str] = set()
_lock = threading.Lock()


def siapkan(token: str, max_age_seconds: int) -> str:
    """A one-time code the page exchanges for the cookie holding ``token``."""
    code = secrets.token_urlsafe(24)
    now = time.time()
    with _lock:
        for old in [c for c, (_, until, _) in _pending.items() if until < now]:
            del _pending[old]
        _pending[code] = (token, now + CODE_SECONDS, max_age_seconds)
    return code


def dipakai(code: str) -> bool:
    """Whether the browser has exchanged ``code`` (the cookie is in place)."""
    with _lock:
        return code in _used


def skrip_pasang(code: str) -> str:
    """The page script that exchanges ``code`` for the cookie."""
    return (
        f"<script>fetch({json.dumps(PASANG)}, {{method: 'POST', body: {json.dumps(code)}, "
        "credentials: 'same-origin', cache: 'no-store'});</script>"
    )


def skrip_lepas() -> str:
    """The page script that clears the cookie (logout)."""
    return (
        f"<script>fetch({json.dumps(LEPAS)}, {{method: 'POST', "
        "credentials: 'same-origin', cache: 'no-store'});</script>"
    )


async def _pasang(request: Request) -> Response:
    code = (await request.body())[:200].decode(errors="replace")
    with _lock:
        item = _pending.pop(code, None)
        if item is not None:
            _used.add(code)
            if len(_used) > 10_000:
                _used.clear()
    if item is None or item[1] < time.time():
        return Response(status_code=403)
    token, _, max_age = item
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def _lepas(request: Request) -> Response:
    response = Response(status_code=204)
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


def routes() -> list[Route]:
    return [Route(PASANG, _pasang, methods=["POST"]), Route(LEPAS, _lepas, methods=["POST"])]
