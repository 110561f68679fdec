#!/usr/bin/env bash
# Real infrastructure for development and CI, without Docker, on loopback only:
#   - Apache Kafka 3.9.1, one process in KRaft combined mode (broker + controller), jars from Maven Central;
#   - FerretDB, speaking the MongoDB wire protocol, built from source with Go, on a PostgreSQL 15 cluster of our own
#     (Debian's package), in one of two versions (TERMLINE_FERRETDB_VERSION):
#       v2 (default): FerretDB v2.5.0 on PostgreSQL with the DocumentDB extension (0.106.0-ferretdb-2.5.0), which
#          uses indexes; see docs/adr/0017-ferretdb-v2-on-documentdb.md. The first `up` installs Debian packages
#          (as root), builds pgvector and DocumentDB into the system's PostgreSQL 15 and FerretDB into
#          $TERMLINE_CACHE_DIR: about 14 minutes on 2 busy cores; later ones, even from a fresh clone, reuse all of it.
#          DocumentDB's source is not downloaded: the tarball is read from $TERMLINE_SHARED_DIR/infra, else
#          <repo>/../shared/infra, else /work/shared/infra.
#       v1: FerretDB v1.24.2 on its PostgreSQL handler or, with TERMLINE_FERRETDB_BACKEND=sqlite, on its SQLite
#          handler (docs/adr/0005-ferretdb-backend.md). It scans collections for filtered queries.
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
#   TERMLINE_FERRETDB_VERSION       v2 (default) or v1; run `down` before switching an instance between them
#   TERMLINE_FERRETDB_BACKEND       postgresql (default) or sqlite (v1 only)
#   TERMLINE_CACHE_DIR              builds shared by every checkout on this machine (default ~/.cache/termline)
#   TERMLINE_SHARED_DIR             folder holding infra/documentdb-<tag>.tar.gz (see above)
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
FERRETDB_PORT="${TERMLINE_FERRETDB_PORT:-27017}"
FERRETDB_MAJOR="${TERMLINE_FERRETDB_VERSION:-v2}"
case "$FERRETDB_MAJOR" in
  v1 | 1) FERRETDB_MAJOR=v1 FERRETDB_VERSION=v1.24.2 ;;
  v2 | 2) FERRETDB_MAJOR=v2 FERRETDB_VERSION=v2.5.0 ;;
  *)
    printf '[infra] ERROR: TERMLINE_FERRETDB_VERSION must be v1 or v2, not %s\n' "$FERRETDB_MAJOR" >&2
    exit 2
    ;;
esac
# FerretDB v2.5.0 names this DocumentDB tag (build/version/documentdb.go); the extension calls itself 0.106-0.
DOCUMENTDB_TAG=0.106.0-ferretdb-2.5.0
DOCUMENTDB_EXTENSION_VERSION=0.106-0
PGVECTOR_VERSION=0.8.0
PGVECTOR_SOURCE_VERSION=0.8.0-1
# FerretDB 2.5.0's cmd/ferretdb does not compile with Go 1.25+ (undefined: setGOMAXPROCS); the go command fetches
# this toolchain from the Go module proxy.
FERRETDB_V2_TOOLCHAIN=go1.24.6
PG_MAJOR=15
CACHE_DIR="${TERMLINE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/termline}"
TIMEOUT="${TERMLINE_INFRA_TIMEOUT:-120}"

LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
KAFKA_HOME="$INFRA_DIR/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
# The broker's generated config names this instance's ports and data, so it lives with them.
KAFKA_CONF="${TERMLINE_INFRA_DATA_DIR:+$STATE_DIR/kafka-conf}"
KAFKA_CONF="${KAFKA_CONF:-$KAFKA_HOME}"
KAFKA_DATA="$STATE_DIR/data/kafka"
# v1 keeps its historical place (the fault suite and older checkouts look there); v2 has a folder of its own.
FERRETDB_HOME="$INFRA_DIR/ferretdb"
[[ "$FERRETDB_MAJOR" == v2 ]] && FERRETDB_HOME="$INFRA_DIR/ferretdb-v2"
FERRETDB_BIN="$FERRETDB_HOME/bin/ferretdb"
FERRETDB_DATA="$STATE_DIR/data/ferretdb"
FERRETDB_STATE="$STATE_DIR/data/ferretdb-state"

KAFKA_ADDR="127.0.0.1:$KAFKA_PORT"
FERRETDB_BACKEND="${TERMLINE_FERRETDB_BACKEND:-postgresql}"
POSTGRES_PORT="${TERMLINE_POSTGRES_PORT:-54329}"
# v2's cluster preloads DocumentDB and holds its catalogue, so it does not share v1's data folder.
select_cluster() {
  POSTGRES_NAME="$1"
  POSTGRES_DATA="$STATE_DIR/data/$POSTGRES_NAME"
  POSTGRES_SOCKETS="$STATE_DIR/run/$POSTGRES_NAME"
  POSTGRES_LOG="$STATE_DIR/logs/$POSTGRES_NAME.log"
}
if [[ "$FERRETDB_MAJOR" == v2 ]]; then select_cluster postgres-documentdb; else select_cluster postgres; fi
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
    # Either version's binary (ferretdb/bin or ferretdb-v2/bin), so that `down` stops whichever one runs.
    ferretdb) printf '%s' "$INFRA_DIR/ferretdb" ;;
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
  if [[ "$FERRETDB_MAJOR" == v2 ]]; then
    prepare_documentdb
    return 0
  fi
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

# --- FerretDB v2: DocumentDB in the system's PostgreSQL 15, FerretDB v2 from its Go module ---------------------
# Everything built here is shared by every checkout on the machine: the extensions go where PostgreSQL loads them
# from, the FerretDB binary into $CACHE_DIR, keyed by version. Each step first checks whether its result is there,
# so a warm `up` (or a CI run from a fresh clone on the same machine) builds nothing. One build at a time: a lock.

DOCUMENTDB_PACKAGES=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-cron
  postgresql-$PG_MAJOR-postgis-3 postgresql-$PG_MAJOR-rum libbson-dev libpcre2-dev libintelrdfpmath-dev pkg-config
  libicu-dev libkrb5-dev dpkg-dev make gcc)

pg_libdir() { printf '/usr/lib/postgresql/%s/lib' "$PG_MAJOR"; }
pg_extdir() { printf '/usr/share/postgresql/%s/extension' "$PG_MAJOR"; }
# The version an installed extension's control file offers, empty when it is not installed.
extension_version() { sed -n "s/^default_version = '\(.*\)'$/\1/p" "$(pg_extdir)/$1.control" 2>/dev/null; }
package_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }
installed_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }

need_root() {
  [[ "$(id -u)" == 0 ]] || die "$1 needs root (CI runs as root); as root: bash scripts/infra/infra.sh up"
}

documentdb_tarball() {
  local dir name="documentdb-$DOCUMENTDB_TAG.tar.gz"
  for dir in ${TERMLINE_SHARED_DIR:+"$TERMLINE_SHARED_DIR/infra"} "$REPO_DIR/../shared/infra" /work/shared/infra; do
    if [[ -f "$dir/$name" ]]; then
      printf '%s/%s' "$(cd "$dir" && pwd)" "$name"
      return 0
    fi
  done
  die "DocumentDB source $name not found in \$TERMLINE_SHARED_DIR/infra, $REPO_DIR/../shared/infra or /work/shared/infra (or use TERMLINE_FERRETDB_VERSION=v1)"
}

# The newest version of a package that does not make apt upgrade postgresql-15 past the installed server: Debian's
# security updates of the extensions can require a newer server than the one running here.
matching_version() {
  local package="$1" server version
  server="$(installed_version "postgresql-$PG_MAJOR")"
  if [[ -z "$server" ]]; then
    printf '%s' "$package"
    return 0
  fi
  if [[ "$package" == "postgresql-server-dev-$PG_MAJOR" ]]; then
    # Headers of exactly the running server's version.
    printf '%s=%s' "$package" "$server"
    return 0
  fi
  while read -r version; do
    if ! apt-get install -s --no-install-recommends "$package=$version" 2>/dev/null |
      grep -q "^Inst postgresql-$PG_MAJOR "; then
      printf '%s=%s' "$package" "$version"
      return 0
    fi
  done < <(apt-cache madison "$package" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
  printf '%s' "$package"
}

install_documentdb_packages() {
  local missing=() package
  for package in "${DOCUMENTDB_PACKAGES[@]}"; do
    package_installed "$package" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  need_root "installing ${missing[*]}"
  say "postgres: installing Debian packages ${missing[*]} (first run only)"
  {
    apt-get update
    local pinned=()
    for package in "${missing[@]}"; do pinned+=("$(matching_version "$package")"); done
    echo "installing: ${pinned[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pinned[@]}"
  } >"$LOG_DIR/apt.log" 2>&1 || {
    tail -n 20 "$LOG_DIR/apt.log" >&2
    die "could not install the packages DocumentDB needs; see $LOG_DIR/apt.log"
  }
}

# pgvector 0.8.0 (DocumentDB requires it) is not packaged for Debian 12: build Debian trixie's source package, with
# an apt configuration of our own so that the system's sources are not touched.
build_pgvector() {
  [[ "$(extension_version vector)" == "$PGVECTOR_VERSION" && -f "$(pg_libdir)/vector.so" ]] && return 0
  need_root "installing pgvector $PGVECTOR_VERSION into PostgreSQL $PG_MAJOR"
  say "postgres: building pgvector $PGVECTOR_VERSION from Debian trixie's source package (first run only)"
  local work="$CACHE_DIR/build/pgvector" mirror
  # The Debian mirror this machine already uses (one-line or deb822 sources), else Debian's own.
  mirror="$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    head -n 1 | tr -d ' ' || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  rm -rf "$work"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$mirror" \
    >"$work/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
  {
    apt-get "${apt_opts[@]}" update &&
      (cd "$work/src" && apt-get "${apt_opts[@]}" source "pgvector=$PGVECTOR_SOURCE_VERSION") &&
      # OPTFLAGS empty: no -march=native, the build may be reused on another CPU of the same machine type.
      make -C "$work/src/pgvector-$PGVECTOR_VERSION" PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" \
        OPTFLAGS= -j2 &&
      make -C "$work/src/pgvector-$PGVECTOR_VERSION" PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" \
        OPTFLAGS= install
  } >"$LOG_DIR/pgvector-build.log" 2>&1 || {
    tail -n 20 "$LOG_DIR/pgvector-build.log" >&2
    die "pgvector build failed; see $LOG_DIR/pgvector-build.log"
  }
  rm -rf "$work"
}

build_documentdb() {
  if [[ "$(extension_version documentdb)" == "$DOCUMENTDB_EXTENSION_VERSION" &&
    "$(extension_version documentdb_core)" == "$DOCUMENTDB_EXTENSION_VERSION" &&
    -f "$(pg_libdir)/pg_documentdb.so" && -f "$(pg_libdir)/pg_documentdb_core.so" ]]; then
    return 0
  fi
  need_root "installing DocumentDB into PostgreSQL $PG_MAJOR"
  local tarball work="$CACHE_DIR/build/documentdb"
  tarball="$(documentdb_tarball)"
  say "postgres: building DocumentDB $DOCUMENTDB_TAG (first run only, a few minutes)"
  rm -rf "$work"
  mkdir -p "$work/pkgconfig"
  tar -xzf "$tarball" -C "$work"
  # Debian's Intel decimal library ships no pkg-config file; DocumentDB's Makefile asks pkg-config for it.
  cat >"$work/pkgconfig/intelmathlib.pc" <<PC
prefix=/usr
libdir=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
includedir=/usr/include
Name: intelmathlib
Description: Intel decimal floating-point math library (Debian libintelrdfpmath-dev)
Version: 2.0
Cflags: -I\${includedir}
Libs: -L\${libdir} -lbidgcc000
PC
  local src="$work/documentdb-$DOCUMENTDB_TAG"
  local make_args=(PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" with_llvm=no)
  # Debian 12's libbson (1.23) lacks BSON_SUBTYPE_SENSITIVE (upstream pins 1.28): define it as libbson 1.28 does.
  {
    export PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    make -C "$src/pg_documentdb_core" -j2 "${make_args[@]}" &&
      make -C "$src/pg_documentdb_core" "${make_args[@]}" install &&
      make -C "$src/pg_documentdb" -j2 "${make_args[@]}" COPT="-DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-switch" &&
      make -C "$src/pg_documentdb" "${make_args[@]}" COPT="-DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-switch" install
  } >"$LOG_DIR/documentdb-build.log" 2>&1 || {
    tail -n 30 "$LOG_DIR/documentdb-build.log" >&2
    die "DocumentDB build failed; see $LOG_DIR/documentdb-build.log"
  }
  rm -rf "$work"
}

build_ferretdb_v2() {
  local cached="$CACHE_DIR/ferretdb-$FERRETDB_VERSION/ferretdb"
  if [[ ! -x "$cached" ]]; then
    need go "Go builds FerretDB"
    say "ferretdb: building FerretDB $FERRETDB_VERSION with Go (first run only, a few minutes)"
    local module_dir src="$CACHE_DIR/build/ferretdb-$FERRETDB_VERSION"
    module_dir="$(GOTOOLCHAIN=$FERRETDB_V2_TOOLCHAIN go mod download -json "github.com/FerretDB/FerretDB/v2@$FERRETDB_VERSION" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [[ -d "$module_dir" ]] || die "ferretdb: 'go mod download' did not give the module source"
    rm -rf "$src"
    mkdir -p "$(dirname "$src")" "$(dirname "$cached")"
    cp -R "$module_dir" "$src"
    chmod -R u+w "$src"
    # As for v1: the published module lacks this generated file, and the binary panics at start without it.
    printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
    if ! (cd "$src" && GOTOOLCHAIN=$FERRETDB_V2_TOOLCHAIN GOFLAGS="-mod=mod -buildvcs=false" \
      go build -trimpath -o "$cached.tmp" ./cmd/ferretdb) >"$LOG_DIR/go-build.log" 2>&1; then
      tail -n 30 "$LOG_DIR/go-build.log" >&2
      die "ferretdb: build failed; see $LOG_DIR/go-build.log"
    fi
    mv "$cached.tmp" "$cached"
    rm -rf "$src"
  fi
  # A copy under the infra folder: the pid check recognises our process by its path there.
  mkdir -p "$FERRETDB_HOME/bin"
  if ! cmp -s "$cached" "$FERRETDB_BIN"; then
    cp "$cached" "$FERRETDB_BIN.tmp"
    mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  fi
  printf '%s' "$FERRETDB_VERSION" >"$FERRETDB_HOME/.version"
}

prepare_documentdb() {
  mkdir -p "$CACHE_DIR" "$LOG_DIR"
  # Two checkouts (or CI beside a developer) starting at once build one after the other, the second finding it done.
  exec 9>"$CACHE_DIR/build.lock"
  flock 9
  install_documentdb_packages
  build_pgvector
  build_documentdb
  build_ferretdb_v2
  flock -u 9
  exec 9>&-
}

# Settings of the v2 cluster: DocumentDB preloaded, FerretDB's feature flags, and durability off (test data only).
postgres_documentdb_conf() {
  cat <<CONF
# Written by scripts/infra/infra.sh for FerretDB $FERRETDB_VERSION (DocumentDB $DOCUMENTDB_TAG).
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
# Debian 12's pg_cron 1.4 knows no "N seconds" schedules, which DocumentDB's default index build schedule is.
documentdb.indexBuildScheduleInSec = 60
documentdb.enableCompact = true
documentdb.enableLetAndCollationForQueryMatch = true
documentdb.enableNowSystemVariable = true
documentdb.enableSortbyIdPushDownToPrimaryKey = true
documentdb.enableSchemaValidation = true
documentdb.enableBypassDocumentValidation = true
documentdb.enableUserCrud = true
documentdb.maxUserLimit = 100
CONF
}

# --- PostgreSQL (FerretDB's backend) --------------------------------------------------------------------------

postgres_bin() {
  local dir
  # DocumentDB is built for one major version: its cluster must run that one.
  if [[ "$POSTGRES_NAME" == postgres-documentdb ]]; then
    [[ -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]] && printf '/usr/lib/postgresql/%s/bin' "$PG_MAJOR"
    return 0
  fi
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
    as_postgres "$(postgres_bin)/initdb" -D "$POSTGRES_DATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
      >"$LOG_DIR/initdb.log" 2>&1 || die "postgres: initdb failed; see $LOG_DIR/initdb.log"
  fi
  if [[ "$POSTGRES_NAME" == postgres-documentdb ]]; then
    # Rewritten at every start, so that a changed setting here reaches an existing cluster.
    postgres_documentdb_conf | as_postgres tee "$POSTGRES_DATA/termline-documentdb.conf" >/dev/null
    grep -q "termline-documentdb.conf" "$POSTGRES_DATA/postgresql.conf" ||
      printf "\ninclude_if_exists = 'termline-documentdb.conf'\n" | as_postgres tee -a "$POSTGRES_DATA/postgresql.conf" >/dev/null
  fi
}

# As root, the cluster belongs to the postgres user, who must be able to reach it. A checkout under a private
# folder (/root/...) is out of its reach: then the cluster lives in the postgres user's home instead.
locate_postgres() {
  if [[ "$(id -u)" == 0 ]] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$STATE_DIR/data" 2>/dev/null; then
    local home
    home="/var/lib/postgresql/termline/$(printf '%s' "$STATE_DIR" | cksum | cut -d' ' -f1)"
    if [[ "$POSTGRES_NAME" == postgres ]]; then
      POSTGRES_DATA="$home/data"
      POSTGRES_SOCKETS="$home/run"
    else
      POSTGRES_DATA="$home/$POSTGRES_NAME/data"
      POSTGRES_SOCKETS="$home/$POSTGRES_NAME/run"
    fi
    POSTGRES_LOG="$home/$POSTGRES_NAME.log"
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
  # Durability off: the cluster holds test and bench data only, and both FerretDB versions run with the same settings.
  as_postgres "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DATA" -l "$POSTGRES_LOG" -w -t 60 \
    -o "-p $POSTGRES_PORT -k $POSTGRES_SOCKETS -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die "postgres: did not start; see $POSTGRES_LOG"
  if [[ "$POSTGRES_NAME" == postgres-documentdb ]]; then
    # FerretDB v2 keeps its data in the postgres database, through the documentdb extension (and those it requires).
    as_postgres "$(postgres_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAtc \
      "CREATE EXTENSION IF NOT EXISTS documentdb CASCADE" >>"$POSTGRES_LOG" 2>&1 ||
      die "postgres: could not create the documentdb extension; see $POSTGRES_LOG"
    return 0
  fi
  if ! as_postgres "$(postgres_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1; then
    as_postgres "$(postgres_bin)/createdb" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres ferretdb ||
      die "postgres: could not create the ferretdb database"
  fi
}

# Both versions' clusters: `down` stops whichever one runs, whatever TERMLINE_FERRETDB_VERSION says now.
stop_postgres() {
  local name
  for name in postgres postgres-documentdb; do
    select_cluster "$name"
    locate_postgres
    [[ -n "$(postgres_bin)" && -f "$POSTGRES_DATA/PG_VERSION" ]] || continue
    if postgres_running; then
      say "$name: stopping"
      as_postgres "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DATA" -m fast -w stop >/dev/null || true
      say "$name: stopped"
    fi
  done
}

start_ferretdb() {
  local pid
  if pid="$(running_pid ferretdb)"; then
    ps -p "$pid" -o args= | grep -qF "$FERRETDB_BIN" ||
      die "ferretdb: the other FerretDB version runs (pid $pid); run infra:down first to switch to $FERRETDB_VERSION"
    say "ferretdb: already running (pid $pid) on $FERRETDB_ADDR"
    return 0
  fi
  port_open "$FERRETDB_PORT" && die "ferretdb: port $FERRETDB_PORT is taken by another process (not ours)"
  prepare_ferretdb
  mkdir -p "$FERRETDB_DATA" "$FERRETDB_STATE" "$LOG_DIR" "$RUN_DIR"
  local backend_args
  if [[ "$FERRETDB_MAJOR" == v2 ]]; then
    [[ "$FERRETDB_BACKEND" == postgresql ]] || die "ferretdb: FerretDB v2 runs on PostgreSQL only (unset TERMLINE_FERRETDB_BACKEND)"
    start_postgres
    # v2 requires authentication unless --no-auth; the tests connect without credentials, as to v1.
    backend_args=(--postgresql-url="postgres://postgres@127.0.0.1:$POSTGRES_PORT/postgres" --no-auth)
    say "ferretdb: starting $FERRETDB_VERSION on $FERRETDB_ADDR (PostgreSQL + DocumentDB on 127.0.0.1:$POSTGRES_PORT)"
  elif [[ "$FERRETDB_BACKEND" == sqlite ]]; then
    backend_args=(--handler=sqlite --sqlite-url="file:$FERRETDB_DATA/")
    say "ferretdb: starting on $FERRETDB_ADDR (SQLite files in $FERRETDB_DATA)"
  else
    start_postgres
    backend_args=(--handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb")
    say "ferretdb: starting on $FERRETDB_ADDR (PostgreSQL on 127.0.0.1:$POSTGRES_PORT)"
  fi
  # An empty (v2) or "-" (v1) debug address turns off its HTTP debug listener (metrics, pprof): nothing here needs it.
  local debug_addr=-
  [[ "$FERRETDB_MAJOR" == v2 ]] && debug_addr=
  nohup "$FERRETDB_BIN" "${backend_args[@]}" --listen-addr="$FERRETDB_ADDR" \
    --state-dir="$FERRETDB_STATE" --debug-addr="$debug_addr" --telemetry=disable --log-level=warn \
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
  status_line ferretdb "$FERRETDB_ADDR (FerretDB $FERRETDB_VERSION, $FERRETDB_BACKEND backend)" "$LOG_DIR/ferretdb.log"
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
