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
the quota.

Django's backend offers no public way to choose its client class or to reach a Redis client,
so this module, and no other, uses its private parts: RedisCache's `_class` and `_cache`,
RedisCacheClient's `_get_connection_pool()`, `_client` and `_serializer`.
tests/test_orm_internals.py fails when an upgrade changes them.
"""

import secrets

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# DRF's sliding window (SimpleRateThrottle.allow_request) on a sorted set: forget the requests
# of the past window, record this one unless the budget is used up (a refused request is not
# recorded), and keep the set a window. KEYS: one set per budget, then optionally the answer's
# key; ARGV: now, a name for this request, then the quota and window (seconds) of each budget.
# Returns per budget {allowed, requests in the window, time of the oldest}, then the answer.
COUNT_REQUESTS = """
local now = tonumber(ARGV[1])
local budgets = (#ARGV - 2) / 2
local reply = {}
for i = 1, budgets do
    local key, quota, window = KEYS[i], tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local used = redis.call('ZCARD', key)
    local allowed = 0
    if used < quota then
        redis.call('ZADD', key, now, ARGV[2])
        redis.call('EXPIRE', key, math.ceil(window))
        used = used + 1
        allowed = 1
    end
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    reply[#reply + 1] = {allowed, used, oldest[2] or false}
end
if #KEYS > budgets then
    reply[#reply + 1] = redis.call('GET', KEYS[#KEYS])
end
return reply
"""


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
        keys = [self.make_and_validate_key(f"{key}:window") for key, _, _ in budgets]
        if also_read:
            keys.append(self.make_and_validate_key(also_read))
        args = [repr(now), secrets.token_hex(8)]
        for _, quota, window in budgets:
            args += [quota, window]
        reply = self._cache.count_requests(keys, args)
        counts = [
            (bool(allowed), used, float(oldest) if oldest else None)
            for allowed, used, oldest in reply[: len(budgets)]
        ]
        cached = reply[len(budgets)] if also_read else None
        return counts, None if cached is None else self._cache._serializer.loads(cached)
