"""Command-line tools (`python -m portal …`); outside the build cache's code salt, since no build imports them."""
