"""
Every address the service answers, in one place: the API router (each registered content type's
viewset from content/registry.py, tags, search, sync, images, webhooks, enquiries), the schema
and docs, sitemap and feeds, probes, the admin; and `VIEW_POLICIES`, how each view is served.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from api.feeds import AtomContentFeed, ContentFeed
from api.policies import (
    NOT_RATE_LIMITED,
    BodyLimit,
    Problems,
    PublicContent,
    RateLimit,
    RedirectsRenamed,
    SelectableFields,
    WritesEntries,
    attach,
)
from api.preview import PreviewView
from api.redirects import SlugRedirectViewSet
from api.renderers import SCHEMA_RENDERERS
from api.sitemaps import sitemaps
from api.views import (
    ApiIndexView,
    HealthView,
    MetricsView,
    ReadinessView,
    SyncView,
    WorkerReadinessView,
)
from apibase.problems import unknown_api_path
from content import registry
from content.views import PublishableContentViewSet
from editorial.admin_views import link_targets, markdown_preview, overdue_review
from enquiries.views import EnquiryCreateView, EnquiryFormView
from entries.views import SlugLookupViewSet
from images.views import ImageViewSet, serve_media
from search.views import SearchSuggestViewSet, SearchViewSet
from taxonomy.views import ConditionViewSet, TopicViewSet
from webhooks.views import WebhookEndpointViewSet

# How each view is served (api/policies.py), in this one place: read by the answer cache, the
# budgets, conditional requests and the schema. A subclass inherits its base's policies, so a
# base comes before its subclasses. Problems name entries of api/schema_components.PROBLEMS.
VIEW_POLICIES = [
    # Every content type's viewset, conditions and topics: validators, 304s and the
    # server-side cache of answers (api/conditional.py); `?fields=` on lists, and editors'
    # writes held to the version named by If-Match (entries/views.py).
    (SlugLookupViewSet, [PublicContent(), SelectableFields(), WritesEntries()]),
    # Content types answer an old slug with a 301 to the renamed entry (content/views.py).
    (PublishableContentViewSet, [RedirectsRenamed()]),
    # Ranking across every type costs more than a list: a stricter budget on top. An answer
    # depends on the content and the address alone, as a list's does.
    (SearchViewSet, [PublicContent(), RateLimit(scope="search")]),
    (SearchSuggestViewSet, [PublicContent()]),
    (SlugRedirectViewSet, [PublicContent()]),
    (SyncView, [PublicContent(), Problems({400: "InvalidQuery", 409: "SyncRestart"})]),
    (PreviewView, [Problems({404: "NotFound", 410: "Gone"})]),
    (WebhookEndpointViewSet, [Problems({401: "Unauthorized", 403: "Forbidden"})]),
    (
        EnquiryCreateView,
        [
            RateLimit(scope="enquiries"),
            Problems({413: "PayloadTooLarge", 415: "UnsupportedMediaType"}),
        ],
    ),
    # Uploads are larger than any JSON body: api.throttling takes this limit for this view.
    (
        ImageViewSet,
        [
            # Editors' changes held to the version named by If-Match (apibase/preconditions.py).
            WritesEntries(),
            BodyLimit(settings.IMAGE_MAX_UPLOAD_BYTES + 65_536),
            Problems({409: "ImageInUse"}, actions={"destroy"}),
        ],
    ),
    # Probes and metrics are never counted against a budget.
    (HealthView, [NOT_RATE_LIMITED]),
    (ReadinessView, [NOT_RATE_LIMITED, Problems({503: "NotReady"})]),
    (WorkerReadinessView, [NOT_RATE_LIMITED, Problems({503: "WorkerNotReady"})]),
    (MetricsView, [NOT_RATE_LIMITED, Problems({401: "Unauthorized", 404: "NotFound"})]),
]
for view_class, declared in VIEW_POLICIES:
    attach(view_class, *declared)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for content_type in registry.content_types():
    router.register(content_type.prefix, content_type.viewset, basename=content_type.name)
router.register("conditions", ConditionViewSet, basename="condition")
router.register("topics", TopicViewSet, basename="topic")
router.register("search/suggest", SearchSuggestViewSet, basename="search-suggest")
router.register("search", SearchViewSet, basename="search")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("images", ImageViewSet, basename="image")
router.register("redirects", SlugRedirectViewSet, basename="redirect")

urlpatterns = [
    path("api/v1/", ApiIndexView.as_view(), name="api-index"),
    path("api/v1/preview/<str:token>/", PreviewView.as_view(), name="preview"),
    path("api/v1/", include(router.urls)),
    path("api/v1/sync/", SyncView.as_view(), name="sync"),
    path("api/v1/enquiries/", EnquiryCreateView.as_view(), name="enquiry-create"),
    path("api/v1/enquiries/form/", EnquiryFormView.as_view(), name="enquiry-form"),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(renderer_classes=SCHEMA_RENDERERS),
        name="schema",
    ),
    # Swagger UI's start-up script as a file of its own, and Redoc without web fonts from
    # Google: the Content-Security-Policy allows scripts and fonts from this server only.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("feeds/articles.rss", ContentFeed(), name="feed-rss"),
    path("feeds/articles.atom", AtomContentFeed(), name="feed-atom"),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("readyz", ReadinessView.as_view(), name="readyz"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("readyz/worker", WorkerReadinessView.as_view(), name="readyz-worker"),
    path("admin/editorial/overdue-review/", overdue_review, name="overdue-review"),
    path("admin/editorial/markdown-preview/", markdown_preview, name="markdown-preview"),
    path("admin/editorial/link-targets/", link_targets, name="link-targets"),
    path("admin/", admin.site.urls),
    # Images in the local folder (the default storage); a bucket or CDN serves them otherwise.
    path("media/<path:name>", serve_media, name="media"),
    # Last: any other address under /api/ is a problem details 404, with DEBUG on too (Django
    # would answer its HTML page). A path that only lacks its slash is still redirected.
    re_path(r"^api(?:/|$)", unknown_api_path),
]

handler400 = "apibase.problems.bad_request"
handler403 = "apibase.problems.permission_denied"
handler404 = "apibase.problems.page_not_found"
handler500 = "apibase.problems.server_error"
