import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eximee.bench import discover
from eximee.benchmarks import markdown_table


class Command(BaseCommand):
    help = "Runs a named benchmark (e.g. `bench engine`) and prints its figures; `bench` alone lists them."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        parser.add_argument("--repeat", type=int, default=300, help="operations per measured figure")
        parser.add_argument("--clients", type=int, default=8, help="concurrent clients for API figures")
        parser.add_argument("--timers", type=int, default=10_000, help="timers due at once (bench async)")
        parser.add_argument("--timer-timeout", type=int, default=900, help="seconds to wait for them to fire")
        parser.add_argument("--quick", action="store_true", help="`all`: short phases and small data (a smoke test)")
        parser.add_argument("--duration", type=float, default=None, help="`all`: seconds per load phase")
        parser.add_argument("--output", default=None, help="`all`: where to write the JSON (default var/bench/<time>.json)")
        parser.add_argument("--history-rows", type=int, default=None,
                            help="`all`: history rows under the list figures (default 1,000,000; 10,000 with --quick)")
        parser.add_argument("--markdown", metavar="JSON", default=None,
                            help="print the Markdown table of a `bench all` JSON file instead of running")

    def handle(self, *args, name=None, **options):
        if options["markdown"]:
            self.stdout.write(markdown_table(json.loads(Path(options["markdown"]).read_text())))
            return
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
