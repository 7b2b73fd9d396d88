"""The engine boundary, shown: the demo content built from the portal's `SitePlan` with
Zensical (Material for MkDocs' successor, which runs no MkDocs hooks and whose MiniJinja
templates cannot call Python), beside the ordinary MkDocs + Material build.

    python3 -m venv /tmp/zensical && /tmp/zensical/bin/pip install zensical   # never the project's venv
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.engine_zensical --zensical /tmp/zensical/bin/zensical

What it does, in a temporary folder holding a fixture portal with the demo items:
  1. `mkdocs build` as usual (the MkDocs adapter, hooks/portal/engines/mkdocs.py);
  2. the plan computed in this process, without MkDocs' build (hooks/portal/site/plan.py), and
     written out as a Zensical project: every planned page a Markdown file whose front matter
     holds its template, title and data (page.meta.portal, as plain values: `plan.plain`), the
     generated files (open data, feeds, QR images, robots.txt) and what content/ publishes
     (pictures as their published copies); the navigation and footer identity in its config;
  3. `zensical build` on it, then the core's post-processing (portal.site.postprocess: page-shell
     fixes, pictures) over Zensical's output;
  4. a page-by-page comparison: which pages each engine wrote, and for each page both wrote,
     whether the title, the headings and the portal's own blocks agree.
Prints a report; exits 0 whatever Zensical does (this is a measurement, not a gate).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import yaml

from conftest import demo_portal

HERE = Path(__file__).resolve().parent


def plan_project(root: Path, out: Path) -> dict:
    """Write the Zensical project of the portal at `root` into `out`; the plan's figures."""
    from portal.content.reader import load_content
    from portal.model import today
    from portal.rules.links import SitePages, page_url, rewrite_links
    from portal.settings import load_settings  # engine-free: validates extra: as the build does
    from portal.site.plan import SitePlan, identity_data, plain
    from portal.site.postprocess import Pictures
    from portal.site.qr import qr_png

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    settings, identity = load_settings(config["extra"])
    site_url = config.get("site_url") or ""

    def url_for(src_uri: str) -> str:
        return (page_url(src_uri) or "./") if src_uri.endswith(".md") else src_uri  # as MkDocs' File.url

    started = time.monotonic()
    content = load_content(root / settings.content_dir, "content")
    plan = SitePlan.build(
        content,
        settings,
        today(settings.timezone),
        url_for,
        site_url,
        config["site_name"],
        config.get("site_description", ""),
        identity["site_code"],
        qr_png,
    )
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    pages = SitePages.of(
        content.items,
        plan.site.listings,
        root / "docs",
        site_url,
        names,
        today(settings.timezone),
        root / settings.content_dir,
    )
    planned = time.monotonic() - started
    docs = out / "docs"
    shutil.copytree(root / "docs", docs)
    pictures = Pictures()
    for src_uri in plan.mounts:
        source = root / settings.content_dir / src_uri
        if src_uri.endswith(".md"):
            continue
        copies = (
            pictures.mount(src_uri, source.read_bytes(), None)
            if plan.is_picture(src_uri)
            else [(src_uri, source.read_bytes())]
        )
        for uri, data in copies:
            (docs / uri).parent.mkdir(parents=True, exist_ok=True)
            (docs / uri).write_bytes(data)
    for src_uri, data in plan.generated.items():
        (docs / src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / src_uri).write_bytes(data if isinstance(data, bytes) else data.encode())
    for path in sorted(docs.rglob("*.md")):  # pages of docs/: their own front matter, and the plan's data
        src_uri = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        front, body = {}, text
        if text.startswith("---\n"):
            head, _, body = text[4:].partition("\n---\n")
            front = yaml.safe_load(head) or {}
        front["portal"] = plain(plan.page_data(src_uri, url_for(src_uri)))
        path.write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8"
        )
    for src_uri, page in plan.pages.items():
        item = plan.site.by_src_uri.get(src_uri)
        front = {
            "template": page.template,
            "title": page.title,
            "description": page.description,
            **({"hide": page.hide} if page.hide else {}),
            "portal": plain(plan.page_data(src_uri, url_for(src_uri))),
        }
        path = docs / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "---\n"
            + yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
            + "---\n\n"
            + (rewrite_links(item.body, item.path, pages) if item else ""),
            encoding="utf-8",
        )
    config.pop("hooks", None)
    config["nav"] = plain(plan.site.nav())
    config["extra"]["identity"] = plain(identity_data(dict(identity), site_url, url_for))
    config["theme"]["custom_dir"] = str(root / "overrides")
    config["theme"]["variant"] = "classic"  # Material's look, which the portal's CSS and overrides are written for
    config["docs_dir"], config["site_dir"] = "docs", "site"
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {
        "pages": len(plan.pages),
        "items": len(plan.site.items),
        "generated": len(plan.generated),
        "mounted": len(plan.mounts),
        "seconds": planned,
        "pictures": pictures,
        "plan": plan,
    }


def visible(html: str) -> list[str]:
    """A page's visible text, line by line (scripts, styles and icons left out)."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", "", html, flags=re.S)
    return [line.strip() for line in unescape(re.sub(r"<[^>]+>", "\n", html)).splitlines() if line.strip()]


def portal_classes(html: str) -> Counter:
    return Counter(c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split() if c.startswith("portal-"))


def links_of(html: str, rel: str) -> Counter:
    """Where the page's links lead, as a browser reads them (MiniJinja writes '/' as &#x2f;, and
    `../..` is `../../`), without the theme's assets."""
    here = "/" + rel.removesuffix("index.html")
    targets = (urljoin(here, unescape(h)) for h in re.findall(r'<a [^>]*href="([^"]*)"', html))
    return Counter(
        t if t.endswith("/") or "." in t.rsplit("/", 1)[-1] or "#" in t else t + "/"
        for t in targets
        if "/assets/" not in t
    )


def compare(mkdocs_site: Path, zensical_site: Path):
    """Files only one engine wrote; for each page both wrote, how its visible text and the
    portal's own elements (its `portal-*` classes) differ."""
    ours = {p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("*") if p.is_file()}
    theirs = (
        {p.relative_to(zensical_site).as_posix() for p in zensical_site.rglob("*") if p.is_file()}
        if zensical_site.exists()
        else set()
    )
    pages = {}
    for rel in sorted(r for r in ours & theirs if r.endswith(".html")):
        a_html, b_html = (
            (mkdocs_site / rel).read_text(encoding="utf-8"),
            (zensical_site / rel).read_text(encoding="utf-8"),
        )
        a, b = visible(a_html), visible(b_html)
        changes = [
            line
            for line in difflib.unified_diff(a, b, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("---", "+++"))
        ]
        if changes == ["+跳转至"]:
            changes = ["skip link"]  # Zensical's 跳转至 link also on pages without a table of contents
        elif changes and "".join(a) == "".join(b):
            changes = ["same text, other inline markup"]
        classes = portal_classes(a_html)
        classes.subtract(portal_classes(b_html))
        links = links_of(a_html, rel)
        links.subtract(links_of(b_html, rel))
        pages[rel] = (changes, {c: n for c, n in classes.items() if n}, {h: n for h, n in links.items() if n})
    other = [r for r in ours & theirs if not r.endswith(".html")]
    equal = sum((mkdocs_site / r).read_bytes() == (zensical_site / r).read_bytes() for r in other)
    return sorted(ours - theirs), sorted(theirs - ours), pages, equal, len(other)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zensical", default="/tmp/zensical/bin/zensical", help="the zensical command (its own venv)")
    parser.add_argument("--today", default="2027-06-01", help="the publishing day (every demo item published)")
    parser.add_argument("--keep", type=Path, help="keep both projects and sites in this folder")
    args = parser.parse_args()
    os.environ["PORTAL_TODAY"] = args.today
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        if args.keep:
            shutil.rmtree(base, ignore_errors=True)
        (base / "mkdocs").mkdir(parents=True)
        portal = demo_portal(base / "mkdocs")
        started = time.monotonic()
        built = portal.build(today=args.today)
        mkdocs_seconds = time.monotonic() - started
        print(f"MkDocs + Material: exit {built.returncode}, {mkdocs_seconds:.1f} s")
        project = base / "zensical"
        figures = plan_project(portal.root, project)
        print(
            f"Plan (no MkDocs build): {figures['pages']} planned pages ({figures['items']} items), "
            f"{figures['generated']} generated files, {figures['mounted']} files from content/, "
            f"{figures['seconds']:.2f} s"
        )
        version = subprocess.run([args.zensical, "--version"], capture_output=True, text=True)
        started = time.monotonic()
        env = {**os.environ, "PYTHONPATH": str(portal.root / "hooks")}  # the portal's Markdown extension
        run = subprocess.run([args.zensical, "build", "--clean"], cwd=project, capture_output=True, text=True, env=env)
        print(f"Zensical {version.stdout.strip()}: exit {run.returncode}, {time.monotonic() - started:.1f} s")
        if run.returncode:
            print("  " + "\n  ".join((run.stderr or run.stdout).strip().splitlines()[-6:]))
        site = project / "site"
        if site.exists():  # the core's post-processing and search index, engine-free
            from portal.search import IndexJob
            from portal.site.compact import SHELL, SPRITE, Compactor
            from portal.site.postprocess import _write_search, tidy

            compactor, plan = Compactor(), figures["plan"]
            for path in site.rglob("*.html"):
                url = path.relative_to(site).as_posix().removesuffix("index.html")
                html = figures["pictures"].rewrite(tidy(path.read_text(encoding="utf-8")), url)
                path.write_text(compactor.page(html, "../" * url.count("/"), url), encoding="utf-8")
            (site / SPRITE).parent.mkdir(parents=True, exist_ok=True)
            (site / SPRITE).write_bytes(compactor.sprite())
            (site / SHELL).write_bytes(compactor.shell())
            catalogue = plan.site.content.catalogue
            config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
            extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]] + [
                "portal.content.paragraphs"
            ]
            configs = {next(iter(e)): e[next(iter(e))] for e in config["markdown_extensions"] if isinstance(e, dict)}
            job = IndexJob(
                plan.search_docs(), list(catalogue.columns), list(catalogue.organisations), extensions, configs, {}, []
            )
            _write_search(site / "search", job.result())
        only_mkdocs, only_zensical, pages, equal, files = compare(built.site, site)
        kinds = Counter(
            "identical" if not changes else changes[0] if len(changes) == 1 else "text differs"
            for changes, _, _ in pages.values()
        )
        print(
            f"HTML pages both wrote: {len(pages)}; visible text: "
            + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
            + f". Other files both wrote: {files}, byte-identical {equal}."
        )
        print(f"Only MkDocs wrote {len(only_mkdocs)} files, only Zensical {len(only_zensical)}.")
        for rel, (changes, classes, links) in pages.items():
            if classes or links or len(changes) > 1:
                print(
                    f"  {rel}: "
                    + (f"{len(changes)} changed lines; " if len(changes) > 1 else "")
                    + "portal elements and links MkDocs − Zensical: "
                    + ", ".join(f"{c} {n:+d}" for c, n in [*classes.items(), *links.items()][:6])
                )
        for label, names in (("only MkDocs", only_mkdocs), ("only Zensical", only_zensical)):
            if names:
                print(f"  {label}: " + ", ".join(names[:12]) + (" …" if len(names) > 12 else ""))


if __name__ == "__main__":
    main()
