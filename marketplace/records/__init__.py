"""The agency's record-keeping: decision annexes imported, held rows, revocations, certificate documents,
expiry reminders and the dashboard's expiry panel."""
