"""Every front-matter and catalogue value that reaches HTML is escaped: payloads stay inert
on every page (MkDocs does not autoescape; stock Material prints titles raw)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import yaml

from conftest import CATALOGUE, news, review

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
JS_URL = "javascript:alert(3)"
PAYLOAD = f"{SCRIPT}{BREAKOUT}{JS_URL}"


class _Audit(HTMLParser):
    """What a payload would need to run: a script with its code, an event handler, a javascript: URL."""

    def __init__(self):
        super().__init__()
        self.findings: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "content") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and name == "src" and value == "x":
                self.findings.append("<img src=x>")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.findings.append(f"script: {data[:60]!r}")

    def handle_endtag(self, tag):
        self._in_script = False


def test_payloads_in_every_text_value_are_inert_on_every_page(portal):
    catalogue = yaml.safe_load(yaml.safe_dump(CATALOGUE))
    catalogue["columns"][0].update(name=f"栏目{PAYLOAD}", description=PAYLOAD)
    catalogue["organisations"][0].update(name=f"单位{PAYLOAD}", description=PAYLOAD)
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True))
    text_values = {
        key: f"{key}{PAYLOAD}"
        for key in ("title", "source", "editor", "responsible_editor", "signed_off_by", "summary")
    }
    # Tags are at most 40 characters (portal_model): the payload's parts, one a tag.
    common = dict(
        column=f"栏目{PAYLOAD}", organisation=f"单位{PAYLOAD}", tags=[SCRIPT, f"标签{BREAKOUT}", JS_URL], **text_values
    )
    portal.item("news/2026/payload.md", news(**common))
    portal.item(
        "news/2026/summary-from-body.md",
        news(**{**common, "summary": None}),
        body=f"正文里的文字 &lt;script&gt;alert(1)&lt;/script&gt; 以及 `{PAYLOAD}`。\n",
    )
    portal.item(
        "reviews/2025/payload.md",
        review(
            **common,
            metrics=[
                {
                    "label": f"指标{PAYLOAD}",
                    "value": 1,
                    "unit": "件",
                    "group": f"分组{PAYLOAD}",
                    "note": PAYLOAD,
                    "headline": True,
                }
            ],
        ),
        body=f"`指标{PAYLOAD}` 共1件。\n",
    )
    portal.config(
        identity={key: f"{key}{PAYLOAD}" for key in ("host", "organiser", "contact", "icp", "psb", "site_code")}
    )
    build = portal.build(strict=False)  # the long titles are warnings (portal_rules.long_texts)
    assert build.returncode == 0, build.output
    assert all("超过建议的 50 个字" in line for line in build.output.splitlines() if line.startswith("WARNING")), (
        build.output
    )

    pages = build.html_files()
    assert len(pages) > 15
    for name, html in build.text_files().items():
        if name.startswith(("data/", "search/")):
            continue  # data, not HTML: values as written (open data below; search results: test_search_browser)
        assert SCRIPT not in html and "<img src=x" not in html, name
        audit = _Audit()
        audit.feed(html)
        assert not audit.findings, f"{name}: {audit.findings}"

    # The values are still there for readers, as text.
    article = build.page("news/2026/payload")
    assert (
        "title&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;javascript:alert(3)"
        in article
    )
    for key in text_values:
        assert f"{key}&lt;script&gt;" in article, key
    assert "指标&lt;script&gt;" in build.page("reviews/2025/payload")
    assert "host&lt;script&gt;" in build.page("")
    records = json.loads((build.site / "data/metrics.json").read_text(encoding="utf-8"))["records"]
    assert records[0]["label"] == f"指标{PAYLOAD}"


JINJA = "{{ config.site_name }}{% if true %}求值{% endif %}"


def test_template_syntax_in_content_is_printed_as_written_never_evaluated(portal):
    """Jinja syntax in a title, a tag, a column or organisation name, a metric label and a body is
    text: no page, feed or data file shows it evaluated (the site name, or 求值 without its tags)."""
    catalogue = yaml.safe_load(yaml.safe_dump(CATALOGUE))
    catalogue["columns"][0].update(name=f"栏目{JINJA}")
    catalogue["organisations"][0].update(name=f"单位{JINJA}")
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True))
    portal.item(
        "news/2026/jinja.md",
        news(
            title=f"标题{JINJA}",
            summary=f"摘要{JINJA}",
            column=f"栏目{JINJA}",
            organisation=f"单位{JINJA}",
            tags=[JINJA[:40]],
        ),
        body=f"正文{JINJA}。\n\n`代码{JINJA}`\n",
    )
    portal.item(
        "reviews/2025/jinja.md",
        review(
            organisation=f"单位{JINJA}",
            metrics=[{"label": f"指标{JINJA}", "value": 1, "unit": "件", "group": "参政议政", "headline": True}],
        ),
        body=f"`指标{JINJA}` 共1件。\n",
    )
    portal.config(identity={"host": f"主办{JINJA}"})
    build = portal.build(strict=False)  # the long titles are warnings (portal_rules.long_texts)
    assert build.returncode == 0, build.output
    files = build.text_files()
    files["feed.xml"] = (build.site / "feed.xml").read_text(encoding="utf-8")
    for prefix in ("标题", "摘要", "栏目", "单位", "正文", "代码", "指标", "主办"):
        evaluated = [
            name for name, text in files.items() if prefix + "统一战线宣传门户" in text or prefix + "求值" in text
        ]
        assert not evaluated, (prefix, evaluated)
    as_written = "{{ config.site_name }}{% if true %}求值{% endif %}"
    article = build.page("news/2026/jinja")
    for prefix in ("标题", "摘要", "栏目", "单位", "正文", "代码"):
        assert prefix + as_written in article, prefix
    assert "指标" + as_written in build.page("reviews/2025/jinja")
    assert "主办" + as_written in build.page("")
    assert "标题" + as_written in files["feed.xml"] and "标题" + as_written in build.page("news")


def test_an_attachments_file_name_is_escaped_where_the_article_lists_it(portal):
    from urllib.parse import quote

    name = 'x"><img src=x onerror=alert(1)>{{ config.site_name }}.pdf'
    portal.write("news/2026/" + name, b"%PDF-1.4\n%%EOF\n")
    portal.item("news/2026/a.md", news(), body=f"见[附件]({quote(name)})。\n")
    build = portal.build()
    assert build.returncode == 0, build.output
    article = build.page("news/2026/a")
    audit = _Audit()
    audit.feed(article)
    assert not audit.findings, audit.findings
    assert "download>x&#34;&gt;&lt;img src=x onerror=alert(1)&gt;{{ config.site_name }}.pdf</a>" in article
