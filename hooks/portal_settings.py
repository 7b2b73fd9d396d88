"""The portal's settings under `extra:` in mkdocs.yml, validated once per build."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError


class PortalSettings(base.Config):
    """`extra.portal`: where content lives and how listings are cut."""

    content_dir = c.Type(str, default="content")
    per_page = c.Type(int, default=20)
    home_news = c.Type(int, default=8)
    home_reviews = c.Type(int, default=3)
    cache_dir = c.Type(str, default=".cache/portal")  # relative to mkdocs.yml; "" turns the build cache off
    home_stale_days = c.Type(int, default=14)  # check: the home page without a new item for longer
    column_stale_days = c.Type(int, default=90)  # check: a column without a new item for longer
    render_workers = c.Type(int, default=0)  # item pages rendered by N forked processes; 0: one per core on large sites
    embed_hosts = c.ListOfItems(c.Type(str), default=["v.qq.com", "player.bilibili.com", "open.weixin.qq.com"])


class Identity(base.Config):
    """`extra.identity`: what a mainland government site prints in its footer.
    An empty field prints nothing."""

    host = c.Type(str, default="")  # 主办单位
    organiser = c.Type(str, default="")  # 承办单位
    contact = c.Type(str, default="")  # 联系方式
    icp = c.Type(str, default="")  # ICP备案号, linked to the MIIT filing site
    psb = c.Type(str, default="")  # 公安机关备案号, e.g. 浙公网安备33048102000000号
    site_code = c.Type(str, default="")  # 网站标识码


def _load(schema: type[base.Config], raw, where: str) -> base.Config:
    settings = schema()
    settings.load_dict(raw or {})
    errors, _warnings = settings.validate()
    if errors:
        detail = "；".join(f"{key}: {error}" for key, error in errors)
        raise PluginError(f"mkdocs.yml 中 extra.{where} 的设置有误：{detail}")
    return settings


def load_settings(extra: dict) -> tuple[PortalSettings, Identity]:
    return _load(PortalSettings, extra.get("portal"), "portal"), _load(Identity, extra.get("identity"), "identity")
