"""Demo data of the participation app (the lead merges the ideas part in here)."""

from . import demo_meetings


def load(*, stdout):
    demo_meetings.load(stdout=stdout)
