"""
Who an API request comes from, found once per request.

api.throttling counts a request against its client's budgets before the view runs, so it
runs the view's authenticators first; DRF's view then authenticates the same request again.
Looking a token up is a query: `TokenAuthentication` keeps what it found on the Django request
(`token_lookup`), and the view's pass answers from that. Session authentication needs no
sharing: Django's AuthenticationMiddleware keeps the user it loaded on the request.
"""

from rest_framework import authentication, exceptions


class TokenLookup:
    """What looking up a request's token gave: (user, token), None, or a refusal."""

    def __init__(self, found=None, refusal=None):
        self.found, self.refusal = found, refusal

    def outcome(self):
        if self.refusal is not None:
            raise self.refusal
        return self.found


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; a request's token is looked up once, whoever asks first."""

    def authenticate(self, request):
        # Set by api.throttling on the Django request, which DRF's request reads through.
        lookup = getattr(request, "token_lookup", None)
        if lookup is None:
            try:
                lookup = TokenLookup(found=super().authenticate(request))
            except exceptions.APIException as refusal:
                lookup = TokenLookup(refusal=refusal)
            request.token_lookup = lookup
        return lookup.outcome()
