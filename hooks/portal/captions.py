"""Captions and credits of pictures, as Chinese news prints them under a photo.

An editor writes `![会议现场](huiyi.jpg "图为会议现场。陈晓 摄")`: the picture's title
becomes its <figcaption>, with the photographer's credit ("陈晓 摄", the text after the
last space when it ends in 摄; or "摄影：陈晓") set apart. Several pictures in one paragraph
(on consecutive lines) become a gallery, which phones show as a row to swipe (CSS only).

caption_pictures   rendered body HTML -> the same HTML with captioned figures and galleries
split_credit       "图为会议现场。陈晓 摄" -> ("图为会议现场。", "陈晓 摄")

Runs on an item's body after the HTML allowlist; `portal.images.rewrite_images` then
turns each <img> (inside a figure or not) into its <picture>.
"""

from __future__ import annotations

import re
from html import unescape

from markupsafe import escape

from portal.images import IMG_TAG

# A paragraph that holds only pictures (Markdown puts pictures on consecutive lines in one <p>).
PICTURES_ONLY = re.compile(r"<p>\s*((?:<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>\s*)+)</p>")
TITLE = re.compile(r"""\s+title=("[^"]*"|'[^']*')""")
WS = "[ \t\u3000\u00a0]"
NOT_WS = "[^ \t\u3000\u00a0]"
IN_PARENS = re.compile(f"^(.*?){WS}*[（(]({NOT_WS}[^（）()]*?摄|摄影{WS}*[:：][^（）()]+)[）)]$", re.S)  # …（陈晓 摄）
SPACED = re.compile(f"^(.*?){WS}+((?:(?:记者|通讯员|摄影记者){WS}+)?{NOT_WS}+(?:{WS}+摄|摄))$", re.S)  # … 陈晓 摄
PUNCTUATED = re.compile(  # 图为会议现场。陈晓 摄
    f"^(.*[。！？；!?;])(?:{WS})*((?:(?:记者|通讯员|摄影记者)(?:{WS})*)?"
    f"[^ \t\u3000\u00a0。！？；，!?;,]{{1,12}}?(?:{WS})*摄)$",
    re.S,
)
LABELLED = re.compile(f"^(.*?){WS}*(摄影{WS}*[:：]{WS}*{NOT_WS}.*)$", re.S)  # … 摄影：陈晓


def split_credit(title: str) -> tuple[str, str]:
    """A picture title -> (caption, credit); either may be "". The credit is the
    photographer's line: "陈晓 摄", "（陈晓 摄）", "摄影：陈晓", or a short title ending in 摄."""
    title = title.strip(" \t\u3000\u00a0")
    for pattern in (IN_PARENS, PUNCTUATED, SPACED, LABELLED):
        if match := pattern.match(title):
            return match.group(1).strip(" \t\u3000\u00a0"), match.group(2).strip()
    if title.endswith("摄") and len(title) <= 5 and not title.endswith("拍摄"):
        return "", title  # only the credit, e.g. "陈晓摄"
    return title, ""


def _figure(img: str) -> tuple[str, bool]:
    """One <img> as a <figure> with its caption (the title is moved out of the <img>)."""
    found = TITLE.search(img)
    if not found:
        return f'<figure class="portal-photo">{img}</figure>', False
    caption, credit = split_credit(unescape(found.group(1)[1:-1]))
    img = img[: found.start()] + img[found.end() :]
    parts = [str(escape(caption))] if caption else []
    if credit:
        parts.append(f'<span class="portal-photo__credit">{escape(credit)}</span>')
    text = " ".join(parts)
    return f'<figure class="portal-photo">{img}<figcaption>{text}</figcaption></figure>', bool(text)


def caption_pictures(html: str) -> str:
    def replace(match: re.Match) -> str:
        pictures = IMG_TAG.findall(match.group(1))
        figures = [_figure(img) for img in pictures]
        if len(figures) == 1:
            figure, captioned = figures[0]
            return figure if captioned else match.group(0)
        inner = "".join(figure for figure, _ in figures)
        label = f"{len(figures)} 张图片，可左右滑动"
        return f'<div class="portal-gallery" role="group" tabindex="0" aria-label="{label}">{inner}</div>'

    return PICTURES_ONLY.sub(replace, html)
