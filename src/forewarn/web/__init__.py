"""``forewarn serve``: a local web page over the library, the reader's profile and the scanner.

A small ASGI app (Starlette, Jinja2 with autoescaping, no JavaScript at all) served by uvicorn on
127.0.0.1. The page lists the library filtered by the reader's profile, shows one work's
warnings with its passages closed until clicked, scans an uploaded or pasted story on the spot,
and edits the profile. See ``app`` for the routes and ``security`` for what keeps it safe::

    import uvicorn
    from forewarn.web import Settings, create_app

    uvicorn.run(create_app(Settings(db=Path("library.sqlite3"))), host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from forewarn.web.app import Settings, create_app

__all__ = ["Settings", "create_app"]
