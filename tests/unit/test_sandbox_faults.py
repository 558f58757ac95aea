"""The sandbox's fault spec, rate limiter and random draws, without a server."""

from __future__ import annotations

import pytest

from desktop.contract import FaultSpec
from sandbox.faults import (
    FaultInjector,
    FaultSpecError,
    TokenBucket,
    applies_to,
    format_faults,
    parse_faults,
)


class FakeClock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", FaultSpec()),
        ("  ", FaultSpec()),
        ("error_rate=0.25", FaultSpec(error_rate=0.25)),
        (
            " error_rate = 1 , delay_ms=300,rate_limit=2.5, drop_after_commit=0.5 ,seed=7 ",
            FaultSpec(error_rate=1, delay_ms=300, rate_limit=2.5, drop_after_commit=0.5, seed=7),
        ),
        ("delay_ms=0,error_rate=0", FaultSpec()),
        ("seed=0,", FaultSpec(seed=0)),
    ],
)
def test_good_specs_parse(text, expected):
    assert parse_faults(text) == expected


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("error_rate=2", "error_rate=2"),
        ("error_rate=-0.1", "error_rate=-0.1"),
        ("error_rate=nan", "error_rate=nan"),
        ("error_rate=lots", "error_rate=lots"),
        ("delay_ms=1.5", "delay_ms=1.5"),
        ("delay_ms=-1", "delay_ms=-1"),
        ("delay_ms=600000", "delay_ms=600000"),
        ("rate_limit=0", "rate_limit=0"),
        ("drop_after_commit=1.01", "drop_after_commit=1.01"),
        ("seed=x", "seed=x"),
        ("delay_ms=5,latency=5", "latency=5"),
        ("error_rate", "error_rate"),
        ("error_rate=", "error_rate="),
        ("=0.5", "=0.5"),
        ("delay_ms=1,delay_ms=2", "delay_ms=2"),
    ],
)
def test_bad_specs_name_the_item(text, item):
    with pytest.raises(FaultSpecError) as refused:
        parse_faults(text)
    assert refused.value.item == item
    assert repr(item) in str(refused.value)


def test_format_writes_back_what_parses():
    spec = parse_faults("seed=3,rate_limit=4,error_rate=0.1")
    assert format_faults(spec) == "error_rate=0.1,rate_limit=4.0,seed=3"
    assert parse_faults(format_faults(spec)) == spec
    assert format_faults(FaultSpec()) == "none"
    assert not FaultSpec(seed=5).active and FaultSpec(delay_ms=1).active


def test_the_bucket_allows_the_rate_and_says_when_to_retry():
    clock = FakeClock()
    bucket = TokenBucket(2.0, clock)

    # A full bucket: a burst of two, then a wait of half a second per token.
    assert [bucket.take() for _ in range(3)] == [None, None, pytest.approx(0.5)]
    clock.now += 0.25
    assert bucket.take() == pytest.approx(0.25)
    clock.now += 0.25
    assert bucket.take() is None
    # A long pause refills only up to the burst size.
    clock.now += 60
    assert [bucket.take() is None for _ in range(3)] == [True, True, False]


def test_a_rate_under_one_still_lets_one_request_through():
    clock = FakeClock()
    bucket = TokenBucket(0.1, clock)
    assert bucket.take() is None
    assert bucket.take() == pytest.approx(10.0)
    clock.now += 10
    assert bucket.take() is None


def test_seeded_draws_repeat_and_streams_are_independent():
    first = FaultInjector(FaultSpec(error_rate=0.5, drop_after_commit=0.5, seed=42))
    errors = [first.fail() for _ in range(40)]
    assert 5 < sum(errors) < 35  # a mix, not all or nothing

    # The same seed gives the same errors, however many drops are drawn in between.
    second = FaultInjector(FaultSpec(error_rate=0.5, drop_after_commit=0.5, seed=42))
    again = []
    for _ in range(40):
        second.drop()
        again.append(second.fail())
    assert again == errors

    # Setting the spec again starts the streams afresh.
    first.set(FaultSpec(error_rate=0.5, seed=42))
    assert [first.fail() for _ in range(40)] == errors


def test_rates_of_zero_and_one_are_never_and_always():
    never = FaultInjector(FaultSpec())
    always = FaultInjector(FaultSpec(error_rate=1, drop_after_commit=1))
    assert not any(never.fail() or never.drop() for _ in range(100))
    assert all(always.fail() and always.drop() for _ in range(100))
    assert never.admit() is None


def test_the_injector_limits_the_rate_with_its_clock():
    clock = FakeClock()
    injector = FaultInjector(FaultSpec(rate_limit=1), clock=clock)
    assert injector.admit() is None
    assert injector.admit() == pytest.approx(1.0)
    clock.now += 1
    assert injector.admit() is None
    injector.set(FaultSpec())
    assert all(injector.admit() is None for _ in range(10))


@pytest.mark.parametrize(
    ("path", "applies"),
    [
        ("/v1/cases", True),
        ("/v1/services", True),
        ("/v1/auth/login", True),
        ("/v1/workstations/W01/heartbeat", True),
        ("/v1/health", False),
        ("/v1/admin/faults", False),
        ("/v1/admin/cases/C1/advance", False),
        ("/docs", False),
        ("/openapi.json", False),
    ],
)
def test_faults_spare_health_and_admin(path, applies):
    assert applies_to(path) is applies
