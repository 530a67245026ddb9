from django.core.management.base import BaseCommand

from eximee.endpoints import matrix_markdown


class Command(BaseCommand):
    help = "Prints the role matrix of every API endpoint as a markdown table (for docs/security.md)."

    def handle(self, *args, **options):
        self.stdout.write(matrix_markdown())
