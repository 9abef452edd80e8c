import pytest


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (mails) of the block: `with on_commit(): client.post(...)`."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
