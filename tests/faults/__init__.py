"""Faults survived: each test breaks one real part (a Redis, a search server, an S3 server, an
SMTP server, a worker process) while the site works, and checks what buyers see and that
nothing is lost. `make bench-faults` (tests/bench/faults.py) does the same under load on the stack."""
