"""Reading content/: files, front matter, the catalogue, the Markdown scanner, what may be published."""
