"""Benchmarks for `python manage.py bench <name>`. Each app registers its own in `<app>/benchmarks.py`:

    from eximee.bench import benchmark

    @benchmark("engine", "starts, completions and loops through the BPMN engine")
    def engine(report, options):
        report("starts/s", 250.0, ceiling="...")

`report(label, value, unit="", note="")` prints one figure; figures of one run are comparable with
each other, so print each beside the ceiling it should be read against."""

import statistics
import time
from eximee.discovery import app_modules

_registry = {}


def benchmark(name, description):
    def register(func):
        _registry[name] = (func, description)
        return func
    return register


def discover():
    for _ in app_modules("benchmarks"):
        pass
    return dict(_registry)


def timed(func, repeat):
    """(operations per second, [seconds of each call]) of `repeat` sequential calls."""
    durations = []
    began = time.perf_counter()
    for index in range(repeat):
        start = time.perf_counter()
        func(index)
        durations.append(time.perf_counter() - start)
    return repeat / (time.perf_counter() - began), durations


def p95(durations):
    return statistics.quantiles(durations, n=20)[-1] if len(durations) >= 20 else max(durations)
