def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes several seconds (subprocesses, a real server); still in the suite"
    )
