"""Admin pages that span every content type."""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from apibase.problems import problem_response
from content import registry
from content.models import PlainLanguageContent
from entries.markdown import render_markdown
from entries.references import content_models


@staff_member_required
def overdue_review(request):
    """
    List the published entries of every type whose medical review is overdue, and those
    above the readability target: hard to read.
    """
    groups, hard = [], []
    for label, months in settings.EDITORIAL_REVIEW_INTERVAL_MONTHS.items():
        model = apps.get_model(label)
        opts = model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        entries = [
            (entry, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk]))
            for entry in model.objects.review_overdue().order_by("last_reviewed", "pk")
        ]
        groups.append({"name": opts.verbose_name_plural, "months": months, "entries": entries})
        if issubclass(model, PlainLanguageContent):
            hard += [
                (
                    entry,
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk]),
                    opts.verbose_name,
                )
                for entry in model.objects.hard_to_read().order_by("-reading_grade", "pk")
            ]
    context = {
        **admin.site.each_context(request),
        "title": "Entries overdue for medical review",
        "groups": groups,
        "hard_to_read": sorted(hard, key=lambda row: -row[0].reading_grade),
        "target_grade": settings.READABILITY_TARGET_GRADE,
    }
    return TemplateResponse(request, "editorial/overdue_review.html", context)


@require_POST
@staff_member_required
def markdown_preview(request):
    """Render Markdown as the API will serve it, for the live preview beside the editor."""
    return JsonResponse({"html": render_markdown(request.POST.get("text", "")).html})


LINK_TARGETS_LIMIT = 20
LINK_QUERY_MAX_LENGTH = 200


@staff_member_required
def link_targets(request):
    """
    List entries of every type an editor may link to from a Markdown body, drafts included.

    `?q=` narrows by title (case-insensitive); each entry gives the reader-facing path the
    link should point to, and its state, so that a link to a draft is made knowingly.
    """
    query = request.GET.get("q", "").strip()
    if len(query) > LINK_QUERY_MAX_LENGTH:
        return problem_response(
            request, 400, f"q is longer than {LINK_QUERY_MAX_LENGTH} characters."
        )
    results = []
    for model in content_models():
        opts = model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        title = model.title_field
        entries = model.objects.filter(**{f"{title}__icontains": query}).order_by(
            Lower(title), "pk"
        )
        path = registry.for_model(model).frontend_path
        results.extend(
            {
                "type": model.reference_type,
                "type_label": str(opts.verbose_name),
                "title": entry[title],
                "slug": entry["slug"],
                "status": entry["status"],
                "path": path.format(slug=entry["slug"]),
            }
            for entry in entries.values(title, "slug", "status")[:LINK_TARGETS_LIMIT]
        )
    results.sort(key=lambda item: item["title"].casefold())
    return JsonResponse({"results": results[:LINK_TARGETS_LIMIT]})
