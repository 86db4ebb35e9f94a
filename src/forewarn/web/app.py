"""The local web page: a small Starlette app over the library, the reader's profile and the scanner.

Routes (work ids only, never paths, in URLs):

- ``GET /``: the library, filtered by a GET form, judged by the profile, sorted and paged;
- ``GET /work/{id}``: one work's stored report; ``GET /work/{id}/passages``: the same with the
  passages and who dies, from a new scan of the work's own file (the library keeps no text);
- ``POST /work/{id}/remove``: forget a work (the file stays, except the library's own upload copy);
- ``GET /add``, ``POST /add``: scan an uploaded file or pasted text; kept only when asked;
- ``GET /profile``, ``POST /profile``: the reader's profile as a form, saved to their file;
- ``GET /static/forewarn.css``: the one stylesheet (no script anywhere).

Every response goes through ``security.Guard`` (Host check, body limit, CSP and other headers);
every state-changing form carries the per-process CSRF token and must come from this origin.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from forewarn.errors import ForewarnError
from forewarn.labels import LABELS
from forewarn.library import Library, ScanOptions, Target, WorkRow, scan_target
from forewarn.library.scanner import digest
from forewarn.model import Report
from forewarn.profile import Judgement, Profile, ProfileError, default_profile_path, load_profile
from forewarn.readers.txt import DEFAULT_MAX_BYTES
from forewarn.render_json import report_to_dict
from forewarn.web import profile_form
from forewarn.web.listing import PER_PAGE_CHOICES, SEVERITIES, Judge, Query, Snapshot, library_page
from forewarn.web.security import LOCAL_NAMES, BodyTooLarge, Csrf, Guard
from forewarn.web.views import archive_badges, badges, passage_count, reasons, work_view

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = {"forewarn.css": HERE / "static" / "forewarn.css"}  # the only files served: by name, no listing
WORK_ID = re.compile(r"[0-9a-f]{4,64}")
UPLOAD_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".epub")
FORM_SLACK = 64 * 1024  # a request carries the story and a few small fields around it


@dataclass(frozen=True, slots=True)
class Settings:
    """How one server runs. ``hosts``: the Host names it answers (None: any)."""

    db: Path
    profile: Path | None = None  # None: the default profile file (a missing one shows everything)
    max_bytes: int = DEFAULT_MAX_BYTES
    hosts: frozenset[str] | None = LOCAL_NAMES
    who: bool = True
    csrf_token: str | None = None

    @property
    def profile_path(self) -> Path:
        return self.profile if self.profile is not None else default_profile_path()

    @property
    def uploads(self) -> Path:
        """Where stories added from the page are kept: beside the library file, by hash."""
        return self.db.with_name(self.db.stem + "-uploads")


@dataclass
class State:
    """What the app keeps between requests: settings, the CSRF secret, the profile and its judge."""

    settings: Settings
    csrf: Csrf
    _stamp: tuple[int, int, int] | None = None
    _loaded: bool = False
    _profile: Profile = field(default_factory=Profile)
    _error: str | None = None
    _judge: Judge = field(default_factory=lambda: Judge(Profile()))
    snapshot: Snapshot | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.snapshot = Snapshot(self.settings.db)

    @contextmanager
    def library(self) -> Iterator[Library]:
        """The library, opened for one request (SQLite connections stay in their thread)."""
        with Library(self.settings.db, create=False) as library:
            yield library

    def profile(self) -> tuple[Profile, str | None]:
        """The reader's profile, read again whenever its file changes; a broken file applies no
        profile and says why (on every page) rather than stopping the server."""
        path = self.settings.profile_path
        try:
            info = path.stat()
            stamp: tuple[int, int, int] | None = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            stamp = None
        with self._lock:
            if not self._loaded or stamp != self._stamp:
                self._stamp, self._loaded = stamp, True
                try:
                    self._profile = load_profile(path) if stamp is not None else Profile()
                    self._error = None
                except ProfileError as error:
                    self._profile, self._error = Profile(), str(error)
                self._judge = Judge(self._profile)
            return self._profile, self._error

    def judge(self) -> Judge:
        self.profile()
        return self._judge


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is escaped unless a template says otherwise (none does)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return env


def create_app(settings: Settings) -> Guard:
    """The ASGI app for ``settings``, wrapped in its guard (the object to hand to uvicorn)."""
    Library(settings.db).close()  # a new library file, when there is none yet
    state = State(settings, Csrf(settings.csrf_token))
    templates = Jinja2Templates(env=_environment())

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        _, profile_error = state.profile()
        base = {
            "csrf": state.csrf.token,
            "profile_error": profile_error,
            "labels": LABELS,
            "severities": SEVERITIES,
            "db": str(settings.db),
            "nav": name.removesuffix(".html"),
        }
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def message(request: Request, title: str, text: str, status: int = 200) -> Response:
        return render(request, "message.html", {"title": title, "text": text}, status)

    async def checked_form(request: Request, max_files: int = 0) -> Any:
        """The form of a state-changing POST: from this origin (checked before reading a byte of
        it), carrying this process's token."""
        problem = state.csrf.origin_problem(request.headers)
        if problem is not None:
            raise HTTPException(403, f"Refused: {problem}.")
        form = await request.form(
            max_files=max_files, max_fields=200, max_part_size=settings.max_bytes + FORM_SLACK
        )
        problem = state.csrf.token_problem(form.get("csrf"))
        if problem is not None:
            raise HTTPException(403, f"Refused: {problem}.")
        return form

    # --- the library ------------------------------------------------------------------------

    def library_view(request: Request) -> Response:
        query, problems = Query.parse(request.query_params)
        judge = state.judge()
        with state.library() as library:
            try:
                page = library_page(library, judge, query, problems, state.snapshot)
            except ForewarnError as error:
                query = Query(sort=query.sort, desc=query.desc, per=query.per)
                page = library_page(library, judge, query, [*problems, str(error)], state.snapshot)
        rows = [
            {
                "row": row,
                "judgement": judgement,
                "badges": badges(row, judgement),
                "archive": archive_badges(row, judgement),
                "reason": reasons(judgement),
            }
            for row, judgement in page.rows
        ]
        return render(
            request,
            "library.html",
            {"page": page, "q": page.query, "rows": rows, "per_choices": PER_PAGE_CHOICES},
        )

    # --- one work ---------------------------------------------------------------------------

    def _stored(library: Library, work_id: str) -> tuple[WorkRow, dict[str, Any], Judgement | None]:
        if not WORK_ID.fullmatch(work_id):
            raise HTTPException(404, "No such work.")
        try:
            stored = library.get(work_id)
        except ForewarnError:
            raise HTTPException(404, "No such work in the library.") from None
        return stored.row, stored.report, state.judge()(library, stored.row)

    def work_page(request: Request) -> Response:
        with state.library() as library:
            row, report, judgement = _stored(library, request.path_params["work_id"])
        return _work(request, row, report, judgement)

    def _work(
        request: Request,
        row: WorkRow | None,
        report: dict[str, Any],
        judgement: Judgement | None,
        *,
        problem: str | None = None,
        added: dict[str, Any] | None = None,
        status: int = 200,
    ) -> Response:
        view = work_view(report, judgement, row)
        context = {
            "row": row,
            "work": view,
            "judgement": judgement,
            "reason": reasons(judgement),
            "problem": problem,
            "added": added,
            "passage_total": passage_count([*view.warnings, *view.folded, *view.mentions]),
        }
        return render(request, "work.html", context, status)

    def passages_page(request: Request) -> Response:
        with state.library() as library:
            row, report, judgement = _stored(library, request.path_params["work_id"])
        fresh, problem = _rescan(row)
        if fresh is None:
            return _work(request, row, report, judgement, problem=problem)
        return _work(request, row, report_to_dict(fresh, show_passages=True), judgement)

    def _rescan(row: WorkRow) -> tuple[Report | None, str]:
        """The work scanned again from a file that still holds its bytes (paths come from the
        library, never from the request), or None and why not."""
        options = ScanOptions(who=True, max_bytes=settings.max_bytes)
        if not row.paths:
            return None, "The library knows no file for this work, so its passages cannot be shown."
        for path in row.paths:
            try:
                if digest(Target(path), options) != row.hash:
                    continue
                return scan_target(Target(path), options), ""
            except ForewarnError:
                continue
        where = "; ".join(row.paths)
        return None, (
            f"The story file is gone or has changed since it was scanned ({where}), so its passages "
            "cannot be shown. Add it again to scan the new file."
        )

    async def remove(request: Request) -> Response:
        await checked_form(request)
        work_id = request.path_params["work_id"]

        def forget() -> WorkRow:
            with state.library() as library:
                row, _, _ = _stored(library, work_id)
                library.remove([row.hash])
            _drop_upload_copies(row)
            return row

        row = await run_in_threadpool(forget)
        return message(
            request, "Removed", f"“{row.title}” is no longer in the library (its file was not touched)."
        )

    def _drop_upload_copies(row: WorkRow) -> None:
        uploads = settings.uploads.resolve()
        for path in row.paths:
            folder = Path(path).resolve().parent
            if folder.parent == uploads and folder.name == row.hash:
                shutil.rmtree(folder, ignore_errors=True)

    # --- adding a story ---------------------------------------------------------------------

    def add_page(request: Request) -> Response:
        return render(request, "add.html", {"error": None, "max_mb": _megabytes(settings.max_bytes)})

    async def add(request: Request) -> Response:
        form = await checked_form(request, max_files=1)
        upload = form.get("file")
        text = form.get("text")
        title = " ".join(str(form.get("title") or "").split())[:300]
        keep = form.get("keep") == "on"
        has_file = isinstance(upload, UploadFile) and bool(upload.filename)
        has_text = isinstance(text, str) and bool(text.strip())
        if has_file == has_text:
            problem = "Choose a file or paste a story (one of the two)."
            return render(
                request, "add.html", {"error": problem, "max_mb": _megabytes(settings.max_bytes)}, 400
            )
        incoming = Path(tempfile.mkdtemp(prefix="forewarn-upload-"))
        try:
            if has_file:
                assert isinstance(upload, UploadFile)
                name = _safe_name(upload.filename or "")
                written = await _save_upload(upload, incoming / name)
            else:
                assert isinstance(text, str)
                name = "pasted.txt"
                story = f"Title: {title or 'Pasted story'}\n\n{text.replace(chr(13) + chr(10), chr(10))}"
                data = story.encode("utf-8")
                if len(data) > settings.max_bytes:
                    raise BodyTooLarge(settings.max_bytes)
                (incoming / name).write_bytes(data)
                written = hashlib.sha256(data).hexdigest()
            outcome = await run_in_threadpool(_scan_submission, incoming / name, written, keep)
        finally:
            shutil.rmtree(incoming, ignore_errors=True)
        if isinstance(outcome, str):
            return render(
                request, "add.html", {"error": outcome, "max_mb": _megabytes(settings.max_bytes)}, 422
            )
        report, row = outcome
        profile = state.judge().profile
        judgement = None if profile.empty else profile.judge(report_to_dict(report))
        added = {"kept": row is not None, "name": name}
        return _work(request, row, report_to_dict(report, show_passages=True), judgement, added=added)

    async def _save_upload(upload: UploadFile, target: Path) -> str:
        """Copy an upload (already capped by the guard) in chunks, counting and hashing it."""
        sha = hashlib.sha256()
        size = 0
        with open(target, "wb") as out:
            while chunk := await upload.read(64 * 1024):
                size += len(chunk)
                if size > settings.max_bytes:
                    raise BodyTooLarge(settings.max_bytes)
                sha.update(chunk)
                out.write(chunk)
        return sha.hexdigest()

    def _scan_submission(path: Path, sha: str, keep: bool) -> tuple[Report, WorkRow | None] | str:
        """Scan a submitted story; when kept, from the library's own copy (named by its hash, never
        by anything the request says), so that the stored report names where it lives."""
        options = ScanOptions(who=settings.who, max_bytes=settings.max_bytes)
        folder = settings.uploads / sha
        if keep:
            folder.mkdir(parents=True, exist_ok=True)
            path = Path(shutil.copyfile(path, folder / path.name))
        try:
            report = scan_target(Target(str(path)), options)
        except ForewarnError as error:
            if keep:
                shutil.rmtree(folder, ignore_errors=True)
            return f"forewarn could not read it: {getattr(error, 'problem', error)}"
        if not keep:
            return report, None
        with state.library() as library:
            # The scan is done: the library stores it (or only notes the new path of known bytes).
            summary = library.add(
                [str(path)], who=settings.who, max_bytes=settings.max_bytes, scanner=lambda *_: report
            )
            if summary.errors:
                shutil.rmtree(folder, ignore_errors=True)
                return f"forewarn could not keep it: {summary.errors[0].problem}"
            return report, library.resolve(sha)

    # --- the profile ------------------------------------------------------------------------

    def _profile_context(saved: profile_form.Saved | None = None, error: str | None = None) -> dict[str, Any]:
        current = profile_form.read(settings.profile_path)
        return {
            "file": current,
            "rows": profile_form.rows(current) if current.error is None else [],
            "default": profile_form.default_row(current) if current.error is None else None,
            "choices": profile_form.SEVERITY_CHOICES,
            "saved": saved,
            "error": error,
        }

    def profile_page(request: Request) -> Response:
        return render(request, "profile.html", _profile_context())

    async def save_profile(request: Request) -> Response:
        form = await checked_form(request)
        current = profile_form.read(settings.profile_path)
        if current.error is not None:
            return render(request, "profile.html", _profile_context(error="The file was not changed."), 409)
        try:
            data = profile_form.apply(current, form)
            saved = await run_in_threadpool(profile_form.write, settings.profile_path, data)
        except ProfileError as error:
            return render(request, "profile.html", _profile_context(error=str(error)), 400)
        except OSError as error:
            problem = f"could not write {settings.profile_path}: {error.strerror or error}"
            return render(request, "profile.html", _profile_context(error=problem), 500)
        return render(request, "profile.html", _profile_context(saved=saved))

    # --- the rest ---------------------------------------------------------------------------

    def static(request: Request) -> Response:
        path = STATIC.get(request.path_params["name"])
        if path is None:
            raise HTTPException(404, "Not found.")
        return FileResponse(path, media_type="text/css", headers={"cache-control": "no-cache"})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        titles = {403: "Refused", 404: "Not found", 405: "Not allowed", 413: "Too large"}
        title = titles.get(exc.status_code, "Something went wrong")
        return message(request, title, str(exc.detail), exc.status_code)

    async def too_large(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BodyTooLarge)
        text = f"The story is too large: this server takes at most {_megabytes(exc.limit)} (--max-mb)."
        return message(request, "Too large", text, 413)

    async def unreadable(request: Request, exc: Exception) -> Response:
        return message(request, "Something went wrong", str(exc), 400)

    routes = [
        Route("/", library_view),
        Route("/work/{work_id}", work_page),
        Route("/work/{work_id}/passages", passages_page),
        Route("/work/{work_id}/remove", remove, methods=["POST"]),
        Route("/add", add_page),
        Route("/add", add, methods=["POST"]),
        Route("/profile", profile_page),
        Route("/profile", save_profile, methods=["POST"]),
        Route("/static/{name}", static),
        Route("/library", lambda request: RedirectResponse("/", 308)),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, BodyTooLarge: too_large, ForewarnError: unreadable},
    )
    app.state.forewarn = state
    # The largest request: a story of max_bytes, uploaded or pasted, with the form around it.
    refusal = (
        f"The story is too large: this server takes at most {_megabytes(settings.max_bytes)} (--max-mb)."
    )
    return Guard(app, hosts=settings.hosts, max_body=settings.max_bytes + FORM_SLACK, too_large=refusal)


def _megabytes(size: int) -> str:
    """A size for a reader.

    >>> _megabytes(40 * 2**20), _megabytes(100_000)
    ('40 MB', '0.0954 MB')
    """
    return f"{size / 2**20:.3g} MB"


def _safe_name(filename: str) -> str:
    """A file name for an upload: its last part, letters, digits and ``._-`` only, a known suffix.

    >>> _safe_name("../../etc/passwd"), _safe_name("C:\\\\fics\\\\My Story!.HTML"), _safe_name(".x")
    ('passwd.txt', 'My-Story-.html', 'x.txt')
    """
    base = re.split(r"[\\/]", filename)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in UPLOAD_SUFFIXES:
        stem, suffix = base, ".txt"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".")[:80] or "story"
    return stem + suffix
