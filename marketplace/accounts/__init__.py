"""Producer accounts: the two roles, inviting and deactivating accounts, the producer's own profile,
the demo logins, and the producer scope in Wagtail's admin."""
