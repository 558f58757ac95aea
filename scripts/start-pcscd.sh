#!/usr/bin/env bash
# Start pcscd in the background when it is not running, and wait until its socket answers.
# CI machines and containers have no init system to start it; a desk normally has one.
set -euo pipefail

if pgrep -x pcscd >/dev/null 2>&1; then
    exit 0
fi
if ! command -v pcscd >/dev/null 2>&1; then
    echo "start-pcscd: pcscd is not installed (run scripts/setup-system.sh)" >&2
    exit 1
fi
log="${TMPDIR:-/tmp}/hall-counter-pcscd.log"
if [ "$(id -u)" -ne 0 ]; then
    echo "start-pcscd: pcscd is not running; start it with 'sudo systemctl start pcscd'" >&2
    exit 1
fi
setsid pcscd --foreground >"$log" 2>&1 < /dev/null &
for _ in $(seq 1 50); do
    [ -S /run/pcscd/pcscd.comm ] && exit 0
    sleep 0.1
done
echo "start-pcscd: pcscd did not come up; see $log" >&2
exit 1
