from django.core.management.base import BaseCommand
from django.db import transaction

from eximee.discovery import app_modules


class Command(BaseCommand):
    help = "Loads demo data: every installed app's <app>.demo.load(), in INSTALLED_APPS order."

    def handle(self, *args, **options):
        for config, module in app_modules("demo"):
            with transaction.atomic():
                lines = module.load() or []
            for line in lines:
                self.stdout.write(f"  {config.label}: {line}")
