"""Pictures' titles as captions with the photographer's credit; pictures in a row as a gallery."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image

from conftest import REPO, news
from portal.captions import split_credit


def _jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_credit_is_told_apart_from_the_caption():
    assert split_credit("图为会议现场。陈晓 摄") == ("图为会议现场。", "陈晓 摄")
    assert split_credit("图为会议现场。（陈晓 摄）") == ("图为会议现场。", "陈晓 摄")
    assert split_credit("图为会议现场　记者 陈晓　摄") == ("图为会议现场", "记者 陈晓　摄")
    assert split_credit("委员视察养老服务中心 摄影：陈晓") == ("委员视察养老服务中心", "摄影：陈晓")
    assert split_credit("陈晓摄") == ("", "陈晓摄")
    assert split_credit("委员们在现场拍摄") == ("委员们在现场拍摄", "")
    assert split_credit("图为会议现场") == ("图为会议现场", "")


VNU = REPO / ".cache/npm/node_modules/vnu-jar/build/dist/vnu.jar"  # installed by .ci/run


def _body(build, url: str) -> str:
    page = build.page(url)
    return page[page.index('class="portal-article__body"') : page.index('class="portal-editorial"')]


def test_picture_title_becomes_a_figcaption_and_pictures_in_a_row_a_gallery(portal):
    for name, colour in (("huiyi", "red"), ("heying", "blue"), ("shicha", "green")):
        portal.write(f"news/2026/{name}.jpg", _jpeg(colour))
    portal.item(
        "news/2026/lishihui.md",
        news(),
        body=(
            "第一段。\n\n"
            '![会议现场](huiyi.jpg "图为会议现场。陈晓 摄")\n\n'
            "![没有说明的图](huiyi.jpg)\n\n"
            '![合影](heying.jpg "与会人员合影 <script>alert(1)</script>")\n'
            '![视察](shicha.jpg "委员视察。李明 摄")\n'
        ),
    )
    build = portal.build(strict=False)  # the <script> in a title is warned about (portal.rules.html) …
    assert build.returncode == 0 and "删除了 <script> 脚本" in build.output, build.output
    body = _body(build, "news/2026/lishihui")
    figure = re.search(r'<figure class="portal-photo">(.*?)</figure>', body, re.S).group(1)
    assert figure.startswith("<picture>") and 'alt="会议现场"' in figure and "title=" not in figure
    assert figure.endswith('<figcaption>图为会议现场。 <span class="portal-photo__credit">陈晓 摄</span></figcaption>')
    assert re.search(r'<p><picture>.*?alt="没有说明的图".*?</picture></p>', body, re.S)  # no title: left as it was
    gallery = re.search(r'<div class="portal-gallery"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert gallery.count('<figure class="portal-photo"><picture>') == 2
    assert "与会人员合影 &lt;script&gt;alert(1)&lt;/script&gt;</figcaption>" in gallery
    assert '委员视察。 <span class="portal-photo__credit">李明 摄</span>' in gallery
    assert "<script>" not in body  # … and never reaches the page


def test_figures_galleries_and_the_404_page_are_valid_html(portal):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip(
            "HTML 校验需要 vnu-jar 和 Java：npm install --prefix .cache/npm vnu-jar；"
            "apt-get install default-jre-headless"
        )
    for name, colour in (("huiyi", "red"), ("heying", "blue")):
        portal.write(f"news/2026/{name}.jpg", _jpeg(colour))
    portal.item(
        "news/2026/lishihui.md",
        news(),
        body=(
            '第一段。\n\n![会议现场](huiyi.jpg "图为会议现场。陈晓 摄")\n\n'
            '![合影](heying.jpg "与会人员合影")\n![会场](huiyi.jpg)\n'
        ),
    )
    build = portal.build()
    assert build.returncode == 0, build.output
    pages = [build.site / "news/2026/lishihui/index.html", build.site / "404.html"]
    assert "portal-gallery" in pages[0].read_text(encoding="utf-8")
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[-3000:]
