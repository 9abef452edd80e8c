#!/bin/sh
# Restore a Quartier backup made by scripts/backup.sh into an EMPTY database and media folder.
#
#   scripts/restore.sh BACKUP.dump BACKUP.media.tar.gz
#
# Reads DATABASE_URL and MEDIA_ROOT like the portal. Refuses to restore into a database that
# already has tables (create a fresh one: createdb -h HOST -U USER NAME). Stop the portal,
# restore, then start it again (migrate is not needed: the dump holds the schema).
set -eu
DUMP="${1:?usage: restore.sh BACKUP.dump BACKUP.media.tar.gz}"
MEDIA="${2:?usage: restore.sh BACKUP.dump BACKUP.media.tar.gz}"
: "${DATABASE_URL:?DATABASE_URL must be set (postgres://...)}"
MEDIA_ROOT="${MEDIA_ROOT:-$(dirname "$0")/../media}"
tables="$(psql "$DATABASE_URL" -tAc "select count(*) from pg_tables where schemaname = 'public'")"
if [ "$tables" != "0" ]; then
    echo "restore.sh: the database already has $tables tables; restore only into an empty one." >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$DUMP"
mkdir -p "$MEDIA_ROOT"
tar -xzf "$MEDIA" -C "$MEDIA_ROOT" --no-same-owner
echo "restored $DUMP and $MEDIA"
