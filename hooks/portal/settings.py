"""The portal's settings under `extra:` in mkdocs.yml: declared once as dataclasses (name, type,
default), validated once per build by `load_settings`, in Chinese. No engine: any engine's
configuration file can carry them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from portal.model import zone


@dataclass(frozen=True)
class PortalSettings:
    """`extra.portal`: where content lives and how listings are cut."""

    content_dir: str = "content"
    per_page: int = 20
    home_news: int = 8
    home_reviews: int = 3
    cache_dir: str = ".cache/portal"  # relative to mkdocs.yml; "" turns the build cache off
    home_stale_days: int = 14  # check: the home page without a new item for longer
    column_stale_days: int = 90  # check: a column without a new item for longer (catalogue: update_every)
    warn_days_ahead: int = 3  # check: warn this many days before a column or the home page is due
    backdate_days: int = 30  # an item dated this much before its first commit is a warning
    empty_columns: Literal["warning", "notice"] = "warning"  # a declared column with no published item
    timezone: str = "Asia/Shanghai"  # whose "today" the publishing date is compared with
    render_workers: int = (
        0  # item pages rendered by N processes, the main one and N-1 forks; 0: one per core on large sites
    )
    embed_hosts: list[str] = field(default_factory=lambda: ["v.qq.com", "player.bilibili.com", "open.weixin.qq.com"])
    feature_column: str = ""  # the home page's 专题 banner; "" = the column of the newest review


@dataclass(frozen=True)
class Account:
    """One 政务新媒体 account: its name and its QR image (a path under docs/)."""

    name: str
    qr: str = ""
    note: str = ""  # e.g. 微信公众号


@dataclass(frozen=True)
class Identity:
    """`extra.identity`: who the site belongs to, as its header, home page and footer show it.
    An empty field prints nothing."""

    logo: str = "images/logo.svg"  # under docs/; the header's logo
    favicon: str = "images/favicon.png"  # under docs/
    banner: str = ""  # under docs/; a picture at the top of the home page
    accounts: list[Account] = field(default_factory=list)  # 政务新媒体
    host: str = ""  # 主办单位
    organiser: str = ""  # 承办单位
    contact: str = ""  # 联系方式 (required by a production build)
    feedback: str = ""  # 留言/意见建议: a docs page (feedback.md), /path, https:// or mailto: (required)
    feedback_label: str = "留言与意见建议"
    icp: str = ""  # ICP备案号, linked to the MIIT filing site
    psb: str = ""  # 公安机关备案号, e.g. 浙公网安备33048102000000号
    site_code: str = ""  # 网站标识码: also turns on the 找错 link
    conac_id: str = ""  # 党政机关网站标识 id (32 hex digits)
    conac_image: str = ""  # its badge image, stored under docs/ (never a foreign host)


HINTS = {  # how to write a setting, for the error message
    "accounts": "政务新媒体账号每个写成一行，例如 - {name: 某县统战, qr: images/wechat.png, note: 微信公众号}",
    "logo": "写图片相对于 docs/ 的路径，例如 images/logo.svg",
    "favicon": "写图片相对于 docs/ 的路径，例如 images/favicon.png",
    "banner": '写图片相对于 docs/ 的路径，例如 images/banner.jpg，不用横幅则写 ""',
}
LEAST = {"per_page": 1}  # the smallest value of an integer setting; 0 for the others
KINDS = {str: "文字", int: "整数", list: "列表（每项一行，以 - 开头）", dict: "“名称: 值”的若干行", dt.date: "日期"}


class SettingsError(ValueError):
    """A setting the build cannot use: the message says which, in Chinese, and how to write it;
    `path` names the first one (extra.portal.per_page), for `line_of`."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


def line_of(text: str, path: str) -> int:
    """The line of mkdocs.yml (its `text`) where a setting (`path`: extra.portal.per_page) is
    written, or 0: each name is looked for below the one before it, further indented."""
    line, indent = 0, -1
    lines = text.splitlines()
    for name in path.split(" ")[0].split("."):
        for n in range(line, len(lines)):
            written = lines[n].lstrip()
            if not written or written.startswith("#"):
                continue
            if len(lines[n]) - len(written) <= indent:
                return line  # the block of the name before ends here
            if re.match(rf"(?:- )?{re.escape(name)}\s*:", written):
                line, indent = n + 1, len(lines[n]) - len(written)
                break
        else:
            return line
    return line


def _kind(value) -> str:
    if isinstance(value, bool):
        return "是/否（true/false）"
    return next((name for kind, name in KINDS.items() if isinstance(value, kind)), "空值" if value is None else "其他")


def _value(hint, value, where: str, errors: list[tuple[str, str]]):
    """`value` checked against a declared type (str, int, a Literal, a list, a settings dataclass)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        if value not in args:
            errors.append((where, f"{where} 只能是 {' 或 '.join(args)}，现在是“{value}”"))
    elif origin is list:
        if not isinstance(value, list):
            errors.append((where, f"{where} 应是{KINDS[list]}，现在是{_kind(value)}"))
            return value
        return [_value(args[0], element, f"{where} 第 {n} 项", errors) for n, element in enumerate(value, 1)]
    elif dataclasses.is_dataclass(hint):
        return _record(hint, value, where, errors)
    elif not isinstance(value, hint) or isinstance(value, bool):
        quote = '，数字或日期请用引号括起来，例如 "12345678"' if hint is str and value is not None else ""
        shown = "" if value is None else f"“{value}”"
        errors.append((where, f"{where} 应是{KINDS[hint]}，现在是{_kind(value)}{shown}{quote}"))
    return value


def _record(schema: type, raw, where: str, errors: list[tuple[str, str]]):
    """One settings dataclass from a mapping: unknown names, missing required names and wrong
    types are errors (all of them, together)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        errors.append((where, f"{where} 应是{KINDS[dict]}，现在是{_kind(raw)}"))
        return None
    hints, names = typing.get_type_hints(schema), [f.name for f in dataclasses.fields(schema)]
    for name in raw:
        if name not in names:
            close = difflib.get_close_matches(str(name), names, n=1)
            known = f"是不是 {close[0]}？" if close else f"可写：{'、'.join(names)}"
            errors.append((f"{where}.{name}", f"{where} 中没有“{name}”这一项（{known}）"))
    # A name written with no value (`icp:`) keeps its default, as MkDocs' own options did.
    for f in dataclasses.fields(schema):
        if raw.get(f.name) is None and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            errors.append((where, f"{where} 缺少 {f.name}"))
    values = {
        name: _value(hints[name], value, f"{where}.{name}", errors)
        for name, value in raw.items()
        if name in names and value is not None
    }
    for name, value in values.items():  # counts and days: a negative one (or no item a page) breaks the pages
        least = LEAST.get(name, 0)
        if hints[name] is int and type(value) is int and value < least:
            errors.append((f"{where}.{name}", f"{where}.{name} 应是不小于 {least} 的整数，现在是 {value}"))
    return None if errors else schema(**values)


def _load(schema: type, raw, where: str):
    errors: list[tuple[str, str]] = []
    settings = _record(schema, raw, f"extra.{where}", errors)
    if errors:
        texts = [text for _, text in errors]
        hints = [HINTS[key] for key in HINTS if any(f".{key}" in path for path, _ in errors)]
        raise SettingsError(f"mkdocs.yml 中 extra.{where} 的设置有误：" + "；".join(texts + hints) + "。", errors[0][0])
    return settings


def load_settings(extra) -> tuple[PortalSettings, dict]:
    """`extra.portal` and `extra.identity` (as a dict, for templates), or SettingsError."""
    extra = extra if isinstance(extra, Mapping) else {}
    settings = _load(PortalSettings, extra.get("portal"), "portal")
    try:
        zone(settings.timezone)
    except Exception:
        raise SettingsError(
            f"mkdocs.yml 中 extra.portal.timezone 的值“{settings.timezone}”不是时区名称，"
            "请写 Asia/Shanghai（北京时间）这样的名称。",
            "extra.portal.timezone",
        ) from None
    return settings, dataclasses.asdict(_load(Identity, extra.get("identity"), "identity"))
