#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an EMPTY database and an empty (or new) uploads
# directory. `make restore BACKUP=...` runs it; docs/deployment.md has the runbook.
#
#   createdb -h 127.0.0.1 -U postgres -O bithu bithu_restored
#   DATABASE_URL=postgres://bithu:...@127.0.0.1:5432/bithu_restored MEDIA_ROOT=/var/lib/bithu/media-restored \
#       deploy/restore.sh /var/backups/bithu/bithu-20261202T050000Z
#
# It refuses a database that already has tables or a MEDIA_ROOT that already has files: restoring over
# live data is never what one means by accident. Then run `manage.py migrate` (a no-op for a backup of
# the same version; it brings an older backup up to the code's version).
set -euo pipefail

backup=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?DATABASE_URL must be set (postgres://... of an empty database)}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set (an empty or new directory)}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || { echo "the backup does not match its checksums" >&2; exit 1; }

tables=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [[ $tables != 0 ]]; then
    echo "the database already has $tables tables: restore into a new, empty database (createdb)" >&2
    exit 1
fi
if [[ -d $MEDIA_ROOT ]] && [[ -n $(ls -A "$MEDIA_ROOT") ]]; then
    echo "$MEDIA_ROOT is not empty: restore into a new directory" >&2
    exit 1
fi

echo "database ← $backup/database.dump"
pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 --dbname="$DATABASE_URL" "$backup/database.dump"
# Fresh statistics, or the first queries plan as if every table were empty.
psql "$DATABASE_URL" -qc "ANALYZE"

echo "uploads ← $backup/media.tar.gz → $MEDIA_ROOT"
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$backup/media.tar.gz" --directory="$MEDIA_ROOT" --no-same-owner
echo "done; now: manage.py migrate (then start the app nodes on this DATABASE_URL and MEDIA_ROOT)"
