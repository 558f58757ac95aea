"""Inspect the ELF files of a bundle: C-library floor, system libraries needed, .deb depends.

    python installer/elfcheck.py floor dist/hall-counter [--json] [--max 2.28]
    python installer/elfcheck.py needs dist/hall-counter      # sonames the system must provide
    python installer/elfcheck.py depends dist/hall-counter    # Debian packages providing them

``floor``: every ELF file's version needs (``.gnu.version_r``, what ``readelf -V`` lists under
"Version needs") name the GLIBC_x.y versions it needs from the system's libc; the bundle starts
only where libc.so.6 has the newest of them. libstdc++ (GLIBCXX_, CXXABI_) is reported as well.
``--max X.Y`` exits 1 when the glibc floor is above X.Y.

``needs``: the DT_NEEDED entries of every ELF file that the bundle does not ship itself (glibc's
own libraries left out), with whether this machine has them (``ldconfig -p``). Exit 1 when one
is missing here, so a build machine notices an incomplete bundle.

``depends``: the ``Depends:`` line for the .deb: ``libc6 (>= floor)`` and the Debian packages
that provide the needed libraries on this machine (``dpkg -S``), falling back to Debian's
library package naming (libfoo.so.1 -> libfoo1) for libraries this machine lacks.

Pure Python (no binutils), so it also reads an arm64 bundle on an amd64 machine.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NEEDED = 1
PREFIXES = ("GLIBC_", "GLIBCXX_", "CXXABI_")
# Libraries that belong to glibc itself: always the system's (package libc6).
GLIBC_PARTS = (
    "libc.so",
    "libm.so",
    "libpthread.so",
    "libdl.so",
    "librt.so",
    "libutil.so",
    "libresolv.so",
    "libanl.so",
    "ld-linux",
)


@dataclass
class ElfInfo:
    """What one ELF file asks of the system."""

    needed: list[str] = field(default_factory=list)
    version_needs: dict[str, set[str]] = field(default_factory=dict)


def _sections(data: bytes):
    is64 = data[4] == 2
    endian = "<" if data[5] == 1 else ">"
    if is64:
        (shoff,) = struct.unpack_from(endian + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(endian + "HH", data, 0x3A)
        layout = endian + "IIQQQQII"
    else:
        (shoff,) = struct.unpack_from(endian + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(endian + "HH", data, 0x2E)
        layout = endian + "IIIIIIII"
    sections = []
    for i in range(shnum):
        _name, sh_type, _flags, _addr, offset, size, link, info = struct.unpack_from(
            layout, data, shoff + i * shentsize
        )
        sections.append((sh_type, offset, size, link, info))
    return is64, endian, sections


def read_elf(path: Path) -> ElfInfo | None:
    """The DT_NEEDED list and version needs of ``path``; None when it is not an ELF file."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or len(data) < 64:
        return None
    is64, endian, sections = _sections(data)
    info = ElfInfo()

    def string(table: int, at: int) -> str:
        start = sections[table][1] + at
        return data[start : data.index(b"\0", start)].decode("ascii", "replace")

    for sh_type, offset, size, link, count in sections:
        if sh_type == SHT_DYNAMIC:
            entry_size = 16 if is64 else 8
            fmt = endian + ("qQ" if is64 else "iI")
            for at in range(offset, offset + size, entry_size):
                tag, value = struct.unpack_from(fmt, data, at)
                if tag == 0:
                    break
                if tag == DT_NEEDED:
                    info.needed.append(string(link, value))
        elif sh_type == SHT_GNU_VERNEED:
            entry = offset
            for _ in range(count):
                _ver, cnt, file_off, aux, nxt = struct.unpack_from(endian + "HHIII", data, entry)
                library = string(link, file_off)
                aux_at = entry + aux
                for _ in range(cnt):
                    _hash, _flags, _other, name_off, aux_next = struct.unpack_from(
                        endian + "IHHII", data, aux_at
                    )
                    info.version_needs.setdefault(library, set()).add(string(link, name_off))
                    if not aux_next:
                        break
                    aux_at += aux_next
                if not nxt:
                    break
                entry += nxt
    return info


def elf_files(folder: Path) -> Iterator[tuple[Path, ElfInfo]]:
    """(path, info) of every regular ELF file under ``folder`` (symlinks not followed)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) != b"\x7fELF":
                    continue
            info = read_elf(path)
            if info is not None:
                yield path, info


def version_key(text: str) -> tuple[int, ...]:
    """``"2.28"`` -> ``(2, 28)`` for comparisons."""
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[._]", text))


def _is_glibc(soname: str) -> bool:
    return soname.startswith(GLIBC_PARTS)


def shipped_names(folder: Path) -> set[str]:
    """File names present anywhere in the bundle (libraries it brings itself)."""
    return {p.name for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@dataclass
class Floor:
    """The newest version needed per prefix, and which files need it."""

    versions: dict[str, str] = field(default_factory=dict)
    needed_by: dict[str, list[str]] = field(default_factory=dict)
    files: int = 0

    def add(self, version: str, file: str) -> None:
        """Record that ``file`` needs ``version`` (e.g. GLIBC_2.34)."""
        prefix = next(p for p in PREFIXES if version.startswith(p))
        number = version[len(prefix) :]
        current = self.versions.get(prefix)
        if current is None or version_key(number) > version_key(current):
            self.versions[prefix] = number
            self.needed_by[prefix] = [file]
        elif number == current and file not in self.needed_by[prefix]:
            self.needed_by[prefix].append(file)


def measure_floor(folder: Path) -> Floor:
    """The newest GLIBC_/GLIBCXX_/CXXABI_ versions the bundle needs from the system."""
    shipped = shipped_names(folder)
    floor = Floor()
    for path, info in elf_files(folder):
        floor.files += 1
        for library, versions in info.version_needs.items():
            if library in shipped and not _is_glibc(library):
                continue  # satisfied by the bundle's own copy
            for version in versions:
                if version.startswith(PREFIXES):
                    floor.add(version, str(path.relative_to(folder)))
    return floor


def system_needs(folder: Path) -> dict[str, list[str]]:
    """``{soname: [files needing it]}`` for libraries the bundle does not ship (glibc's own
    libraries excluded)."""
    shipped = shipped_names(folder)
    needs: dict[str, list[str]] = {}
    for path, info in elf_files(folder):
        for soname in info.needed:
            if soname in shipped or _is_glibc(soname):
                continue
            needs.setdefault(soname, []).append(str(path.relative_to(folder)))
    return needs


def ldconfig_paths() -> dict[str, str]:
    """``{soname: path}`` of the libraries this machine's dynamic loader knows."""
    try:
        out = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    paths: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and match.group(1) not in paths:
            paths[match.group(1)] = match.group(3)
    return paths


def debian_package_name(soname: str) -> str:
    """Debian's usual library package name: libfoo.so.1 -> libfoo1, libfoo-2.0.so.0 ->
    libfoo-2.0-0, libfoo_bar.so.1 -> libfoo-bar1."""
    match = re.match(r"(.+?)\.so\.(.+)$", soname)
    if not match:
        return soname.lower()
    name, version = match.group(1).lower().replace("_", "-"), match.group(2).split(".")[0]
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def owning_package(path: str) -> str | None:
    """The Debian package that installed ``path`` (``dpkg -S``), without the :arch suffix."""
    try:
        out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    except OSError:
        return None
    if out.returncode != 0:
        # /lib is a symlink to /usr/lib on merged-/usr systems; dpkg knows one spelling.
        real = str(Path(path).resolve())
        if real != path:
            return owning_package(real)
        return None
    package = out.stdout.split(":", 1)[0].strip()
    return package.split(",")[0].strip() or None


def debian_depends(folder: Path) -> list[str]:
    """The .deb's library dependencies: libc6 with the measured floor, then one package per
    needed library (this machine's owner, or Debian's naming convention)."""
    floor = measure_floor(folder)
    depends = []
    if "GLIBC_" in floor.versions:
        depends.append(f"libc6 (>= {floor.versions['GLIBC_']})")
    paths = ldconfig_paths()
    packages: set[str] = set()
    for soname in sorted(system_needs(folder)):
        package = owning_package(paths[soname]) if soname in paths else None
        packages.add(package or debian_package_name(soname))
    packages.discard("libc6")
    if "GLIBCXX_" in floor.versions:
        packages.discard("libstdc++6")
        depends.append("libstdc++6")
    return depends + sorted(packages)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("floor", "needs", "depends"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--max", metavar="X.Y", help="floor: fail when glibc is above X.Y")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")

    if args.action == "floor":
        floor = measure_floor(args.folder)
        glibc = floor.versions.get("GLIBC_")
        if args.json:
            report = {
                "glibc": glibc,
                "glibcxx": floor.versions.get("GLIBCXX_"),
                "cxxabi": floor.versions.get("CXXABI_"),
                "elf_files": floor.files,
                "needed_by": {k: v[:10] for k, v in floor.needed_by.items()},
            }
            print(json.dumps(report))
        else:
            print(f"{floor.files} ELF files in {args.folder}")
            for prefix in PREFIXES:
                if prefix in floor.versions:
                    who = floor.needed_by[prefix]
                    more = f" (+{len(who) - 3} more)" if len(who) > 3 else ""
                    print(f"{prefix}{floor.versions[prefix]}: {', '.join(who[:3])}{more}")
        if args.max and glibc and version_key(glibc) > version_key(args.max):
            print(f"glibc floor {glibc} is above {args.max}", file=sys.stderr)
            return 1
        return 0

    if args.action == "needs":
        needs = system_needs(args.folder)
        paths = ldconfig_paths()
        missing = [s for s in needs if s not in paths]
        if args.json:
            print(
                json.dumps({"needs": {s: paths.get(s) for s in sorted(needs)}, "missing": missing})
            )
        else:
            for soname in sorted(needs):
                where = paths.get(soname) or f"MISSING here (needed by {needs[soname][0]})"
                print(f"{soname}: {where}")
        return 1 if missing else 0

    print(", ".join(debian_depends(args.folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
