"""
Django's Redis cache backend, with one Redis client per connection pool, and request budgets
counted in Redis itself.

Django's RedisCacheClient builds a new `redis.Redis` for every command, and redis-py fills a
table of some 250 response callbacks in each: about a tenth of a millisecond, three times
in a cached answer. A client is thread-safe (connections come from its pool), so one per
pool serves every command.

`RedisCache.count_requests` counts a request against its budgets (api.throttling) and reads
the cached answer in one round trip, with a Lua script: each budget is a sorted set of the
times of the requests in its window, so nothing but counts crosses the wire, however large
the quota. Most requests need no round trip for their budgets at all: see `BudgetLedger`.

Django's backend offers no public way to choose its client class or to reach a Redis client,
so this module, and no other, uses its private parts: RedisCache's `_class` and `_cache`,
RedisCacheClient's `_get_connection_pool()`, `_client` and `_serializer`.
tests/test_orm_internals.py fails when an upgrade changes them.
"""

import contextlib
import math
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.core.signals import setting_changed

# DRF's sliding window (SimpleRateThrottle.allow_request) on a sorted set: record the requests
# a process counted without asking (their times), forget those of the past window, record this
# one unless the budget is used up (a refused request is not recorded), and keep the set a
# window. KEYS: one set per budget, then optionally the answer's key; ARGV: now, a name for
# this request, then the quota, window (seconds) and times counted without asking
# (space-separated) of each budget. Returns per budget {allowed, requests in the window, time
# of the oldest}, then the answer.
COUNT_REQUESTS = """
local now = tonumber(ARGV[1])
local budgets = (#ARGV - 2) / 3
local reply = {}
for i = 1, budgets do
    local key, quota, window = KEYS[i], tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
    local served = 0
    for at in string.gmatch(ARGV[3 * i + 2], '%S+') do
        served = served + 1
        redis.call('ZADD', key, at, ARGV[2] .. ':' .. served)
    end
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local used = redis.call('ZCARD', key)
    local allowed = 0
    if used < quota then
        redis.call('ZADD', key, now, ARGV[2])
        used = used + 1
        allowed = 1
    end
    if allowed == 1 or served > 0 then
        redis.call('EXPIRE', key, math.ceil(window))
    end
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    reply[#reply + 1] = {allowed, used, oldest[2] or false}
end
if #KEYS > budgets then
    reply[#reply + 1] = redis.call('GET', KEYS[#KEYS])
end
return reply
"""


@dataclass
class Account:
    """What this process knows of one budget: Redis's count, and what it counted since."""

    used: int  # requests in the window when Redis last answered, the one asking included
    oldest: float | None  # the time of the oldest of them
    heard_at: float  # when Redis answered (time.monotonic())
    unreported: list = field(default_factory=list)  # times of requests counted only here
    # Requests on their way to Redis: those reported by a round trip not answered yet, and
    # the round trip's own.
    in_flight: int = 0
    # Held for the whole of a round trip: one at a time per budget (see round_trip()).
    trip_lock: threading.Lock = field(default_factory=threading.Lock)

    def counted(self):
        return self.used + self.in_flight + len(self.unreported)


class BudgetLedger:
    """
    The budgets this process counts itself between round trips to Redis.

    A request is counted here, without asking Redis, when for each of its budgets Redis
    answered less than API_BUDGET_SYNC_MS ago, fewer than API_BUDGET_BATCH requests were
    counted here since, and more than a batch of the quota is left after them. Otherwise it
    goes to Redis, with the times of those requests: Redis records them, then counts this one,
    and refuses it if the budget is used up. Only Redis refuses, near the quota it counts
    every request itself, and a process's round trips for a budget go one at a time, so Redis
    decides on each knowing all this process counted before it: with one process the count
    is exact. A client whose requests reach several processes at once gets fewer than two
    batches more from each of the others: what they counted and Redis had not recorded yet
    (a batch on its way to Redis, and up to a batch counted meanwhile). A client
    pushed out of the table (the 10,000 used last are kept) takes what it had not reported
    with it.
    """

    CAPACITY = 10_000

    def __init__(self):
        self._lock = threading.Lock()
        self._accounts = OrderedDict()  # key -> Account, least recently used first

    def count(self, budgets, now):
        """
        Count a request made at `now` against each (key, quota, window) here, if it may be.

        Return what count_requests() would, [(True, requests in the window, oldest)], or None
        if Redis must count it.
        """
        batch = settings.API_BUDGET_BATCH
        heard_since = time.monotonic() - settings.API_BUDGET_SYNC_MS / 1000
        with self._lock:
            accounts = []
            for key, quota, _ in budgets:
                account = self._accounts.get(key)
                if (
                    account is None
                    or account.heard_at < heard_since
                    or len(account.unreported) >= batch
                    or quota - account.counted() <= batch
                ):
                    return None
                accounts.append(account)
            counts = []
            for account in accounts:
                account.unreported.append(now)
                oldest = account.oldest if account.oldest is not None else account.unreported[0]
                counts.append((True, account.counted(), oldest))
            return counts

    @contextlib.contextmanager
    def round_trip(self, keys):
        """
        Hold the round trips of each budget in `keys` to one at a time in this process.

        So Redis decides on a request only once it has recorded every request this process
        counted before it: two round trips in flight at once could reach Redis in either
        order, and the second one decide without the first one's report.
        """
        with self._lock:
            locks = [self._account(key).trip_lock for key in sorted(set(keys))]
        for lock in locks:
            lock.acquire()
        try:
            yield
        finally:
            for lock in reversed(locks):
                lock.release()

    def _account(self, key):
        account = self._accounts.get(key)
        if account is None:
            # Not heard from Redis yet: nothing is counted here before it is.
            account = self._accounts[key] = Account(0, None, heard_at=-math.inf)
            while len(self._accounts) > self.CAPACITY:
                self._accounts.popitem(last=False)
        return account

    def report(self, keys):
        """Take the times of the requests counted here for each key, for a round trip."""
        with self._lock:
            reported = []
            for key in keys:
                account = self._account(key)
                reported.append((account, account.unreported))
                account.in_flight += len(account.unreported) + 1
                account.unreported = []
            return reported

    def heard(self, keys, reported, counts):
        """Note Redis's answer to a round trip that reported `reported` (from report())."""
        heard_at = time.monotonic()
        with self._lock:
            for key, (reporter, times), (_, used, oldest) in zip(
                keys, reported, counts, strict=True
            ):
                account = self._account(key)
                self._accounts.move_to_end(key)
                if reporter is account:
                    account.in_flight -= len(times) + 1
                account.used, account.oldest, account.heard_at = used, oldest, heard_at

    def unheard(self, keys, reported):
        """A round trip failed: what it reported was not counted, and nothing is in flight."""
        with self._lock:
            for key, (reporter, times) in zip(keys, reported, strict=True):
                if self._accounts.get(key) is reporter:
                    reporter.in_flight -= len(times) + 1

    def forget(self, **kwargs):
        with self._lock:
            self._accounts.clear()


# One per process: its threads count together.
budget_ledger = BudgetLedger()
setting_changed.connect(budget_ledger.forget)


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count_requests(self, keys, args):
        client = self.get_client(write=True)
        script = self._scripts.get(id(client))
        if script is None:
            # EVALSHA, loading the script first if this Redis does not know it yet.
            script = self._scripts[id(client)] = client.register_script(COUNT_REQUESTS)
        return script(keys=keys, args=args, client=client)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def count_requests(self, budgets, now, *, also_read=None):
        """
        Count a request made at `now` against each budget, as (key, quota, window seconds).

        Return ([(allowed, requests in the window, time of the oldest or None)], the value
        cached at `also_read` or None).
        """
        # A key of its own: a budget kept by DRF's throttles (a pickled list) is another type.
        windows = [
            (self.make_and_validate_key(f"{key}:window"), quota, window)
            for key, quota, window in budgets
        ]
        if not also_read:
            counted = budget_ledger.count(windows, now)
            if counted is not None:
                return counted, None
        keys = [key for key, _, _ in windows]
        answer = [self.make_and_validate_key(also_read)] if also_read else []
        with budget_ledger.round_trip(keys):
            reported = budget_ledger.report(keys)
            args = [repr(now), secrets.token_hex(8)]
            for (_, quota, window), (_, times) in zip(windows, reported, strict=True):
                args += [quota, window, " ".join(map(repr, times))]
            try:
                reply = self._cache.count_requests([*keys, *answer], args)
            except Exception:
                budget_ledger.unheard(keys, reported)
                raise
            counts = [
                (bool(allowed), used, float(oldest) if oldest else None)
                for allowed, used, oldest in reply[: len(budgets)]
            ]
            budget_ledger.heard(keys, reported, counts)
        cached = reply[len(budgets)] if also_read else None
        return counts, None if cached is None else self._cache._serializer.loads(cached)
