#!/bin/sh
# Back up Quartier: the PostgreSQL database (pg_dump custom format) and the uploaded files.
#
#   scripts/backup.sh [TARGET_DIR]
#
# Reads DATABASE_URL (postgres://user:pw@host:port/name) and MEDIA_ROOT from the environment,
# like the portal. Writes TARGET_DIR/quartier-<UTC timestamp>.dump and .media.tar.gz
# (default TARGET_DIR: ./backups). Safe while the portal runs: pg_dump takes a consistent
# snapshot; media files are only ever added under new random names, so a tar taken after
# the dump holds every file the dump refers to.
set -eu
TARGET_DIR="${1:-./backups}"
: "${DATABASE_URL:?DATABASE_URL must be set (postgres://...)}"
MEDIA_ROOT="${MEDIA_ROOT:-$(dirname "$0")/../media}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$TARGET_DIR"
umask 077
DUMP="$TARGET_DIR/quartier-$STAMP.dump"
MEDIA="$TARGET_DIR/quartier-$STAMP.media.tar.gz"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$DUMP.part"
mv "$DUMP.part" "$DUMP"
if [ -d "$MEDIA_ROOT" ]; then
    tar -czf "$MEDIA.part" -C "$MEDIA_ROOT" .
else
    tar -czf "$MEDIA.part" -T /dev/null
fi
mv "$MEDIA.part" "$MEDIA"
echo "$DUMP"
echo "$MEDIA"
