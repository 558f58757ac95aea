#!/usr/bin/env bash
# Build the .deb for 统信UOS / 麒麟 / Debian desks from the PyInstaller bundle.
#
#   installer/deb/build-deb.sh [BUNDLE_DIR] [OUT_DIR]     (make deb runs it)
#
# BUNDLE_DIR defaults to dist/hall-counter, OUT_DIR to dist. Environment: VERSION (default:
# pyproject.toml's), DEB_REVISION (1), DEB_ARCH (dpkg --print-architecture), PYTHON (python3).
#
# The package installs the bundle under /opt/hall-counter, the command as a symlink
# /usr/bin/hall-counter, a desktop entry and the icon, the folder /etc/hall-counter for the
# system-wide configuration and an example of it. Depends: pcscd and libpcsclite1 (the card
# reader service and the client library pyscard loads), libc6 at least the bundle's measured
# C-library floor, and the system libraries the bundle leaves to the desk's own system
# (installer/elfcheck.py works them out from the ELF files). Prints the package's path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bundle="$(cd "${1:-$repo/dist/hall-counter}" && pwd)"
out="${2:-$repo/dist}"
python="${PYTHON:-python3}"

if [ ! -x "$bundle/hall-counter" ]; then
    echo "build-deb: no bundle at $bundle (run make bundle first)" >&2
    exit 1
fi
for tool in dpkg-deb "$python"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build-deb: $tool is missing" >&2; exit 1; }
done

version="${VERSION:-$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/pyproject.toml" | head -n1)}"
revision="${DEB_REVISION:-1}"
arch="${DEB_ARCH:-$(dpkg --print-architecture)}"
package="hall-counter_${version}-${revision}_${arch}.deb"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/root"

# Files.
install -d "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/icons/hicolor/256x256/apps" \
    "$root/usr/share/doc/hall-counter/examples" "$root/etc/hall-counter" "$root/DEBIAN"
cp -a "$bundle" "$root/opt/hall-counter"
ln -s /opt/hall-counter/hall-counter "$root/usr/bin/hall-counter"
install -m 0644 "$here/hall-counter.desktop" "$root/usr/share/applications/hall-counter.desktop"
install -m 0644 "$repo/installer/icons/hall-counter.svg" \
    "$root/usr/share/icons/hicolor/scalable/apps/hall-counter.svg"
install -m 0644 "$repo/installer/icons/hall-counter.png" \
    "$root/usr/share/icons/hicolor/256x256/apps/hall-counter.png"
install -m 0644 "$here/copyright" "$root/usr/share/doc/hall-counter/copyright"
# The system-wide configuration goes to /etc/hall-counter/config.toml (docs/configuration.md);
# the package ships the folder and a complete example, never a configuration of its own.
install -m 0644 "$repo/docs/config-example.toml" \
    "$root/usr/share/doc/hall-counter/examples/config.toml"
printf 'hall-counter (%s-%s) stable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
    "$version" "$revision" "$version" "Hall Counter team <hall-counter@localhost>" \
    "$(date -R)" | gzip -9n > "$root/usr/share/doc/hall-counter/changelog.Debian.gz"

# Ownership is set by --root-owner-group; modes: no group/other write anywhere.
chmod -R u+rwX,go+rX,go-w "$root"

# Maintainer scripts and control file.
for script in postinst prerm postrm; do
    install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done
libs="$("$python" "$repo/installer/elfcheck.py" depends "$bundle")"
installed_size="$(du -sk --apparent-size "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<EOF
Package: hall-counter
Version: ${version}-${revision}
Architecture: ${arch}
Maintainer: Hall Counter team <hall-counter@localhost>
Installed-Size: ${installed_size}
Depends: pcscd, libpcsclite1, ${libs}
Recommends: libccid, fonts-wqy-microhei | fonts-noto-cjk, speech-dispatcher
Suggests: pcsc-tools
Section: misc
Priority: optional
Description: service-window desk for social-security service halls
 Hall Counter runs at the service windows of a human-resources and
 social-security service hall: it reads the citizen's social security card
 through a PC/SC reader, checks the card PIN and a live face match, and sends
 the clerk's case to the central business system, keeping it in an encrypted
 local outbox while the network is down.
 .
 Run "hall-counter self-test" after installing to check the desk.
EOF

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/$package" >/dev/null
echo "$out/$package"
