"""MkDocs' hook file (mkdocs.yml `hooks:`): the MkDocs adapter, hooks/portal/engines/mkdocs.py.

MkDocs puts this file's folder on sys.path only while it loads the file; the package is then
imported and its later imports are resolved through the package itself.
"""

from portal.engines.mkdocs import *  # noqa: F403 (MkDocs looks up the on_* events by name)
