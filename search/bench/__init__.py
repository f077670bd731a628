"""`make bench-search`: our engines against stock Wagtail search on synthetic catalogues."""
