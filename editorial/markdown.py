"""Render editor-written Markdown into the sanitised HTML, plain text and outline the API serves."""

import math
from dataclasses import dataclass, field

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.anchors import anchors_plugin

WORDS_PER_MINUTE = 220

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
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


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    text: str
    outline: list = field(default_factory=list)
    # Slugs of images the source places that the library does not hold.
    missing_images: tuple = ()

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
    slugs, images = _library_images(tokens)
    html = nh3.clean(
        _markdown.renderer.render(tokens, _markdown.options, {"images": images}),
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
    return RenderedMarkdown(
        html=html,
        text="\n\n".join(blocks),
        outline=outline,
        missing_images=tuple(sorted(slugs - set(images))),
    )
