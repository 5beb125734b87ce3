"""Take a form as the browser renders it: every field it carries, with its current value."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, action: str | None, form_id: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.want = action
        self.want_id = form_id
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done:
            self.inside = ((self.want is None or a.get("action", "") == self.want)
                           and (self.want_id is None or a.get("id") == self.want_id))
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                # A browser posts both values and the server reads the first: a form that
                # renders a single-value field twice is a bug the person would hit.
                assert name not in self.fields, f"field {name!r} is rendered twice in a form"
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str | None = None, form_id: str | None = None
                ) -> dict[str, str]:
    """The fields of the first form (or the form posting to `action`, or with id `form_id`)
    and their values."""
    parser = _FormParser(action, form_id)
    parser.feed(html)
    assert parser.done or parser.fields, f"no form {action or ''} on the page"
    return parser.fields


class _AllForms(HTMLParser):
    """Every form of a page: single-value field names given twice in one form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.seen: set[str] = set()
        self.twice: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside, self.seen = True, set()
            return
        name = a.get("name")
        if not self.inside or not name or tag not in ("input", "select", "textarea"):
            return
        kind = a.get("type", "text") if tag == "input" else tag
        if kind in ("checkbox", "radio", "submit", "button", "file") or "multiple" in a:
            return
        if name in self.seen:
            self.twice.append(name)
        self.seen.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def fields_given_twice(html: str) -> list[str]:
    """Names of single-value fields rendered twice within one form (the browser posts both;
    the server reads the first)."""
    parser = _AllForms()
    parser.feed(html)
    return parser.twice
