"""Backup and restore, checked end to end (not collected by pytest; run it by hand).

    /work/venv/bin/python tests/bench/backup_restore_check.py

1. creates the PostgreSQL database quartier_backupcheck and fills it with the demo data
   (manage.py demo --no-serve), plus a few media files;
2. backs it up with scripts/backup.sh;
3. restores into the empty database quartier_backupcheck_restored and an empty media folder
   with scripts/restore.sh;
4. compares the row count of every table and the media files (names and bytes).
Exit code 0 when everything matches. PG_URL overrides postgres://postgres@127.0.0.1:5432.
"""

import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
SOURCE, RESTORED = "quartier_backupcheck", "quartier_backupcheck_restored"


def run(*args, env=None, capture=False):
    print("$", " ".join(str(arg) for arg in args), flush=True)
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else None


def psql(database, sql):
    return run("psql", f"{PG}/{database}", "-tAc", sql, capture=True).strip()


def recreate(database):
    run("psql", f"{PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{database}"')
    run("psql", f"{PG}/postgres", "-qc", f'CREATE DATABASE "{database}"')


def row_counts(database):
    tables = psql(
        database, "select tablename from pg_tables where schemaname = 'public' order by 1"
    ).split()
    query = 'select count(*) from "{}"'
    return {table: int(psql(database, query.format(table))) for table in tables}


def media_files(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def main():
    work = Path(tempfile.mkdtemp(prefix="quartier-backupcheck-"))
    media, restored_media, backups = work / "media", work / "media-restored", work / "backups"
    (media / "ideas" / "photos").mkdir(parents=True)
    (media / "ideas" / "photos" / "a1b2c3.jpg").write_bytes(os.urandom(4096))
    (media / "ideas" / "thumbs").mkdir(parents=True)
    (media / "ideas" / "thumbs" / "a1b2c3.jpg").write_bytes(os.urandom(512))

    recreate(SOURCE)
    source_env = {"DATABASE_URL": f"{PG}/{SOURCE}", "MEDIA_ROOT": str(media)}
    run(sys.executable, "manage.py", "demo", "--no-serve", env=source_env, capture=True)
    before = row_counts(SOURCE)

    output = run("scripts/backup.sh", backups, env=source_env, capture=True).split()
    dump, media_archive = output[-2], output[-1]

    recreate(RESTORED)
    restored_env = {"DATABASE_URL": f"{PG}/{RESTORED}", "MEDIA_ROOT": str(restored_media)}
    run("scripts/restore.sh", dump, media_archive, env=restored_env)
    after = row_counts(RESTORED)

    problems = [
        f"{table}: {before.get(table)} -> {after.get(table)}"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
    if media_files(media) != media_files(restored_media):
        problems.append(f"media: {media_files(media)} -> {media_files(restored_media)}")
    else:
        match, mismatch, errors = filecmp.cmpfiles(
            media, restored_media, media_files(media), shallow=False
        )
        problems += [f"media differs: {name}" for name in mismatch + errors]

    refused = subprocess.run(
        ["scripts/restore.sh", dump, media_archive],
        cwd=ROOT,
        env={**os.environ, **restored_env},
        capture_output=True,
    )
    if refused.returncode == 0:
        problems.append("restore.sh restored into a database that was not empty")

    files = len(media_files(media))
    print(f"tables: {len(before)}, rows: {sum(before.values())}, media files: {files}")
    sizes = Path(dump).stat().st_size, Path(media_archive).stat().st_size
    print(f"backup: {sizes[0]} bytes dump, {sizes[1]} bytes media")
    if problems:
        print("MISMATCH:\n  " + "\n  ".join(problems))
        return 1
    print("OK: every table has the same row count after restore; media files identical.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
