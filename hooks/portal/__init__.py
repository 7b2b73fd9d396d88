"""The portal: an engine-free core and its engine adapters, by concern.

model, problems, settings, config, identity   the content model and the site's settings
content/    reading and validating content/ (files, front matter, catalogue, Markdown scanner)
rules/      the rules on bodies that the build and `check` share (links, HTML, proofreading …)
site/       what one build publishes (the plan, pages, listings, feeds) and writes (output, cache use)
search, images, captions, cache               the search index, pictures, the build cache
engines/    site-engine adapters: `engines.mkdocs` (hooks/portal_hooks.py loads it)
cli/        command-line tools, `python -m portal check|schema|new|mirror|publish` (no build imports them)
"""
