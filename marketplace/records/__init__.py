"""The agency's record-keeping: OCOP decisions imported and revoked, certificate documents, expiry care.

Decision annexes (annexes/) and the rows held from them, revocations, the certificate
documents producers upload, expiry reminders and the dashboard's expiry panel.
"""
