#!/usr/bin/env bash
# Print the path of a usable `uv`, installing it from PyPI into the user's site when missing.
set -euo pipefail

if command -v uv >/dev/null 2>&1; then
    command -v uv
    exit 0
fi
local_uv="$HOME/.local/bin/uv"
if [ ! -x "$local_uv" ]; then
    # Debian marks its Python as externally managed; a user install of one tool is fine.
    python3 -m pip install --quiet --user uv >&2 \
        || python3 -m pip install --quiet --user --break-system-packages uv >&2
fi
echo "$local_uv"
