"""Production lots and their traceability: what a producer records of a lot, its public page and QR label."""
