"""The MkDocs adapter, the only module that imports MkDocs: its events mapped onto one `PortalBuild`
(portal/site/build.py), which knows nothing of MkDocs. on_config reads content/ and computes the plan;
on_files adds its files; on_nav carries unchanged pages over and forks the item pages' renderers;
the page events give each page the plan's data (page.meta.portal) and post-process it; on_post_build
finishes (search index, cache, the swap into site/); on_build_error and on_shutdown release; under
`mkdocs serve`, a save that changed only items' bodies patches the preview (portal.site.preview).
"""

from __future__ import annotations

import logging
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from portal.cache import cached_render
from portal.config import ConfigFailure, prepare
from portal.site.build import BuildStop, EngineConfig, PortalBuild
from portal.site.postprocess import tidy

log = logging.getLogger("mkdocs.hooks.portal")
_build: PortalBuild | None = None  # the running build: all its state, released when it ends
_populate_page, _build_page = mkdocs_build._populate_page, mkdocs_build._build_page


def load_config(path: Path):
    """mkdocs.yml as `mkdocs build` reads it, for `check` (portal.config.load_build_config)."""
    try:
        config = mkdocs_load_config(str(path))
    except (ConfigurationError, Abort) as error:  # Abort: the reasons were logged
        raise ConfigFailure(str(error) if isinstance(error, ConfigurationError) else "") from None
    prepare(config)
    return config


def _unless_skipped(step):
    def run(page, *args, **kwargs):
        if not _build or page.file.src_uri not in _build.skipped:
            step(page, *args, **kwargs)

    return run


# MkDocs' build() calls these once per page: the main process passes over the pages carried over
# from the previous output or rendered by forked workers (portal.site.workers).
mkdocs_build._populate_page = _unless_skipped(_populate_page)
mkdocs_build._build_page = _unless_skipped(_build_page)


def _stop(event):
    """A `BuildStop` becomes MkDocs' PluginError (its message printed, no traceback)."""

    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except BuildStop as error:
            raise PluginError(str(error)) from None

    run.__name__ = event.__name__
    return run


def on_startup(command: str, dirty: bool) -> None:
    global _build
    _build = PortalBuild(command, log)


@_stop
def on_config(config):
    global _build
    _build = build = PortalBuild.after(_build, "build", log)  # one per build; serve keeps the cache and lock
    build.start()
    prepare(config)  # the portal's changes to MkDocs' configuration, as `check` makes them (portal.config)
    folders = [Path(config.config_file_path).parent, Path(config.docs_dir), Path(config.site_dir)]
    texts = [config.site_url or "", config.site_name, config.site_description or ""]
    url_for = lambda uri: File(uri, None, config.site_dir, config.use_directory_urls).url  # noqa: E731
    build.configure(
        EngineConfig(*folders, *texts, config.extra, config.markdown_extensions, config.mdx_configs, url_for)
    )
    config.extra["identity"] = build.identity
    config.theme["logo"], config.theme["favicon"] = build.identity["logo"], build.identity["favicon"]
    config.site_dir = str(build.output)
    config.nav = build.plan.site.nav()
    return config


def on_build_error(error) -> None:
    if _build:
        _build.fail()


def on_shutdown() -> None:
    global _build
    if _build:
        _build.close()
    _build = None


@_stop
def on_files(files: Files, config) -> Files:
    """Generated pages and data first, then what items publish: a path that would replace
    a file the site already has (its own, the theme's, a generated one) stops the build."""
    plan, level = _build.plan, {True: InclusionLevel.INCLUDED, False: InclusionLevel.NOT_IN_NAV}
    generated = [File.generated(config, uri, content=data) for uri, data in plan.generated.items()]
    generated += [File.generated(config, uri, content="\n", inclusion=level[nav]) for uri, nav in plan.stubs.items()]
    taken = {file.dest_uri.lower(): f"网站自带的文件 {file.src_uri}" for file in files}
    taken.update({file.dest_uri.lower(): f"自动生成的 {file.src_uri}" for file in generated})

    def files_of(src_uri: str, copies):
        if copies is None:
            return [
                File(
                    src_uri, str(_build.content_dir), config.site_dir, config.use_directory_urls, inclusion=level[False]
                )
            ]
        return [File.generated(config, uri, content=data) for uri, data in copies]

    # `mkdocs serve`: an item with errors shows what to fix at its address
    problems = [File.generated(config, uri, content="\n", inclusion=level[False]) for uri in _build.problem_pages()]
    for file in [*_build.mount(taken, files_of), *problems, *generated]:
        files.append(file)
    _build.files = files
    pages = files.documentation_pages()
    _build.files_known([f.src_uri for f in pages if f.inclusion != level[False]], len(pages))
    return files


def on_pre_build(config) -> None:
    _build.keep_previous(Path(config.site_dir))


def on_nav(nav, config, files):
    """Pages whose inputs did not change are carried over from the previous output (portal.site.carry);
    the other item pages are rendered by forked workers (portal.site.workers) while MkDocs does the rest."""
    dest_of = lambda uri: file.dest_uri if (file := files.get_file_from_path(uri)) else None  # noqa: E731
    pages = _build.carry(dest_of, Path(config.site_dir))

    def render(share: list[str], populated) -> None:  # in a worker: MkDocs' own page functions
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        inclusion = InclusionLevel.is_in_serve if _build.serve else InclusionLevel.is_included
        shown = files.documentation_pages(inclusion=inclusion)
        pages = [file.page or Page(None, file, config) for file in map(files.get_file_from_path, share)]
        for page in pages:
            _populate_page(page, config, files)
        populated()
        for page in pages:
            _build_page(page, config, shown, nav, env, excluded=page.file.inclusion.is_excluded())

    _build.render_items(pages, render, logging.getLogger("mkdocs"))
    return nav


def on_pre_page(page, config, files):
    if _build.is_item(page.file.src_uri):
        page.render = cached_render(page, _build.cache, _build.page_salt)
    return page


def on_page_read_source(page, config) -> str | None:
    return _build.source(page.file.src_uri)


def on_page_markdown(markdown: str, page, config, files) -> str:
    page.meta, markdown = _build.page_meta(page.file.src_uri, page.url, page.meta, markdown)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    return _build.page_content(page.file.src_uri, html, _build.workers.in_worker, done=(page, "markdown"))


def on_page_context(context, page, config, nav):
    if mode := _build.parts_mode(page.file.src_uri, page.url):
        page.meta["portal"]["reuse"] = mode
    return context


@_stop
def on_post_page(output: str, page, config) -> str:
    return _build.page_written(page.file.src_uri, page.url, output, done=(page, "content", "toc"))


def on_post_template(output: str, template_name: str, config) -> str:
    return tidy(output)  # 404.html


@_stop
def on_post_build(config) -> None:
    _build.finish(config.strict)


def on_serve(server, config, builder):
    server.watch(str(_build.content_dir))
    server.builder = lambda rebuild=server.builder: (_build and _build.patch()) or rebuild()
    return server
