"""The PostgreSQL database and Redis database a benchmark runs on, made fresh."""

import os
import subprocess
from urllib.parse import urlsplit, urlunsplit

import redis


def fresh_database(name: str) -> str:
    """DATABASE_URL if set, used as it is; otherwise the database name, dropped and created."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
            env=os.environ | {"PGOPTIONS": "-c client_min_messages=warning"},
            check=True,
        )
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def fresh_redis(db: int) -> str:
    """REDIS_URL (or the local Redis) with its database number replaced by db, flushed."""
    parts = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    url = urlunsplit(parts._replace(path=f"/{db}"))
    redis.Redis.from_url(url).flushdb()
    return url
