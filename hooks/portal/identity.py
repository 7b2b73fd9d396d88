"""The site's identity and feedback channel, as the filing rules and inspections ask:
contact details and a working feedback channel (no consultation channel vetoes a site), the
national 找错 link when the site has a 网站标识码, the 党政机关网站标识 when the site holds one
(its id, linked to the verification page, with the badge image stored on this site), and the
ICP and public-security filings at the bottom centre (overrides/partials/copyright.html)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

# The national government-website error report (政府网站找错), opened with the site's code and
# the address of the page the reader was on.
ERROR_REPORT = "https://zfwzzc.www.gov.cn/check_web/errorInfo/jcInfoNew?siteCode={code}&url={url}"
# The verification page of a 党政机关网站标识 (issued by 中央编办's conac.cn).
CONAC_VERIFY = "https://bszs.conac.cn/sitename?method=show&id={id}"
FEEDBACK = re.compile(r"^(https?://[^\s\"'<>]+|mailto:[^\s\"'<>@]+@[^\s\"'<>]+|/[^\s\"'<>]*|[\w./-]+\.md(#[\w-]*)?)$")
CONAC_ID = re.compile(r"^[0-9A-Fa-f]{32}$")
IMAGE = re.compile(r"^[\w./-]+\.(png|jpg|jpeg|gif|webp|svg)$", re.I)


def identity_problems(identity: dict, docs_dir: Path, production: bool) -> list[str]:
    """What is missing or unsafe in extra.identity, in Chinese; a production build stops on them."""
    problems = []
    if production and not str(identity.get("contact") or "").strip():
        problems.append("没有填写 contact（联系方式，如电话、地址、邮箱）。")
    feedback = str(identity.get("feedback") or "").strip()
    if production and not feedback:
        problems.append(
            "没有填写 feedback（留言/意见建议渠道：本站页面如 feedback.md、https:// 网址或 mailto: 邮箱）。"
            "政府网站抽查把没有可用的互动交流渠道列为单项否决。"
        )
    elif feedback and not FEEDBACK.match(feedback):
        problems.append(
            f"feedback 的值“{feedback}”不是可用的链接：只能写本站页面（如 feedback.md）、以 / 开头的站内地址、"
            "https:// 网址或 mailto: 邮箱。"
        )
    conac_id, conac_image = str(identity.get("conac_id") or "").strip(), str(identity.get("conac_image") or "").strip()
    if conac_id and not CONAC_ID.match(conac_id):
        problems.append(
            f"conac_id（党政机关网站标识编号）“{conac_id}”应为 32 位十六进制编号，照标识管理系统给出的抄写。"
        )
    if conac_id and not conac_image:
        problems.append("填写了 conac_id，还要写 conac_image：标识图片存放在 docs/ 中的路径（不引用外部网站的图片）。")
    if conac_image and (not IMAGE.match(conac_image) or ".." in conac_image or not (docs_dir / conac_image).is_file()):
        problems.append(f"conac_image“{conac_image}”应是 docs/ 中存在的图片文件路径，例如 images/dzjg.png。")
    return problems


def error_report_url(page_url: str, site_code: str) -> str:
    """The 找错 link for one page."""
    return ERROR_REPORT.format(code=quote(site_code, safe=""), url=quote(page_url, safe=""))


def conac_url(conac_id: str) -> str:
    return CONAC_VERIFY.format(id=quote(conac_id, safe=""))
