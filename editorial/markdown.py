"""Render editor-written Markdown into the sanitised HTML, plain text and outline the API serves."""

import math
from dataclasses import dataclass, field

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

WORDS_PER_MINUTE = 220

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"style"}, "td": {"style"},
}  # fmt: skip


def heading_id(title):
    """Return an id for a heading: ASCII where possible, else in the heading's own script."""
    # A heading in Chinese or Arabic has no ASCII letters, and one of only emoji no letters at
    # all; an empty id would leave the heading out of the table of contents.
    return slugify(title) or slugify(title, allow_unicode=True) or "section"


# Raw HTML in the source is escaped, not passed through; nh3 then removes anything the
# renderer should never have produced, as a second line of defence.
_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .use(anchors_plugin, min_level=2, max_level=3, slug_func=heading_id)
)


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    text: str
    outline: list = field(default_factory=list)

    @property
    def word_count(self):
        return len(self.text.split())

    @property
    def reading_time_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))


def _inline_text(token):
    parts = []
    for child in token.children or ():
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


def render_markdown(source):
    """Render Markdown; headings at levels 2 and 3 get ids and form the outline."""
    tokens = _markdown.parse(source or "")
    html = nh3.clean(
        _markdown.renderer.render(tokens, _markdown.options, {}),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    blocks, outline = [], []
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        text = _inline_text(token)
        blocks.append(text)
        opening = tokens[index - 1]
        if opening.type == "heading_open" and opening.attrGet("id"):
            outline.append(
                {"id": opening.attrGet("id"), "title": text, "level": int(opening.tag[1])}
            )
    return RenderedMarkdown(html=html, text="\n\n".join(blocks), outline=outline)
