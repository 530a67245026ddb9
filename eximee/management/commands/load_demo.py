from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Loads demo data: every installed app's <app>.demo.load(), in INSTALLED_APPS order."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                lines = module.load() or []
            for line in lines:
                self.stdout.write(f"  {config.label}: {line}")
