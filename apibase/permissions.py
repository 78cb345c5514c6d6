"""Who may write content through the API: staff with the model's permissions."""

from rest_framework import permissions


class ReadOnlyOrModelPermissions(permissions.DjangoModelPermissions):
    """
    Reads for everyone; writes for signed-in staff holding the model's add, change or delete
    permission.

    What a reader sees is decided by the QuerySet (`visible_to()`), not here.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method not in view.allowed_methods:
            return True  # let the view answer 405, whoever asks
        user = request.user
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
        return super().has_permission(request, view)
