#!/usr/bin/env bash
# Real infrastructure for development and CI, without Docker, on loopback only:
#   - Apache Kafka 3.9.1, one process in KRaft combined mode (broker + controller), jars from Maven Central;
#   - FerretDB v1.24.2, speaking the MongoDB wire protocol, built from source with Go, on its PostgreSQL handler
#     (a PostgreSQL 15 cluster of our own under .infra, from Debian's package) or, with
#     TERMLINE_FERRETDB_BACKEND=sqlite, on its SQLite handler. See docs/adr/0005-ferretdb-backend.md for why
#     PostgreSQL is the default: FerretDB v1's SQLite handler scans whole collections for every query.
#
# Usage: infra.sh up | down [--purge] | reset | status [--check]
#
# Everything lives under $TERMLINE_INFRA_DIR (default <repo>/.infra, git-ignored): jars, binary, data, logs, pids.
# The first `up` downloads and builds (a few minutes); later ones start the processes and take seconds.
#
# Environment overrides:
#   TERMLINE_INFRA_DIR              cache, data and logs (default <repo>/.infra)
#   TERMLINE_INFRA_DATA_DIR         data, logs, pids and generated config of this instance (default: the infra dir),
#                                   so that a second instance (the fault suite) reuses the cached jars and binary
#   TERMLINE_KAFKA_PORT             broker port (default 9092)
#   TERMLINE_KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   TERMLINE_KAFKA_HEAP             JVM heap options (default "-Xms256m -Xmx512m")
#   TERMLINE_FERRETDB_PORT          MongoDB wire protocol port (default 27017)
#   TERMLINE_FERRETDB_BACKEND       postgresql (default) or sqlite
#   TERMLINE_POSTGRES_PORT          port of FerretDB's PostgreSQL cluster (default 54329, loopback only)
#   TERMLINE_INFRA_TIMEOUT          seconds `up` waits for each service to answer (default 120)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
INFRA_DIR="${TERMLINE_INFRA_DIR:-$REPO_DIR/.infra}"
STATE_DIR="${TERMLINE_INFRA_DATA_DIR:-$INFRA_DIR}"

KAFKA_VERSION=3.9.1
KAFKA_PORT="${TERMLINE_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${TERMLINE_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${TERMLINE_KAFKA_HEAP:--Xms256m -Xmx512m}"
FERRETDB_VERSION=v1.24.2
FERRETDB_PORT="${TERMLINE_FERRETDB_PORT:-27017}"
TIMEOUT="${TERMLINE_INFRA_TIMEOUT:-120}"

LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
KAFKA_HOME="$INFRA_DIR/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
# The broker's generated config names this instance's ports and data, so it lives with them.
KAFKA_CONF="${TERMLINE_INFRA_DATA_DIR:+$STATE_DIR/kafka-conf}"
KAFKA_CONF="${KAFKA_CONF:-$KAFKA_HOME}"
KAFKA_DATA="$STATE_DIR/data/kafka"
FERRETDB_HOME="$INFRA_DIR/ferretdb"
FERRETDB_BIN="$FERRETDB_HOME/bin/ferretdb"
FERRETDB_DATA="$STATE_DIR/data/ferretdb"
FERRETDB_STATE="$STATE_DIR/data/ferretdb-state"

KAFKA_ADDR="127.0.0.1:$KAFKA_PORT"
FERRETDB_BACKEND="${TERMLINE_FERRETDB_BACKEND:-postgresql}"
POSTGRES_PORT="${TERMLINE_POSTGRES_PORT:-54329}"
POSTGRES_DATA="$STATE_DIR/data/postgres"
POSTGRES_SOCKETS="$STATE_DIR/run/postgres"
POSTGRES_LOG="$STATE_DIR/logs/postgres.log"
FERRETDB_ADDR="127.0.0.1:$FERRETDB_PORT"
MONGODB_URI="mongodb://$FERRETDB_ADDR/"

say() { printf '[infra] %s\n' "$*"; }
die() {
  printf '[infra] ERROR: %s\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is required ($2)"; }

# --- processes -------------------------------------------------------------------------------------------------

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# Marker that must appear in the command line of the process, so a recycled pid is never mistaken for ours.
process_marker() {
  case "$1" in
    kafka) printf 'kafka.Kafka' ;;
    ferretdb) printf '%s' "$FERRETDB_BIN" ;;
  esac
}

# Prints the pid if the service is running, and cleans up a stale pid file otherwise.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -qF "$(process_marker "$1")"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_service() {
  local name="$1" pid waited=0
  if ! pid="$(running_pid "$name")"; then
    say "$name: not running"
    return 0
  fi
  say "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  # Kafka's controlled shutdown takes a few seconds; give it 40 before killing.
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 400)); then
      say "$name: still alive after 40 s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$(pid_file "$name")"
  say "$name: stopped"
}

# --- Kafka -----------------------------------------------------------------------------------------------------

kafka_java() { java -cp "$KAFKA_LIBS/*" "$@"; }

prepare_kafka() {
  need java "Java 17+ runs the Kafka broker"
  local pom_sum
  pom_sum="$(cksum <"$SCRIPT_DIR/kafka/pom.xml")"
  if [[ ! -f "$KAFKA_LIBS/.complete" || "$(cat "$KAFKA_LIBS/.complete")" != "$pom_sum" ]]; then
    need mvn "Maven fetches the Kafka jars from Maven Central"
    say "kafka: fetching Kafka $KAFKA_VERSION jars with Maven (first run only)"
    mkdir -p "$KAFKA_HOME/build"
    cp "$SCRIPT_DIR/kafka/pom.xml" "$KAFKA_HOME/build/pom.xml"
    rm -rf "$KAFKA_LIBS.tmp"
    mkdir -p "$LOG_DIR"
    if ! (cd "$KAFKA_HOME/build" && mvn -B -Dstyle.color=never dependency:copy-dependencies \
      -DoutputDirectory="$KAFKA_LIBS.tmp") >"$LOG_DIR/maven.log" 2>&1; then
      tail -n 30 "$LOG_DIR/maven.log" >&2
      die "Maven could not fetch the Kafka jars; see $LOG_DIR/maven.log"
    fi
    rm -rf "$KAFKA_LIBS"
    mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
    printf '%s' "$pom_sum" >"$KAFKA_LIBS/.complete"
  fi

  mkdir -p "$KAFKA_DATA" "$LOG_DIR" "$RUN_DIR" "$KAFKA_CONF"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$KAFKA_DATA|g" \
    "$SCRIPT_DIR/kafka/server.properties" >"$KAFKA_CONF/server.properties"
  cp "$SCRIPT_DIR/kafka/log4j.properties" "$KAFKA_CONF/log4j.properties"

  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    [[ -n "$cluster_id" ]] || die "kafka: could not generate a cluster id"
    say "kafka: formatting storage (cluster id $cluster_id)"
    kafka_java -Dlog4j.configuration="file:$KAFKA_CONF/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF/server.properties" >"$LOG_DIR/kafka-format.out" 2>&1 ||
      die "kafka: formatting storage failed, see $LOG_DIR/kafka-format.out"
  fi
}

start_kafka() {
  local pid
  if pid="$(running_pid kafka)"; then
    say "kafka: already running (pid $pid) on $KAFKA_ADDR"
    return 0
  fi
  port_open "$KAFKA_PORT" && die "kafka: port $KAFKA_PORT is taken by another process (not ours)"
  port_open "$CONTROLLER_PORT" && die "kafka: port $CONTROLLER_PORT is taken by another process (not ours)"
  prepare_kafka
  say "kafka: starting on $KAFKA_ADDR (controller 127.0.0.1:$CONTROLLER_PORT)"
  # shellcheck disable=SC2086 # KAFKA_HEAP holds several JVM options
  nohup java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOG_DIR" -Dlog4j.configuration="file:$KAFKA_CONF/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF/server.properties" >"$LOG_DIR/kafka.out" 2>&1 </dev/null &
  echo $! >"$(pid_file kafka)"
}

# --- FerretDB --------------------------------------------------------------------------------------------------

prepare_ferretdb() {
  if [[ -x "$FERRETDB_BIN" && "$(cat "$FERRETDB_HOME/.version" 2>/dev/null)" == "$FERRETDB_VERSION" ]]; then
    return 0
  fi
  need go "Go builds FerretDB"
  say "ferretdb: building FerretDB $FERRETDB_VERSION with Go (first run only, a minute or two)"
  # Not `go install ...@v1.24.2`: the module as published lacks build/version/version.txt (a file its release
  # tooling generates), and a binary installed that way panics at start. So: take the module source from the
  # module cache, add that file, and build it here.
  local module_dir src="$FERRETDB_HOME/src"
  module_dir="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$module_dir" ]] || die "ferretdb: 'go mod download' did not give the module source"
  rm -rf "$src"
  mkdir -p "$FERRETDB_HOME/bin"
  cp -R "$module_dir" "$src"
  chmod -R u+w "$src"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  mkdir -p "$LOG_DIR"
  if ! (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) \
    >"$LOG_DIR/go-build.log" 2>&1; then
    tail -n 30 "$LOG_DIR/go-build.log" >&2
    die "ferretdb: build failed; see $LOG_DIR/go-build.log"
  fi
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
  printf '%s' "$FERRETDB_VERSION" >"$FERRETDB_HOME/.version"
}

# --- PostgreSQL (FerretDB's backend) --------------------------------------------------------------------------

postgres_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" ]] && printf '%s' "$dir"
}

# initdb and the server refuse to run as root: as root, run them as the postgres user.
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

prepare_postgres() {
  if [[ -z "$(postgres_bin)" ]]; then
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed: apt-get install postgresql (FerretDB's backend)"
    say "postgres: installing Debian's postgresql package (first run only)"
    mkdir -p "$LOG_DIR"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } \
      >"$LOG_DIR/apt.log" 2>&1; then
      tail -n 20 "$LOG_DIR/apt.log" >&2
      die "could not install PostgreSQL; see $LOG_DIR/apt.log"
    fi
    # Debian starts a cluster of its own on 5432; ours is separate, so that one can stay or go.
  fi
  mkdir -p "$STATE_DIR/data" "$STATE_DIR/run" "$LOG_DIR"
  locate_postgres
  mkdir -p "$POSTGRES_DATA" "$POSTGRES_SOCKETS"
  [[ "$(id -u)" == 0 ]] && chown postgres "$POSTGRES_DATA" "$POSTGRES_SOCKETS" && chmod 700 "$POSTGRES_DATA"
  if [[ ! -f "$POSTGRES_DATA/PG_VERSION" ]]; then
    say "postgres: creating a cluster in $POSTGRES_DATA"
    as_postgres "$(postgres_bin)/initdb" -D "$POSTGRES_DATA" -A trust -U postgres -E UTF8 >"$LOG_DIR/initdb.log" 2>&1 ||
      die "postgres: initdb failed; see $LOG_DIR/initdb.log"
  fi
}

# As root, the cluster belongs to the postgres user, who must be able to reach it. A checkout under a private
# folder (/root/...) is out of its reach: then the cluster lives in the postgres user's home instead.
locate_postgres() {
  if [[ "$(id -u)" == 0 ]] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$STATE_DIR/data" 2>/dev/null; then
    local home
    home="/var/lib/postgresql/termline/$(printf '%s' "$STATE_DIR" | cksum | cut -d' ' -f1)"
    POSTGRES_DATA="$home/data"
    POSTGRES_SOCKETS="$home/run"
    POSTGRES_LOG="$home/postgres.log"
  fi
}

postgres_running() { as_postgres "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DATA" status >/dev/null 2>&1; }

start_postgres() {
  prepare_postgres
  if postgres_running; then
    say "postgres: already running on 127.0.0.1:$POSTGRES_PORT"
    return 0
  fi
  port_open "$POSTGRES_PORT" && die "postgres: port $POSTGRES_PORT is taken by another process (not ours)"
  say "postgres: starting on 127.0.0.1:$POSTGRES_PORT"
  touch "$POSTGRES_LOG"
  [[ "$(id -u)" == 0 ]] && chown postgres "$POSTGRES_LOG"
  as_postgres "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DATA" -l "$POSTGRES_LOG" -w -t 60 \
    -o "-p $POSTGRES_PORT -k $POSTGRES_SOCKETS -c listen_addresses=127.0.0.1" start >/dev/null ||
    die "postgres: did not start; see $POSTGRES_LOG"
  if ! as_postgres "$(postgres_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1; then
    as_postgres "$(postgres_bin)/createdb" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres ferretdb ||
      die "postgres: could not create the ferretdb database"
  fi
}

stop_postgres() {
  locate_postgres
  [[ -n "$(postgres_bin)" && -f "$POSTGRES_DATA/PG_VERSION" ]] || return 0
  if postgres_running; then
    say "postgres: stopping"
    as_postgres "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DATA" -m fast -w stop >/dev/null || true
    say "postgres: stopped"
  else
    say "postgres: not running"
  fi
}

start_ferretdb() {
  local pid
  if pid="$(running_pid ferretdb)"; then
    say "ferretdb: already running (pid $pid) on $FERRETDB_ADDR"
    return 0
  fi
  port_open "$FERRETDB_PORT" && die "ferretdb: port $FERRETDB_PORT is taken by another process (not ours)"
  prepare_ferretdb
  mkdir -p "$FERRETDB_DATA" "$FERRETDB_STATE" "$LOG_DIR" "$RUN_DIR"
  local backend_args
  if [[ "$FERRETDB_BACKEND" == sqlite ]]; then
    backend_args=(--handler=sqlite --sqlite-url="file:$FERRETDB_DATA/")
    say "ferretdb: starting on $FERRETDB_ADDR (SQLite files in $FERRETDB_DATA)"
  else
    start_postgres
    backend_args=(--handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb")
    say "ferretdb: starting on $FERRETDB_ADDR (PostgreSQL on 127.0.0.1:$POSTGRES_PORT)"
  fi
  # --debug-addr=- turns off its HTTP debug listener (metrics, pprof): nothing here needs it.
  nohup "$FERRETDB_BIN" "${backend_args[@]}" --listen-addr="$FERRETDB_ADDR" \
    --state-dir="$FERRETDB_STATE" --debug-addr=- --telemetry=disable --log-level=warn \
    >"$LOG_DIR/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$(pid_file ferretdb)"
}

# --- readiness -------------------------------------------------------------------------------------------------

probe_mode() {
  if (cd "$REPO_DIR" && node -e "require.resolve('kafkajs'); require.resolve('mongodb')") >/dev/null 2>&1; then
    echo client
  else
    echo tcp
  fi
}

# wait_ready <name> <port> <probe kind> <probe target> <log file> [<console output file>]
wait_ready() {
  local name="$1" port="$2" kind="$3" target="$4" log="$5" console="${6:-}" mode deadline last="" file
  mode="$(probe_mode)"
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! running_pid "$name" >/dev/null; then
      for file in "$console" "$log"; do
        [[ -n "$file" && -s "$file" ]] || continue
        printf '[infra] %s exited during start-up. Last lines of %s:\n' "$name" "$file" >&2
        tail -n 20 "$file" >&2 || true
      done
      die "$name did not start; see $log${console:+ and $console}"
    fi
    if port_open "$port"; then
      if [[ "$mode" == tcp ]]; then
        say "$name: port $port open (node_modules missing, so no client check)"
        return 0
      fi
      if last="$(cd "$REPO_DIR" && node "$SCRIPT_DIR/probe.js" "$kind" "$target" 2>&1)"; then
        say "$name: ready"
        return 0
      fi
    fi
    sleep 0.5
  done
  die "$name did not answer within $TIMEOUT s${last:+ ($last)}; see $log"
}

# --- commands --------------------------------------------------------------------------------------------------

cmd_up() {
  local started=$SECONDS
  need node "Node runs the readiness checks"
  mkdir -p "$INFRA_DIR" "$STATE_DIR" "$LOG_DIR" "$RUN_DIR"
  start_kafka
  start_ferretdb
  wait_ready kafka "$KAFKA_PORT" kafka "$KAFKA_ADDR" "$LOG_DIR/kafka.log" "$LOG_DIR/kafka.out"
  wait_ready ferretdb "$FERRETDB_PORT" mongo "$MONGODB_URI" "$LOG_DIR/ferretdb.log"
  say "up in $((SECONDS - started)) s: KAFKA_BROKERS=$KAFKA_ADDR MONGODB_URI=$MONGODB_URI"
}

cmd_down() {
  stop_service ferretdb
  stop_postgres
  stop_service kafka
  if [[ "${1:-}" == "--purge" ]]; then
    say "purging data in $STATE_DIR/data (jars and binary are kept)"
    rm -rf "$STATE_DIR/data"
  fi
}

status_line() {
  local name="$1" addr="$2" log="$3" pid
  if pid="$(running_pid "$name")"; then
    printf '%-9s running  pid %-8s %-40s log %s\n' "$name" "$pid" "$addr" "$log"
  else
    printf '%-9s stopped  %-12s %-40s log %s\n' "$name" "" "$addr" "$log"
  fi
}

cmd_status() {
  status_line kafka "$KAFKA_ADDR (controller 127.0.0.1:$CONTROLLER_PORT)" "$LOG_DIR/kafka.log"
  status_line ferretdb "$FERRETDB_ADDR (MongoDB wire protocol, $FERRETDB_BACKEND backend)" "$LOG_DIR/ferretdb.log"
  if [[ "$FERRETDB_BACKEND" != sqlite ]]; then
    locate_postgres
    if [[ -n "$(postgres_bin)" && -f "$POSTGRES_DATA/PG_VERSION" ]] && postgres_running; then
      printf '%-9s running  %-12s %-40s log %s\n' postgres "" "127.0.0.1:$POSTGRES_PORT" "$POSTGRES_LOG"
    else
      printf '%-9s stopped  %-12s %-40s log %s\n' postgres "" "127.0.0.1:$POSTGRES_PORT" "$POSTGRES_LOG"
    fi
  fi
  # With --check, the exit code tells scripts whether everything is up.
  if [[ "${1:-}" == "--check" ]]; then
    running_pid kafka >/dev/null && running_pid ferretdb >/dev/null
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down "${2:-}" ;;
  reset) cmd_down --purge ;;
  status) cmd_status "${2:-}" ;;
  *)
    echo "usage: $0 up | down [--purge] | reset | status [--check]" >&2
    exit 2
    ;;
esac
