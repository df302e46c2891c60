# Sourced by the other scripts: installs what is missing, so each npm script works on a machine that
# has only Node and npm. Debian packages are installed only when the tests need them and absent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "asphalt-ts: installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

ensure_debian() { # ensure_debian COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -x "/usr/sbin/$1" ] && return 0
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    echo "asphalt-ts: '$1' is missing; install the Debian package '$2' (apt-get install $2)" >&2
    return 1
  fi
  local sudo=""; [ "$(id -u)" != 0 ] && sudo=sudo
  echo "asphalt-ts: installing Debian package $2..." >&2
  if [ ! -f /var/lib/apt/lists/lock ] || [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v lock)" ]; then
    $sudo apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >&2 || {
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >&2
  }
}
