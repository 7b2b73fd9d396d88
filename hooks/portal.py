"""MkDocs events of the portal: thin handlers over the plain `portal_*` modules.

on_config        read and validate content/ (all problems together), decide what is published
on_files         mount the published items from content/ and the generated pages and data;
                 start the search index beside the page rendering
on_pre_page      reuse Markdown rendered by an earlier build (portal_cache)
on_page_*        give every page its escaped title and description, its template and data
on_post_page     report progress
on_post_build    write the search index, save the cache, print the summary
on_serve         reload when content/ changes
"""

from __future__ import annotations

import gc
import logging
import os
import posixpath
import re
import shutil
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urljoin

from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from portal_captions import caption_pictures
from portal_cache import BuildCache, cached_render, code_salt, digest, read_entry
from portal_charts import bar_chart
from portal_compact import SPRITE, Compactor
from portal_content import IMAGE_SUFFIXES, load_content
from portal_model import KIND_FOLDERS, today
from portal_output import BuildLock, clean_stale, clean_stale_temp, discard, folder_problems
from portal_publishing import PathClaims
from portal_images import Derivative, derivatives_cached, rewrite_images
from portal_feeds import feed_files
from portal_holdback import held_back_notices
from portal_html import sanitize
from portal_links import SitePages, all_link_problems, page_url, rewrite_links
from portal_placeholders import mark_redactions
from portal_problems import report
from portal_qr import QrCodes
from portal_health import catalogue_lines, empty_columns
from portal_history import history_problems, read_history
from portal_identity import conac_url, error_report_url, identity_problems
from portal_progress import Progress
from portal_carry import carry, manifest_of
from portal_render import WorkerHooks, Workers, pass_over, reset as reset_render, worker_count
from portal_rules import body_problems
from portal_search import IndexJob, SearchDoc, html_text
from portal_settings import load_settings
from portal_site import PortalSite

log = logging.getLogger("mkdocs.hooks.portal")

TEMPLATES = {"news": "article.html", "review": "review.html"}
_command = "build"
_site: PortalSite | None = None
_content_dir: Path | None = None
_shown_as = "content"  # how problems name content/
_search: IndexJob | dict[str, bytes] | None = None  # the index being built, or taken from the cache
_search_key = ""
_writer: threading.Thread | None = None  # under `mkdocs serve`: writes the index after the build
_site_dir: Path | None = None  # `mkdocs build` writes beside it and swaps at the end
_pictures: dict[str, list[Derivative]] = {}  # image src_uri -> its published copies
_cache: BuildCache | None = None
_lock: BuildLock | None = None  # held until the process ends
_progress: Progress | None = None
_page_salt = ""
_html: dict[str, tuple[str, bool]] = {}  # src_uri -> (cache key, whether the cache has the page)
_pages: SitePages | None = None  # every page by address, for links (portal_links)
_broken: dict[str, list] = {}  # under `mkdocs serve`: src_uri of an item with errors -> its problems
_compactor = Compactor()
_workers = Workers()
_texts: dict[str, str] = {}  # item src_uri -> text of its rendered body, for the search index (in workers)
_text_salt = ""  # what the text of a body depends on besides the body: the Markdown extensions
_files = None
_keys: dict[str, tuple[str, str]] = {}  # item and listing src_uri -> (cache key of its inputs, output path)
_content_warnings = 0  # warnings about content/ (on_config): they do not stop pages being cached
_previous: Path | None = None  # the previous build's output, to carry unchanged pages from (portal_carry)


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config):
    global _site, _content_dir, _cache, _progress, _shown_as
    _progress = Progress(log)
    if "portal_paragraphs" not in config.markdown_extensions:  # one line, one paragraph (hooks/portal_paragraphs.py)
        config.markdown_extensions.append("portal_paragraphs")
    settings, identity = load_settings(config.extra)
    config.extra["identity"] = dict(identity, feedback_href=_feedback_href(identity.feedback, config))
    if problems := identity_problems(dict(identity), Path(config.docs_dir), production=_command == "build"):
        raise PluginError("mkdocs.yml 中 extra.identity（网站标识与联系方式）需要补充：\n  " + "\n  ".join(problems))
    _identity_files(config, identity)
    root = Path(config.config_file_path).parent
    _content_dir = (root / settings.content_dir).resolve()
    outputs = {"site_dir": Path(config.site_dir), **({"cache_dir": root / settings.cache_dir} if settings.cache_dir else {})}
    sources = {"content_dir": _content_dir, "docs_dir": Path(config.docs_dir), "hooks": root / "hooks",
               "overrides": root / "overrides"}
    if problems := folder_problems(root, outputs if _command == "build" else {k: v for k, v in outputs.items() if k != "site_dir"},
                                   sources):
        raise PluginError(report(problems))
    _build_beside(config)
    salt = code_salt(root)
    if _cache is None or _cache.salt != salt:  # kept in memory across `mkdocs serve` rebuilds
        _cache = BuildCache(root / settings.cache_dir if settings.cache_dir else None, salt)
    _tell_cache_notices()
    shown_as = _shown_as = os.path.relpath(_content_dir, root).replace(os.sep, "/")
    content = load_content(_content_dir, shown_as, _cache)
    _cache.save("items")
    content.problems += body_problems(content.items, shown_as, tuple(settings.embed_hosts), _content_dir, _cache)
    content.problems += history_problems(content.items, read_history(_content_dir), shown_as, settings.backdate_days)
    day = today(settings.timezone)  # the publishing day of this build
    content.problems += held_back_notices(content.items, day, shown_as)
    _cache.save("body")
    for problem in content.problems:
        if problem.level == "notice":
            log.info(str(problem))
        elif problem.level == "warning":
            log.warning(str(problem))
    _broken.clear()
    if errors := [p for p in content.problems if p.level == "error"]:
        if _command != "serve":
            raise PluginError(report(errors))
        log.error(report(errors) + "\n（预览中已跳过有问题的稿件；打开它们的网址可以看到问题。）")
        unfinished = {problem.file for problem in errors}
        content.items = [item for item in content.items if f"{shown_as}/{item.path}" not in unfinished]
        for problem in content.problems:
            rel = problem.file[len(shown_as) + 1:]
            if problem.file in unfinished and rel.endswith(".md") and rel.split("/")[0] in KIND_FOLDERS:
                _broken.setdefault(rel, []).append(problem)

    def url_for(src_uri: str) -> str:
        return File(src_uri, None, config.site_dir, config.use_directory_urls).url

    _site = PortalSite.build(content, settings, day, url_for, config.site_url or "", preview=_command == "serve")
    _check_links(config, content, shown_as, day)
    _compactor.icons.update(_cache.get("icons", "sprite") or {})  # icons of pages an earlier build made
    config.nav = _site.nav()
    for problem in empty_columns(content.catalogue, _site.items, f"{shown_as}/catalogue.yml",
                                 catalogue_lines(_content_dir / "catalogue.yml"), settings.empty_columns):
        (log.warning if problem.level == "warning" else log.info)(str(problem))
    _progress.validated(len(content.items), _site.published_count, _site.held_back)
    global _content_warnings
    _content_warnings = _progress.warnings.count  # told again by every build, from its own reading of content/
    return config


def _feedback_href(feedback: str, config) -> str:
    """A docs page (feedback.md#anchor) becomes its URL from the site root; others stay as written."""
    if not feedback.endswith(".md") and ".md#" not in feedback:
        return feedback
    page, _, anchor = feedback.partition("#")
    url = File(page, None, config.site_dir, config.use_directory_urls).url
    return (config.site_url or "/").rstrip("/") + "/" + url + (f"#{anchor}" if anchor else "")


def _identity_files(config, identity) -> None:
    """The site's own logo and favicon (extra.identity), files under docs/."""
    docs = Path(config.docs_dir)
    for key, label in (("logo", "标志"), ("favicon", "网站图标"), ("banner", "首页横幅")):
        if identity[key] and not (docs / identity[key]).is_file():
            raise PluginError(f"mkdocs.yml 中 extra.identity.{key}（{label}）指向的文件 docs/{identity[key]} 不存在："
                              f"请把图片放进 docs/ 并写它相对于 docs/ 的路径，例如 images/logo.svg，或删去这一行使用默认图片。")
    for account in identity["accounts"]:
        if account["qr"] and not (docs / account["qr"]).is_file():
            raise PluginError(f"mkdocs.yml 中 extra.identity.accounts 的“{account['name']}”的二维码 docs/{account['qr']} 不存在："
                              f"请把二维码图片放进 docs/ 并写它相对于 docs/ 的路径。")
    config.theme["logo"] = identity["logo"]
    config.theme["favicon"] = identity["favicon"]


def _check_links(config, content, shown_as: str, day) -> None:
    """Links between items, by path or by address: told in Chinese (MkDocs' own English link
    validation is off in mkdocs.yml); warnings, so `--strict` stops on them."""
    global _pages
    names = [name for name in config.markdown_extensions if isinstance(name, str)]
    _pages = SitePages.of(content.items, _site.listings, Path(config.docs_dir), config.site_url or "", names, day,
                          _content_dir)
    if content.catalogue.failed:
        return  # items the catalogue could not place are missing: links to them are not the editor's problem
    for problem in all_link_problems(content.items, shown_as, _pages):
        log.warning(str(problem))


def _tell_cache_notices() -> None:
    for notice in _cache.notices:
        log.info(notice)
    _cache.notices.clear()


def _build_beside(config) -> None:
    """A failed build must leave the previous site as it was: build into site.building/
    and put it in place of site/ only when the build succeeded (on_post_build)."""
    global _site_dir, _lock
    _site_dir = None
    if _command == "build":
        site_dir = Path(config.site_dir)
        if _lock is None or _lock.path != BuildLock(site_dir).path:
            _lock = BuildLock(site_dir)
            if busy := _lock.acquire():
                _lock = None
                raise PluginError(busy)
        for note in clean_stale(site_dir):
            log.info(note)
        clean_stale_temp()
        _site_dir = site_dir
        config.site_dir = str(_site_dir.with_name(_site_dir.name + ".building"))


def _swap_in(config) -> None:
    building = Path(config.site_dir)
    if config.strict and _progress.warnings.count:  # MkDocs aborts right after this event
        shutil.rmtree(building, ignore_errors=True)
        return
    previous = _site_dir.with_name(_site_dir.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if _site_dir.exists():
        _site_dir.rename(previous)
    building.rename(_site_dir)
    discard(previous)  # in the background: the new site is in place


def on_build_error(error) -> None:
    _workers.abort()
    if isinstance(_search, IndexJob):
        _search.abort()
    if _site_dir and _site_dir.with_name(_site_dir.name + ".building").exists():
        shutil.rmtree(_site_dir.with_name(_site_dir.name + ".building"), ignore_errors=True)


def on_files(files: Files, config) -> Files:
    """Generated pages and data first, then what items publish: a path that would replace
    a file the site already has (its own, the theme's, a generated one) stops the build."""
    _pictures.clear()
    published = [item for item in _site.items if not item.hold]
    absolute = lambda url: (config.site_url or "/").rstrip("/") + "/" + url  # noqa: E731
    feeds = feed_files(config.site_name, config.site_description or "", published, _site.content.catalogue, absolute)
    _site.draw_qr_codes(QrCodes(_cache))  # into the pages; drawn once per URL, kept in the build cache
    generated = [File.generated(config, src_uri, content=data)
                 for src_uri, data in {**_site.data_files, **feeds, "robots.txt": robots(config)}.items()]
    generated += [File.generated(config, listing.src_uri, content="\n",
                                 inclusion=InclusionLevel.INCLUDED if listing.in_nav else InclusionLevel.NOT_IN_NAV)
                  for listing in _site.listings.values()]
    taken = {file.dest_uri.lower(): f"网站自带的文件 {file.src_uri}" for file in files}
    taken.update({file.dest_uri.lower(): f"自动生成的 {file.src_uri}" for file in generated})
    claims, clashes, mounted = PathClaims(taken, _shown_as), [], set()
    for item in _site.items:
        for src_uri in (item.src_uri, *item.assets):
            if src_uri in mounted:
                continue
            mounted.add(src_uri)
            if src_uri.lower().endswith(IMAGE_SUFFIXES):
                new = _mount_picture(src_uri, config)
            else:
                new = [File(src_uri, str(_content_dir), config.site_dir, config.use_directory_urls,
                            inclusion=InclusionLevel.NOT_IN_NAV)]
            for file in new:
                if clash := claims.claim(file.dest_uri, src_uri):
                    clashes.append(clash)
                else:
                    files.append(file)
    if clashes:
        if _command != "serve":
            raise PluginError(report(clashes))
        log.error(report(clashes))
    taken_pages = {page_url(uri).lower() for uri in mounted} if _broken else set()
    for src_uri in _broken if _command == "serve" else ():  # a page that lists what to fix, not a 404
        if page_url(src_uri).lower() not in taken_pages:
            taken_pages.add(page_url(src_uri).lower())
            files.append(File.generated(config, src_uri, content="\n", inclusion=InclusionLevel.NOT_IN_NAV))
    for file in generated:
        files.append(file)
    global _page_salt, _files
    _files = files
    _page_salt = digest(*sorted(file.src_uri for file in files))  # links are checked against these files
    _progress.total = len(files.documentation_pages())
    return files


def on_pre_build(config) -> None:
    """`mkdocs serve` builds into the same folder again (MkDocs empties it first): keep the
    previous output aside to carry unchanged pages from. `mkdocs build` carries from site/."""
    global _previous
    _previous = _site_dir
    if _command == "serve":
        site = Path(config.site_dir)
        _previous = site.with_name(site.name + ".previous")
        shutil.rmtree(_previous, ignore_errors=True)
        if site.exists():
            site.rename(_previous)


def _final_dir(config) -> str:
    return str(_site_dir or config.site_dir)


def on_nav(nav, config, files):
    """Pages whose inputs did not change are carried over from the previous output (portal_carry);
    the other item pages are rendered by forked workers (portal_render) while MkDocs does the rest."""
    reset_render()
    _keys.clear()
    for src_uri in [*_site.by_src_uri, *_site.listings]:
        if (file := files.get_file_from_path(src_uri)) and (inputs := _site.page_inputs(src_uri)) is not None:
            _keys[src_uri] = (digest(_page_salt, inputs), file.dest_uri)
    manifest = _cache.get("built", _final_dir(config)) or {}
    carried = carry(_previous, Path(config.site_dir), _keys, manifest, move=_command == "serve")
    pass_over(carried.entries, {uri: (e.anchors, e.links) for uri, e in carried.entries.items()})
    for _ in carried.entries:
        _progress.page_written()
    pages = [src_uri for src_uri in _site.by_src_uri if files.get_file_from_path(src_uri) and src_uri not in carried]
    global _text_salt
    _text_salt = digest(repr(config.markdown_extensions), repr(config.mdx_configs))
    count = worker_count(len(pages), _site.settings.render_workers)
    gc.freeze()  # forked processes share the main process's memory until they write to it: keep the collector off it
    try:
        _workers.start(pages, count, config, files, nav, _command == "serve", _worker_hooks)
        _start_search_index(config, set(pages) if count else set(), _workers.populated)
    finally:
        gc.unfreeze()
    return nav


def _worker_start() -> None:
    _cache.in_worker()
    _progress.pages = 0


def _worker_populated(pages) -> dict[str, str]:
    """The search index's text of the worker's item pages, by URL."""
    return {_site.by_src_uri[page.file.src_uri].url: _texts.pop(page.file.src_uri) for page in pages
            if page.file.src_uri in _texts}


def _worker_result():
    return (*_cache.worker_result(), dict(_compactor.icons), _progress.pages)


def _worker_absorb(result) -> None:
    used, path, icons, pages = result
    _cache.absorb(used, path)
    _compactor.icons.update(icons)
    _progress.pages += pages


_worker_hooks = WorkerHooks(_worker_start, _worker_populated, _worker_result, _worker_absorb)


def _start_search_index(config, from_workers: set[str], text_files: list[str]) -> None:
    """Reuse the cached index of the same items, or build it beside the page rendering, from
    the bodies' texts: from the workers (`from_workers`, in `text_files`) or the build cache."""
    global _search, _search_key
    catalogue = _site.content.catalogue
    columns, organisations = list(catalogue.columns), list(catalogue.organisations)
    docs = [SearchDoc(item.url, item.title, item.date.isoformat(), item.column.name, item.organisation.name,
                      item.kind, item.body, item.year) for item in _site.items]
    _search_key = digest(repr(config.markdown_extensions), repr(config.mdx_configs), repr([columns, organisations]),
                         *(repr(vars(doc)) for doc in docs))
    # The index of the previous build: reused as it is, or updated where items changed (portal_search).
    _search = _cache.get("search", "index").files if _cache.get("search", "key") == _search_key else None
    if _search is not None:
        for item in _site.items:  # for the next index, after an edit
            _cache.keep("text", digest(_text_salt, item.body))
    else:
        texts = {}
        for item in _site.items:
            if item.src_uri not in from_workers and (text := _cache.get("text", digest(_text_salt, item.body))) is not None:
                texts[item.url] = text
        _search = IndexJob(docs, columns, organisations, config.markdown_extensions, config.mdx_configs, texts, text_files,
                           partial(read_entry, _cache.path if _cache.db else None, "search", "index"))


def robots(config) -> bytes:
    """Every page may be indexed; the sitemap tells crawlers where they are."""
    sitemap = f"Sitemap: {config.site_url.rstrip('/')}/sitemap.xml\n" if config.site_url else ""
    return f"User-agent: *\nAllow: /\n{sitemap}".encode()


def _mount_picture(src_uri: str, config) -> list[File]:
    """A picture is published as re-encoded copies without metadata (no EXIF position or
    comment ever leaves the build, animations included); its own name carries the largest
    copy, so links to it still work."""
    stem, suffix = posixpath.splitext(posixpath.basename(src_uri))
    sources = derivatives_cached((_content_dir / src_uri).read_bytes(), stem, _cache)
    _pictures[src_uri] = sources
    folder = posixpath.dirname(src_uri)
    new = [File.generated(config, posixpath.join(folder, d.name), content=d.data) for d in sources]
    same_kind = [d for d in sources if (d.mime == "image/webp") == (suffix.lower() == ".webp")]
    new.append(File.generated(config, src_uri, content=max(same_kind or sources, key=lambda d: d.width).data))
    return new


def _picture_lookup(page):
    """For rewrite_images: an <img src> of this page -> its resized copies and their folder URL."""
    here = "/" + page.url

    def lookup(src: str):
        if re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", src, re.I):
            return None
        sources = _pictures.get(unquote(urljoin(here, src)).lstrip("/"))
        return (sources, src.rsplit("/", 1)[0] + "/" if "/" in src else "") if sources else None

    return lookup


def on_pre_page(page, config, files):
    if page.file.src_uri in _site.by_src_uri:
        page.render = cached_render(page, _cache, _page_salt)
    return page


def on_page_read_source(page, config) -> str | None:
    item = _site.by_src_uri.get(page.file.src_uri)
    # The body without its front matter (read once, by portal_source); the leading
    # newline keeps MkDocs from taking a body that starts with '---' for front matter.
    return "\n" + item.body if item else None


def on_page_markdown(markdown: str, page, config, files) -> str:
    src_uri = page.file.src_uri
    if item := _site.by_src_uri.get(src_uri):
        page.meta = {"template": TEMPLATES[item.kind], "title": item.title, "description": item.summary}
        markdown = rewrite_links(markdown, item.path, _pages)  # links by address -> relative .md links
    elif src_uri in _broken and _command == "serve":
        page.meta = {"template": "portal-problems.html", "title": "稿件有问题，暂不能预览", "hide": ["toc"]}
    elif listing := _site.listings.get(src_uri):
        page.meta = {"template": listing.template, "title": listing.title, "description": listing.description,
                     "hide": ["toc"]}
    if (inputs := _site.page_inputs(src_uri)) is not None:
        # The same inputs (and the same files, templates and settings): reuse the whole page.
        key = digest(_page_salt, inputs)
        _html[src_uri] = (key, _cache.has("html", key))
        if _html[src_uri][1]:
            page.meta["template"] = "portal-cached.html"
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str) and not isinstance(page.meta[key], Markup):
            # Material prints these raw into <title>, the navigation and <meta>.
            page.meta[key] = escape(page.meta[key])
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """An item's body: raw HTML through the allowlist (editors were told in on_config), pictures'
    titles as captions, redactions marked."""
    item = _site.by_src_uri.get(page.file.src_uri)
    if item and _workers.in_worker:
        _texts[page.file.src_uri] = html_text(html)  # what render_docs would make of the body
        _cache.put("text", digest(_text_salt, item.body), _texts[page.file.src_uri])
    if not item or _html.get(page.file.src_uri, (None, False))[1]:
        return html  # not an item, or its whole page comes from the cache (cleaned when it was made)
    html = caption_pictures(sanitize(html, tuple(_site.settings.embed_hosts), describe=False)[0])
    return mark_redactions(html) if item.redacted else html


def on_post_page(output: str, page, config) -> str:
    key, cached = _html.pop(page.file.src_uri, (None, False))
    output = tidy(output)
    if _pictures and not cached:
        output = rewrite_images(output, _picture_lookup(page))
    if not cached:
        output = _compactor.page(output, "../" * page.url.count("/"))
    if key and not cached:
        _cache.put("html", key, output)
    _progress.page_written()
    return output


def tidy(output: str) -> str:
    """Three corrections to Material's page shell, for every page."""
    output = output.replace('<html lang="zh" ', '<html lang="zh-CN" ', 1)  # Material's "zh"; readers are mainland
    # Material's two checkbox toggles carry autocomplete="off", which HTML allows on text-like inputs only.
    for toggle in ("__drawer", "__search"):
        output = output.replace(f'type="checkbox" id="{toggle}" autocomplete="off"', f'type="checkbox" id="{toggle}"', 1)
    # With navigation.tabs Material gives the active section's label an empty tabindex, which HTML forbids.
    return output.replace(' tabindex=""', "")


def on_post_template(output: str, template_name: str, config) -> str:
    return tidy(output)  # 404.html


def on_post_build(config) -> None:
    global _writer
    try:
        _workers.finish(_files, config.validation.links.anchors, _worker_hooks)
    except RuntimeError as error:
        raise PluginError(str(error)) from None
    if _workers.peak_mb:
        log.info(f"页面生成进程 {len(_workers.peak_mb)} 个：{_workers.pages} 个稿件页面，"
                 f"内存峰值 {' / '.join(f'{mb:.0f}' for mb in _workers.peak_mb)} MB，"
                 f"CPU {' / '.join(f'{s:.1f}' for s in _workers.cpu_seconds)} 秒。")
    if _writer:  # a preview's index still being written
        _writer.join()
    target = Path(config.site_dir) / "search"
    if _command == "serve" and isinstance(_search, IndexJob):
        # A preview shows the edited page at once; its search index follows when ready.
        _writer = threading.Thread(target=lambda job=_search: _write_search(target, job.result()), daemon=True)
        _writer.start()
    else:
        started = time.monotonic()
        files, peak, rendered = _search, "", ""
        if isinstance(_search, IndexJob):
            files = _search.result()
            by_url = {item.url: item for item in _site.items}
            for url, text in _search.rendered.items():
                _cache.put("text", digest(_text_salt, by_url[url].body), text)
            peak = f"，索引进程内存峰值 {_search.peak_mb:.0f} MB" if _search.peak_mb else ""
            rendered = f"，其中 {len(_search.rendered)} 篇正文由索引进程渲染"
            if _search.index.updated >= 0:
                rendered += f"，在上次的索引上更新了 {_search.index.updated} 篇"
            _cache.put("search", "index", _search.index)
            _cache.put("search", "key", _search_key)
        _write_search(target, files)
        shards = sum(name.startswith("g/") for name in files)
        size = sum(len(data) for data in files.values()) / 1e6
        log.info(f"搜索索引：{len(_site.items)} 篇{rendered}，{shards} 个分片，{size:.1f} MB，"
                 f"页面生成后又等了 {time.monotonic() - started:.1f} 秒{peak}。")
    sprite = Path(config.site_dir) / SPRITE
    sprite.parent.mkdir(parents=True, exist_ok=True)
    sprite.write_bytes(_compactor.sprite())
    _cache.put("icons", "sprite", dict(_compactor.icons))
    _save_manifest(config)
    if _progress.warnings.count == _content_warnings:  # a page that warned must warn again next time
        _cache.save("pages", "html", "search", "images", "qr", "icons", "built", "text")
    _tell_cache_notices()
    if _site_dir:
        _swap_in(config)
    _progress.finish(_site.published_count, _site.held_back)


def _save_manifest(config) -> None:
    """What the next build may carry over from this one's output."""
    anchors = {}
    for src_uri in _keys:
        page = _files.get_file_from_path(src_uri).page
        if page is not None:
            links = {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()}
            anchors[src_uri] = (page.present_anchor_ids, links)
    _cache.put("built", _final_dir(config), manifest_of(Path(config.site_dir), _keys, anchors))
    if _command == "serve" and _previous:
        threading.Thread(target=shutil.rmtree, args=(_previous, True), daemon=True).start()


def _write_search(target: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(target, ignore_errors=True)
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def on_env(env, config, files):
    env.globals["portal"] = _site
    env.filters["bar_chart"] = bar_chart
    env.filters["error_report_url"] = error_report_url
    env.filters["conac_url"] = conac_url
    return env


def on_page_context(context, page, config, nav):
    key, cached = _html.get(page.file.src_uri, (None, False))
    if cached:
        context["cached_html"] = Markup(_cache.get("html", key))
    context["item"] = _site.by_src_uri.get(page.file.src_uri)
    context["listing"] = _site.listings.get(page.file.src_uri)
    if _command == "serve" and page.file.src_uri in _broken:
        context["problems"] = sorted(_broken[page.file.src_uri], key=lambda p: p.line)
        context["problem_file"] = _broken[page.file.src_uri][0].file
    return context


def on_serve(server, config, builder):
    server.watch(str(_content_dir))
    return server
