"""The content model, declared once.

Every key an editor may write — an item's front matter (ITEM_FIELDS), a review's metric
(METRIC_FIELDS), a catalogue entry (ENTRY_FIELDS) — is a `Field` here. From these
declarations come: the attributes of `Item`, `Metric` and `Entry` (`declared`), validation
of items and of the catalogue through one reader (`portal.content.validate`), the JSON Schemas and
the README's field tables (`portal.cli.schema`), and the open-data exports (`portal.site.metrics`);
nothing else lists the keys.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal

# Value kinds a field can have. Each kind has one converter in portal.content.validate
# and one JSON Schema fragment in portal.cli.schema.
TEXT = "text"  # a non-empty single-line string
DATE = "date"  # YYYY-MM-DD
BOOL = "bool"  # true / false
YEAR = "year"  # a four-digit year
TAGS = "tags"  # a list of short texts
NUMBER = "number"  # integer or decimal
UNIT = "unit"  # one of UNITS
COLUMN = "column"  # a column name declared in the catalogue
ORGANISATION = "organisation"  # an organisation name declared in the catalogue
METRICS = "metrics"  # a list of metric mappings (METRIC_FIELDS)
APPROX = "approx"  # true (= 余), false, or the approximating word as the text writes it (APPROX_WORDS)
SLUG = "slug"  # lower-case letters, digits and hyphens: part of an address
DAYS = "days"  # a positive whole number of days (at most MAX_DAYS)
MAX_DAYS = 3660

NEWS = "news"
REVIEW = "review"
KINDS = {NEWS: "新闻稿件", REVIEW: "年度回顾"}
# Folder under content/ that holds each kind.
KIND_FOLDERS = {"news": NEWS, "reviews": REVIEW}
# The catalogue's two sections: what their entries are called.
COLUMNS, ORGANISATIONS = "columns", "organisations"
SECTIONS = {COLUMNS: "栏目", ORGANISATIONS: "单位"}

# Units a metric may carry: counts of documents, events, people and money as the
# annual reviews print them.
UNITS = (
    "件",
    "篇",
    "份",
    "条",
    "期",
    "项",
    "场",
    "场次",
    "次",
    "篇次",
    "人",
    "人次",
    "名",
    "位",
    "户",
    "个",
    "家",
    "所",
    "处",
    "株",
    "元",
    "万元",
    "亿元",
    "％",  # full-width: a bare half-width % cannot start a YAML value
)

MAX_HEADLINES = 4
EDITORIAL = ("source", "editor", "responsible_editor", "signed_off_by")  # the closing block, by their field labels

# Words that make a figure approximate, as the text writes them: 余/多/逾 after the number
# (540余人次), 近/超过 before it (超过300人次).
APPROX_WORDS = ("余", "多", "近", "超过", "逾")
APPROX_BEFORE = ("近", "超过", "逾")


@dataclass(frozen=True)
class Field:
    key: str
    kind: str
    label: str  # the Chinese name editors know
    help: str  # one Chinese sentence: what to write
    required: bool = False
    kinds: tuple[str, ...] = (NEWS, REVIEW)
    max_length: int = 100  # characters of a text (of each tag): longer is an error
    warn_length: int = 0  # longer is a warning (0: none)
    max_items: int = 0  # entries of a list (0: no bound)
    doc: str = ""  # the README's fuller Markdown explanation, when it says more than `help`
    gate: bool = False  # not required to be valid, but to be published (the README says so)
    export_label: str = ""  # its column heading in the open data, when not `label`


ITEM_FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        TEXT,
        "标题",
        "稿件标题，显示在页面、列表和导航中。",
        required=True,
        max_length=120,
        warn_length=50,
        export_label="稿件标题",
    ),
    Field(
        "date",
        DATE,
        "发布日期",
        "发布日期，格式 YYYY-MM-DD，例如 2026-01-30；未来日期的稿件到当天才发布。",
        required=True,
        doc="格式 YYYY-MM-DD，例如 2026-01-30；日期在未来的稿件到当天构建时才发布。",
    ),
    Field(
        "column",
        COLUMN,
        "栏目",
        "所属栏目，必须是 content/catalogue.yml 中声明的栏目名称。",
        required=True,
        doc="必须与 `content/catalogue.yml` 中某个栏目的名称完全一致。",
    ),
    Field(
        "organisation",
        ORGANISATION,
        "单位",
        "发稿单位，必须是 content/catalogue.yml 中声明的单位名称。",
        required=True,
        doc="必须与 `content/catalogue.yml` 中某个单位的名称完全一致。",
        export_label="单位（组织）",
    ),
    Field("source", TEXT, "来源", "稿件来源，印在文末，例如“海宁市知联会”。"),
    Field("editor", TEXT, "编辑", "编辑（人名或科室），印在文末。", required=True),
    Field("responsible_editor", TEXT, "责编", "责任编辑，印在文末。", required=True),
    Field(
        "signed_off_by",
        TEXT,
        "签发",
        "签发人（谁签发谁负责）；没有签发人的稿件只能预览，不会发布。",
        gate=True,
        doc="签发人（谁签发谁负责）。没有签发人的稿件可以预览，但不会发布。",
    ),
    Field(
        "tags",
        TAGS,
        "标签",
        "标签列表，例如 [知联会, 社情民意]。",
        max_length=40,
        max_items=10,
        doc="列表，例如 `[知联会, 社情民意]`；误用全角逗号“，”或顿号“、”分隔时会自动分开并给出提示。",
    ),
    Field("summary", TEXT, "摘要", "列表和分享时显示的摘要；不写则取正文第一段。", max_length=300),
    Field(
        "cover", TEXT, "封面图", "封面图片路径（相对于稿件文件）。", max_length=180, doc="图片路径，相对于稿件文件。"
    ),
    Field(
        "draft",
        BOOL,
        "草稿",
        "写 true 表示草稿：不会出现在网站的任何地方。",
        doc="`true` 表示草稿：不出现在网站的任何地方（页面、列表、网站地图、搜索）。",
    ),
    Field(
        "redacted",
        BOOL,
        "已脱敏",
        "写 true 表示正文有意隐去了人名或数字（如 **县、*次）；只放行星号，不放行 XX、【待补充】等占位符。",
        doc="`true` 表示正文有意隐去了人名或数字（如 `\\*\\*县`、`\\*次`），页面会注明。"
        "只放行星号，不放行 `XX`、`【待补充】`、`TODO` 等。",
    ),
    Field(
        "featured",
        BOOL,
        "头条",
        "写 true 表示作为首页头条（有封面图时配图显示）；多篇时取最新的一篇。",
        doc="`true` 表示作为首页头条（有 `cover` 封面图时配图显示）；多篇时取最新的一篇。"
        "没有标头条时，取最新一篇有封面图的新闻。",
    ),
    Field(
        "backdated",
        TEXT,
        "保留原日期的原因",
        "稿件日期比提交到仓库早一个月以上时写明原因，例如“转载原文，保留原发布日期”；否则会提示疑似倒签。",
        doc="稿件日期比第一次提交早一个月以上时写明原因，例如“转载原文，保留原发布日期”。",
    ),
    Field(
        "proofread_accept",
        TAGS,
        "校对放行",
        "本篇中确认无误、校对不再提示的词语列表，例如 [沈颉, 强增]（全站放行写在 content/proofread.yml）。",
        doc="本篇中确认无误、校对不再提示的词语列表，例如 `[沈颉, 强增]`。",
    ),
    Field(
        "year",
        YEAR,
        "回顾年度",
        "年度回顾所回顾的年份，例如 2025。",
        required=True,
        kinds=(REVIEW,),
        doc="所回顾的年份，例如 `2025`。",
        export_label="年度",
    ),
    Field(
        "metrics",
        METRICS,
        "年度数据",
        "年度回顾的数据列表，每项含 label、value、unit、group 等。",
        required=True,
        kinds=(REVIEW,),
        max_items=200,
        doc="数据列表，见下表。",
    ),
)

METRIC_FIELDS: tuple[Field, ...] = (
    Field("label", TEXT, "指标名称", "指标名称，例如“社情民意信息”。", required=True),
    Field(
        "value",
        NUMBER,
        "数值",
        "数值（整数或小数），例如 46。",
        required=True,
        max_length=15,
        doc="只写阿拉伯数字（整数或小数）。",
    ),
    Field(
        "unit",
        UNIT,
        "计量单位",
        "计量单位，例如 篇、件、场、人次。",
        required=True,
        doc="以下之一：" + "、".join(UNITS) + "（％ 是全角）。",
    ),
    Field(
        "approx",
        APPROX,
        "约数",
        "原文是约数时照原文写这个字：余、多、近、超过（如 approx: 超过）；写 true 表示“余”。",
        doc="原文是约数时照原文写这个字：`余`、`多`、`近`、`超过`（如正文“超过300人次”写 `approx: 超过`）；"
        "`true` 表示“余”。"
        "页面、栏目汇总和开放数据都照原文显示；构建会核对正文用的是不是这个字。",
    ),
    Field(
        "group",
        TEXT,
        "分组",
        "指标所属的章节，例如“参政议政”。",
        required=True,
        doc="所属章节，例如“参政议政”；页面按分组显示数据卡片。",
    ),
    Field(
        "headline",
        BOOL,
        "重点数据",
        "写 true 表示在首页和列表中突出显示（每篇最多 4 项）。",
        doc="`true` 表示在首页和列表中突出显示，每篇最多 4 项。",
    ),
    Field("note", TEXT, "说明", "补充说明，例如统计口径。", max_length=200),
)

# A column or an organisation in content/catalogue.yml (`kinds`: the sections that have the key).
ENTRY_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        TEXT,
        "名称",
        "栏目或单位的名称，稿件的 column / organisation 与它完全一致。",
        required=True,
        kinds=tuple(SECTIONS),
        doc="稿件的 `column` / `organisation` 必须与它完全一致；不能重复。",
    ),
    Field(
        "slug",
        SLUG,
        "网址短名",
        "小写英文字母、数字和连字符，例如 gongzuo-dongtai（名称的拼音），用于网址。",
        required=True,
        kinds=tuple(SECTIONS),
        doc="小写字母、数字和连字符，如 `gongzuo-dongtai`，用于栏目页、单位页网址；发布后不要修改。",
    ),
    Field(
        "description",
        TEXT,
        "简介",
        "显示在栏目页、单位页的一两句介绍。",
        kinds=tuple(SECTIONS),
        max_length=300,
        doc="显示在栏目页、单位页。",
    ),
    Field(
        "archived",
        BOOL,
        "已结束",
        "已结束的专栏写 archived: true，否则不写。",
        kinds=tuple(SECTIONS),
        doc="`true` 表示已结束的专栏，检查不再提醒它“长期未更新”。",
    ),
    Field(
        "update_every",
        DAYS,
        "更新周期",
        "栏目的更新周期（正整数天数），例如工作动态写 update_every: 14，通知公告写 update_every: 180。",
        kinds=(COLUMNS,),
        doc="栏目多少天内应有新稿件（正整数）；不写则用网站设定的期限。只用于栏目。",
    ),
)

# What a declared field is in Python: its type and the value when the editor did not write it.
KIND_TYPES = {
    TEXT: ("str", ""),
    DATE: ("dt.date | None", None),
    BOOL: ("bool", False),
    YEAR: ("int | None", None),
    TAGS: ("tuple[str, ...]", ()),
    NUMBER: ("Decimal | None", None),
    UNIT: ("str", ""),
    COLUMN: ("Entry | None", None),
    ORGANISATION: ("Entry | None", None),
    METRICS: ("tuple[Metric, ...]", ()),
    APPROX: ("str", ""),
    SLUG: ("str", ""),
    DAYS: ("int", 0),
}


def declared(fields: tuple[Field, ...], **options):
    """A dataclass whose attributes are the class's own (bookkeeping) plus one per declared
    field, keyword-only: a field required of every kind has no default, the others the empty
    value of their kind."""

    def make(cls):
        annotations = cls.__dict__.get("__annotations__", {})
        for f in fields:
            python_type, empty = KIND_TYPES[f.kind]
            annotations[f.key] = python_type
            if not (f.required and all(kind in f.kinds for kind in _kinds_of(fields))):
                setattr(cls, f.key, empty)
        cls.__annotations__ = annotations
        return dataclass(kw_only=True, **options)(cls)

    return make


def _kinds_of(fields: tuple[Field, ...]) -> set[str]:
    return {kind for f in fields for kind in f.kinds}


TIMEZONE = "Asia/Shanghai"  # the publishing day is Beijing's, wherever the build runs (extra.portal.timezone)
CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving since 1991


def zone(name: str) -> dt.tzinfo:
    """A time zone by its IANA name; Beijing's even without the tz database (Windows)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name in (TIMEZONE, "Asia/Chongqing", "PRC"):
            return CHINA_STANDARD_TIME
        raise


def today(timezone: str = TIMEZONE, now: dt.datetime | None = None) -> dt.date:
    """The publishing day in `timezone` (not the machine's: runners keep UTC, and an item
    dated today in Beijing must not wait until 08:00); PORTAL_TODAY=YYYY-MM-DD previews another day."""
    override = os.environ.get("PORTAL_TODAY")
    if override:
        return dt.date.fromisoformat(override)
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(zone(timezone)).date()


def beijing_date(now: dt.datetime) -> dt.date:
    return now.astimezone(zone(TIMEZONE)).date()


def fields_for(kind: str) -> dict[str, Field]:
    return {f.key: f for f in ITEM_FIELDS if kind in f.kinds}


@declared(ENTRY_FIELDS, frozen=True)
class Entry:
    """A column or an organisation, declared once in content/catalogue.yml (ENTRY_FIELDS):
    name, slug, description, archived (a finished series), update_every (columns: days within
    which a new item is due; 0: extra.portal.column_stale_days)."""


@dataclass(frozen=True)
class Catalogue:
    columns: dict[str, Entry]
    organisations: dict[str, Entry]
    # where each entry is declared, by (section, name), for problems; and whether the catalogue had
    # an error (then items it cannot place are not reported). Neither is part of what pages show.
    lines: dict[tuple[str, str], int] = field(default_factory=dict, compare=False, repr=False)
    failed: bool = field(default=False, compare=False, repr=False)


def display_number(value: Decimal) -> str:
    """46, 0.5, 1200 — never 46.0."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@declared(METRIC_FIELDS, frozen=True)
class Metric:
    """One figure of an annual review (METRIC_FIELDS); `approx` is "" for an exact figure,
    else the word the text uses (APPROX_WORDS)."""

    line: int = 0  # where the editor wrote it, for problems

    def __post_init__(self) -> None:
        if not isinstance(self.approx, str):  # approx=True means 余, as `approx: true` does
            object.__setattr__(self, "approx", "余" if self.approx else "")

    @property
    def display_value(self) -> str:
        return display_number(self.value)

    @property
    def approx_mark(self) -> str:
        return self.approx

    @property
    def approx_before(self) -> bool:
        return self.approx in APPROX_BEFORE

    @property
    def written(self) -> str:
        """The figure as the text writes it: 540余, 超过300, 46."""
        return approx_text(self.display_value, self.approx)


def approx_text(number: str, word: str) -> str:
    """超过300, 近50, 540余, 46."""
    return word + number if word in APPROX_BEFORE else number + word


@declared(ITEM_FIELDS)
class Item:
    """One published or held-back news item or annual review, typed and validated: one
    attribute per front-matter key (ITEM_FIELDS), plus what the build knows about it."""

    path: str  # relative to content/, '/'-separated: the item's identity
    kind: str
    body: str  # Markdown, front matter removed
    body_line: int  # file line where the body starts, for problems
    key_lines: dict[str, int]  # file line of each front-matter key, for problems
    updated: dt.date | None = None  # the last commit that changed the body, when after `date` (portal.content.history)
    assets: tuple[str, ...] = ()  # files under content/ the item uses (cover, images), set by portal.content.reader
    attachments: tuple = ()  # its passive documents (portal.content.publishing.Attachment), listed under the article
    url: str = ""  # set when mounted
    cover_url: str = ""

    @property
    def src_uri(self) -> str:
        return self.path

    @property
    def is_review(self) -> bool:
        return self.kind == REVIEW

    hold: str = ""  # why a previewed item is not published (set for `mkdocs serve` previews)

    def held_back(self, today: dt.date) -> str:
        """The publishing gate: why the item is not published, or "" when it is."""
        if self.draft:
            return "草稿"
        if not self.signed_off_by:
            return "未签发"
        if self.date > today:
            return f"定时发布（{self.date.isoformat()}）"
        return ""

    def is_published(self, today: dt.date) -> bool:
        return not self.held_back(today)

    @property
    def headline_metrics(self) -> tuple[Metric, ...]:
        chosen = tuple(m for m in self.metrics if m.headline)
        return chosen or self.metrics[:MAX_HEADLINES]

    @property
    def metric_groups(self) -> list[tuple[str, list[Metric]]]:
        """Metrics grouped by section, in the order the editor listed them."""
        groups: dict[str, list[Metric]] = {}
        for metric in self.metrics:
            groups.setdefault(metric.group, []).append(metric)
        return list(groups.items())

    @property
    def editorial(self) -> list[tuple[str, str]]:
        """The closing block as government and WeChat articles print it."""
        labels = {f.key: f.label for f in ITEM_FIELDS}
        rows = [(labels[key], getattr(self, key)) for key in EDITORIAL]
        return [(label, value) for label, value in rows if value]


@dataclass
class Content:
    """Everything read from content/: the catalogue, every valid item, every problem."""

    catalogue: Catalogue
    items: list[Item] = field(default_factory=list)
    problems: list = field(default_factory=list)

    def published(self, today: dt.date, preview: bool = False) -> list[Item]:
        """Published items, newest first (ties: by title, for a stable order). A preview
        shows the held-back items too, each marked with why it is held back."""
        for item in self.items:
            item.hold = item.held_back(today) if preview else ""
        chosen = [item for item in self.items if preview or item.is_published(today)]
        chosen.sort(key=lambda item: (item.date, item.title), reverse=True)
        return chosen
