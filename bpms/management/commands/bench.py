from django.core.management.base import BaseCommand, CommandError

from eximee.bench import discover


class Command(BaseCommand):
    help = "Runs a named benchmark (e.g. `bench engine`) and prints its figures; `bench` alone lists them."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        parser.add_argument("--repeat", type=int, default=300, help="operations per measured figure")
        parser.add_argument("--clients", type=int, default=8, help="concurrent clients for API figures")

    def handle(self, *args, name=None, **options):
        benchmarks = discover()
        if name is None:
            for known, (_, description) in sorted(benchmarks.items()):
                self.stdout.write(f"{known}: {description}")
            return
        if name not in benchmarks:
            raise CommandError(f"unknown benchmark '{name}'; known: {', '.join(sorted(benchmarks))}")

        def report(label, value, unit="", note=""):
            number = f"{value:,.1f}" if isinstance(value, float) else str(value)
            self.stdout.write(f"{label:<58} {number:>10} {unit:<6} {note}".rstrip())

        benchmarks[name][0](report, options)
