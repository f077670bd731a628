"""Producer accounts: roles, invitations, the producer's own profile, demo logins, the producer scope.

The two roles and their workflow (roles), inviting and deactivating accounts (invitations,
admin_views), the demo logins (demo), and the producer scope where Wagtail's admin counts
or lists on its own (scope, wagtail_hooks).
"""
