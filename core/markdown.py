"""Markdown to sanitised HTML: the one way editor-written text reaches a page or feed."""

import functools
import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


_local = threading.local()


def _converter() -> markdown.Markdown:
    # Building a Markdown instance costs as much as converting a release: one per thread, reset.
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["tables", "sane_lists"], output_format="html"
        )
    return converter.reset()


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML that keeps structure and links but never scripts or styles."""
    return mark_safe(_render(text or ""))  # noqa: S308 - sanitised by nh3 in _render()


@functools.lru_cache(maxsize=512)
def _render(text: str) -> str:
    """A pure function of the text, so the last few hundred texts shown are kept per process
    (a list page renders the same bodies for every visitor)."""
    html = _converter().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
