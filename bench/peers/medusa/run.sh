#!/usr/bin/env bash
# Oxcart against Medusa v2 on this machine: the same catalog, the same five workloads, the same
# load runner, one system loaded at a time. See README.md.
# usage: run.sh [--products N] [--duration S] [--warmup S] [--concurrency C] [--systems medusa,oxcart]
#               [--oxcart PATH]   (default: the repo's target/release/oxcart)
#               [--oxcart-db postgres://…/DB]   (Oxcart on PostgreSQL, as Medusa is; default: SQLite)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
PRODUCTS=10000 DURATION=10 WARMUP=3 CONCURRENCY=16 SYSTEMS=medusa,oxcart OXCART=$REPO/target/release/oxcart OXDB=""
while [ $# -gt 0 ]; do
  case $1 in
    --products) PRODUCTS=$2 ;; --duration) DURATION=$2 ;; --warmup) WARMUP=$2 ;;
    --concurrency) CONCURRENCY=$2 ;; --systems) SYSTEMS=$2 ;; --oxcart) OXCART=$2 ;; --oxcart-db) OXDB=$2 ;;
    *) echo "unknown argument $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
WORK=${MEDUSA_WORK:-$HOME/.cache/oxcart-peers/medusa}
PG=${PG_URL:-postgres://postgres@127.0.0.1:5432}
DATA=$WORK/data-$PRODUCTS # Oxcart's data dir, the dumped catalog and each system's ids
DB=medusa_bench_$PRODUCTS
MEDUSA_PORT=${MEDUSA_PORT:-9100} OXCART_PORT=${OXCART_PORT:-8191} METRICS_PORT=${METRICS_PORT:-9564}
RESULTS=$WORK/results-$(date +%Y%m%d-%H%M%S).jsonl
STARTED=$SECONDS
export DURATION WARMUP CONCURRENCY
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
wants() { [[ ",$SYSTEMS," == *",$1,"* ]]; }

SERVER=""
stop() { if [ -n "$SERVER" ]; then kill -- -"$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi; }
trap stop EXIT
# Starts "$@" in a session of its own (so that stop ends all of it) and waits until URL answers.
start() {
  local url=$1 logfile=$2; shift 2
  # Another server on the port would answer for this one.
  ! curl -s -o /dev/null "$url" || { log "something already answers on $url"; return 1; }
  setsid "$@" >"$logfile" 2>&1 &
  SERVER=$!
  for _ in $(seq 120); do
    curl -sf -o /dev/null "$url" && return 0
    kill -0 "$SERVER" 2>/dev/null || { tail -20 "$logfile" >&2; return 1; }
    sleep 1
  done
  log "no answer from $url in 120 s"; tail -20 "$logfile" >&2; return 1
}
# oxcart_serve DIR [DATABASE_URL]: Oxcart on DIR's data, on SQLite or the database given.
oxcart_serve() {
  local dir=$1 db=${2:-}
  local cmd=("$OXCART" serve --demo --data-dir "$dir/ox" --bind "127.0.0.1:$OXCART_PORT")
  [ -z "$db" ] || cmd=(env "OXCART_DATABASE__URL=$db" "${cmd[@]}")
  OXCART_CATALOG__CACHE_TTL_SECS=0 OXCART_SERVER__METRICS_BIND=127.0.0.1:$METRICS_PORT \
    start "http://127.0.0.1:$OXCART_PORT/health/live" "$dir/oxcart.log" "${cmd[@]}"
}
# oxcart_prepare DIR [DATABASE_URL]: seeds DIR once and reads the catalog back into DIR.
oxcart_prepare() {
  local dir=$1 db=${2:-}
  [ -s "$dir/oxcart-setup.json" ] && return 0
  mkdir -p "$dir" && rm -rf "$dir/ox"
  if [ -n "$db" ]; then
    # A database of its own, made afresh, as Medusa's is.
    psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS ${db##*/}" -c "CREATE DATABASE ${db##*/}"
  fi
  log "oxcart seed --products $PRODUCTS${db:+ on $db}"
  ${db:+env OXCART_DATABASE__URL=$db} "$OXCART" seed --products "$PRODUCTS" --data-dir "$dir/ox" 2>&1 | tail -3 >&2
  oxcart_serve "$dir" "$db"
  # The demo admin's password is printed on the first start only; its top-ups need it.
  awk '$1 == "admin@oxcart.test" { print $2 }' "$dir/oxcart.log" >"$dir/admin-password"
  [ -s "$dir/admin-password" ] || { echo "no admin password in $dir/oxcart.log" >&2; exit 1; }
  log "reading the catalog back from Oxcart"
  node dump-oxcart.mjs "http://127.0.0.1:$OXCART_PORT" "$dir"
  stop
}

[ -x "$OXCART" ] || { echo "no Oxcart binary at $OXCART (cargo build --release, or --oxcart PATH)" >&2; exit 1; }
mkdir -p "$WORK" "$DATA"
cp "$HERE"/{package.json,package-lock.json,medusa-config.ts,tsconfig.json,load.mjs,dump-oxcart.mjs,table.mjs} "$WORK/"
mkdir -p "$WORK/src/scripts" && cp "$HERE/src/scripts/seed-bench.ts" "$WORK/src/scripts/"
cd "$WORK"
# npm ci again only when the lockfile changed: it starts from an empty node_modules each time.
if ! cmp -s package-lock.json .installed-lock.json; then
  log "npm ci (Medusa and the load runner's undici, pinned by package-lock.json)"
  npm ci --no-audit --no-fund >"$WORK/npm-ci.log" 2>&1 || { tail -20 "$WORK/npm-ci.log" >&2; exit 1; }
  cp package-lock.json .installed-lock.json
fi

# The catalog: Oxcart's seed, read back through its API so that Medusa gets the same one. The
# seed is deterministic, so Oxcart on PostgreSQL (a data dir of its own) holds it too.
oxcart_prepare "$DATA"
OXDIR=$DATA
if [ -n "$OXDB" ]; then
  OXDIR=$DATA/pg
  oxcart_prepare "$OXDIR" "$OXDB"
fi

if wants medusa; then
  export DATABASE_URL=$PG/$DB
  if [ ! -s "$DATA/medusa-setup.json" ]; then
    log "Medusa: database $DB, migrations, seed of $PRODUCTS products"
    psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    npx medusa db:migrate >"$DATA/medusa-migrate.log" 2>&1 || { tail -20 "$DATA/medusa-migrate.log" >&2; exit 1; }
    t=$SECONDS
    CATALOG=$DATA/catalog.json PICKS=$DATA/picks.json SETUP_OUT=$DATA/medusa-setup.tmp \
      npx medusa exec ./src/scripts/seed-bench.ts 2>&1 | tee "$DATA/medusa-seed.log" | { grep --line-buffered '^seed:' >&2 || true; }
    [ -s "$DATA/medusa-setup.tmp" ] || { tail -30 "$DATA/medusa-seed.log" >&2; exit 1; }
    mv "$DATA/medusa-setup.tmp" "$DATA/medusa-setup.json"
    log "Medusa seeded in $((SECONDS - t)) s"
  fi
  log "medusa build (production build, admin disabled)"
  npx medusa build >"$DATA/medusa-build.log" 2>&1 || { tail -20 "$DATA/medusa-build.log" >&2; exit 1; }
  # Medusa's production start: from the build output, whose node_modules is the work dir's.
  cd .medusa/server
  NODE_ENV=production PORT=$MEDUSA_PORT start "http://127.0.0.1:$MEDUSA_PORT/health" "$DATA/medusa.log" \
    "$WORK/node_modules/.bin/medusa" start
  cd "$WORK"
  log "Medusa is up (pid $SERVER); loading it"
  node load.mjs medusa "http://127.0.0.1:$MEDUSA_PORT" "$DATA/medusa-setup.json" "$SERVER" "$RESULTS"
  stop
fi

if wants oxcart; then
  oxcart_serve "$OXDIR" "$OXDB"
  log "Oxcart is up (pid $SERVER) on ${OXDB:-SQLite}; loading it"
  OXCART_ADMIN_PASSWORD=$(cat "$OXDIR/admin-password") \
    node load.mjs oxcart "http://127.0.0.1:$OXCART_PORT" "$OXDIR/oxcart-setup.json" "$SERVER" "$RESULTS"
  stop
fi

echo
echo "$PRODUCTS products, $CONCURRENCY connections, ${WARMUP} s warm-up then ${DURATION} s measured per workload;" \
  "Oxcart on $([ -n "$OXDB" ] && echo PostgreSQL || echo SQLite), Medusa $(node -p 'require("@medusajs/medusa/package.json").version'), $("$OXCART" --version)"
node table.mjs "$RESULTS"
echo
echo "results: $RESULTS; the whole run took $((SECONDS - STARTED)) s"
