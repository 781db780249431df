"""Values many requests share until the content changes (a list's filter options, its count)."""

import threading
from collections import OrderedDict

from .tags import EVERYTHING, content_version, generations

MEMO_ENTRIES = 512
_memo: OrderedDict = OrderedDict()
_memo_lock = threading.Lock()


def memoized(key: tuple, compute):
    """`compute()`, shared by this process's requests until anything visitors see changes.

    For what many different pages need and only content decides: a list filter's options, the
    number of releases a filter matches (shared by each of its pages). Not a cached response:
    it holds whatever it is asked to, whether or not PUBLIC_CACHE is on, in this process
    (at most MEMO_ENTRIES values), and is valid under one *stamp*: the content version and the
    generation of the "all" tag, which every visible change purges (and a scheduled item going
    live renews). The stamp is read before computing, so a change made meanwhile makes the
    value old at once. (While Redis is away the stamp is this process's own, for a second at
    most: core/caching/redis.py.)
    """
    stamp = (content_version(), generations([EVERYTHING])[EVERYTHING])
    with _memo_lock:
        found = _memo.get(key)
        if found is not None and found[0] == stamp:
            _memo.move_to_end(key)
            return found[1]
    value = compute()
    with _memo_lock:
        _memo[key] = (stamp, value)
        _memo.move_to_end(key)
        while len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return value
