"""
django-csp's middleware, with the settings' policies built once instead of for every answer.

django-csp builds both policies (enforced and report-only) from the settings for each
response: a sixth of a cached answer's CPU. A response that asks for nothing of its own (no
nonce was used, none of django-csp's decorators ran) gets exactly the settings' policies,
which change only with the settings; django-csp builds those, once. Every other response is
left to django-csp as it is.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What django-csp's decorators put on a response.
OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def settings_policies():
    """Each header with the settings' policy for it and the address prefixes it skips."""
    return [
        (header, build_policy(report_only=report_only), tuple(excluded))
        for header, report_only, excluded in (
            (HEADER, False, _excluded("CONTENT_SECURITY_POLICY")),
            (HEADER_REPORT_ONLY, True, _excluded("CONTENT_SECURITY_POLICY_REPORT_ONLY")),
        )
    ]


def _excluded(setting):
    return (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()


@receiver(setting_changed)
def forget_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policies.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in OWN_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in {404, 500} and settings.DEBUG:
            return response  # as django-csp: Django's debug pages are left alone
        for header, policy, excluded in settings_policies():
            if policy and header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
