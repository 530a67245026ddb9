from importlib import import_module

from django.apps import apps


def app_modules(module_name):
    """Yield (app config, module) for every installed app that has `<app>.<module_name>`.

    Apps contribute demo data, service-task handlers and benchmarks by convention, in a module
    of that name; an app without one is skipped, but an import error inside one is raised."""
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        try:
            module = import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
            continue
        yield config, module
