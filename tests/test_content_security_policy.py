"""Every answer carries the Content-Security-Policy of the settings (api.csp builds it once)."""

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from api.csp import CSPMiddleware
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/articles/a/", "/admin/login/"])
def test_answers_carry_the_settings_policy_as_django_csp_builds_it(client, url):
    ArticleFactory(slug="a")
    for _ in range(2):  # a miss, then an answer from the cache
        response = client.get(url)
        assert response["Content-Security-Policy"] == build_policy()
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert "Content-Security-Policy-Report-Only" not in response


def test_a_changed_policy_is_sent_at_once(client, settings):
    ArticleFactory(slug="a")
    client.get("/api/v1/articles/a/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"]},
        "EXCLUDE_URL_PREFIXES": ["/admin/"],
    }
    response = client.get("/api/v1/articles/a/")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    assert "Content-Security-Policy-Report-Only" not in client.get("/admin/login/")


def through_the_middleware(view):
    request = RequestFactory().get("/somewhere/")
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    return middleware.process_response(request, view(request)), request


def test_a_view_s_own_policy_and_nonces_are_left_to_django_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    updated, _ = through_the_middleware(
        csp_update({"img-src": ["https://images.example"]})(lambda request: HttpResponse())
    )
    assert "https://images.example" in updated["Content-Security-Policy"]
    exempt, _ = through_the_middleware(csp_exempt()(lambda request: HttpResponse()))
    assert "Content-Security-Policy" not in exempt

    def uses_a_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    with_nonce, request = through_the_middleware(uses_a_nonce)
    assert f"'nonce-{with_nonce.content.decode()}'" in with_nonce["Content-Security-Policy"]
    plain, request = through_the_middleware(lambda request: HttpResponse())
    assert plain["Content-Security-Policy"] == build_policy()
    assert "nonce" not in plain["Content-Security-Policy"]
    with pytest.raises(Exception, match="after the CSP header"):
        str(request.csp_nonce)
