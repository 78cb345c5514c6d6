"""Who may manage webhook endpoints: staff with the model's permissions, reads included."""

from rest_framework import permissions


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Signed-in staff holding the model's permission for the method: view to read, too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if request.method not in view.allowed_methods:
            return True  # let the view answer 405
        return user.is_staff and super().has_permission(request, view)
