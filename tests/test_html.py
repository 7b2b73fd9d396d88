"""Raw HTML in item bodies: what sanitizing removes, what it keeps, what editors are told."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from portal.rules.html import raw_html_problems, sanitize

HOSTS = ("v.qq.com",)
PLAYER = "https://v.qq.com/txp/iframe/player.html?vid=x"


@pytest.mark.parametrize(
    "html, removed, gone",
    [
        ("<p>前</p><script>alert(1)</script><p>后</p>", "删除了 <script> 脚本", "alert"),
        ("<img src=x onerror=alert(1)>", "删除了事件属性 onerror", "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "删除了 javascript: 链接", "javascript"),
        ('<a href="JaVaScRiPt:alert(1)">', "删除了 javascript: 链接", "javascript"),
        ('<a href=" java\tscript:alert(1)">x</a>', "删除了 javascript: 链接", "script"),
        ('<img src="data:image/png;base64,AAAA">', "删除了 data: 链接", "data:"),
        ('<img srcset="data:image/png;base64,AAAA 2x">', "删除了 data: 链接", "data:"),
        ('<a href="vbscript:msgbox(1)">x</a>', "删除了 vbscript: 链接", "vbscript"),
        ("<svg onload=alert(1)>", "删除了事件属性 onload", "svg"),
        ('<iframe src="https://evil.example/x">', "删除了来自未允许主机 evil.example 的嵌入视频", "evil"),
        ('<div style="background:url(javascript:alert(1))">字</div>', "删除了 style 样式属性", "style"),
        (
            '<form action="https://evil.example/"><input name="q"><button>提交</button></form>',
            "删除了 <form> 标签",
            "form",
        ),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "删除了 <meta> 标签", "refresh"),
        (
            '<p>甲</p><video src="https://evil.example/a.mp4" controls><p>备用</p></video><p>乙</p>',
            "删除了来自未允许主机 evil.example 的嵌入视频",
            "备用",
        ),
        ('<audio src="/local.mp3"></audio>', "删除了没有平台网址的嵌入音频", "audio"),
    ],
)
def test_dangerous_html_is_removed_and_described(html, removed, gone):
    cleaned, messages = sanitize(html, HOSTS)
    assert gone.lower() not in cleaned.lower()
    assert removed in messages


@pytest.mark.parametrize("src", [PLAYER, "https://m.v.qq.com/x/page.html", "//v.qq.com/x"])
def test_players_from_allowed_hosts_and_their_subdomains_are_kept(src):
    html = f'<iframe src="{src}" width="640" height="360" allowfullscreen></iframe>'
    cleaned, messages = sanitize(html, HOSTS)
    assert cleaned == html.replace("allowfullscreen", 'allowfullscreen=""') and messages == []


@pytest.mark.parametrize(
    "src, host",
    [
        ("https://v.qq.com.evil.example/x", "v.qq.com.evil.example"),
        ("https://evilv.qq.com/x", "evilv.qq.com"),
        ("https://v.qq.com@evil.example/x", "evil.example"),
        ("https://evil.example\\@v.qq.com/x", "evil.example"),  # browsers read '\' as '/'
    ],
)
def test_look_alike_hosts_are_removed(src, host):
    cleaned, messages = sanitize(f'<p>甲</p><iframe src="{src}"></iframe><p>乙</p>', HOSTS)
    assert cleaned == "<p>甲</p><p>乙</p>"
    assert messages == [f"删除了来自未允许主机 {host} 的嵌入视频"]


def test_no_embed_hosts_means_no_players():
    assert sanitize(f'<iframe src="{PLAYER}"></iframe>', ())[0] == ""


def test_the_build_can_skip_the_description():
    html = f'<p onclick="x()">甲</p><iframe src="https://evil.example/"></iframe><iframe src="{PLAYER}"></iframe>'
    assert sanitize(html, HOSTS, describe=False) == (sanitize(html, HOSTS)[0], [])
    assert sanitize(html, HOSTS)[0] == f'<p>甲</p><iframe src="{PLAYER}"></iframe>'


def test_external_links_get_noopener_noreferrer():
    cleaned, messages = sanitize('<a href="https://www.gov.cn/" rel="opener" target="_blank">政府网</a>', HOSTS)
    assert cleaned == '<a href="https://www.gov.cn/" rel="noopener noreferrer">政府网</a>'
    assert messages == ["删除了 <a> 的 target 属性"]


BODY = """\
# 年度工作回顾 {#review}

县知联会召开**年度总结会**，详见[通知](../notice.md#top "通知")和[中国政府网](https://www.gov.cn/?a=1&b=2)。

## 主要数据 { .lead }

| 项目 | 数量 | 说明 |
|:-----|-----:|:----:|
| 社情民意 | 46 | 约*数* |

!!! note "提示"
    请注意 `<script>` 标签 & 其它。

![合影](photo.jpg){ width="600" loading="lazy" }

    print("代码 <i>")

> 引用的*原文*

---

1. 第一项
2. 第二项

<figure><img src="a.jpg" alt="图"><figcaption>图注</figcaption></figure>
"""


class _Tree(HTMLParser):
    """Tags, attributes and text, whatever the serialisation (`<br />` or `<br>`, entities)."""

    def __init__(self, html: str):
        super().__init__()
        self.nodes = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.nodes.append((tag, sorted((n, v or "") for n, v in attrs if (tag, n) != ("a", "rel"))))

    def handle_endtag(self, tag):
        self.nodes.append(("/" + tag,))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.nodes.append(data)


def test_markdown_output_keeps_its_structure_and_text():
    html = markdown.markdown(BODY, extensions=["admonition", "attr_list", "tables", "toc"])
    cleaned, messages = sanitize(html, HOSTS)
    assert messages == []
    assert _Tree(cleaned).nodes == _Tree(html).nodes
    assert '<th style="text-align: right;">数量</th>' in cleaned
    assert '<a href="../notice.md#top" title="通知" rel="noopener noreferrer">通知</a>' in cleaned


MARKDOWN = """\
第一段，a<b 不是标签，<https://www.gov.cn> 是自动链接，<b>粗体</b>可以用。

行内代码 `<script>alert(1)</script>` 和 ``<img src=x onerror=alert(1)>`` 不算。

```html
<script>alert(1)</script>
```

~~~
<iframe src="https://evil.example/"></iframe>
~~~

从 Word 复制的一段
<img src="a.jpg" onerror="alert(1)">

<iframe src="https://evil.example/v"></iframe>
<iframe src="https://v.qq.com/x"></iframe>

<iframe src="https://v.qq.com/y"></iframe>
"""


def test_raw_html_problems_are_on_their_lines():
    problems = raw_html_problems(MARKDOWN, "content/news/2026/a.md", 8, HOSTS)
    assert [(p.line, p.message) for p in problems] == [
        (21, "正文中的 HTML 发布时会被删改：删除了事件属性 onerror。"),
        (23, "正文中的 HTML 发布时会被删改：删除了来自未允许主机 evil.example 的嵌入视频。"),
    ]
    assert all(p.file == "content/news/2026/a.md" and "v.qq.com" in p.hint for p in problems)


def test_clean_bodies_have_no_problems():
    assert raw_html_problems(BODY, "content/news/2026/a.md", 8, HOSTS) == []
