"""Every content type's change form gives its Markdown field the editor and spans its titles."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "admin_path", "markdown", "wide"),
    [
        (ArticleFactory, "articles/article", "body", ["title", "summary"]),
        (FAQFactory, "articles/faq", "answer", ["question"]),
        (ResearchSummaryFactory, "research/researchsummary", "body", ["title", "summary"]),
    ],
)
def test_change_and_add_forms_carry_the_editor(editor, factory, admin_path, markdown, wide):
    client = Client()
    client.force_login(editor)
    entry = factory()
    for path in (f"/admin/{admin_path}/{entry.pk}/change/", f"/admin/{admin_path}/add/"):
        response = client.get(path)
        assert response.status_code == 200
        form = response.context["adminform"].form
        attrs = form[markdown].field.widget.get_context(markdown, "", {})["widget"]["attrs"]
        assert attrs["class"] == "markdown-editor editor-wide"
        assert attrs["data-link-targets-url"] == "/admin/editorial/link-targets/"
        assert attrs["data-images-url"] == "/api/v1/images/"
        for name in wide:
            assert "editor-wide" in form.fields[name].widget.attrs["class"].split()
        html = response.content.decode()
        assert 'data-preview-url="/admin/editorial/markdown-preview/"' in html
        assert "editorial/markdown-editor.js" in html
        assert "editorial/markdown-editor.css" in html
        # Nothing but the Markdown field gets the editor.
        assert html.count('class="markdown-editor editor-wide"') == 1
