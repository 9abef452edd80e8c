"""A process's own memory store, bounded by bytes: the page cache's pages (quartier.pagecache)
and the fragments last read from the shared cache (quartier.fragments)."""

import threading
import time
from collections import OrderedDict


class ByteBoundedStore:
    """A least-recently-used memory store bounded by the bytes of its entries (thread-safe);
    `limits()` -> (bytes in all, bytes of one entry), read at each store."""

    def __init__(self, limits):
        self._limits = limits
        self._entries = OrderedDict()  # key -> (expires at, size, value)
        self._lock = threading.Lock()
        self.bytes = 0

    def get(self, key):
        with self._lock:
            item = self._entries.get(key)
            if item is None:
                return None
            if item[0] <= time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return item[2]

    def set(self, key, value, *, size, seconds):
        """Keep `value`; False (nothing kept) if it is larger than an entry may be."""
        most, entry_limit = self._limits()
        if size > min(entry_limit, most):
            return False
        with self._lock:
            self._drop(key)
            while self._entries and self.bytes + size > most:
                self._drop(next(iter(self._entries)))
            self._entries[key] = (time.monotonic() + seconds, size, value)
            self.bytes += size
        return True

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def __len__(self):
        return len(self._entries)

    def _drop(self, key):
        item = self._entries.pop(key, None)
        if item is not None:
            self.bytes -= item[1]
