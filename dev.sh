#!/usr/bin/env bash
# One entry point for a fresh machine: installs what Task Atlas needs, then runs it.
#   ./dev.sh serve   build the bundled data if needed and serve the dashboard
#   ./dev.sh test    lint, type-check and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

# postgresql: server binaries for the store tests, which start a throwaway cluster of their own
APT_PACKAGES=(chromium chromium-driver fonts-noto-cjk poppler-utils postgresql)

install_system() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        echo "installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

install_python() {
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e ".[dev,geodata]"
}

cmd="${1:-serve}"
shift || true
case "$cmd" in
    serve)
        install_system
        install_python
        exec .venv/bin/task-atlas serve "$@"
        ;;
    test)
        install_system
        install_python
        .venv/bin/ruff check .
        .venv/bin/ruff format --check .
        .venv/bin/mypy
        exec .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: ./dev.sh serve|test [args...]" >&2
        exit 2
        ;;
esac
