#!/usr/bin/env bash
# Make .venv-rasa: Rasa 3.6.21 in its own Python 3.10 environment.
#
# Rasa refuses Python 3.11 and pins SQLAlchemy 1.4, TensorFlow 2.12 and pydantic 1,
# so it cannot share the bot's environment; the bot talks to it over HTTP. The
# install takes minutes and 2.7 GB, so the environment is built once per version
# of nlu/rasa/constraints.txt in a cache outside the clone (CI clones afresh every
# run) and .venv-rasa is a symlink to it. A venv cannot be moved, hence the link.
#
#   JEUGDSTEM_CACHE   where environments are kept (default ~/.cache/jeugdstem)
#   PYTHON310         a Python 3.10 interpreter (default: python3.10, else pyenv's)
set -euo pipefail
cd "$(dirname "$0")/.."

constraints=nlu/rasa/constraints.txt
key=$(sha256sum "$constraints" | cut -c1-16)
cache="${JEUGDSTEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jeugdstem}"
env_dir="$cache/rasa-$key"
mkdir -p "$cache"

runs() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python310() {
    local root candidate
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    # pyenv's shims exist even where they cannot run, so each candidate is tried.
    for candidate in "${PYTHON310:-}" "$(command -v python3.10 || true)" \
        "$root"/versions/3.10*/bin/python3.10; do
        if runs "$candidate"; then echo "$candidate"; return; fi
    done
    echo "Rasa needs Python 3.10: install it (pyenv install 3.10) or set PYTHON310" >&2
    exit 1
}

# One build at a time, even when two checkouts set up at once.
exec 9>"$cache/rasa.lock"
flock 9
if [ ! -f "$env_dir/.complete" ]; then
    python310=$(find_python310)
    echo "Building the Rasa environment in $env_dir (about 2 minutes, 2.7 GB)"
    rm -rf "$env_dir"
    "$python310" -m venv "$env_dir"
    log="$cache/rasa-install.log"
    if ! { "$env_dir/bin/python" -m pip install --quiet --upgrade pip &&
        "$env_dir/bin/python" -m pip install --quiet --constraint "$constraints" rasa==3.6.21; } \
        >"$log" 2>&1; then
        grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -20 >&2
        echo "The Rasa install failed; the whole log is in $log" >&2
        exit 1
    fi
    touch "$env_dir/.complete"
fi
ln -sfn "$env_dir" .venv-rasa
