#!/usr/bin/env python3
"""Do a revoked feed (410) and an unknown one (404) answer in the same time?

Usage: bench/feed-miss-timing.py REVOKED_FEED_URL UNKNOWN_FEED_URL [N]
Start the hub with --sessionbridge.feeds.misses-per-minute=1000000 so the miss limiter does not
answer 429 first. Requests alternate at random on fresh connections (loopback only); prints medians
and p90 in microseconds and the ratio of the medians. A ratio far from 1 tells a guesser that a
secret once existed.
"""
import http.client
import random
import statistics
import sys
import time
from urllib.parse import urlsplit


def once(url):
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    t = time.perf_counter()
    conn.request("GET", u.path)
    r = conn.getresponse()
    r.read()
    elapsed = time.perf_counter() - t
    conn.close()
    return r.status, elapsed * 1e6


def main():
    revoked, unknown = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    assert once(revoked)[0] == 410, "the first URL must answer 410"
    assert once(unknown)[0] == 404, "the second URL must answer 404"
    for _ in range(300):  # warm-up
        once(revoked)
        once(unknown)
    a, b = [], []
    for _ in range(n):
        if random.random() < 0.5:
            a.append(once(revoked)[1])
        else:
            b.append(once(unknown)[1])
    for name, xs in (("revoked 410", a), ("unknown 404", b)):
        print(f"{name}: n={len(xs)} median={statistics.median(xs):.0f} us p90={statistics.quantiles(xs, n=10)[8]:.0f} us")
    print(f"ratio of medians 410/404: {statistics.median(a) / statistics.median(b):.3f}")


if __name__ == "__main__":
    main()
