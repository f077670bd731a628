from django.core.management.base import BaseCommand

from marketplace.accounts.roles import WORKFLOW_NAME, setup_roles


class Command(BaseCommand):
    help = "Create or update the Agency and Producers groups and the moderation workflow (idempotent)."

    def handle(self, *args, **options):
        agency, producers = setup_roles()
        self.stdout.write(
            f"Roles ready: groups “{agency.name}” and “{producers.name}”; /products/ goes through “{WORKFLOW_NAME}”."
        )
