"""The MkDocs adapter: MkDocs' events mapped onto one `PortalBuild` (hooks/portal/site/build.py)
and its `SitePlan` (hooks/portal/site/plan.py), which know nothing of MkDocs.

on_config        read and validate content/, compute the plan; its navigation becomes MkDocs'
on_files         the plan's generated files, listing stubs and what content/ publishes
on_nav           carry unchanged pages over; fork the page renderers; start the search index
on_page_*        each page's meta: the plan's data in page.meta.portal (templates read only that)
on_post_page     post-processing (portal.site.postprocess): navigation, pictures, icons, page cache
on_post_build    search index, cache, the swap into site/; on_build_error / on_shutdown release
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from portal.cache import cached_render
from portal.config import prepare
from portal.engines.mkdocs_render import WorkerHooks, Workers, pass_over, worker_count
from portal.engines.mkdocs_render import reset as reset_render
from portal.settings import load_settings
from portal.site.build import BuildStop, EngineConfig, PortalBuild
from portal.site.postprocess import tidy

log = logging.getLogger("mkdocs.hooks.portal")
_build: PortalBuild | None = None  # the running build: all its state, released when it ends


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

    def url_for(src_uri: str) -> str:
        return File(src_uri, None, config.site_dir, config.use_directory_urls).url

    settings, identity = load_settings(config.extra)
    build.configure(
        EngineConfig(
            Path(config.config_file_path).parent,
            Path(config.docs_dir),
            Path(config.site_dir),
            config.site_url or "",
            config.site_name,
            config.site_description or "",
            settings,
            identity,
            config.markdown_extensions,
            config.mdx_configs,
            url_for,
        )
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
    plan = _build.plan
    generated = [File.generated(config, src_uri, content=data) for src_uri, data in plan.generated.items()]
    generated += [
        File.generated(
            config, src_uri, content="\n", inclusion=InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        )
        for src_uri, in_nav in plan.stubs.items()
    ]
    taken = {file.dest_uri.lower(): f"网站自带的文件 {file.src_uri}" for file in files}
    taken.update({file.dest_uri.lower(): f"自动生成的 {file.src_uri}" for file in generated})

    def files_of(src_uri: str, copies):
        if copies is None:
            return [
                File(
                    src_uri,
                    str(_build.content_dir),
                    config.site_dir,
                    config.use_directory_urls,
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            ]
        return [File.generated(config, uri, content=data) for uri, data in copies]

    for file in _build.mount(taken, files_of):
        files.append(file)
    for src_uri in _build.problem_pages():  # `mkdocs serve`: what to fix, at the item's address
        files.append(File.generated(config, src_uri, content="\n", inclusion=InclusionLevel.NOT_IN_NAV))
    for file in generated:
        files.append(file)
    _build.files = files
    pages = files.documentation_pages()
    _build.files_known([f.src_uri for f in pages if f.inclusion != InclusionLevel.NOT_IN_NAV], len(pages))
    return files


def on_pre_build(config) -> None:
    _build.keep_previous(Path(config.site_dir))


def on_nav(nav, config, files):
    """Pages whose inputs did not change are carried over from the previous output (portal.site.carry);
    the other item pages are rendered by forked workers (portal.engines.mkdocs_render) while MkDocs does the rest."""
    build, site = _build, _build.plan.site
    reset_render()
    dests = {
        uri: file.dest_uri for uri in [*site.by_src_uri, *site.listings] if (file := files.get_file_from_path(uri))
    }
    carried = build.carry(
        dests, Path(config.site_dir), lambda uri: f.dest_uri if (f := files.get_file_from_path(uri)) else None
    )
    pass_over(carried.entries, {uri: (e.anchors, e.links) for uri, e in carried.entries.items()})
    pages = [src_uri for src_uri in site.by_src_uri if files.get_file_from_path(src_uri) and src_uri not in carried]
    count = worker_count(len(pages), site.settings.render_workers)
    build.workers = Workers()
    gc.freeze()  # forked processes share the main process's memory until they write to it: keep the collector off it
    try:
        build.workers.start(pages, count, config, files, nav, build.serve, _worker_hooks())
        build.start_search_index(set(pages) if count else set(), build.workers.populated)
    finally:
        gc.unfreeze()
    return nav


def _worker_hooks() -> WorkerHooks:
    build = _build
    return WorkerHooks(
        build.worker_start,
        lambda pages: build.worker_texts([page.file.src_uri for page in pages]),
        build.worker_result,
        build.worker_absorb,
    )


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
    return _build.page_content(page.file.src_uri, html, _build.workers.in_worker)


def on_page_context(context, page, config, nav):
    if mode := _build.nav_mode(page.file.src_uri, page.url):
        page.meta["portal"]["nav"] = mode
    return context


@_stop
def on_post_page(output: str, page, config) -> str:
    return _build.page_written(page.file.src_uri, page.url, output)


def on_post_template(output: str, template_name: str, config) -> str:
    return tidy(output)  # 404.html


@_stop
def on_post_build(config) -> None:
    build = _build
    try:
        build.workers.finish(build.files, config.validation.links.anchors, _worker_hooks())
    except RuntimeError as error:
        raise BuildStop(str(error)) from None
    if build.workers.peak_mb:
        log.info(
            f"页面生成进程 {len(build.workers.peak_mb)} 个：{build.workers.pages} 个稿件页面，"
            f"内存峰值 {' / '.join(f'{mb:.0f}' for mb in build.workers.peak_mb)} MB，"
            f"CPU {' / '.join(f'{s:.1f}' for s in build.workers.cpu_seconds)} 秒。"
        )

    def anchors(src_uri: str):
        page = build.files.get_file_from_path(src_uri).page
        if page is None:
            return None
        return page.present_anchor_ids, {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()}

    build.finish(anchors, config.strict)


def on_serve(server, config, builder):
    server.watch(str(_build.content_dir))
    return server
