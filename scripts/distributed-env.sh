# Sourced by scripts/run-distributed.sh and scripts/api-start-time.sh (with ROOT and RUN set): starts the private
# PostgreSQL and RabbitMQ (and, with VERIFY_BLOBS=s3, the S3-compatible server) if they are not running, and exports
# the distributed-mode configuration every Verify process reads, keys included.
PG=$("$ROOT/scripts/postgres.sh" start)
RABBIT=$("$ROOT/scripts/rabbitmq.sh" start)
RABBIT_PASSWORD_FILE=$(printf '%s' "$RABBIT" | sed -n 's/.*password-file=\([^ ]*\).*/\1/p')
PG_PORT=$(printf '%s' "$PG" | sed -n 's/.*Port=\([0-9]*\).*/\1/p')
if ! psql "host=127.0.0.1 port=$PG_PORT user=verify dbname=postgres" -tAc "select 1 from pg_database where datname = 'verify'" | grep -q 1; then
  psql "host=127.0.0.1 port=$PG_PORT user=verify dbname=postgres" -qc "create database verify"
fi

mkdir -p "$RUN"
if [ ! -f "$RUN/distributed.env" ]; then
  (umask 077 && {
    printf 'Protection__Keys__k1=%s\n' "$(head -c 32 /dev/urandom | base64)"
    printf 'Protection__ActiveKeyId=k1\n'
    printf 'Protection__FingerprintKey=%s\n' "$(head -c 32 /dev/urandom | base64)"
  } >"$RUN/distributed.env")
fi
set -a
# shellcheck disable=SC1091
. "$RUN/distributed.env"
Storage__Provider=PostgreSql
Storage__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=verify;Database=verify"
if [ "${VERIFY_BLOBS:-database}" = s3 ]; then
  S3=$("$ROOT/scripts/s3.sh" start)
  Blobs__Store=S3
  Blobs__S3__ServiceUrl=$(printf '%s' "$S3" | sed -n 's/.*endpoint=\([^ ]*\).*/\1/p')
  Blobs__S3__Bucket=$(printf '%s' "$S3" | sed -n 's/.*bucket=\([^ ]*\).*/\1/p')
  Blobs__S3__AccessKeyId=S3RVER
  Blobs__S3__SecretAccessKey=S3RVER
  # No '/' in the prefix: s3rver's file store cannot take concurrent deletions under one (AWS S3 can).
  Blobs__S3__Prefix=verify-blobs-
else
  Blobs__Store=Database
fi
Messaging__Transport=RabbitMq
Messaging__RabbitMqPort=${VERIFY_RABBITMQ_PORT:-56720}
# The broker's own account for the service (scripts/rabbitmq.sh), never guest.
Messaging__RabbitMqUsername=verify
Messaging__RabbitMqPassword=$(cat "$RABBIT_PASSWORD_FILE")
set +a
