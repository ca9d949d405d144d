"""The retry policy and classification on their own (end to end under faults: test_resilience)."""

from __future__ import annotations

import asyncio

import pytest

from clopos_async import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
)
from clopos_async.errors import APIStatusError, CloposError
from clopos_async.retry import Verdict, call_with_retries, classify, sleep_enabled


def status_error(status: int, retry_after: float | None = None) -> APIStatusError:
    cls = {400: BadRequestError, 404: NotFoundError, 429: RateLimitError}.get(
        status, ServerError if status >= 500 else APIStatusError
    )
    return cls("x", status_code=status, retry_after=retry_after)


def test_default_policy_numbers() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.initial_delay, policy.max_delay) == (3, 0.5, 8.0)
    assert policy.max_retry_after == 60.0 and policy.total_timeout > 0


def test_delays_grow_exponentially_with_jitter_and_cap() -> None:
    steps = [0.5, 1, 2, 4, 8, 8, 8]
    for _ in range(50):
        delays = RetryPolicy().delays()
        for step in steps:
            assert step / 2 <= next(delays) <= step
    exact = RetryPolicy(jitter=False).delays()
    assert [next(exact) for _ in steps] == steps


@pytest.mark.parametrize("bad", [{"max_retries": -1}, {"initial_delay": 0},
                                 {"max_retry_after": -5}, {"total_timeout": "60"}])
def test_policy_validates(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        RetryPolicy(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "read", "write", "write_replay_safe"),
    [
        (APIConnectionError("refused", request_sent=False), "retry", "retry", "retry"),
        (APIConnectionError("reset"), "retry", "outcome unknown", "retry"),
        (APITimeoutError("slow"), "retry", "outcome unknown", "retry"),
        (status_error(429), "retry", "retry", "retry"),
        (status_error(408), "retry", "retry", "retry"),
        (status_error(500), "retry", "outcome unknown", "retry"),
        (status_error(502), "retry", "outcome unknown", "retry"),
        (status_error(503), "retry", "outcome unknown", "retry"),
        (status_error(504), "retry", "outcome unknown", "retry"),
        (status_error(200), "retry", "outcome unknown", "retry"),
        (ResponseValidationError("html", body="<html>", status_code=200),
         "retry", "outcome unknown", "retry"),
        (status_error(400), "give up", "give up", "give up"),
        (status_error(404), "give up", "give up", "give up"),
        (status_error(401), "give up", "give up", "give up"),
        (status_error(409), "give up", "give up", "give up"),
        (status_error(501), "give up", "give up", "give up"),
    ],
)
def test_classify(error: CloposError, read: str, write: str, write_replay_safe: str) -> None:
    assert classify(error, idempotent=True, replay_safe=False) == read
    assert classify(error, idempotent=False, replay_safe=False) == write
    assert classify(error, idempotent=False, replay_safe=True) == write_replay_safe


class Script:
    """An attempt function failing with the given errors, then succeeding."""

    def __init__(self, *errors: CloposError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self, number: int) -> str:
        self.calls += 1
        assert number == self.calls
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


async def run(script: Script, **kwargs: object) -> str:
    options: dict[str, object] = {"policy": RetryPolicy(), "idempotent": True,
                                  "replay_safe": False}
    options.update(kwargs)
    return await call_with_retries(script, **options)  # type: ignore[arg-type]


async def test_retries_then_succeeds() -> None:
    script = Script(status_error(503), APIConnectionError("reset"), status_error(429))
    assert await run(script) == "ok"
    assert script.calls == 4


async def test_gives_up_after_max_retries_with_the_last_error() -> None:
    script = Script(*(status_error(502) for _ in range(5)))
    with pytest.raises(ServerError):
        await run(script, policy=RetryPolicy(max_retries=2))
    assert script.calls == 3


async def test_never_retries_a_plain_4xx() -> None:
    script = Script(status_error(400))
    with pytest.raises(BadRequestError):
        await run(script)
    assert script.calls == 1


async def test_long_retry_after_raises_at_once() -> None:
    script = Script(status_error(429, retry_after=120))
    with pytest.raises(RateLimitError) as caught:
        await run(script)
    assert caught.value.retry_after == 120
    assert script.calls == 1


async def test_ambiguous_write_failure_is_outcome_unknown() -> None:
    script = Script(status_error(500))
    with pytest.raises(OutcomeUnknownError) as caught:
        await run(script, idempotent=False, idempotency_key="key-1")
    assert caught.value.idempotency_key == "key-1"
    assert isinstance(caught.value.__cause__, ServerError)
    assert script.calls == 1


async def test_replay_safe_write_exhausting_retries_is_outcome_unknown() -> None:
    script = Script(*(APITimeoutError("slow") for _ in range(5)))
    with pytest.raises(OutcomeUnknownError):
        await run(script, idempotent=False, replay_safe=True, idempotency_key="k",
                  policy=RetryPolicy(max_retries=1))
    assert script.calls == 2


async def test_write_rate_limited_to_the_end_is_a_rate_limit_error() -> None:
    script = Script(*(status_error(429) for _ in range(5)))
    with pytest.raises(RateLimitError):
        await run(script, idempotent=False, policy=RetryPolicy(max_retries=1))


async def test_before_wait_sees_each_retry_with_the_server_wait() -> None:
    seen: list[tuple[str, int, float]] = []

    async def record(error: CloposError, number: int, wait: float) -> None:
        seen.append((type(error).__name__, number, wait))

    script = Script(status_error(429, retry_after=2.0), status_error(503))
    await run(script, before_wait=record)
    assert [(name, number) for name, number, _ in seen] == [("RateLimitError", 1),
                                                            ("ServerError", 2)]
    assert seen[0][2] == 2.0


async def test_total_timeout_bounds_the_retries() -> None:
    clock = [0.0]

    async def slow_failure(number: int) -> str:
        clock[0] += 10  # every attempt "takes" ten seconds
        raise status_error(503)

    with pytest.raises(ServerError):
        await call_with_retries(slow_failure, policy=RetryPolicy(total_timeout=15,
                                                                   max_retries=50),
                                idempotent=True, replay_safe=False, clock=lambda: clock[0])
    assert clock[0] == 20


async def test_cancellation_is_never_retried() -> None:
    calls = 0

    async def cancelled(number: int) -> str:
        nonlocal calls
        calls += 1
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await call_with_retries(cancelled, policy=RetryPolicy(), idempotent=True,
                                replay_safe=False)
    assert calls == 1


def test_tests_run_with_sleep_disabled() -> None:
    # conftest.py turns sleeping off for the suite, as the README tells users to.
    assert sleep_enabled() is False
    assert Verdict.RETRY == "retry"
