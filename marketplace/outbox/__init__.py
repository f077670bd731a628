"""The one transactional e-mail outbox that inquiries, sample orders and meeting requests share.

Each kind keeps its own table (what a row points at and what it says differ) on the abstract
`models.OutboxEmail`, and registers how to build its message (`sending.register`). Everything
else is here once: who the producer's and the agency's addresses are (`recipients`), the
attempt with back-off, the one task, the one `send_due` with its deadline, and the resend.
"""
