"""Images items use: checked for editors, resized for the web, served as <picture>.

check_image        a missing, broken, unsupported or oversized file is a Problem (verdicts cached by the bytes)
alt_problems       every image in a body without alternative text is a Problem
derivatives        480/960/1440 px copies as WebP plus a JPEG or PNG fallback, metadata stripped
picture_html       the <picture> element for one image
rewrite_images     rendered page HTML with known <img> elements replaced by <picture>
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import quote

from markupsafe import escape
from PIL import Image, ImageOps, ImageSequence

from portal.cache import digest
from portal.content.markdown import scan
from portal.problems import Problem

VERSION = "2"  # bump when the derivatives change for the same input
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FRAMES = 300  # an animation: frames, each re-encoded
MAX_ANIMATION_PIXELS = 200_000_000  # width × height × frames
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}  # Pillow's name -> shown to editors
WIDTHS = (480, 960, 1440)
DEFAULT_WIDTH = 960  # the <img src> for browsers without srcset
SIZES = "(max-width: 60em) 100vw, 60em"
WEBP_QUALITY = 80
JPEG_QUALITY = 85

FIX_FORMAT = "用看图软件打开确认，再另存为 JPEG（照片）或 PNG（截图、图表）后重新上传。"
FIX_SIZE = "用图片工具缩小后再上传：长边 2000 像素左右的 JPEG（质量 85）通常不到 1 MB，网站会自动生成各种尺寸。"

# An <img> tag; quoted attribute values may contain '>'.
IMG_TAG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)


@dataclass(frozen=True)
class Derivative:
    name: str  # e.g. photo-960.webp
    width: int
    height: int
    mime: str
    data: bytes


# --- checks -----------------------------------------------------------------------------


CHECK_VERSION = "1"  # bump when image_verdict changes for the same bytes
CHECKS = "image-checks"  # the cache kind of verdicts, by the bytes' hash
decoded = 0  # pictures fully decoded by this process (image_verdict): a warm build decodes none


def check_image(path: Path, file: str, line: int, target: str, cache=None) -> list[Problem]:
    """Problems of an image file an item uses (`target` as the editor wrote it); never raises.
    What the bytes are (image_verdict, a full decode) is kept in the build cache by their hash,
    like the derivatives: a picture is decoded again only when its bytes change."""

    def problem(message: str, hint: str) -> list[Problem]:
        return [Problem(file, line, message, hint)]

    if not path.is_file():
        return problem(
            f"图片“{target}”不存在。",
            "检查文件名（包括大小写和扩展名）；路径相对于稿件文件本身，图片和稿件放在同一文件夹时只写文件名。",
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        return problem(
            f"图片“{target}”太大：{size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限。", FIX_SIZE
        )
    try:
        data = path.read_bytes()
    except OSError:
        return problem(f"文件“{target}”无法读取。", "检查文件是否被其他程序占用，或重新复制一份。")
    verdict = verdict_cached(data, cache)
    if not verdict:
        return []
    reason, details = verdict[0], verdict[1:]
    too_many_pixels = f"图片“{target}”尺寸过大：超过 {MAX_PIXELS // 10_000} 万像素的上限"
    fix_pixels = "缩小到长边不超过 4000 像素后再上传，" + FIX_SIZE
    if reason == "bomb":
        return problem(f"{too_many_pixels}。", fix_pixels)
    if reason == "unreadable":
        return problem(f"文件“{target}”不是可以打开的图片（可能只是改了扩展名，或文件已损坏）。", FIX_FORMAT)
    if reason == "format":
        return problem(f"图片“{target}”的格式是 {details[0]}，网站只接受 {'、'.join(FORMATS.values())}。", FIX_FORMAT)
    if reason == "pixels":
        width, height = details
        return problem(
            f"{too_many_pixels}（{width}×{height} 像素，约 {width * height // 10_000} 万像素）。", fix_pixels
        )
    if reason == "frames":
        frames, width, height = details
        return problem(
            f"动图“{target}”太大：{frames} 帧、{width}×{height} 像素（最多 {MAX_FRAMES} 帧）。",
            "动图会逐帧重新生成以去掉拍摄信息：请剪短或缩小后再上传，或改为视频平台嵌入。",
        )
    return problem(
        f"图片“{target}”已损坏或不完整，无法读取全部内容。",
        "可能是上传或复制时中断了：用看图软件打开原图确认，再重新导出、上传。",
    )


def verdict_cached(data: bytes, cache) -> tuple:
    """image_verdict(), kept in the build cache (kind CHECKS) when there is one."""
    key = digest(data, CHECK_VERSION)
    if cache is not None and (hit := cache.get(CHECKS, key)) is not None:
        return hit
    verdict = image_verdict(data)
    if cache is not None:
        cache.put(CHECKS, key, verdict)
    return verdict


def image_verdict(data: bytes) -> tuple:
    """What the bytes of a picture are, wherever it is used: () when it is a good picture, else
    (reason, *details): bomb, unreadable, (format, name), (pixels, w, h), (frames, n, w, h), broken.
    Pure: the same bytes give the same verdict (so it is cached by their hash)."""
    global decoded
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ("bomb",)
    except Exception:
        return ("unreadable",)
    if kind not in FORMATS:
        return ("format", kind)
    if width * height > MAX_PIXELS:
        return ("pixels", width, height)
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
    except Exception:
        frames = 1
    if frames > MAX_FRAMES or width * height * frames > MAX_ANIMATION_PIXELS:
        return ("frames", frames, width, height)
    decoded += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: load a fresh one
                image.load()
    except Exception:
        return ("broken",)
    return ()


def alt_problems(body: str, file: str, body_line: int) -> list[Problem]:
    """Every image of a Markdown body without alternative text, on its own line (code aside)."""
    scanned = scan(body)
    found: list[tuple[int, str, str]] = []
    for link in scanned.links():
        if link.picture and not link.text.strip():
            written = f"![][{link.target}]" if link.kind == "reference" else f"![]({link.target})"
            found.append((link.at, written, "![县政协界别协商会现场](photo.jpg)"))
    for match in IMG_TAG.finditer(scanned.masked):
        attrs = _tag_attrs(match.group(0))
        if not (attrs.get("alt") or "").strip():
            found.append(
                (
                    match.start(),
                    f'<img src="{attrs.get("src") or ""}">',
                    '<img src="photo.jpg" alt="县政协界别协商会现场">',
                )
            )
    return [
        Problem(
            file,
            body_line + scanned.line_of(start),
            f"图片缺少替代文字（alt）：{written}。",
            f"用一句话写出图片内容，例如 {example}（无障碍要求：看不见图片的读者靠它了解内容）。",
        )
        for start, written, example in sorted(found)
    ]


# --- derivatives --------------------------------------------------------------------------


def target_widths(width: int) -> list[int]:
    """480, 960, 1440 as far as the original reaches, plus the original width below 1440."""
    widths = [w for w in WIDTHS if w <= width]
    if width < WIDTHS[-1] and width not in widths:
        widths.append(width)
    return widths


def derivatives(data: bytes, stem: str) -> list[Derivative]:
    """Resized copies of a checked image (see check_image), orientation applied and all
    metadata stripped: for each width a WebP and a fallback (PNG for PNG and GIF sources
    and anything transparent, JPEG otherwise). An animation is re-encoded frame by frame too."""
    with Image.open(io.BytesIO(data)) as source:
        if getattr(source, "n_frames", 1) > 1:
            return _animation(source, stem)
        family = source.format
        image = ImageOps.exif_transpose(source)
    transparent = image.has_transparency_data and image.convert("RGBA").getchannel("A").getextrema()[0] < 255
    mode = "RGBA" if transparent else "RGB"
    image = image.convert(mode)
    fallback = "PNG" if transparent or family in ("PNG", "GIF") else "JPEG"
    result = []
    for width in target_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        clean = Image.frombytes(mode, resized.size, resized.tobytes())  # a new image: no info, no EXIF, no ICC
        for kind in ("WEBP", fallback):
            result.append(Derivative(f"{stem}-{width}.{_EXT[kind]}", width, height, _MIME[kind], _encode(clean, kind)))
    return result


def derivatives_cached(data: bytes, stem: str, cache) -> list[Derivative]:
    """derivatives(), kept in the build cache (kind "images") when there is one."""
    key = digest(data, stem, VERSION)
    if cache is not None and (hit := cache.get("images", key)) is not None:
        return hit
    result = derivatives(data, stem)
    if cache is not None:
        cache.put("images", key, result)
    return result


def _animation(source: Image.Image, stem: str) -> list[Derivative]:
    """An animated GIF, PNG or WebP as new frames (no comment, EXIF, XMP or ICC profile
    survives), at most the largest width: an animated WebP and one in the source's own
    format (GIF for a WebP source, which older browsers cannot animate)."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(source):
        durations.append(int(frame.info.get("duration") or 100))
        rgba = frame.convert("RGBA")
        frames.append(Image.frombytes("RGBA", rgba.size, rgba.tobytes()))
    width = min(frames[0].width, WIDTHS[-1])
    height = max(1, round(frames[0].height * width / frames[0].width))
    if width != frames[0].width:
        frames = [frame.resize((width, height), Image.Resampling.LANCZOS) for frame in frames]
    loop = int(source.info.get("loop", 0) or 0)
    fallback = "PNG" if source.format == "PNG" else "GIF"
    result = []
    for kind in ("WEBP", fallback):
        buffer = io.BytesIO()
        options = {"quality": WEBP_QUALITY} if kind == "WEBP" else {"disposal": 2} if kind == "GIF" else {}
        frames[0].save(buffer, kind, save_all=True, append_images=frames[1:], duration=durations, loop=loop, **options)
        result.append(Derivative(f"{stem}-{width}.{_EXT[kind]}", width, height, _MIME[kind], buffer.getvalue()))
    return result


_EXT = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png", "GIF": "gif"}
_MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
_OPTIONS = {
    "WEBP": {"quality": WEBP_QUALITY},
    "JPEG": {"quality": JPEG_QUALITY, "optimize": True, "progressive": True},
    "PNG": {},
}


def _encode(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **_OPTIONS[kind])
    return buffer.getvalue()


# --- HTML ---------------------------------------------------------------------------------

_OWN_ATTRS = {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding"}


def picture_html(alt: str, sources: list[Derivative], base: str, extra: Mapping[str, str | None] | None = None) -> str:
    """<picture> with a WebP srcset and the fallback <img>; `base` is the URL of the folder
    holding the derivatives. `extra` attributes (title, class, id …) are kept on the <img>."""

    def url(d: Derivative) -> str:
        return f"{base.rstrip('/')}/{quote(d.name)}" if base else quote(d.name)

    def srcset(items: list[Derivative]) -> str:
        return ", ".join(f"{url(d)} {d.width}w" for d in items)

    webp = sorted((d for d in sources if d.mime == "image/webp"), key=lambda d: d.width)
    fallback = sorted((d for d in sources if d.mime != "image/webp"), key=lambda d: d.width)
    default = max((d for d in fallback if d.width <= DEFAULT_WIDTH), key=lambda d: d.width, default=fallback[0])
    attrs = "".join(
        f" {escape(name)}" if value is None else f' {escape(name)}="{escape(value)}"'
        for name, value in (extra or {}).items()
        if name not in _OWN_ATTRS
    )
    return (
        f'<picture><source type="image/webp" srcset="{escape(srcset(webp))}" sizes="{SIZES}">'
        f'<img src="{escape(url(default))}" srcset="{escape(srcset(fallback))}" sizes="{SIZES}"'
        f' width="{default.width}" height="{default.height}" alt="{escape(alt)}"{attrs}'
        f' loading="lazy" decoding="async"></picture>'
    )


def rewrite_images(html: str, lookup: Callable[[str], tuple[list[Derivative], str] | None]) -> str:
    """Replace each <img> whose src (HTML-unescaped, as written) `lookup` knows by its
    <picture>; everything else is kept byte for byte."""

    def replace(match: re.Match) -> str:
        attrs = _tag_attrs(match.group(0))
        found = lookup(attrs["src"]) if attrs.get("src") else None
        if not found or not found[0]:
            return match.group(0)
        sources, base = found
        return picture_html(attrs.get("alt") or "", sources, base, attrs)

    return IMG_TAG.sub(replace, html)


class _TagParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.attrs.setdefault(name, value)  # as browsers do: the first of a repeated attribute


def _tag_attrs(tag: str) -> dict[str, str | None]:
    """The attributes of one start tag, values unescaped (a bare attribute is None)."""
    parser = _TagParser()
    parser.feed(tag)
    parser.close()
    return parser.attrs
