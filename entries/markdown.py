"""Render editor-written Markdown into the sanitised HTML, plain text and outline the API serves."""

import math
import re
from dataclasses import dataclass, field

import nh3
from django.db import models
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

WORDS_PER_MINUTE = 220

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dfn", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title", "data-glossary"},
    "dfn": {"data-glossary"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"style"}, "td": {"style"},
    # Only what render_image() writes: images come from the library, nowhere else.
    "img": {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "alt"},
}  # fmt: skip
# How wide a body image is shown: the whole screen on a phone, a text column beyond.
BODY_IMAGE_SIZES = "(max-width: 800px) 100vw, 800px"
IMAGE_SCHEME = "image:"


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


def render_image(self, tokens, index, options, env):
    """Write `![alt](image:slug)` as a responsive <img> of the library's renditions."""
    token = tokens[index]
    alt = self.renderInlineAsText(token.children, options, env)
    image = env["images"].get(token.attrGet("src").removeprefix(IMAGE_SCHEME))
    if image is None:  # another address, or an image since deleted: only its words
        return escapeHtml(alt)
    return image_html(image, alt or image.alt_text)


def image_html(image, alt):
    renditions = [spec for spec in image.renditions() if spec.ratio == "original"]
    webp = [spec for spec in renditions if spec.format == "webp"]
    # The JPEG for browsers without WebP: the largest up to 960 pixels wide.
    jpeg = [spec for spec in renditions if spec.format == "jpeg"]
    fallback = ([spec for spec in jpeg if spec.width <= 960] or jpeg)[-1]
    srcset = ", ".join(f"{image.rendition_url(spec)} {spec.width}w" for spec in webp)
    return (
        f'<img src="{escapeHtml(image.rendition_url(fallback))}" srcset="{escapeHtml(srcset)}" '
        f'sizes="{BODY_IMAGE_SIZES}" width="{image.width}" height="{image.height}" '
        f'loading="lazy" decoding="async" alt="{escapeHtml("" if image.is_decorative else alt)}">'
    )


_markdown.add_render_rule("image", render_image)


def _image_tokens(tokens):
    for token in tokens:
        for child in token.children or ():
            src = child.attrGet("src") if child.type == "image" else None
            if src and src.startswith(IMAGE_SCHEME):
                yield child


def _library_images(tokens):
    """Read the images a document places, by slug, in one query (none if it places none)."""
    slugs = {token.attrGet("src").removeprefix(IMAGE_SCHEME) for token in _image_tokens(tokens)}
    if not slugs:
        return slugs, {}
    from images.models import Image  # the library is an app of its own

    return slugs, {image.slug: image for image in Image.objects.filter(slug__in=slugs)}


# A glossary mark names its entry by slug, and by nothing else.
_SLUG = re.compile(r"[-\w]+")


def _keep_attribute(element, attribute, value):
    if attribute == "data-glossary" and not _SLUG.fullmatch(value):
        return None
    return value


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    text: str
    outline: list = field(default_factory=list)
    # Slugs of images the source places that the library does not hold.
    missing_images: tuple = ()
    # The glossary entries marked, {"slug", "term"} each, in the order of their first mention.
    glossary_terms: list = field(default_factory=list)

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


def _mark_terms(tokens, terms):
    """
    Wrap the first mention of each glossary term in <dfn> (<abbr> for an abbreviation).

    Only running text is marked: never a heading, a link's text or code. Returns the terms
    marked, in order.
    """
    marked, found = set(), []
    for index, token in enumerate(tokens):
        if token.type != "inline" or tokens[index - 1].type == "heading_open":
            continue
        children, in_link = [], 0
        for child in token.children or ():
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            if child.type != "text" or in_link:
                children.append(child)
                continue
            position = 0
            for start, end, name in terms.find(child.content, marked):
                found.append({"slug": name.slug, "term": name.term})
                children += [
                    _text(child.content[position:start]),
                    _raw(name.opening_tag),
                    _text(child.content[start:end]),
                    _raw(name.closing_tag),
                ]
                position = end
            children.append(_text(child.content[position:]) if position else child)
        token.children = children
    return found


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token


def _raw(markup):
    # The renderer writes html_inline tokens as they are; the source's own HTML never
    # becomes one ("html" is off), and nh3 checks these like the rest.
    token = Token("html_inline", "", 0)
    token.content = markup
    return token


def render_markdown(source, terms=None):
    """
    Render Markdown; headings at levels 2 and 3 get ids and form the outline.

    With `terms` (a `content.glossary_terms.TermMatcher`), the first mention of each
    glossary term in the running text is marked.
    """
    tokens = _markdown.parse(source or "")
    slugs, images = _library_images(tokens)
    glossary_terms = _mark_terms(tokens, terms) if terms else []
    html = nh3.clean(
        _markdown.renderer.render(tokens, _markdown.options, {"images": images}),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        attribute_filter=_keep_attribute,
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
    return RenderedMarkdown(
        html=html,
        text="\n\n".join(blocks),
        outline=outline,
        missing_images=tuple(sorted(slugs - set(images))),
        glossary_terms=glossary_terms,
    )


class RendersMarkdown(models.Model):
    """
    An entry whose Markdown is rendered when it is saved, into fields stored beside it, so
    that reads cost nothing more. Every save renders, whoever makes it (API, admin, import).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_body()
        super().save(*args, **kwargs)

    def render_body(self):
        """Set the fields derived from the Markdown (HTML, plain text...); none by default."""
