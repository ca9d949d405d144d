"""`RedisQuotaStore`: one quota's admission budget in Redis, shared by every process.

Per quota (see `quota_namespace`) three keys, all expiring on their own:

- ``<ns>:log``: a sorted set, the sliding-window log. A send is entered when it is reserved,
  stamped `ARRIVAL_MARGIN` ahead (it reaches the server a little later); when its answer
  comes back it moves to the answer's time, an upper bound of when the server counted it, so
  no process reuses its slot before the server has freed it. A send still unanswered after
  the window holds its slot up to `UNANSWERED_HOLD` seconds more (others poll meanwhile).
- ``<ns>:state``: the server's latest ``RateLimit-*`` word (limit, remaining, reset time)
  and the window learnt from it (the largest reset seen, as the local gate does). Until a
  first answer brings the limit, one send at a time goes (a probe).
- ``<ns>:pause``: the time until which a 429 holds every sender.

Why Lua scripts and not ``limits``' moving-window storage: that storage would be the natural
choice, but (a) it takes whole-second windows only (its script ``EXPIRE``\\s the key with the
window), while entries here are stamped with fractions (a margin ahead, or the answer's
time); (b) it stamps entries with each caller's clock, and processes on several hosts
disagree, where a script reads Redis's ``TIME``, one clock for everyone; (c) it answers yes or
no, so the wait would need a second round trip that races the other processes, and it has no
way to move an entry to its answer's time, nor to read the 429 pause and the server's word in
the same atomic step. So two short scripts do exactly this, one round trip each.
"""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from .store import QuotaStoreUnavailable, ServerReport

__all__ = ["RedisQuotaStore"]

# A send reaches the server after we stamp it: it is entered this far ahead of Redis's clock.
ARRIVAL_MARGIN = 0.05
# An unanswered send is assumed to have reached the server within this many seconds of its
# slot's end; until then, others poll this often for the slot it may still hold.
UNANSWERED_HOLD = 2.0
UNANSWERED_POLL = 0.05
# The longest window believed (a reset header above it is a server's mistake).
MAX_WINDOW = 3600.0
# How long the server's word outlives the last answer that reported it.
STATE_TTL = 600
# A Redis that takes longer than this counts as unreachable for the moment.
REDIS_TIMEOUT = 1.0

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

_RESERVE = _NOW + """
local log, state, pause = KEYS[1], KEYS[2], KEYS[3]
local ticket, margin, max_window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local hold, poll = tonumber(ARGV[4]), tonumber(ARGV[5])

local paused_until = tonumber(redis.call('GET', pause) or '0')
if paused_until > now then return tostring(paused_until - now) end

local limit = tonumber(redis.call('HGET', state, 'limit') or '')
local window = tonumber(redis.call('HGET', state, 'window') or '')
local span = window or max_window
redis.call('ZREMRANGEBYSCORE', log, '-inf', now - span - hold)
if limit and window and limit > 0 then
  -- Unanswered sends whose window is over may have reached the server late: each still
  -- holds its slot until its answer moves it (or `hold` runs out).
  local late = 0
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', log, now - span - hold, now - span)) do
    if string.sub(member, -2) ~= ':a' then late = late + 1 end
  end
  local live = redis.call('ZCOUNT', log, '(' .. tostring(now - span), '+inf')
  if live + late >= limit then
    if late > 0 then return tostring(poll) end
    -- The send that is `limit` sends old frees the next slot when it leaves the window.
    local oldest = redis.call('ZRANGE', log, -limit, -limit, 'WITHSCORES')
    return tostring(math.max(tonumber(oldest[2]) + span - now, 0.001))
  end
else
  -- Nothing known yet: one probe goes first, and its answer tells everyone the limit. (Once
  -- a send is answered and still nothing is known, the server sends no limit: no pacing.)
  local waiting = false
  for _, member in ipairs(redis.call('ZRANGE', log, 0, -1)) do
    if string.sub(member, -2) == ':a' then waiting = false; break end
    waiting = true
  end
  if waiting then return tostring(poll) end
end
redis.call('ZADD', log, now + margin, ticket)
redis.call('PEXPIRE', log, math.ceil((span + hold + margin) * 1000))
return '0'
"""

_ANSWERED = _NOW + """
local log, state = KEYS[1], KEYS[2]
local ticket, margin, max_window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local hold, state_ttl = tonumber(ARGV[4]), tonumber(ARGV[5])

-- The server's word from this answer.
if ARGV[6] ~= '' then redis.call('HSET', state, 'limit', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', state, 'remaining', ARGV[7]) end
if ARGV[8] ~= '' then
  local reset = tonumber(ARGV[8])
  redis.call('HSET', state, 'reset_at', tostring(now + reset))
  -- A reset never exceeds the window; the largest one seen is the best guess of it.
  if reset > tonumber(redis.call('HGET', state, 'window') or '0') then
    redis.call('HSET', state, 'window', ARGV[8])
  end
end
if redis.call('EXISTS', state) == 1 then redis.call('EXPIRE', state, state_ttl) end

-- The server counted this send by now: its slot is held until now plus the window.
if redis.call('ZREM', log, ticket) == 1 then
  redis.call('ZADD', log, now, ticket .. ':a')
  local window = tonumber(redis.call('HGET', state, 'window') or '') or max_window
  redis.call('PEXPIRE', log, math.ceil((window + hold + margin) * 1000))
end
return 1
"""

_PAUSE = _NOW + """
local seconds = tonumber(ARGV[1])
local until_ = now + seconds
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(seconds * 1000))
end
return 1
"""

_FAILURES = (RedisError, OSError, asyncio.TimeoutError)
_COMMON = [repr(ARRIVAL_MARGIN), repr(MAX_WINDOW), repr(UNANSWERED_HOLD)]


def _arg(value: float | None) -> str:
    return "" if value is None else repr(value)


class RedisQuotaStore:
    """A `QuotaStore` in Redis, through ``redis``'s asyncio client.

    ``RedisQuotaStore(client)`` uses a client you hold (and never closes it);
    ``RedisQuotaStore.from_url(url)`` opens its own, closed by `aclose`. Example::

        store = RedisQuotaStore(redis.asyncio.Redis(host="cache"))
        AsyncClopos(..., shared_quota=store)
    """

    def __init__(self, client: redis.Redis, *, _owns_client: bool = False) -> None:
        self._client = client
        self._owns_client = _owns_client
        self._reserve = client.register_script(_RESERVE)
        self._answered = client.register_script(_ANSWERED)
        self._pause = client.register_script(_PAUSE)

    @classmethod
    def from_url(cls, url: str) -> RedisQuotaStore:
        """A store with its own connection pool to ``url`` (redis://, rediss:// or unix://).

        Timeouts are short and nothing is retried: a slow or absent Redis must cost a request
        a moment, not a stall, and the shared gate then paces locally.
        """
        client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
        return cls(client, _owns_client=True)

    def __repr__(self) -> str:
        return "<RedisQuotaStore>"  # the URL may hold a password

    async def reserve(self, namespace: str, ticket: str) -> float:
        """Record the send ``ticket`` and return 0.0, or return how long to wait."""
        answer = await self._run(
            self._reserve,
            keys=[f"{namespace}:log", f"{namespace}:state", f"{namespace}:pause"],
            args=[ticket, *_COMMON, repr(UNANSWERED_POLL)],
        )
        return float(answer)

    async def answered(self, namespace: str, ticket: str, report: ServerReport | None) -> None:
        """Move ``ticket`` to the answer's time; take in the server's word from it."""
        limit = remaining = reset_after = None
        if report is not None:
            limit, remaining = report.limit, report.remaining
            if report.reset_after is not None:
                reset_after = min(max(report.reset_after, 0.0), MAX_WINDOW)
        await self._run(
            self._answered,
            keys=[f"{namespace}:log", f"{namespace}:state"],
            args=[ticket, *_COMMON, str(STATE_TTL),
                  _arg(limit), _arg(remaining), _arg(reset_after)],
        )

    async def pause(self, namespace: str, seconds: float) -> None:
        """Hold every sender of ``namespace`` for ``seconds`` (the longest pause wins)."""
        if seconds > 0:
            await self._run(self._pause, keys=[f"{namespace}:pause"],
                            args=[repr(min(float(seconds), MAX_WINDOW))])

    async def aclose(self) -> None:
        """Close the connection pool if `from_url` opened it."""
        if self._owns_client:
            await self._client.aclose()

    async def _run(self, script: Any, *, keys: list[str], args: list[str]) -> Any:
        try:
            return await script(keys=keys, args=args)
        except _FAILURES as exc:
            # Only the kind of failure: Redis's messages can name the server and its user.
            raise QuotaStoreUnavailable(type(exc).__name__) from None
