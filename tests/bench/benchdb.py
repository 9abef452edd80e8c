"""The benchmark scripts' own PostgreSQL databases."""


def ensure_database(url):
    """Create the database named at the end of `url` (postgres://…/name) unless it exists."""
    import psycopg

    name = url.rsplit("/", 1)[-1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
