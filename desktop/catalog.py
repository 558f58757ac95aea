"""The service catalog: what services the desk offers, their forms, factors and approval rules.

Services come from central (``GET /v1/services``) and are cached in the data directory with
their ETag, so an unchanged catalog costs one 304 and a desk that goes offline keeps offering the
services it knew. Only in training, with neither central nor a cache, the bundled
``resources/services.json`` is used. Forms are checked on the desk against the service's JSON
Schema (draft 2020-12) before a case is queued.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from desktop.central import CentralClient, CentralError, CentralUnavailableError
from desktop.contract import Service, parse_services
from desktop.resources import resource_path

log = logging.getLogger(__name__)

CACHE_NAME = "services-cache.json"


def form_problems(service: Service, form: Any) -> dict[str, str]:
    """Check a form against the service's schema: ``{"form.field": "jsonschema keyword"}``.

    The codes are the failing JSON Schema keywords (``required``, ``enum``, ``minimum``,
    ``type``, ``additionalProperties``...), which the UI turns into sentences. Empty: valid.
    """
    validator = Draft202012Validator(service.form, format_checker=FormatChecker())
    problems: dict[str, str] = {}
    for error in sorted(validator.iter_errors(form), key=lambda e: list(e.absolute_path)):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required" and isinstance(error.validator_value, list):
            present = error.instance if isinstance(error.instance, dict) else {}
            for name in error.validator_value:
                if name not in present:
                    problems.setdefault(".".join(["form", *path, name]), "required")
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    problems.setdefault(".".join(["form", *path, str(name)]), "not_allowed")
            continue
        problems.setdefault(".".join(["form", *path]), str(error.validator))
    return problems


class Catalog:
    """The services of this desk, loaded from central and cached; thread-safe."""

    def __init__(self, client: CentralClient, data_dir: Path, *, training: bool = False):
        self._client = client
        self._cache = Path(data_dir) / CACHE_NAME
        self._training = training
        self._lock = threading.Lock()
        self._services: dict[str, Service] = {}

    def load(self, token: str | None) -> list[Service]:
        """Fetch the catalog (If-None-Match with the cached ETag); fall back to the cache.

        Raises CentralError when central cannot answer and nothing is cached (outside training).
        Blocking: call on a worker thread.
        """
        cached = self._read_cache()
        etag = cached.get("etag") if cached else None
        try:
            fresh, new_etag = self._client.services(token, etag=etag)
        except (CentralUnavailableError, CentralError) as exc:
            services = self._fallback(cached, exc)
        else:
            if fresh is None and cached:
                services = parse_services(cached["services"])
            elif fresh is None:
                # A 304 without a cache of ours: ask again without the ETag.
                fresh, new_etag = self._client.services(token)
                services = fresh or []
                self._write_cache(services, new_etag)
            else:
                services = fresh
                self._write_cache(services, new_etag)
        with self._lock:
            self._services = {s.code: s for s in services}
        return list(services)

    def _fallback(self, cached: dict | None, exc: CentralError) -> list[Service]:
        if cached:
            log.warning("service catalog from cache (central: %s)", exc.code)
            return parse_services(cached["services"])
        if self._training:
            log.warning("service catalog from the bundled resources (training)")
            return parse_services(json.loads(resource_path("services.json").read_text("utf-8")))
        raise exc

    def get(self, code: str) -> Service | None:
        """A service from the last load, or None."""
        with self._lock:
            return self._services.get(code)

    @property
    def loaded(self) -> bool:
        """True once a catalog was loaded."""
        with self._lock:
            return bool(self._services)

    def _read_cache(self) -> dict | None:
        try:
            data = json.loads(self._cache.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("ignoring an unreadable service catalog cache")
            return None
        if data.get("central_url") != self._client.base_url or "services" not in data:
            return None
        try:
            parse_services(data["services"])
        except ValueError:
            log.warning("ignoring a service catalog cache that does not parse")
            return None
        return data

    def _write_cache(self, services: list[Service], etag: str | None) -> None:
        payload = {
            "central_url": self._client.base_url,
            "etag": etag,
            "services": [s.model_dump(mode="json") for s in services],
        }
        tmp = self._cache.with_suffix(".tmp")
        try:
            self._cache.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self._cache)
        except OSError:
            log.warning("could not write the service catalog cache", exc_info=True)
