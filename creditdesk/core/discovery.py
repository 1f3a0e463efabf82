"""Discovering what each installed app declares in a module of a known name (`demo`, `navigation`, `queues`, …).

A lower layer never imports an upper one by name: it asks for every app's `<module>`, in INSTALLED_APPS order.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def app_modules(module: str) -> Iterator[ModuleType]:
    """`<app>.<module>` of every installed creditdesk app that has one, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if config.name.startswith("creditdesk.") and module_has_submodule(config.module, module):
            yield import_module(f"{config.name}.{module}")
