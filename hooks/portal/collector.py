"""Python's cycle collector kept off what the build makes to hold until it ends.

Reading 10,000 items from the build cache or planning their pages makes hundreds of thousands of
objects without a reference cycle among them; each time the collector runs it walks every object
it tracks, so at 10,000 items it cost a fifth of that work (issue 16). Inside `paused()` it does
not run, and what the block made is then frozen (`gc.freeze`): left out of later collections.
`mkdocs build` keeps it frozen to the end (its process ends with the build); `mkdocs serve`
unfreezes once it has forked its page renderers (portal.site.build.render_items), so that what a
build made can be collected when the next one replaces it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block, and what exists after it frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
