"""校对 (proofreading): wording an inspection vetoes, found before it is published.

Parts, each a plain function over one text (a body, a title, a summary):
- term list (`proofread_terms.yml` + the site's `content/proofread.yml`, matched with one
  Aho-Corasick automaton): known-wrong formulations and names (errors), classic misspellings
  (warnings);
- formulation grammar: members and order of 四个意识/四个自信, 习近平新时代中国特色社会主义思想,
  meeting names (第N次全国代表大会, N届N中全会), title order, dated leaders and meetings (errors,
  dates warnings);
- transpositions (加党强 for 加强党): where jieba's segmentation leaves adjacent single
  characters, swapping them must make the text far more probable under jieba's bundled word
  frequencies (warnings);
- numbers and dates decidable from the text: N周年 against the founding year, 十N五 开局/收官
  against the year, “N个方面” against the items listed (warnings);
- punctuation (GB/T 15834, unambiguous cases): unpaired “” and 《》 in a paragraph, 三、四十,
  doubled marks (warnings).
An editor accepts a flagged word for one item (`proofread_accept`) or the whole site
(`accept:` in content/proofread.yml); Chinese numerals, 余 approximations and redaction stars
are never flagged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import add
from pathlib import Path

import ahocorasick
import yaml

from portal.problems import Problem

BASE_TERMS = Path(__file__).with_name("proofread_terms.yml")
SITE_FILE = "proofread.yml"  # under content/: the site's own additions and accepted words
KINDS = {"formulation": ("error", "规范表述有误"), "name": ("error", "名称有误"), "typo": ("warning", "疑似错别字")}
LIST_KEYS = ("wrong", "members", "offices", "leaders", "meetings", "founded", "accept")


@dataclass(frozen=True)
class Finding:
    start: int  # offset in the checked text
    end: int
    rule: str  # proofread.<part>
    level: str  # error | warning
    message: str
    right: str  # the suggested correction

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass
class Terms:
    wrong: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    offices: list[list[str]] = field(default_factory=list)
    leaders: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    founded: list[dict] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)


def _entry_problem(where: str, number: int, key: str, expected: str) -> str:
    return f"{where}的 {key} 第 {number} 项格式不对，应为{expected}。"


SHAPES = {
    "wrong": (
        "{wrong: 错误写法, right: 正确写法, kind: formulation/name/typo}",
        lambda e: (
            isinstance(e, dict)
            and isinstance(e.get("wrong"), str)
            and len(e["wrong"]) >= 2
            and isinstance(e.get("right"), str)
            and e.get("kind", "typo") in KINDS
            and all(isinstance(u, str) for u in e.get("unless", []) or [])
        ),
    ),
    "members": (
        "{name: 提法, members: [成员1, 成员2, …]}",
        lambda e: (
            isinstance(e, dict)
            and isinstance(e.get("name"), str)
            and isinstance(e.get("members"), list)
            and len(e["members"]) >= 2
            and all(isinstance(m, str) and m for m in e["members"])
        ),
    ),
    "offices": (
        "[职务1, 职务2, …]（规范顺序）",
        lambda e: isinstance(e, list) and all(isinstance(o, str) and o for o in e),
    ),
    "leaders": (
        "{name: 姓名, wrong: [错误写法], title: 职务简称, from: YYYY-MM-DD, to: YYYY-MM-DD}",
        lambda e: (
            isinstance(e, dict)
            and isinstance(e.get("name"), str)
            and all(isinstance(w, str) for w in e.get("wrong", []) or [])
            and all(isinstance(e.get(k), (dt.date, type(None))) for k in ("from", "to"))
        ),
    ),
    "meetings": (
        "{name: 会议简称, date: YYYY-MM-DD}",
        lambda e: isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("date"), dt.date),
    ),
    "founded": (
        "{name: 名称, year: 成立年份}",
        lambda e: isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("year"), int),
    ),
    "accept": ("一个词语", lambda e: isinstance(e, str) and e.strip() != ""),
}


def _merge(terms: Terms, data, where: str) -> list[str]:
    """Adds one file's lists to `terms`; returns what is malformed (in Chinese)."""
    if data is None:
        return []
    if not isinstance(data, dict):
        return [f"{where}应是“键: 列表”形式（{'、'.join(LIST_KEYS)}）。"]
    messages = []
    for key, value in data.items():
        if key == "version":
            continue
        if key not in SHAPES:
            messages.append(f"{where}有未知的键 {key}；可用的键：{'、'.join(LIST_KEYS)}。")
            continue
        if not isinstance(value, list):
            messages.append(f"{where}的 {key} 应是列表。")
            continue
        expected, valid = SHAPES[key]
        for number, entry in enumerate(value, 1):
            if valid(entry):
                getattr(terms, key).append(entry)
            else:
                messages.append(_entry_problem(where, number, key, expected))
    return messages


def load_terms(content_dir: Path | None, shown_as: str = "content") -> tuple[Terms, list[Problem]]:
    """The shipped list plus the site's content/proofread.yml (untrusted: every entry checked)."""
    terms = Terms()
    shipped = yaml.load(BASE_TERMS.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    _merge(terms, shipped, "proofread_terms.yml")
    problems = []
    site = content_dir / SITE_FILE if content_dir else None
    if site and site.is_file():
        file = f"{shown_as}/{SITE_FILE}"
        try:
            data = yaml.safe_load(site.read_text(encoding="utf-8", errors="replace"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            return terms, [
                Problem(
                    file,
                    mark.line + 1 if mark else 1,
                    "校对词表不是合法的 YAML。",
                    "检查缩进和冒号；每项写成 {wrong: 错误写法, right: 正确写法, kind: typo}。",
                    rule="proofread.terms",
                )
            ]
        problems = [
            Problem(file, 1, message, "格式见 README“校对”一节；这一项已被忽略。", "warning", rule="proofread.terms")
            for message in _merge(terms, data, SITE_FILE)
        ]
    return terms, problems


# --- numbers -----------------------------------------------------------------------------

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL = "零〇一二三四五六七八九十百两"


def chinese_number(text: str) -> int | None:
    """76 for 七十六 or 76, 105 for 一百零五; None when it is not a plain number below 1,000."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def five_year_plan_start(n: int) -> int:
    """First year of the Nth five-year plan (the 3rd began in 1966 after the 1963–65 adjustment)."""
    return 1953 + 5 * (n - 1) if n < 3 else 1966 + 5 * (n - 3)


# --- transpositions ----------------------------------------------------------------------

NEVER_SWAPPED = set(NUMERAL + "千万亿余多近第几每各本该其")
TRANSPOSITION_GAIN = 6.0  # natural-log probability the swap must add (tuned on the tuning half of the set)
TRANSPOSITION_MIN_FREQ = 200  # the word the swap makes must be at least this common in jieba's dictionary
UNCOVERED = re.compile(rb"(?:(?<=\x00)|^)\x00(?=\x00)")  # p: no pair p-1, p, p+1 is a common word
COVER_FREQ = 1000  # words at least this common mark their characters as not single (candidate pre-filter)
RARE, COMMON = 20, 1000  # a rare two-character word whose reverse is common: 调协 (4) for 协调 (4071)


# Words of this domain that jieba's general dictionary lacks: without them their characters look
# like singles to the transposition detector (知联会教育 read as 知联/会/教育, 会教 for 教会).
DOMAIN_WORDS = (
    "知联会",
    "新联会",
    "统战部",
    "统战",
    "政协",
    "界别",
    "党外",
    "党组",
    "镇乡",
    "镇街",
    "履职",
    "建言资政",
    "社情民意",
    "民主党派",
    "无党派人士",
    "党外人士",
    "党外知识分子",
    "新的社会阶层人士",
    "同心",
    "委员之家",
    "知联",
    "片区",
    "会长会",
    "理事会",
    "常委会",
    "主席会议",
    "协商议政",
    "民主监督",
    "参政议政",
)


@lru_cache(maxsize=1)
def _jieba():
    """jieba's tokenizer with its bundled dictionary (no download); loaded on first use."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = os.environ.get("PORTAL_JIEBA_CACHE") or None
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, 2000)
    return tokenizer, tokenizer.FREQ, math.log(tokenizer.total)


@dataclass(frozen=True)
class DictionarySets:
    """What finds transposition candidates, taken from jieba's dictionary: with these alone a
    text whose candidates were all checked before (`transpositions`' `known`) needs no jieba, so
    a build that re-checks one edited item keeps them in its cache (`adopt_sets`) rather than
    loading the whole dictionary (about 0.5 s) for it."""

    two: frozenset[str]  # words of 2 characters seen at least COVER_FREQ times, and of 3–4:
    longer: frozenset[str]  # a character no such word covers is a single character in jieba's reading
    strong: frozenset[str]  # words of 2 characters seen at least TRANSPOSITION_MIN_FREQ times
    reverse: frozenset[str]  # their reverses
    rare: frozenset[str]  # rare 2-character words whose reverse is common (调协, 4 times; 协调, 4071)


_sets: DictionarySets | None = None


def dictionary_sets() -> DictionarySets:
    """The sets of jieba's dictionary that find candidates (loads jieba the first time)."""
    global _sets
    if _sets is None:
        _tokenizer, freq, _log_total = _jieba()
        common = [word for word, count in freq.items() if count >= COVER_FREQ and 2 <= len(word) <= 4]
        strong = frozenset(w for w, count in freq.items() if len(w) == 2 and count >= TRANSPOSITION_MIN_FREQ)
        rare = frozenset(
            word
            for word, count in freq.items()
            if len(word) == 2
            and 0 < count <= RARE
            and freq.get(word[::-1], 0) >= COMMON
            and not set(word) & NEVER_SWAPPED
        )
        two = frozenset(w for w in common if len(w) == 2)
        longer = frozenset(w for w in common if len(w) > 2)
        _sets = DictionarySets(two, longer, strong, frozenset(w[::-1] for w in strong), rare)
    return _sets


def loaded_sets() -> DictionarySets | None:
    """The sets if this process has them (never loads jieba)."""
    return _sets


def adopt_sets(sets: DictionarySets) -> None:
    """Use sets kept from an earlier run with the same jieba (see DictionarySets)."""
    global _sets
    if _sets is None and isinstance(sets, DictionarySets):
        _sets = sets


def release_jieba() -> None:
    """Forget jieba: its dictionary, tagger and HMM tables take about 160 MB, which a build no
    longer needs once every item is proofread (and its forked page renderers and search index
    process would otherwise hold too). The next proofreading loads it again."""
    global _sets
    _sets = None
    for cached in (_jieba, _tagger, _swap_gain):
        cached.cache_clear()
    for name in [name for name in sys.modules if name == "jieba" or name.startswith("jieba.")]:
        del sys.modules[name]  # jieba.posseg and jieba.finalseg load their HMM tables at import


def _best(text: str, freq: dict, log_total: float) -> float:
    """Log probability of the most probable segmentation (jieba's unigram model)."""
    n = len(text)
    route = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = -1e9
        for j in range(i + 1, min(n, i + 6) + 1):
            count = freq.get(text[i:j])
            if j == i + 1:
                count = count or 1
            if count:
                best = max(best, math.log(count) - log_total + route[j])
        route[i] = best
    return route[0]


def _makes_word(text: str, a: int, freq: dict) -> str:
    """The most common dictionary word of 2–4 characters in `text` that contains position a or a+1."""
    best, best_count = "", 0
    for i in range(max(0, a - 3), a + 2):
        for j in range(max(i + 2, a + 1), min(len(text), i + 4) + 1):
            count = freq.get(text[i:j], 0)
            if count > best_count:
                best, best_count = text[i:j], count
    return best if best_count >= TRANSPOSITION_MIN_FREQ else ""


@lru_cache(maxsize=1 << 16)
def _swap_gain(window: str, q: int) -> tuple[str, float]:
    """The word that swapping characters q and q+1 of `window` makes (or "") and how much more
    probable the window becomes. Official prose repeats its phrases: remembered by window."""
    _tokenizer, freq, log_total = _jieba()
    swapped = window[:q] + window[q + 1] + window[q] + window[q + 2 :]
    word = _makes_word(swapped, q, freq)  # cheapest test first
    return word, (_best(swapped, freq, log_total) - _best(window, freq, log_total) if word else 0.0)


@lru_cache(maxsize=1)
def _tagger():
    """jieba's part-of-speech tagger over our tokenizer. Importing jieba.posseg already reads the
    tags of the bundled dictionary (for its default tagger); a tagger of its own would read the
    same file again (about 0.2 s), so ours shares that table when the dictionaries are the same
    (our tokenizer adds words without tags, which is all that would ever write to it)."""
    import jieba.posseg

    tokenizer = _jieba()[0]
    default = jieba.posseg.dt
    if tokenizer.dictionary != default.tokenizer.dictionary or tokenizer.user_word_tag_tab:
        return jieba.posseg.POSTokenizer(tokenizer)
    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = tokenizer, default.word_tag_tab
    return tagger


# Common single-character surnames (the most frequent ~120 of the 2020 census), and the words that
# stand right before and after a person's name in this register: 委员石国建结合本职工作……,
# 王磊、曾然欣等……, 座谈中，夏宁洋、杜辰晓…… A given name is two free characters, which jieba's
# tagger often misses and whose reverse is often a word (国建/建国, 然欣/欣然).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
)
BEFORE_NAME = re.compile(
    r"(?:[、，,：:（(“]|委员|代表|会员|人士|成员|主席|主任|书记|部长|会长|院长|校长|所长|局长|"
    r"教授|专家|医生|律师|老师|同志|企业家|理事|秘书长|负责人|党员)$"
)
AFTER_NAME = re.compile(
    r"^(?:[、，,。：:）)”]|等|和|与|同志|委员|代表|结合|表示|说|指出|认为|发言|介绍|建议|提出|围绕|就|作|"
    r"分享|谈|交流|汇报|带领|主持|参加|强调)"
)


def _in_listed_name(text: str, start: int, end: int) -> bool:
    """Whether [start, end) lies inside a surname + one or two characters that stands between a
    name's usual neighbours on both sides (a role word or list mark before, a list mark or a
    speaking verb after), or right before 同志. Both sides are required otherwise, so that an error
    inside running prose is still caught."""
    for length in (2, 3):
        for at in range(max(0, end - length), start + 1):
            if at + length < end or text[at] not in SURNAMES:
                continue
            after = text[at + length : at + length + 2]
            if after == "同志" or BEFORE_NAME.search(text[max(0, at - 3) : at]) and AFTER_NAME.match(after):
                return True
    return False


def _is_name(chars: str, start: int, end: int) -> bool:
    """Whether jieba's tagger (its bundled HMM) reads [start, end) as part of a person's name
    (孙辰子, 张丽秀): names are never flagged. Run only for the rare confirmed candidates."""
    position = 0
    for pair in _tagger().cut(chars):
        if position < end and start < position + len(pair.word) and pair.flag.startswith("nr"):
            return True
        position += len(pair.word)
    return False


def _candidates(text: str, pairs: list[str]):
    """(p, run start, run end) of every pair p, p+1 of adjacent characters inside a run of 3 or
    more CJK characters that no common word covers (`DictionarySets.two`, `.longer`), that are
    different and never NEVER_SWAPPED, and whose swap makes a common two-character word
    (`DictionarySets.strong`): the reverse of the pair, or one of them with the character before
    or after the pair. `pairs[i]` is text[i : i + 2]. The pairs that no two-character word
    touches are found at once (set look-ups and a regular expression, both in C), then checked
    one by one: several times cheaper than marking the cover of every word in the text."""
    n = len(text)
    if n < 3:
        return
    sets = dictionary_sets()
    covered = bytes(map(sets.two.__contains__, pairs)) + b"\x00"  # 1: a word covers i and i + 1
    for match in UNCOVERED.finditer(covered):
        p = match.start()
        x, y = text[p], text[p + 1]
        if x == y or not ("\u4e00" <= x <= "\u9fff" and "\u4e00" <= y <= "\u9fff"):
            continue
        if x in NEVER_SWAPPED or y in NEVER_SWAPPED:
            continue
        if not (
            pairs[p] in sets.reverse
            or text[p : p + 3 : 2] in sets.strong
            or (p and text[p - 1 : p + 2 : 2] in sets.strong)
        ):
            continue  # the swap makes no common two-character word
        near = text[max(0, p - 3) : p + 5]  # every 3 or 4 characters with p or p + 1 among them
        q = min(p, 3)  # p in `near`
        if any(near[start : start + 3] in sets.longer for start in range(max(0, q - 2), q + 2)) or any(
            near[start : start + 4] in sets.longer for start in range(max(0, q - 3), q + 2)
        ):
            continue  # a common word of 3 or 4 characters covers p or p + 1
        a = p
        while a > 0 and "\u4e00" <= text[a - 1] <= "\u9fff":
            a -= 1
        b = p + 2
        while b < n and "\u4e00" <= text[b] <= "\u9fff":
            b += 1
        if b - a >= 3:
            yield p, a, b


def transpositions(text: str, known: dict | None = None, seen: dict | None = None) -> list[Finding]:
    """Two adjacent characters that no dictionary word covers are a candidate; jieba confirms on
    a window around it that both are single characters and that swapping them makes the text
    far more probable (so a whole body is never segmented: about 10x cheaper).

    What a line's candidates come to depends on that line and the three characters before it
    alone (a name's neighbour may end the line before), so with `known` (verdicts by
    `line_key`, from an earlier check) a line checked before is not confirmed again, and `seen`
    receives this text's verdicts: re-checking an edited item confirms only its changed lines,
    and needs jieba only if one of those has a candidate."""
    pairs = list(map(add, text, text[1:]))  # pairs[i] == text[i : i + 2]
    work: dict[int, list[tuple[int, ...]]] = {}  # line start -> its candidates and rare words
    for p, a, b in _candidates(text, pairs):
        work.setdefault(text.rfind("\n", 0, p) + 1, []).append((p, a, b))
    for at in compress(range(len(pairs)), map(dictionary_sets().rare.__contains__, pairs)):
        work.setdefault(text.rfind("\n", 0, at) + 1, []).append((at,))
    candidates = []
    for line, places in work.items():
        if known is None and seen is None:
            candidates += _confirmed(text, places)
            continue
        end = text.find("\n", line)
        key = line_key(text[max(0, line - 3) : end if end >= 0 else len(text)])
        verdict = known.get(key) if known else None
        if verdict is None:
            verdict = tuple(
                (gain, start - line, stop - line, right) for gain, start, stop, right in _confirmed(text, places)
            )
        if seen is not None:
            seen[key] = verdict
        candidates += [(gain, start + line, stop + line, right) for gain, start, stop, right in verdict]
    found, taken = [], []
    for _gain, start, end, right in sorted(candidates, reverse=True):  # the most probable reading of a span
        if all(end <= x or y <= start for x, y in taken):
            taken.append((start, end))
            found.append(
                Finding(start, end, "proofread.transposition", "warning", f"疑似颠倒字序：“{text[start:end]}”", right)
            )
    return sorted(found, key=lambda f: f.start)


def line_key(unit: str) -> bytes:
    """The key of a line's verdict: the line with the three characters before it."""
    return hashlib.blake2b(unit.encode("utf-8"), digest_size=8).digest()


def _confirmed(text: str, places: list[tuple[int, ...]]) -> list[tuple[float, int, int, str]]:
    """(gain, start, end, correction) of the candidates (p, run start, run end) and rare words
    (at,) that jieba confirms."""
    candidates = []
    for place in places:
        if len(place) == 1:  # a rare word whose reverse is common: 调协 for 协调
            at = place[0]
            pair, lo = text[at : at + 2], at
            while lo > 0 and at - lo < 8 and "\u4e00" <= text[lo - 1] <= "\u9fff":
                lo -= 1
            chars, position = text[lo : at + 10], 0
            for token in _jieba()[0].cut(chars, HMM=False):  # only where jieba reads it as that word
                if (
                    position == at - lo
                    and token == pair
                    and not _in_listed_name(text, at, at + 2)
                    and not _is_name(chars, at - lo, at - lo + 2)
                ):
                    candidates.append((99.0, at, at + 2, pair[::-1]))
                position += len(token)
            continue
        p, a, b = place
        lo, hi = max(a, p - 6), min(b, p + 8)
        chars, q = text[lo:hi], p - lo
        w_lo, w_hi = max(0, q - 3), min(len(chars), q + 5)
        window = chars[w_lo:w_hi]
        word, gain = _swap_gain(window, q - w_lo)
        if gain < TRANSPOSITION_GAIN:
            continue
        swapped = window[: q - w_lo] + chars[q + 1] + chars[q] + window[q - w_lo + 2 :]
        singles, position = set(), 0
        for token in _jieba()[0].cut(chars, HMM=False):
            if len(token) == 1:
                singles.add(position)
            position += len(token)
        if q in singles and q + 1 in singles:
            # the written span: the swapped pair with the neighbour the corrected word takes in
            at = lo + w_lo + swapped.index(word)
            start, end = min(at, p), max(at + len(word), p + 2)
            if _in_listed_name(text, start, end) or _is_name(chars, start - lo, end - lo):
                continue
            right = text[start:p] + text[p + 1] + text[p] + text[p + 2 : end]
            candidates.append((gain, start, end, right))
    return candidates


# --- the proofreader -----------------------------------------------------------------------

THOUGHT = re.compile(r"习近平(?:同志)?[\u4e00-\u9fff]{0,5}?特色社会主[义意][\u4e00-\u9fff]{0,2}?思想")
THOUGHT_RIGHT = "习近平新时代中国特色社会主义思想"
CN = "一二三四五六七八九十"
MEETING_RULES = (
    (
        re.compile(rf"(?:党的|中国共产党)第([{CN}]{{1,3}})届全国代表大会"),
        lambda m: f"第{m.group(1)}次全国代表大会",
        "党的全国代表大会按“次”计：第N次全国代表大会（简称N大）。",
        "届全国代表大会",  # what every match holds: texts without it are not searched
    ),
    (
        re.compile(rf"([{CN}]{{1,3}})大([一二三四五六七八九])中全会"),
        lambda m: f"{m.group(1)}届{m.group(2)}中全会",
        "中央全会按“届”计：N届M中全会（如二十届三中全会）。",
        "中全会",
    ),
    (
        re.compile(rf"([{CN}]{{1,3}})届([一二三四五六七八九])中(?!全会)(?:会议|大会)"),
        lambda m: f"{m.group(1)}届{m.group(2)}中全会",
        "中央委员会全体会议简称“N届M中全会”。",
        "届",
    ),
)
ANNIVERSARY = re.compile(r"(建党|建国|建军|[\u4e00-\u9fff]{2,12}?成立)([0-9]{1,3}|[零一二三四五六七八九十百]{1,5})周年")
ANNIVERSARY_ALIASES = {"建党": 1921, "建国": 1949, "建军": 1927}
PLAN = re.compile(r"十([一二三四五六七八九])五[”」\"]?(?:规划)?(?:的)?(开局之年|收官之年)")
ASPECTS = re.compile(
    rf"((?:[\u4e00-\u9fff]{{1,12}}、){{2,}}[\u4e00-\u9fff]{{1,12}}?)(等)?([{CN}两]|[0-9]{{1,2}})个?(方面|领域)"
)
DOUBLED = re.compile(r"[，。、；：]{2,}")
APPROX_COMMA = re.compile(
    r"(?<![第\d])([一二三四五六七八九])、([一二三四五六七八九])(?=[十百千万个名人次天年岁场位件条项家户所处])"
)
PAIRS = {"“": "”", "《": "》"}
QUOTE_OR_BREAK = re.compile(r"[“”《》]|\n(?=\n)")  # a paragraph ends at a blank line
LISTED = re.compile(r"[\u4e00-\u9fff、]{5,}")
LIST_RUN = re.compile(r"[\u4e00-\u9fff]{2,12}(?:、[\u4e00-\u9fff]{2,12})+")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def preload() -> None:
    """Load the dictionaries and models once, before work is shared out to forked processes (the
    tagger too: some item of hundreds has a candidate to confirm, and each process would load it)."""
    _jieba(), dictionary_sets(), _tagger()


class Proofreader:
    def __init__(self, terms: Terms):
        self.terms = terms
        self.automaton = ahocorasick.Automaton()
        entries = [dict(e, kind=e.get("kind", "typo")) for e in terms.wrong]
        for leader in terms.leaders:
            entries += [{"wrong": w, "right": leader["name"], "kind": "name"} for w in leader.get("wrong", []) or []]
        for entry in entries:
            self.automaton.add_word(entry["wrong"], entry)
        if entries:
            self.automaton.make_automaton()
        self.has_terms = bool(entries)
        offices = sorted({o for order in terms.offices for o in order}, key=len, reverse=True)
        self.office_run = (
            re.compile(f"(?:{'|'.join(map(re.escape, offices))})(?:、(?:{'|'.join(map(re.escape, offices))}))+")
            if offices
            else None
        )
        self.founded = {e["name"]: e["year"] for e in terms.founded}
        self.member_rules = [  # (entry, members, their common suffix, any member)
            (
                entry,
                entry["members"],
                os.path.commonprefix([m[::-1] for m in entry["members"]])[::-1],
                re.compile("|".join(map(re.escape, entry["members"]))),
            )
            for entry in terms.members
        ]
        self.founded.update(ANNIVERSARY_ALIASES)

    # Each part returns findings with offsets in `text`.
    def term_list(self, text: str) -> list[Finding]:
        found = []
        if not self.has_terms:
            return found
        for end, entry in self.automaton.iter(text):
            start = end + 1 - len(entry["wrong"])
            if any(_inside(text, start, end + 1, longer) for longer in entry.get("unless", []) or []):
                continue
            level, label = KINDS[entry["kind"]]
            rule = {"formulation": "proofread.formulation", "name": "proofread.name", "typo": "proofread.typo"}[
                entry["kind"]
            ]
            found.append(Finding(start, end + 1, rule, level, f"{label}：“{entry['wrong']}”", entry["right"]))
        return found

    def formulations(self, text: str, day: dt.date) -> list[Finding]:
        found = []
        for match in THOUGHT.finditer(text) if "习近平" in text else ():
            if match.group(0) != THOUGHT_RIGHT:
                found.append(
                    Finding(
                        match.start(),
                        match.end(),
                        "proofread.formulation",
                        "error",
                        f"规范表述有误：“{match.group(0)}”",
                        THOUGHT_RIGHT,
                    )
                )
        for pattern, right, why, needed in MEETING_RULES:
            for match in pattern.finditer(text) if needed in text else ():
                found.append(
                    Finding(
                        match.start(),
                        match.end(),
                        "proofread.formulation",
                        "error",
                        f"会议名称有误：“{match.group(0)}”。{why}",
                        right(match),
                    )
                )
        found += self._members(text)
        if self.office_run and "、" in text:
            for match in self.office_run.finditer(text):
                written = match.group(0).split("、")
                for order in self.terms.offices:
                    listed = [o for o in written if o in order]
                    if len(listed) >= 2 and listed != [o for o in order if o in listed]:
                        found.append(
                            Finding(
                                match.start(),
                                match.end(),
                                "proofread.name",
                                "error",
                                f"职务排列顺序有误：“{match.group(0)}”",
                                "、".join(o for o in order if o in listed),
                            )
                        )
        for leader in self.terms.leaders:
            title = leader.get("title")
            if not title or leader["name"] not in text:
                continue
            for match in re.finditer(
                f"{re.escape(leader['name'])}{re.escape(title)}|{re.escape(title)}{re.escape(leader['name'])}", text
            ):
                since, until = leader.get("from"), leader.get("to")
                if (since and day < since) or (until and day > until):
                    span = f"{since or ''}至{until or '今'}"
                    found.append(
                        Finding(
                            match.start(),
                            match.end(),
                            "proofread.name",
                            "warning",
                            f"“{match.group(0)}”与稿件日期 {day} 不符（任职 {span}）",
                            "核对职务和稿件日期",
                        )
                    )
        for meeting in self.terms.meetings:
            if day >= meeting["date"] or meeting["name"] not in text:
                continue
            for match in re.finditer(re.escape(meeting["name"]) + r"(?=精神|以来|报告)", text):
                found.append(
                    Finding(
                        match.start(),
                        match.end(),
                        "proofread.formulation",
                        "warning",
                        f"稿件日期 {day} 时“{meeting['name']}”尚未召开（{meeting['date']}）",
                        "核对会议名称和稿件日期",
                    )
                )
        return found

    def _members(self, text: str) -> list[Finding]:
        found = []
        if "、" not in text:
            return found
        runs = (  # a run lies within one stretch of CJK characters and 、 (searched only there: cheaper)
            run
            for stretch in LISTED.finditer(text)
            if "、" in stretch.group(0)
            for run in LIST_RUN.finditer(text, stretch.start(), stretch.end())
        )
        for run in runs:
            items = run.group(0).split("、")
            before = text[max(0, run.start() - 8) : run.start()]
            for entry, members, suffix, any_member in self.member_rules:
                if not any_member.search(run.group(0)):
                    continue  # no item can be a member
                named = entry["name"] in before
                hits = [next((m for m in members if item.endswith(m) or item.startswith(m)), None) for item in items]
                if sum(h is not None for h in hits) < (2 if named else 3):
                    continue
                written = [
                    h or item for h, item in zip(hits, items, strict=True) if h or (suffix and item.endswith(suffix))
                ]
                if written != members:
                    found.append(
                        Finding(
                            run.start(),
                            run.end(),
                            "proofread.formulation",
                            "error",
                            f"“{entry['name']}”的成员或顺序有误：“{run.group(0)}”",
                            "、".join(members),
                        )
                    )
        return found

    def numbers(self, text: str, item_year: int) -> list[Finding]:
        found = []
        for match in ANNIVERSARY.finditer(text) if "周年" in text else ():
            subject = match.group(1)
            name, founded = next(
                (
                    (name, y)
                    for name, y in self.founded.items()
                    if subject.endswith(name) or subject.endswith(name + "成立")
                ),
                ("", None),
            )
            n = chinese_number(match.group(2))
            year = _stated_year(text, match.start()) or item_year
            if founded and n is not None and n != year - founded:
                what = name if name in ANNIVERSARY_ALIASES else f"{name}成立"
                found.append(
                    Finding(
                        match.start(2),
                        match.end(0),
                        "proofread.number",
                        "warning",
                        f"“{what}{match.group(2)}周年”与年份不符：{year} 年应是 {year - founded} 周年（{founded} 年）",
                        f"{year - founded}周年",
                    )
                )
        for match in PLAN.finditer(text) if "之年" in text else ():
            year = _stated_year(text, match.start()) or item_year
            n = 10 + "一二三四五六七八九".index(match.group(1)) + 1
            start = five_year_plan_start(n)
            wanted = start if match.group(2) == "开局之年" else start + 4
            if wanted != year:
                right = (
                    "开局之年" if year == start else "收官之年" if year == start + 4 else f"第 {year - start + 1} 年"
                )
                found.append(
                    Finding(
                        match.start(2),
                        match.end(2),
                        "proofread.number",
                        "warning",
                        f"“十{match.group(1)}五”是 {start}—{start + 4} 年，{year} 年不是它的{match.group(2)}",
                        right,
                    )
                )
        for match in ASPECTS.finditer(text) if "方面" in text or "领域" in text else ():
            if match.group(2):
                continue  # 等N个方面: the list is open
            items = match.group(1).split("、")
            count = len(items) + bool(re.search(r"[和及与]", items[-1]))
            stated = chinese_number(match.group(3))
            if stated and stated != count:
                found.append(
                    Finding(
                        match.start(3),
                        match.end(0),
                        "proofread.number",
                        "warning",
                        f"写的是“{match.group(3)}个{match.group(4)}”，前面列出了 {count} 项",
                        f"{count}个{match.group(4)}",
                    )
                )
        return found

    def punctuation(self, text: str) -> list[Finding]:
        found = []

        def warn(start: int, end: int, message: str, right: str) -> None:
            found.append(Finding(start, end, "proofread.punctuation", "warning", message, right))

        for match in DOUBLED.finditer(text):
            warn(match.start(), match.end(), f"标点重复：“{match.group(0)}”", match.group(0)[-1])
        for match in APPROX_COMMA.finditer(text) if "、" in text else ():
            if CN.index(match.group(2)) == CN.index(match.group(1)) + 1:
                warn(
                    match.start(),
                    match.end(),
                    f"相邻数字连用表示概数，中间不用顿号：“{match.group(0)}”",
                    match.group(1) + match.group(2),
                )
        stack: list[tuple[str, int]] = []  # the quotes opened in the paragraph: (mark, offset)
        for match in QUOTE_OR_BREAK.finditer(text):
            char, at = match.group(0), match.start()
            if char == "\n":  # a blank line: the paragraph ends
                for opened, where in stack:
                    warn(where, where + 1, f"“{opened}”没有配对的后半个{PAIRS[opened]}", f"补上{PAIRS[opened]}")
                stack = []
            elif char in PAIRS:
                stack.append((char, at))
            elif stack and PAIRS[stack[-1][0]] == char:
                stack.pop()
            else:
                warn(at, at + 1, f"“{char}”没有配对的前半个", "补上前半个或删除")
        for opened, where in stack:
            warn(where, where + 1, f"“{opened}”没有配对的后半个{PAIRS[opened]}", f"补上{PAIRS[opened]}")
        return found

    def check(
        self,
        text: str,
        day: dt.date,
        year: int | None = None,
        accept: tuple[str, ...] = (),
        known: dict | None = None,
        seen: dict | None = None,
    ) -> list[Finding]:
        """Every finding in `text` (offsets into it), accepted words left out, one finding per span.
        `known`, `seen`: the verdicts of lines (see `transpositions`)."""
        if "<!--" in text:
            text = HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        year = year or day.year
        found = self.term_list(text) + self.formulations(text, day) + self.numbers(text, year) + self.punctuation(text)
        found += [f for f in transpositions(text, known, seen) if not any(_overlaps(f, g) for g in found)]
        accepted = list(self.terms.accept) + list(accept)
        result, seen = [], set()
        for finding in sorted(found, key=lambda f: (f.start, f.level != "error")):
            if (finding.start, finding.end) in seen or any(
                _inside(text, finding.start, finding.end, w, overlap=True) for w in accepted
            ):
                continue
            seen.add((finding.start, finding.end))
            result.append(finding)
        return result


def _stated_year(text: str, at: int) -> int | None:
    """A year the same sentence states before `at` (2025年是……), which beats the item's year."""
    sentence = re.split(r"[。！？\n]", text[max(0, at - 40) : at])[-1]
    years = re.findall(r"((?:19|20)\d\d)年", sentence)
    return int(years[-1]) if years else None


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(text: str, start: int, end: int, word: str, overlap: bool = False) -> bool:
    """Whether an occurrence of `word` contains [start, end) (or overlaps it)."""
    if not word:
        return False
    at = text.find(word, max(0, start - len(word)))
    while at != -1 and at < end:
        if (at < end and start < at + len(word)) if overlap else (at <= start and end <= at + len(word)):
            return True
        at = text.find(word, at + 1)
    return False


# --- items ----------------------------------------------------------------------------------


def _position(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of an offset."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _problem(file: str, line: int, column: int, finding: Finding, written: str) -> Problem:
    hint = f"改为“{finding.right}”。" if not finding.right.startswith(("核对", "补上")) else finding.right + "。"
    hint += "如确认无误，可在本篇前置元数据 proofread_accept 中列出这个词（全站放行写在 content/proofread.yml）。"
    return Problem(
        file, line, f"校对：{finding.message}。", hint, finding.level, rule=finding.rule, column=column, text=written
    )


def proofread_item(
    item, file: str, proofreader: Proofreader, known: dict | None = None, seen: dict | None = None
) -> list[Problem]:
    """Problems in an item's title, summary and body, with file line and column. `known`,
    `seen`: the verdicts of lines (see `transpositions`)."""
    from portal.content.markdown import mask_code

    day, year = item.date, item.year if item.is_review else item.date.year
    problems = []
    for key in ("title", "summary"):
        value = getattr(item, key)
        line = item.key_lines.get(key)
        if not value or not line:
            continue  # a summary taken from the body is checked there
        for finding in proofreader.check(value, day, year, item.proofread_accept, known, seen):
            problems.append(_problem(file, line, len(key) + 3 + finding.start, finding, finding.text(value)))
    body = mask_code(item.body)
    for finding in proofreader.check(body, day, year, item.proofread_accept, known, seen):
        line, column = _position(body, finding.start)
        problems.append(_problem(file, item.body_line + line, column, finding, finding.text(body)))
    return problems
