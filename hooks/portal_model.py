"""The content model, declared once.

Every front-matter key an editor may write is a `Field` here. Validation
(`portal_validate`), the JSON Schema for editors' VS Code (`portal_schema`), the
templates (through `Item`) and the editor documentation all read these
declarations; nothing else lists the keys.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal

# Value kinds a field can have. Each kind has one converter in portal_validate
# and one JSON Schema fragment in portal_schema.
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

NEWS = "news"
REVIEW = "review"
KINDS = {NEWS: "新闻稿件", REVIEW: "年度回顾"}
# Folder under content/ that holds each kind.
KIND_FOLDERS = {"news": NEWS, "reviews": REVIEW}

# Units a metric may carry: counts of documents, events, people and money as the
# annual reviews print them.
UNITS = (
    "件", "篇", "份", "条", "期", "项",
    "场", "场次", "次", "篇次",
    "人", "人次", "名", "位", "户",
    "个", "家", "所", "处", "株",
    "元", "万元", "亿元",
    "％",  # full-width: a bare half-width % cannot start a YAML value
)

MAX_HEADLINES = 4

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


ITEM_FIELDS: tuple[Field, ...] = (
    Field("title", TEXT, "标题", "稿件标题，显示在页面、列表和导航中。", required=True, max_length=120, warn_length=50),
    Field("date", DATE, "发布日期", "发布日期，格式 YYYY-MM-DD，例如 2026-01-30；未来日期的稿件到当天才发布。", required=True),
    Field("column", COLUMN, "栏目", "所属栏目，必须是 content/catalogue.yml 中声明的栏目名称。", required=True),
    Field("organisation", ORGANISATION, "单位", "发稿单位，必须是 content/catalogue.yml 中声明的单位名称。", required=True),
    Field("source", TEXT, "来源", "稿件来源，印在文末，例如“海宁市知联会”。"),
    Field("editor", TEXT, "编辑", "编辑（人名或科室），印在文末。", required=True),
    Field("responsible_editor", TEXT, "责编", "责任编辑，印在文末。", required=True),
    Field("signed_off_by", TEXT, "签发", "签发人（谁签发谁负责）；没有签发人的稿件只能预览，不会发布。"),
    Field("tags", TAGS, "标签", "标签列表，例如 [知联会, 社情民意]。", max_length=40, max_items=10),
    Field("summary", TEXT, "摘要", "列表和分享时显示的摘要；不写则取正文第一段。", max_length=300),
    Field("cover", TEXT, "封面图", "封面图片路径（相对于稿件文件）。", max_length=180),
    Field("draft", BOOL, "草稿", "写 true 表示草稿：不会出现在网站的任何地方。"),
    Field("redacted", BOOL, "已脱敏", "写 true 表示正文有意隐去了人名或数字（如 **县、*次）；只放行星号，不放行 XX、【待补充】等占位符。"),
    Field("featured", BOOL, "头条", "写 true 表示作为首页头条（有封面图时配图显示）；多篇时取最新的一篇。"),
    Field("backdated", TEXT, "保留原日期的原因", "稿件日期比提交到仓库早一个月以上时写明原因，例如“转载原文，保留原发布日期”；否则会提示疑似倒签。"),
    Field("proofread_accept", TAGS, "校对放行", "本篇中确认无误、校对不再提示的词语列表，例如 [沈颉, 强增]（全站放行写在 content/proofread.yml）。"),
    Field("year", YEAR, "回顾年度", "年度回顾所回顾的年份，例如 2025。", required=True, kinds=(REVIEW,)),
    Field("metrics", METRICS, "年度数据", "年度回顾的数据列表，每项含 label、value、unit、group 等。", required=True, kinds=(REVIEW,),
          max_items=200),
)

METRIC_FIELDS: tuple[Field, ...] = (
    Field("label", TEXT, "指标名称", "指标名称，例如“社情民意信息”。", required=True),
    Field("value", NUMBER, "数值", "数值（整数或小数），例如 46。", required=True, max_length=15),
    Field("unit", UNIT, "计量单位", "计量单位，例如 篇、件、场、人次。", required=True),
    Field("approx", APPROX, "约数", "原文是约数时照原文写这个字：余、多、近、超过（如 approx: 超过）；写 true 表示“余”。"),
    Field("group", TEXT, "分组", "指标所属的章节，例如“参政议政”。", required=True),
    Field("headline", BOOL, "重点数据", "写 true 表示在首页和列表中突出显示（每篇最多 4 项）。"),
    Field("note", TEXT, "说明", "补充说明，例如统计口径。", max_length=200),
)


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


@dataclass(frozen=True)
class Entry:
    """A column or an organisation, declared once in content/catalogue.yml."""

    name: str
    slug: str
    description: str = ""
    archived: bool = False  # a finished series: not expected to be updated
    update_every: int = 0  # columns: days within which a new item is due (0: extra.portal.column_stale_days)


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


@dataclass(frozen=True)
class Metric:
    label: str
    value: Decimal
    unit: str
    group: str
    approx: str = ""  # "" for an exact figure, else the word the text uses (APPROX_WORDS)
    headline: bool = False
    note: str = ""
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


@dataclass
class Item:
    """One published or held-back news item or annual review, typed and validated."""

    path: str  # relative to content/, '/'-separated: the item's identity
    kind: str
    title: str
    date: dt.date
    column: Entry
    organisation: Entry
    editor: str
    responsible_editor: str
    body: str  # Markdown, front matter removed
    body_line: int  # file line where the body starts, for problems
    key_lines: dict[str, int]  # file line of each front-matter key, for problems
    source: str = ""
    signed_off_by: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    cover: str = ""
    draft: bool = False
    redacted: bool = False
    featured: bool = False
    proofread_accept: tuple[str, ...] = ()
    backdated: str = ""
    updated: dt.date | None = None  # the last commit that changed the body, when after `date` (portal_history)
    year: int | None = None
    metrics: tuple[Metric, ...] = ()
    assets: tuple[str, ...] = ()  # files under content/ the item uses (cover, images), set by portal_content
    attachments: tuple = ()  # its passive documents (portal_publishing.Attachment), listed under the article
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
        rows = [("来源", self.source), ("编辑", self.editor), ("责编", self.responsible_editor), ("签发", self.signed_off_by)]
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
