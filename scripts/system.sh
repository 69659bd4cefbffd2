# Sourced by scripts/test and scripts/venv.sh: install Debian packages with apt-get, as root directly, through sudo
# otherwise; where neither works, say exactly what to install and stop (exit 2).
system_install() {
  local runner=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      runner=(sudo)
    else
      echo "missing system packages: $*" >&2
      echo "not root and no sudo: ask an administrator to run  apt-get install -y $*" >&2
      exit 2
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing system packages: $* (Debian names); install them with this system's package manager" >&2
    exit 2
  fi
  echo "installing system packages: $*${runner:+ (with sudo)}" >&2
  if ! { "${runner[@]}" apt-get update -qq && "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }; then
    echo "could not install: $*; install them by hand:  sudo apt-get install -y $*" >&2
    exit 2
  fi
}
