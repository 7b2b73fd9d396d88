"""Rules on items' bodies that the build and `check` share."""
