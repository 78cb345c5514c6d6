"""
Django's Redis cache backend, with one Redis client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every command, and redis-py fills a
table of some 250 response callbacks in each: about a tenth of a millisecond, three times
in a cached answer. A client is thread-safe (connections come from its pool), so one per
pool serves every command.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
