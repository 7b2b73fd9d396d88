"""Hypothesis strategies for hostile and careless content, and the property every input must keep.

The property (`check_one`): whatever the front matter, body and catalogue, `check`'s path
(read, validate, every body rule, the publishing set) returns only Chinese problems naming a
file under content/ — never a traceback — and writes nothing. tests/test_fuzz.py runs it for
a few hundred cases; `fuzz_campaign.py` beside this file runs a long campaign.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import strategies as st

from conftest import CATALOGUE
from portal.cli.check import inspect
from portal.model import ITEM_FIELDS, METRIC_FIELDS

HERE = Path(__file__).resolve().parent

CJK = re.compile(r"[\u4e00-\u9fff]")
# The smallest portal configuration `check` reads (beside the generated content/).
# It is read as the build reads it (MkDocs' load_config): a site name, an existing docs/ and the
# identity a production build needs.
CONFIG = (
    "site_name: 测试门户\nsite_url: https://portal.test/\nextra:\n  portal:\n    content_dir: content\n"
    "    cache_dir: ''\n  identity:\n    contact: '0000-0000000'\n    feedback: mailto:portal@example.org\n"
)
KEYS = [f.key for f in ITEM_FIELDS] + [f.key for f in METRIC_FIELDS] + ["x", "title：", "Title", ""]
# Characters that break parsers, scripts or readers, mixed into every generated text.
NASTY = list("\x00\x01\x07\x0b\x1b\x7f\x85\u200b\u200d\u202e\u2066\ufeff\u2028\t\r\n\\\"'`:#&*!|>%@[]{}-?,<") + [
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "javascript:",
    "{: #__config }",
    "{: onclick=x }",
    '<div id="__search">',
    "![图](a.svg)",
    "[附件](../../javascripts/x.js)",
    "](x.pdf)",
    "```",
    "：",
    "【",
    "】",
    "**县",
    "×",
    "\ud7ff",
    "\U0001f600",
    "../",
    "/etc/passwd",
    "![长](" + "a" * 300 + ".png)",
    "[长](" + "%E4%B8%AD" * 100 + ".pdf)",
    "[零](a%00.pdf)",
    "[长](" + "a" * 300 + ".md)",
    "[零](a\x00.md)",
    "0755",
    "no",
    "1.10",
    "2026-02-30",
    "9" * 50,
    "~",
]


def _text(max_size: int = 40):
    return st.lists(
        st.one_of(
            st.text(max_size=8), st.sampled_from(NASTY), st.sampled_from(["县知联会", "工作动态", "第一段正文。"])
        ),
        max_size=max_size,
    ).map("".join)


def _values(depth: int = 3):
    scalars = st.one_of(
        _text(12),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=True),
        st.booleans(),
        st.none(),
        st.dates().map(str),
        st.sampled_from(["工作动态", "县知联会", "2026-03-02", "篇", "true"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
        max_leaves=12 if depth else 1,
    )


@st.composite
def front_matter(draw) -> str:
    """Valid YAML of any shape, a plausible item with broken values, or raw hostile lines."""
    kind = draw(st.sampled_from(["item", "item", "shape", "raw"]))
    if kind == "raw":
        lines = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(KEYS), _text(20), st.sampled_from([": ", ":", "：", ": &a ", ": *a ", " - "])
                ),
                max_size=10,
            )
        )
        return "".join(f"{' ' * (len(k) % 3)}{k}{sep}{v}\n" for k, v, sep in lines)
    if kind == "shape":
        return yaml.safe_dump(draw(_values()), allow_unicode=draw(st.booleans()))
    front = {
        "title": "县知联会召开理事会",
        "date": "2026-03-02",
        "column": "工作动态",
        "organisation": "县知联会",
        "editor": "编辑甲",
        "responsible_editor": "责编乙",
        "signed_off_by": "签发丙",
    }
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        front[key] = draw(st.one_of(_text(30), _values(1)))
    for key in draw(st.lists(st.sampled_from(list(front)), max_size=2)):
        front.pop(key, None)
    return yaml.safe_dump(front, allow_unicode=draw(st.booleans()), sort_keys=False)


def body() -> st.SearchStrategy[str]:
    parts = st.lists(
        st.one_of(_text(30), st.sampled_from(["\n", "\n\n", "\n```\n", "\n## 小标题\n", "共召开*次会议"])), max_size=12
    ).map("".join)
    return st.tuples(st.sampled_from(["第一段正文。\n\n", ""]), parts).map("".join)


@st.composite
def catalogue(draw) -> str:
    if draw(st.sampled_from([True, True, True, False])):
        return yaml.safe_dump(CATALOGUE, allow_unicode=True)
    return draw(
        st.one_of(st.just(""), front_matter(), st.builds(lambda v: yaml.safe_dump(v, allow_unicode=True), _values()))
    )


VALID_FRONT = (
    "title: 县知联会召开理事会\ndate: 2026-03-02\ncolumn: 工作动态\norganisation: 县知联会\n"
    "editor: 编辑甲\nresponsible_editor: 责编乙\nsigned_off_by: 签发丙\n"
)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@st.composite
def case(draw) -> dict:
    """Half the cases: everything hostile. The other half: a valid item with a hostile body,
    so that the body rules (HTML, links, attr_list, comments, placeholders, pictures) run."""
    if draw(st.booleans()):
        return {
            "front": VALID_FRONT,
            "body": CONTROL.sub("", draw(body())) or "正文。",
            "catalogue": yaml.safe_dump(CATALOGUE, allow_unicode=True),
            "folder": "news/2026",
            "name": "a",
            "raw": None,
        }
    return {
        "front": draw(front_matter()),
        "body": draw(body()),
        "catalogue": draw(catalogue()),
        "folder": draw(st.sampled_from(["news/2026", "news/2026", "reviews/2025", "news", "other"])),
        "name": draw(
            st.one_of(
                st.just("a"),
                st.just("a"),
                st.just("a"),
                st.text(min_size=1, max_size=90).filter(
                    lambda n: "/" not in n and "\0" not in n and n not in (".", "..")
                ),
            )
        ),
        "raw": draw(st.sampled_from([None, b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"])),
    }


def write_case(content: Path, data: dict) -> None:
    content.mkdir(parents=True, exist_ok=True)
    (content / "catalogue.yml").write_text(data["catalogue"], encoding="utf-8", errors="surrogatepass")
    folder = content / data["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    text = f"---\n{data['front']}---\n\n{data['body']}"
    raw = text.encode("utf-8", errors="surrogatepass")
    if data["raw"] is not None:
        raw = data["raw"] + raw
    try:
        (folder / f"{data['name']}.md").write_bytes(raw)
    except OSError:  # a name the file system itself refuses (too long): the editor could not have saved it
        (folder / "a.md").write_bytes(raw)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_one(content: Path) -> list:
    """`check`'s content path on one folder; raises AssertionError when the property breaks."""
    config = content.parent / "mkdocs.yml"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
        (content.parent / "docs").mkdir(exist_ok=True)
    before = snapshot(content)
    loaded, problems, *_ = inspect(content.parent)
    for problem in problems:
        assert problem.file.startswith("content/"), problem
        assert problem.level in ("error", "warning", "notice"), problem
        assert isinstance(problem.line, int) and problem.line >= 0, problem
        assert CJK.search(problem.message), problem
        str(problem)
    for item in loaded.items:
        for value in (item.title, item.summary, *item.tags):
            assert not re.search("[\x00-\x08\x0b-\x1f\u202a-\u202e\u2066-\u2069\u200b]", value), (item.path, value)
    assert snapshot(content) == before, "check wrote into content/"
    return problems
