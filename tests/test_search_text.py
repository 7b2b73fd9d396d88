"""Search text normalisation is defined once per language — `normalise` in hooks/portal/search.py
(the index) and `fold`/`normalise` in docs/javascripts/portal-search.js (the query and the
highlighter) — and both are held to one table of cases, tests/data/search_normalisation.json.
The browser tests run the JavaScript in Chromium and search a site indexed by the Python side."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest

from conftest import REPO, Portal, news, serve_directory
from portal.search import fold, normalise

TABLE = json.loads((REPO / "tests/data/search_normalisation.json").read_text(encoding="utf-8"))
NORMALISE = TABLE["normalise"]
FIND = TABLE["find"]


def found(text: str, query: str) -> bool:
    """What the index promises: an item is found exactly when its normalised text contains every word."""
    return all(word in normalise(text) for word in normalise(query).split(" "))


@pytest.mark.parametrize("text, expected, why", NORMALISE, ids=[row[2] for row in NORMALISE])
def test_python_normalises_as_the_table_says(text, expected, why):
    assert normalise(text) == expected


@pytest.mark.parametrize("text, query, hits", FIND, ids=[row[1] for row in FIND])
def test_python_finds_what_the_table_says(text, query, hits):
    assert found(text, query) == bool(hits)


def test_normalising_is_folding_every_code_point_alone():
    """What lets the highlighter map folded text back to the text as written."""
    for text, _, _ in NORMALISE:
        assert normalise(text) == normalise("".join(fold(char) for char in text))
    assert fold("Ｓ") == "s" and fold("\u200b") == "" and fold("㈱") == "(株)"


def _interesting() -> dict[str, str]:
    """Every code point Python's Unicode data knows whose fold is not itself (about 6,000)."""
    out = {}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or unicodedata.category(char) == "Cn":
            continue
        if (folded := fold(char)) != char:
            out[char] = folded
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One item per `find` case, its text as the body."""
    portal = Portal(tmp_path_factory.mktemp("search-text"))
    for k, (text, _, _) in enumerate(FIND):
        portal.item(f"news/2026/case-{k}.md", news(title=f"用例{k}", date=f"2026-03-{k + 1:02d}"), body=text + "\n")
    build = portal.build()
    assert build.returncode == 0, build.output
    with serve_directory(build.site) as base:
        yield base


@pytest.fixture
def page(browser, site):
    page = browser.new_page()
    page.goto(site)
    yield page
    page.close()


IMPORT = "const search = await import(base + 'javascripts/portal-search.js');"


def test_javascript_normalises_and_highlights_as_the_table_says(page, site):
    got = page.evaluate(
        "async ([base, rows]) => {" + IMPORT + "return rows.map(([text]) => search.normalise(text)); }",
        [site, NORMALISE],
    )
    assert got == [expected for _, expected, _ in NORMALISE]
    marks = page.evaluate(
        "async ([base, rows]) => {"
        + IMPORT
        + """
        return rows.map(([text, query]) =>
            search.locate(text, search.normalise(query).split(' ').filter(Boolean))); }""",
        [site, FIND],
    )
    assert marks == [hits for _, _, hits in FIND]


def test_the_engine_finds_in_the_python_index_exactly_what_the_table_says(page, site):
    """Index (Python) and query (JavaScript) agree: each query finds the items whose text contains it."""
    for query in sorted({query for _, query, _ in FIND}):
        urls = page.evaluate(
            """async ([base, query]) => {
            const { Engine } = await import(base + 'javascripts/portal-search-engine.js');
            const engine = new Engine(new URL('search/', base));
            const found = await engine.search(query);
            return Promise.all(found.ids.map(async (id) => (await engine.doc(id)).u)); }""",
            [site, query],
        )
        expected = {f"news/2026/case-{k}/" for k, (text, _, _) in enumerate(FIND) if found(text, query)}
        assert set(urls) == expected, query


def test_javascript_folds_every_code_point_as_python_does(page, site):
    """All of Unicode, not only the table: the code points whose fold is not themselves agree, except
    where the browser's Unicode version is newer than Python's (then only outside CJK and Latin text)."""
    python = _interesting()
    differ = page.evaluate(
        """async ([base, python]) => {"""
        + IMPORT
        + """
        const out = [];
        for (let code = 0; code <= 0x10ffff; code++) {
          if (code >= 0xd800 && code <= 0xdfff) continue;
          const char = String.fromCodePoint(code), folded = search.fold(char);
          const expected = python[char];
          const differs = expected === undefined ? folded !== char : folded !== expected;
          if (differs) out.push([code, folded, expected ?? null]);
        }
        return out; }""",
        [site, python],
    )
    unassigned = [row for row in differ if unicodedata.category(chr(row[0])) == "Cn"]
    assigned = [row for row in differ if unicodedata.category(chr(row[0])) != "Cn"]
    assert assigned == []
    # Characters newer than Python's Unicode data (e.g. U+1C89, Unicode 16) may fold in the browser;
    # none is in the ranges Chinese text uses.
    chinese = ((0, 0x24F), (0x2000, 0x206F), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))
    assert not [code for code, _, _ in unassigned if any(a <= code <= b for a, b in chinese)]


def test_pages_and_their_search_run_without_script_errors(browser, site):
    """Material's bundle with the trimmed configuration, the highlighter and the engine together."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site + "news/2026/case-1/?h=" + "知\u200b联会")  # the highlighter normalises ?h= as the index does
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-content mark").first.inner_text() == "知联会"  # the build drops it from the body
    page.keyboard.press("/")
    page.keyboard.type("知联会")
    page.wait_for_selector(".md-search-result__meta:has-text('找到')")
    assert page.locator(".md-search-result__item").count() == 3
    page.close()
    assert errors == []
