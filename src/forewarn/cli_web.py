"""``forewarn serve``: the local web page over the library (see ``forewarn.web``).

Served on 127.0.0.1 only, unless ``--host`` names another address (then a warning is printed:
anyone who can reach it can read the library and add to it). Opens the reader's browser unless
``--no-browser``. Exit codes as the main CLI: 0 stopped cleanly; 2 a usage or library problem.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import webbrowser
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from forewarn.cli_shell import EXIT_OK, EXIT_USAGE, standalone
from forewarn.defaults import DEFAULT_MAX_BYTES
from forewarn.errors import ForewarnError
from forewarn.places import library_path, profile_path
from forewarn.profile import load_profile

LOCAL = "127.0.0.1"
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
NEEDS = "starlette, jinja2, uvicorn and python-multipart"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command to an argparse subparsers object."""
    serve = subparsers.add_parser(
        "serve",
        help="open a local web page over your library: browse, filter by your profile, add stories",
        description="Serve a web page over the library on this computer (127.0.0.1) and open it in "
        "your browser: the works with their warnings, filtered by your profile; each work's warnings "
        "with the passages blurred until clicked; a form to scan a story on the spot; your profile "
        "as a form. Nothing is sent anywhere. Stop it with Ctrl+C.",
    )
    serve.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the library file (default: {library_path()}; created when missing)",
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="the port (default %(default)s; 0: any free one)"
    )
    serve.add_argument(
        "--host",
        default=LOCAL,
        help="the address to listen on (default %(default)s, this computer only); another address "
        "lets other machines read your library, so a warning is printed",
    )
    serve.add_argument("--no-browser", action="store_true", help="only serve; do not open a browser")
    serve.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"your reader profile (TOML), read and saved by the page (default: {profile_path()})",
    )
    serve.add_argument(
        "--max-mb",
        type=_positive,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help="refuse uploads and story files larger than this (default %(default)g MB)",
    )


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def run(args: argparse.Namespace, out: Console) -> int:
    """Run ``forewarn serve`` until interrupted."""
    try:
        import uvicorn

        from forewarn.web import Settings, create_app
        from forewarn.web.security import allowed_hosts
    except ImportError as error:
        print(
            f"forewarn: error: `forewarn serve` needs {NEEDS} ({error}); "
            "install them with: pip install --upgrade forewarn",
            file=sys.stderr,
        )
        return EXIT_USAGE
    db = args.db if args.db is not None else library_path()
    try:
        if args.profile is not None and args.profile.exists():
            load_profile(args.profile)  # a broken profile named on purpose is an error now
        settings = Settings(
            db=Path(db).expanduser().absolute(),
            profile=None if args.profile is None else Path(args.profile).expanduser().absolute(),
            max_bytes=int(args.max_mb * 2**20),
            hosts=allowed_hosts(args.host),
        )
        app = create_app(settings)
    except (ForewarnError, OSError) as error:
        print(f"forewarn: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.host not in LOCAL_NAMES:
        print(
            f"forewarn: warning: serving on {args.host}, not only on this computer: anyone who can "
            "reach this address can read your library and its stories' passages, and add stories.",
            file=sys.stderr,
        )
    if args.profile is not None and not args.profile.exists():
        print(
            f"forewarn: note: {args.profile} does not exist yet; the profile page will create it",
            file=sys.stderr,
        )
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", lifespan="off")

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # bound: only now is there a page to open (--port 0 picks the port here)
                _announce(self, args, out)

    server = Server(config)
    # Ctrl+C ends it; uvicorn exits with SystemExit when it cannot bind the port.
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        server.run()
    if not server.started:
        print(
            f"forewarn: error: could not serve on {args.host}:{args.port} (is the port in use?)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def _announce(server: Any, args: argparse.Namespace, out: Console) -> None:
    port = args.port
    for listener in getattr(server, "servers", None) or []:
        for sock in listener.sockets or []:
            port = sock.getsockname()[1]
    url = _url(args.host, port)
    out.print(f"forewarn: serving your library at {url} (Ctrl+C stops)", highlight=False, soft_wrap=True)
    if not args.no_browser:
        webbrowser.open(url)


def main(argv: Sequence[str] | None = None) -> int:
    """``forewarn serve …`` alone (for tests and ``python -m forewarn.cli_web serve …``)."""
    return standalone("forewarn's local web page.", add_parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
