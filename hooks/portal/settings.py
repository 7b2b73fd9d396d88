"""The portal's settings under `extra:` in mkdocs.yml, validated once per build."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from portal.model import zone


class PortalSettings(base.Config):
    """`extra.portal`: where content lives and how listings are cut."""

    content_dir = c.Type(str, default="content")
    per_page = c.Type(int, default=20)
    home_news = c.Type(int, default=8)
    home_reviews = c.Type(int, default=3)
    cache_dir = c.Type(str, default=".cache/portal")  # relative to mkdocs.yml; "" turns the build cache off
    home_stale_days = c.Type(int, default=14)  # check: the home page without a new item for longer
    column_stale_days = c.Type(
        int, default=90
    )  # check: a column without a new item for longer (catalogue: update_every)
    warn_days_ahead = c.Type(int, default=3)  # check: warn this many days before a column or the home page is due
    backdate_days = c.Type(int, default=30)  # an item dated this much before its first commit is a warning
    empty_columns = c.Choice(("warning", "notice"), default="warning")  # a declared column with no published item
    timezone = c.Type(str, default="Asia/Shanghai")  # whose "today" the publishing date is compared with
    render_workers = c.Type(int, default=0)  # item pages rendered by N forked processes; 0: one per core on large sites
    embed_hosts = c.ListOfItems(c.Type(str), default=["v.qq.com", "player.bilibili.com", "open.weixin.qq.com"])
    feature_column = c.Type(str, default="")  # the home page's 专题 banner; "" = the column of the newest review


class Account(base.Config):
    """One 政务新媒体 account: its name and its QR image (a path under docs/)."""

    name = c.Type(str)
    qr = c.Type(str, default="")
    note = c.Type(str, default="")  # e.g. 微信公众号


class Identity(base.Config):
    """`extra.identity`: who the site belongs to, as its header, home page and footer show it.
    An empty field prints nothing."""

    logo = c.Type(str, default="images/logo.svg")  # under docs/; the header's logo
    favicon = c.Type(str, default="images/favicon.png")  # under docs/
    banner = c.Type(str, default="")  # under docs/; a picture at the top of the home page
    accounts = c.ListOfItems(c.SubConfig(Account), default=[])  # 政务新媒体

    host = c.Type(str, default="")  # 主办单位
    organiser = c.Type(str, default="")  # 承办单位
    contact = c.Type(str, default="")  # 联系方式 (required by a production build)
    feedback = c.Type(
        str, default=""
    )  # 留言/意见建议: a docs page (feedback.md), /path, https:// or mailto: (required)
    feedback_label = c.Type(str, default="留言与意见建议")
    icp = c.Type(str, default="")  # ICP备案号, linked to the MIIT filing site
    psb = c.Type(str, default="")  # 公安机关备案号, e.g. 浙公网安备33048102000000号
    site_code = c.Type(str, default="")  # 网站标识码: also turns on the 找错 link
    conac_id = c.Type(str, default="")  # 党政机关网站标识 id (32 hex digits)
    conac_image = c.Type(str, default="")  # its badge image, stored under docs/ (never a foreign host)


HINTS = {  # how to write a setting, for the error message
    "accounts": "政务新媒体账号每个写成一行，例如 - {name: 某县统战, qr: images/wechat.png, note: 微信公众号}",
    "logo": "写图片相对于 docs/ 的路径，例如 images/logo.svg",
    "favicon": "写图片相对于 docs/ 的路径，例如 images/favicon.png",
    "banner": '写图片相对于 docs/ 的路径，例如 images/banner.jpg，不用横幅则写 ""',
}


def _load(schema: type[base.Config], raw, where: str) -> base.Config:
    settings = schema()
    settings.load_dict(raw or {})
    errors, _warnings = settings.validate()
    if errors:
        detail = "；".join(f"{key}: {error}" + (f"（{HINTS[key]}）" if key in HINTS else "") for key, error in errors)
        raise PluginError(f"mkdocs.yml 中 extra.{where} 的设置有误：{detail}")
    return settings


def load_settings(extra: dict) -> tuple[PortalSettings, Identity]:
    settings = _load(PortalSettings, extra.get("portal"), "portal")
    try:
        zone(settings.timezone)
    except Exception:
        raise PluginError(
            f"mkdocs.yml 中 extra.portal.timezone 的值“{settings.timezone}”不是时区名称，"
            "请写 Asia/Shanghai（北京时间）这样的名称。"
        ) from None
    return settings, _load(Identity, extra.get("identity"), "identity")
