"""The story on a web page, without the site around it: main-content extraction.

A page saved from a site with no reader of its own (Wattpad, Royal Road, a XenForo thread, a
WordPress or Blogger post, LiveJournal, a Geocities-era page) carries menus, sidebars, login
forms, comments, tag clouds and legal text around the story; none of it is evidence
(WARNINGS.md: "site menus are never evidence"). :func:`extract_main` finds the block that holds
the story and removes the chrome, working in place on the parsed tree:

1. *Chrome* is marked first: ``nav``, ``aside``, ``form``, ``header``/``footer``, ARIA landmark
   roles other than ``main``, and elements whose id/class words say menu, sidebar, comments,
   share, related … (:func:`chrome_words`). A mark that would take half the page's prose with it
   (a ``<form>`` wrapping a whole ASP.NET page, ``<div class="has-sidebar">`` around everything)
   is ignored, except for comment sections, which may well be longer than the story.
2. The *main block* is the ``<article>``/``<main>``/``[role=main]`` holding most of the prose
   (several posts of a thread: their closest common container), else the element reached by
   descending from ``<body>`` while one child holds nearly all the prose (text outside links,
   outside chrome). A page of bare paragraphs has no such child: the whole body is read.
3. Inside the main block only sure chrome goes (comments, share buttons, signatures, scripts,
   forms, navigation, link-dense boxes without a heading); a ``header`` there may hold the title
   and stays.

Every walk is one pass over the elements (lengths are summed bottom-up), so a 40 MB page costs a
few passes, never a walk per element.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from forewarn.readers.html_text import SKIP_TAGS, local, remove_keeping_tail

NOTE = "read the main content; left out site navigation and comments"

# Words in an id or class that mark what is never the story, anywhere on the page.
_CHROME_WORDS = frozenset(
    {
        "menu",
        "menus",
        "menubar",
        "nav",
        "navbar",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "sidebars",
        "footer",
        "header",
        "masthead",
        "colophon",
        "comment",
        "comments",
        "commentlist",
        "respond",
        "reply",
        "replies",
        "share",
        "sharing",
        "sharedaddy",
        "social",
        "related",
        "relatedposts",
        "stats",
        "votes",
        "kudos",
        "recommended",
        "recommendations",
        "cookie",
        "cookies",
        "consent",
        "login",
        "signin",
        "signup",
        "register",
        "advert",
        "adverts",
        "advertisement",
        "ads",
        "ad",
        "sponsored",
        "widget",
        "widgets",
        "pagination",
        "pager",
        "signature",
        "tags",
        "tagcloud",
        "taglist",
    }
)
# Two words that together mark chrome (``message-user``, ``userTitle``: a forum post's author box).
_CHROME_PAIRS = frozenset({"messageuser", "userinfo", "userdetails", "usertitle", "userextras", "postauthor"})
# Of those, the ones that may name a part of the story block itself (``id="story-header"`` holds
# the title): inside the main block they do not remove anything.
_WEAK_INSIDE = frozenset({"header", "footer", "masthead", "reply"})
# Comment sections may be longer than the story; their marks hold however much text they have.
_COMMENT_WORDS = frozenset({"comment", "comments", "commentlist", "respond", "replies"})
# A class like ``has-sidebar`` or ``no-comments`` describes the layout, not the element.
_LAYOUT_PREFIXES = frozenset({"has", "with", "no", "show", "hide", "is", "without", "js", "toggle"})
_CHROME_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
)
_ALWAYS_TAGS = frozenset({"nav", "aside", "form", "dialog"}) | SKIP_TAGS
_OUTSIDE_TAGS = frozenset({"header", "footer"})
_MAIN_TAGS = frozenset({"article", "main"})
_NEVER = frozenset({"html", "body"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_LINK_DENSE_TAGS = frozenset(
    {"div", "ul", "ol", "dl", "table", "p", "section", "header", "footer", "td", "li"}
)
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Descend into a child while what is left beside it is at most this share of the prose …
_DOMINANT_SHARE = 0.1
# … and at most this many characters (a story's last scene in a block of its own stays).
_DOMINANT_SLACK = 1500


def chrome_words(el: Any) -> tuple[set[str], bool]:
    """The chrome words in ``el``'s id and class, and whether one of them names comments.

    Tokens split on ``-``/``_`` and camelCase: ``p-body-sidebar`` and ``commentList`` match,
    ``chapter-content`` and ``has-sidebar`` (a layout flag) do not.
    """
    found: set[str] = set()
    for value in (el.get("id"), el.get("class")):
        if not value:
            continue
        for token in value.split():
            words = [w for w in _WORD_SPLIT.split(_CAMEL.sub("-", token).lower()) if w]
            if not words or words[0] in _LAYOUT_PREFIXES:
                continue
            found.update(w for w in words if w in _CHROME_WORDS)
            found.update(a + b for a, b in pairwise(words) if a + b in _CHROME_PAIRS)
    return found, bool(found & _COMMENT_WORDS)


def _role(el: Any) -> str:
    return (el.get("role") or "").strip().lower()


def extract_main(body: Any) -> tuple[Any, bool]:
    """Find the story block under ``body`` and strip the chrome around and inside it, in place.

    Returns the element to read (``body`` itself on a page that is all story) and whether any
    text was left out.
    """
    order = [el for el in body.iter() if isinstance(el.tag, str)]
    if len(order) <= 1:
        return body, False
    tags = {el: local(el) for el in order}
    in_link: dict[Any, bool] = {}
    own: dict[Any, int] = {}  # prose characters directly inside an element (not in links)
    for el in order:
        parent = el.getparent()
        tag = tags[el]
        in_link[el] = tag == "a" or (parent is not None and in_link.get(parent, False))
    # bottom-up sums: all text, text in links, prose (text outside links)
    text: dict[Any, int] = dict.fromkeys(order, 0)
    link: dict[Any, int] = dict.fromkeys(order, 0)
    heading: dict[Any, bool] = dict.fromkeys(order, False)
    for el in reversed(order):
        tag = tags[el]
        if tag in SKIP_TAGS:
            text[el] = link[el] = 0
        else:
            n = len((el.text or "").strip())
            for child in el:
                if child.tail:
                    n += len(child.tail.strip())
            own[el] = n
            text[el] += n
            if in_link[el]:
                link[el] += n
            if tag in _HEADINGS:
                heading[el] = True
        parent = el.getparent()
        if parent is not None and parent in text and el is not body:
            text[parent] += text[el]
            link[parent] += link[el]
            heading[parent] = heading[parent] or heading[el]

    def prose(el: Any) -> int:
        return text[el] - link[el]

    page_prose = prose(body)
    if page_prose == 0:
        return body, False

    # 1. chrome marks (outermost only), a mark on half the page's prose ignored
    chrome: set[Any] = set()
    skipped: set[Any] = set()
    for el in order:
        parent = el.getparent()
        if el is body or tags[el] in _NEVER:
            continue
        if parent is not None and (parent in chrome or parent in skipped):
            skipped.add(el)
            continue
        if _is_chrome(el, tags[el], outside=True) and (
            _is_comment_block(el) or prose(el) < page_prose * 0.5 or tags[el] in SKIP_TAGS
        ):
            chrome.add(el)
    clean: dict[Any, int] = {}
    for el in reversed(order):
        if el in chrome or el in skipped:
            continue
        clean[el] = clean.get(el, 0) + (own.get(el, 0) if not in_link[el] else 0)
        parent = el.getparent()
        if parent is not None and el is not body:
            clean[parent] = clean.get(parent, 0) + clean[el]
    total = clean.get(body, 0)
    if total == 0:
        return body, False

    # 2. the main block
    main = _explicit_main(order, tags, chrome, skipped, clean, total)
    if main is None:
        main = _dominant_block(body, clean, heading, chrome)

    # 3. remove: chrome outside the main block, everything outside it, sure chrome inside it
    dropped = any(prose(el) or link[el] for el in chrome if tags[el] not in SKIP_TAGS)
    if main is not body:
        dropped = dropped or prose(main) < prose(body)
    here = prose(main)
    removed: set[Any] = set()
    for el in main.iter():
        if not isinstance(el.tag, str) or el is main:
            continue
        parent = el.getparent()
        if parent in removed:
            removed.add(el)
            continue
        tag = tags.get(el) or local(el)
        if tag in SKIP_TAGS:
            removed.add(el)
            continue
        if (
            _is_chrome(el, tag, outside=False) and (_is_comment_block(el) or prose(el) < here * 0.5)
        ) or _link_dense(el, tag, text, link, heading):
            removed.add(el)
    kept_inner = [el for el in removed if el.getparent() not in removed]
    if any(text.get(el, 0) for el in kept_inner):
        dropped = True
    for el in kept_inner:
        remove_keeping_tail(el)
    if main is body:
        for el in chrome:
            if el.getparent() is not None:
                remove_keeping_tail(el)
    return main, dropped


def _is_chrome(el: Any, tag: str, *, outside: bool) -> bool:
    if tag in _ALWAYS_TAGS:
        return True
    if outside and tag in _OUTSIDE_TAGS:
        return True
    role = _role(el)
    if role in _CHROME_ROLES:
        return True
    if tag in _MAIN_TAGS or role == "main":
        return False
    words, comments = chrome_words(el)
    if not outside:
        words -= _WEAK_INSIDE
    return bool(words) or comments


def _is_comment_block(el: Any) -> bool:
    return chrome_words(el)[1]


def _link_dense(
    el: Any, tag: str, text: dict[Any, int], link: dict[Any, int], heading: dict[Any, bool]
) -> bool:
    """A box of mostly links (tag list, 'next chapter', byline) inside the main block."""
    if tag == "footer":
        return not heading.get(el, False) and (text.get(el, 0) - link.get(el, 0)) < 1000
    if tag not in _LINK_DENSE_TAGS or heading.get(el, False):
        return False
    total = text.get(el, 0)
    return total > 0 and total < 400 and link.get(el, 0) >= 0.5 * total


def _explicit_main(
    order: list[Any],
    tags: dict[Any, str],
    chrome: set[Any],
    skipped: set[Any],
    clean: dict[Any, int],
    total: int,
) -> Any | None:
    """The outermost ``article``/``main``/``[role=main]`` blocks with the prose: one, or the
    closest container of several (the posts of a forum thread)."""
    found: list[Any] = []
    inside: set[Any] = set()
    for el in order:
        if el in chrome or el in skipped:
            continue
        parent = el.getparent()
        if parent is not None and parent in inside:
            inside.add(el)
            continue
        if tags[el] in _MAIN_TAGS or _role(el) == "main":
            inside.add(el)
            if clean.get(el, 0):
                found.append(el)
    if not found:
        return None
    held = sum(clean.get(el, 0) for el in found)
    if held < 0.5 * total:
        return None
    big = [el for el in found if clean.get(el, 0) >= 0.05 * held]
    if len(big) == 1:
        return big[0]
    return _common_ancestor(big)


def _common_ancestor(elements: list[Any]) -> Any:
    path = [elements[0], *elements[0].iterancestors()]
    common = {id(el): i for i, el in enumerate(path)}
    best = 0
    for el in elements[1:]:
        node = el
        while node is not None and id(node) not in common:
            node = node.getparent()
        if node is None:
            return path[-1]
        best = max(best, common[id(node)])
    return path[best]


def _dominant_block(body: Any, clean: dict[Any, int], heading: dict[Any, bool], chrome: set[Any]) -> Any:
    """Descend from ``body`` while one child holds nearly all of the prose and nothing beside
    it is a heading (a title or chapter heading above the story block keeps the block above) or
    a block of the same kind with prose in it (a story's short last scene in a div of its own)."""
    node = body
    while True:
        here = clean.get(node, 0)
        best = None
        best_len = 0
        for child in node:
            if isinstance(child.tag, str) and clean.get(child, 0) > best_len:
                best, best_len = child, clean.get(child, 0)
        rest = here - best_len
        if best is None or rest > _DOMINANT_SHARE * here or rest > _DOMINANT_SLACK:
            return node
        for child in node:
            if child is best or not isinstance(child.tag, str) or child in chrome:
                continue
            if heading.get(child, False):
                return node
            if clean.get(child, 0) and child.tag == best.tag and child.get("class") == best.get("class"):
                return node  # parallel blocks (scenes, pages of one chapter): all of them are story
        node = best
