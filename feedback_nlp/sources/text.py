"""Text helpers shared by collectors: HTML to plain text, whitespace, safe excerpts."""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags after which a line break keeps paragraphs apart in the plain text.
_LINE_TAGS = frozenset({"br", "li", "tr", "dt", "dd"})   # a new line before them
_BLOCK_TAGS = frozenset({   # paragraphs: a line break on both sides
    "p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "pre", "hr",
})
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)*")
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>|&[a-zA-Z]+;|&#\d+;")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS or tag in _LINE_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs kept."""
    if not _LOOKS_LIKE_HTML.search(html):
        return clean_text(html)
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return clean_text("".join(parser.parts))


def clean_text(text: str) -> str:
    """Collapse runs of spaces, trim lines, keep at most one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_DIGITS = re.compile(r"\d")
_EMAILS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def safe_excerpt(text: str, limit: int = 40) -> str:
    """A short excerpt for a reject: digits and e-mail addresses masked, one line."""
    text = _EMAILS.sub("[EMAIL]", " ".join(text.split()))
    text = _DIGITS.sub("#", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
