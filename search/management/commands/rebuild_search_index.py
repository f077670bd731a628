import time

from django.core.management.base import BaseCommand

from search.engines import indexing_engines


class Command(BaseCommand):
    help = "Rebuild every search index from the visible catalogue without downtime."

    def handle(self, *args, **options):
        for engine in indexing_engines():
            started = time.monotonic()
            count = engine.rebuild()
            self.stdout.write(
                f"Search index rebuilt: {count} visible products in the {engine.describe()} index "
                f"in {time.monotonic() - started:.1f} s."
            )
