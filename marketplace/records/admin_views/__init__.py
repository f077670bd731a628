"""The agency's record-keeping admin pages: decision annexes and held rows, revocations, certificate documents."""
