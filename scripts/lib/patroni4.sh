# shellcheck shell=bash
# scripts/lib/patroni4.sh — Patroni 4.0.7 from Debian trixie, run on bookworm's Python, WITHOUT touching the
# system's apt sources: a private sources list, lists and cache dirs (apt-get -o Dir::...), `apt-get download`,
# `dpkg-deb -x` into a cache dir that later runs reuse. Source it after lib/common.sh.
#
#   ensure_patroni4   prints the extracted root (…/usr/lib/python3/dist-packages holds the `patroni` package)
#
# Environment: PGCHATOPS_PATRONI4_CACHE (default /var/cache/pgchatops/patroni4),
#   PGCHATOPS_PATRONI4_VERSION (default 4.0.7-3~deb13u1), PGCHATOPS_DEBIAN_MIRROR (default http://deb.debian.org/debian).

PATRONI4_CACHE=${PGCHATOPS_PATRONI4_CACHE:-/var/cache/pgchatops/patroni4}
PATRONI4_VERSION=${PGCHATOPS_PATRONI4_VERSION:-4.0.7-3~deb13u1}
PATRONI4_MIRROR=${PGCHATOPS_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# patroni4_root: where the package of PATRONI4_VERSION is (or will be) extracted.
patroni4_root() { echo "$PATRONI4_CACHE/${PATRONI4_VERSION//[^A-Za-z0-9.+-]/_}/root"; }

# patroni4_pythonpath: the PYTHONPATH that makes `python3 -m patroni` the 4.x one.
patroni4_pythonpath() { echo "$(patroni4_root)/usr/lib/python3/dist-packages"; }

ensure_patroni4() {
  local root apt deb got tmp
  root=$(patroni4_root)
  if [[ -f $root/.complete ]]; then echo "$root"; return 0; fi
  require_root
  apt=$PATRONI4_CACHE/apt
  install -d -m 755 "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
  # trixie's archive key ships in bookworm's debian-archive-keyring; nothing is added to the system.
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$PATRONI4_MIRROR" \
    >"$apt/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
              -o APT::Sandbox::User=root)
  log "fetching Patroni $PATRONI4_VERSION from Debian trixie (private apt lists in $apt; system sources untouched)"
  apt-get "${opts[@]}" update </dev/null >&2 || die "apt-get update with the private trixie sources list failed"
  (cd "$apt/debs" && apt-get "${opts[@]}" download "patroni=$PATRONI4_VERSION" </dev/null >&2) \
    || die "apt-get download patroni=$PATRONI4_VERSION (trixie) failed; set PGCHATOPS_PATRONI4_VERSION to one trixie has" \
           "(apt-get ${opts[*]} policy patroni)"
  deb=$(find "$apt/debs" -maxdepth 1 -name 'patroni_*.deb' -print | sort | tail -n 1)
  [[ -n $deb ]] || die "no patroni .deb in $apt/debs after apt-get download"
  tmp=$(mktemp -d "$PATRONI4_CACHE/extract.XXXXXX")
  dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $deb failed"
  got=$(PYTHONPATH=$tmp/usr/lib/python3/dist-packages /usr/bin/python3 -c \
        'import patroni.version as v; print(v.__version__)' 2>&1) \
    || die "the extracted Patroni does not import on $(/usr/bin/python3 --version 2>&1): $got"
  rm -rf "$root"
  install -d -m 755 "$(dirname "$root")"
  mv "$tmp" "$root"
  chmod 755 "$root"
  echo "$got" >"$root/.complete"
  log "Patroni $got ready in $root"
  echo "$root"
}
