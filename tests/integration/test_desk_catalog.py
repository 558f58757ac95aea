"""The service catalog: ETag cache in the data dir, offline fallback, form validation."""

from __future__ import annotations

import json

import pytest

from desktop.catalog import CACHE_NAME, Catalog, form_problems
from desktop.central import CentralClient, CentralUnavailableError
from sandbox.server import EmbeddedSandbox
from ui.app import load_seed

SEED = load_seed()


class CountingClient(CentralClient):
    def __init__(self, url):
        super().__init__(url, timeout=5)
        self.answers: list[str] = []

    def services(self, token=None, *, etag=None):
        services, new_etag = super().services(token, etag=etag)
        self.answers.append("304" if services is None else "200")
        return services, new_etag


def test_catalog_is_cached_with_its_etag_and_used_offline(tmp_path):
    with EmbeddedSandbox(tmp_path / "central.db") as central:
        url = central.url
        client = CountingClient(url)
        token = client.login("clerk01", "clerk01-training").token
        catalog = Catalog(client, tmp_path / "data")
        first = catalog.load(token)
        cache = json.loads((tmp_path / "data" / CACHE_NAME).read_text(encoding="utf-8"))
        assert cache["etag"] and cache["central_url"] == url
        second = catalog.load(token)
        assert client.answers == ["200", "304"]
        assert [s.code for s in second] == [s.code for s in first]
        assert catalog.get("unemployment_benefit").factors == ["pin", "face"]
        client.close()
    # Central is gone: the cached catalog still serves this desk.
    offline_client = CountingClient(url)
    offline = Catalog(offline_client, tmp_path / "data")
    assert [s.code for s in offline.load(token)] == [s.code for s in first]
    offline_client.close()


def test_no_cache_offline_fails_outside_training_and_falls_back_in_training(tmp_path):
    with EmbeddedSandbox(tmp_path / "central.db") as central:
        url = central.url
    client = CentralClient(url, timeout=2)
    with pytest.raises(CentralUnavailableError):
        Catalog(client, tmp_path / "a").load("tok")
    services = Catalog(client, tmp_path / "b", training=True).load("tok")
    client.close()
    assert "unemployment_benefit" in {s.code for s in services}


def test_form_problems_name_fields_and_keywords(tmp_path):
    with EmbeddedSandbox(tmp_path / "central.db") as central:
        client = CentralClient(central.url, timeout=5)
        token = client.login("clerk01", "clerk01-training").token
        service = {s.code: s for s in Catalog(client, tmp_path).load(token)}["unemployment_benefit"]
        client.close()
    example = service.form["examples"][0]
    assert form_problems(service, example) == {}
    problems = form_problems(
        service, {**example, "insured_months": 3, "extra": 1, "amount": "many"}
    )
    assert problems == {
        "form.insured_months": "minimum",
        "form.extra": "not_allowed",
        "form.amount": "type",
    }
    missing = dict(example)
    del missing["last_employer"]
    assert form_problems(service, missing) == {"form.last_employer": "required"}
