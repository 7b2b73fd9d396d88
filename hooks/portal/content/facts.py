"""What the build needs to know of an item's body text alone, found once when the item is read
and cached with it (the build cache's "items" entries hold the item, and the item holds these):
a rebuild after one edit does not scan the other 9,999 bodies again for their links.

The facts name the body they describe (the same string object): a body replaced in place (a
preview's patch sets `item.body`) has none until they are found again, so they are never stale.
They are an attribute outside the item's fields: not in its repr, its comparison or `replace`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from portal.cache import LINK_TARGET
from portal.content.markdown import scan

# What a link by address looks like (a folder-style address, a site path, a full URL): a body
# without any is left as it is by rewrite_links (portal.rules.links), which is much slower than this test.
BY_ADDRESS = re.compile(r"/(?:[)#>\s]|$)|\]\(\s*<?/|\]:[ \t]*<?/|://", re.M)

ATTRIBUTE = "_body_facts"


class BodyFacts(NamedTuple):
    body: str  # the body they were found in
    links: tuple[tuple[int, int, str, bool], ...]  # (start, end, target, picture) of each link outside code
    by_address: bool  # whether rewrite_links may change the body
    link_targets: bool  # whether the body names any file (portal.cache.link_salt's LINK_TARGET)


def body_facts(item) -> BodyFacts:
    """The item's body facts: as cached with it, or found now (and kept on the item)."""
    facts = item.__dict__.get(ATTRIBUTE)
    if facts is None or facts.body is not item.body:
        body = item.body
        found = tuple(
            (link.start, link.end, link.target, link.picture)
            for link in scan(body).links()
            if link.kind != "reference" and link.target
        )
        facts = BodyFacts(body, found, BY_ADDRESS.search(body) is not None, LINK_TARGET.search(body) is not None)
        item.__dict__[ATTRIBUTE] = facts
    return facts
