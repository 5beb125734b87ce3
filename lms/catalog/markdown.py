"""Markdown → safe HTML: markdown-it-py (CommonMark + tables), then nh3 (an allow-list).

Raw HTML in the source is not interpreted; whatever the renderer emits passes the
sanitiser, so no script, event handler, style or foreign frame can reach a page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table")
_md.enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
    "sup", "sub", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"style"}, "td": {"style"},  # table alignment from markdown-it (filtered below)
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attr(tag: str, attr: str, value: str) -> str | None:
    if attr == "style":
        # Only the text-align markdown-it writes for table columns.
        return value if value in {"text-align:left", "text-align:center",
                                  "text-align:right"} else None
    if attr == "class":
        return value if value.startswith("language-") else None
    return value


@lru_cache(maxsize=2048)
def _render(text: str) -> str:
    html = _md.render(text or "")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer",
                     attribute_filter=_filter_attr)


def render(text: str) -> Markup:
    """Sanitised HTML for a Markdown text, safe to put in a template."""
    return Markup(_render(text))  # noqa: S704 - sanitised by nh3 above


def render_inline(text: str) -> Markup:
    """Like render() but without the wrapping paragraph, for short texts (options)."""
    html = _render(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - sanitised by nh3 above
