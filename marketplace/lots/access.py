"""Who may manage which lots in the admin: the agency every lot, a producer its own products' lots.

The model permissions (add, change, delete) come with the roles (marketplace.accounts.roles);
this policy narrows them to the user's producers (Lot.objects.for_user), so the listing, the
header buttons and every per-lot view agree. Another producer's lot answers 404.
"""

from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import Lot


class LotPermissionPolicy(ModelPermissionPolicy):
    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        return Lot.objects.for_user(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Lot.objects.none()
        return Lot.objects.for_user(user)
