# shellcheck shell=bash
# scripts/lib/common.sh — helpers shared by scripts/local-cluster, scripts/test and scripts/demo.
# Source it; it defines functions and a few constants only (no side effects).

# Debian packages a real local cluster needs (the first seven are the ones NOTES.md verified).
PGCHATOPS_PACKAGES=(postgresql-15 patroni pgbackrest etcd-server etcd-client openssh-server python3-psycopg2
                    openssh-client curl iproute2)

_pgc_ts() { date '+%H:%M:%S'; }
log()  { printf '%s [%s] %s\n' "$(_pgc_ts)" "${PGCHATOPS_LOG_TAG:-pgchatops}" "$*" >&2; }
warn() { printf '%s [%s] WARNING: %s\n' "$(_pgc_ts)" "${PGCHATOPS_LOG_TAG:-pgchatops}" "$*" >&2; }
die()  { printf '%s [%s] ERROR: %s\n' "$(_pgc_ts)" "${PGCHATOPS_LOG_TAG:-pgchatops}" "$*" >&2; exit 1; }

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (it installs packages and runs PostgreSQL/Patroni as user postgres)"
}

# ensure_packages: install whatever of PGCHATOPS_PACKAGES is missing (one apt-get update, then install -y).
# Works without stdin (CI=true, fresh machine).
ensure_packages() {
  local p missing=()
  for p in "${PGCHATOPS_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  require_root
  log "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update </dev/null >&2 || die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=300 install -y "${missing[@]}" </dev/null >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# now_ms: milliseconds since the epoch (for measuring).
now_ms() { date +%s%3N; }

# pid_alive PID: true if PID exists and is not a zombie.
pid_alive() {
  local pid=${1:-} state
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state=$(pid_state "$pid") || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# pid_state PID: the one-letter process state (R, S, D, T, Z, ...) from /proc/PID/stat.
pid_state() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }          # drop "pid (comm) "
  printf '%s\n' "${stat%% *}"
}

# pid_cmdline PID: the command line with spaces between arguments ("" if gone).
pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# wait_gone DEADLINE_SECONDS PID...: poll until every PID is gone; false on timeout.
wait_gone() {
  local deadline=$(( $(now_ms) + $1 * 1000 )) pid left
  shift
  while :; do
    left=0
    for pid in "$@"; do pid_alive "$pid" && left=1; done
    ((left == 0)) && return 0
    (( $(now_ms) >= deadline )) && return 1
    sleep 0.2
  done
}

# port_holder PORT: the `ss -ltnp` line of whoever listens on TCP PORT (empty if free).
port_holder() { ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1; }

# port_holder_pids PORT: pids listening on PORT, one per line (as far as ss can tell).
port_holder_pids() { port_holder "$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }

# ensure_build_tools: a JDK 17 and Maven, from Debian's packages when missing.
ensure_build_tools() {
  local missing=()
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing missing build tools: ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=300 update </dev/null >&2 || die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=300 install -y "${missing[@]}" </dev/null >&2 || die "apt-get install ${missing[*]} failed"
}
