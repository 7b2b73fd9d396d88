"""Keeping a build's memory small: what the build process holds when it forks its page renderers
and search index process is counted once, but only if it is given back to the system first."""

from __future__ import annotations

import ctypes
import gc
import sys

from portal.rules.proofread import release_jieba


def _trim() -> None:
    """Return the C allocator's free pages to the system (glibc keeps them otherwise)."""
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # another C library (musl): nothing to trim
        pass


def after_checks() -> None:
    """Once every item is checked: drop what only the checks needed (jieba) and give it back."""
    release_jieba()
    gc.collect()
    _trim()
