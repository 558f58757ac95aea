#!/usr/bin/env bash
# Install the Debian packages Hall Counter needs, when they are missing.
#   pcscd, vsmartcard-vpcd   the PC/SC service and the virtual reader used by the card tests
#   libpcsclite-dev, swig    pyscard builds from source on Linux
#   fonts-wqy-microhei       a CJK font, so Chinese renders on screen, in screenshots and PDFs
#   xvfb, openbox, xdotool   a real X server and window manager for tests that need one
#   x11-utils                xprop and xwininfo, which the kiosk lockdown test reads windows with
#   libxcb-*, libxkbcommon-x11-0
#                            what Qt 6's xcb platform plugin links against (the kiosk on X11)
#   libpulse0                QtTextToSpeech loads through QtMultimedia, which links libpulse
# Runs apt-get as root, or through sudo for a normal user. Does nothing when all are present.
set -euo pipefail

packages=(pcscd vsmartcard-vpcd libpcsclite-dev swig fonts-wqy-microhei xvfb openbox xdotool
          x11-utils libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
          libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libpulse0
          python3 python3-venv python3-pip)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: missing packages (${missing[*]}) and no apt-get; install them by hand." >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "setup-system: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
