"""The site's Content-Security-Policy, with the one exception the Wagtail admin needs."""

from csp.middleware import CSPMiddleware

from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY everywhere; inline scripts allowed in the admin only.

    Wagtail's admin pages carry inline scripts of their own; the public pages carry none,
    so an injected inline script can never run where buyers browse.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            parts.update = update
        return parts
