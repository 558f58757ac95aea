# Installer targets. The Makefile includes this file (`include installer/make.mk`) and provides
# UV, VENV, PY and the venv / translations targets.
#
#   make bundle      PyInstaller one-folder bundle dist/hall-counter/ (program
#                    dist/hall-counter/hall-counter) and its tarball
#                    dist/hall-counter-<version>-linux-<arch>.tar.gz
#   make deb         dist/hall-counter_<version>-1_<arch>.deb, built from a fresh bundle
#   make wheelhouse  every wheel the project needs (runtime and build tools) in
#                    dist/wheelhouse/, for offline installs; sdists are built into wheels
#   make sign        GPG_KEY=<key id>: detached signature dist/SHA256SUMS.asc
#
# dist/SHA256SUMS lists the release files in dist/ (rewritten by bundle and deb);
# dist/wheelhouse/SHA256SUMS the wheelhouse. docs/install.md explains how to verify both.

HC_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
HC_ARCH := $(shell dpkg --print-architecture 2>/dev/null || uname -m)
HC_BUNDLE := dist/hall-counter
HC_TARBALL := dist/hall-counter-$(HC_VERSION)-linux-$(HC_ARCH).tar.gz
HC_WHEELHOUSE := dist/wheelhouse

.PHONY: bundle deb wheelhouse sign

# The release files of dist/, checksummed together.
define hc_checksums
	cd dist && find . -maxdepth 1 -type f \( -name '*.deb' -o -name '*.tar.gz' -o -name '*.exe' \) \
		-printf '%f\n' | LC_ALL=C sort | xargs -r sha256sum > SHA256SUMS
	@echo "dist/SHA256SUMS:" && cat dist/SHA256SUMS
endef

bundle: venv translations
	rm -rf $(HC_BUNDLE) build/pyinstaller
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller installer/hall-counter.spec
	$(PY) installer/build_info.py $(HC_BUNDLE)
	$(PY) installer/elfcheck.py floor $(HC_BUNDLE)
	# System libraries the bundle links to that this machine lacks (the desk must have them;
	# the .deb depends on them).
	-$(PY) installer/elfcheck.py needs $(HC_BUNDLE) | grep MISSING
	$(HC_BUNDLE)/hall-counter --help >/dev/null
	tar -C dist -czf $(HC_TARBALL) hall-counter
	$(hc_checksums)
	@du -sh $(HC_BUNDLE) $(HC_TARBALL)

deb: bundle
	rm -f dist/hall-counter_*.deb
	PYTHON=$(PY) installer/deb/build-deb.sh $(HC_BUNDLE) dist
	dpkg-deb --info dist/hall-counter_*.deb | sed -n '/Package:/,/Description:/p'
	$(hc_checksums)

wheelhouse: venv translations
	rm -rf $(HC_WHEELHOUSE) build/wheelhouse
	mkdir -p $(HC_WHEELHOUSE) build/wheelhouse
	# Pinned with hashes (runtime and dev groups) for the download; pip checks every archive.
	$(UV) export --frozen --all-groups --no-emit-project --format requirements-txt --quiet \
		-o build/wheelhouse/locked-hashes.txt
	# What an offline install asks for: the same pins, without the hashes of the sdists.
	$(UV) export --frozen --no-dev --no-emit-project --no-hashes --format requirements-txt \
		--quiet -o $(HC_WHEELHOUSE)/requirements.txt
	$(UV) export --frozen --only-dev --no-emit-project --no-hashes --format requirements-txt \
		--quiet -o $(HC_WHEELHOUSE)/requirements-build.txt
	# uv's override (no source-only "dlib"; dlib-bin provides the module), for `uv pip --override`.
	$(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["tool"]["uv"]["override-dependencies"], sep="\n")' \
		> $(HC_WHEELHOUSE)/overrides.txt
	# `pip wheel` downloads the wheels and builds the sdist-only ones (face_recognition_models;
	# pyscard on Linux, which needs swig and libpcsclite-dev) into wheels.
	$(UV) tool run --python $(PY) --from 'pip>=24' pip wheel --no-deps --require-hashes \
		--wheel-dir $(HC_WHEELHOUSE) -r build/wheelhouse/locked-hashes.txt
	# Hall Counter itself; the wheel carries resources/ (force-include in pyproject.toml).
	$(UV) build --wheel --out-dir $(HC_WHEELHOUSE)
	cd $(HC_WHEELHOUSE) && ls | grep -v '^SHA256SUMS$$' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS
	@echo "$$(ls $(HC_WHEELHOUSE)/*.whl | wc -l) wheels in $(HC_WHEELHOUSE)"

sign:
	@test -n "$(GPG_KEY)" || { echo "make sign: set GPG_KEY to the release key's id" >&2; exit 2; }
	@test -f dist/SHA256SUMS || { echo "make sign: no dist/SHA256SUMS (make deb first)" >&2; exit 2; }
	gpg --batch --yes --local-user "$(GPG_KEY)" --armor --detach-sign \
		--output dist/SHA256SUMS.asc dist/SHA256SUMS
	@if [ -f $(HC_WHEELHOUSE)/SHA256SUMS ]; then \
		gpg --batch --yes --local-user "$(GPG_KEY)" --armor --detach-sign \
			--output $(HC_WHEELHOUSE)/SHA256SUMS.asc $(HC_WHEELHOUSE)/SHA256SUMS; fi
	gpg --verify dist/SHA256SUMS.asc dist/SHA256SUMS
