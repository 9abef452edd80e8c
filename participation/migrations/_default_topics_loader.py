"""Shared by the data migration 0002 and the browser tests (which flush the tables)."""

import importlib


def create(apps):
    module = importlib.import_module("participation.migrations.0002_default_topics")
    module.create_topics(apps, None)
