#!/usr/bin/env bash
# Backs up the portal: the database (pg_dump custom format) and the uploaded files (a tar of MEDIA_ROOT),
# into one folder named by the time. `make backup` runs it; docs/deployment.md has the runbook.
#
#   DATABASE_URL=postgres://bithu:...@127.0.0.1:5432/bithu MEDIA_ROOT=/var/lib/bithu/media \
#       deploy/backup.sh /var/backups/bithu
#
# The dump is one consistent snapshot. A file is stored before the row that names it is committed, and
# each upload gets a new name, so the tar is taken *after* the dump: every file a dumped row names is in
# it, except one replaced or removed between the two steps (run it at a quiet hour; it takes seconds).
# Run it where both the database and MEDIA_ROOT are reached (an app node). With MEDIA_STORAGE=s3, copy
# the bucket with the storage's own tools (versioning on) instead of the tar.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must be set (postgres://...)}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set (the shared uploads directory)}"
target_root=${1:-backups}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$target_root/bithu-$stamp"
mkdir -p "$target"
chmod 700 "$target"  # personal data

echo "database → $target/database.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"

echo "uploads ($MEDIA_ROOT) → $target/media.tar.gz"
if [[ -d $MEDIA_ROOT ]]; then
    tar --create --gzip --file="$target/media.tar.gz" --directory="$MEDIA_ROOT" .
else
    echo "  (no $MEDIA_ROOT yet: an empty archive)"
    tar --create --gzip --file="$target/media.tar.gz" --files-from=/dev/null
fi

(cd "$target" && sha256sum database.dump media.tar.gz >SHA256SUMS)
echo "done: $target ($(du -sh "$target" | cut -f1))"
