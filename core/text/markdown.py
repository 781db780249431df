"""Markdown to sanitised HTML: the one way editor-written text reaches a page, feed or answer.

markdown-it-py (CommonMark, with tables) parses in time linear in the text, so no text can make
a save run for seconds (Python-Markdown took 95 s on 90 KB of unclosed links); nh3 then keeps
structure and links but never scripts or styles. Pages show HTML stored at save time
(`Publishable.MARKDOWN_FIELDS`): a visitor's request never renders Markdown.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}

_parser = MarkdownIt("commonmark").enable("table")


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML that keeps structure and links but never scripts or styles."""
    html = _parser.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean.strip())  # noqa: S308 - sanitised by nh3 just above
