"""Images: checks for editors, web derivatives without metadata, <picture> HTML."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from portal.images import (
    Derivative,
    alt_problems,
    check_image,
    derivatives,
    derivatives_cached,
    picture_html,
    rewrite_images,
)

FILE = "content/news/2026/a.md"
GPS_DATE = "2026:01:30"  # written in the GPS IFD, looked for in the output bytes
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-xmp</x:xmpmeta>'


def _bytes(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A deterministic picture with some detail."""
    bands = (
        Image.linear_gradient("L").resize(size),
        Image.effect_mandelbrot(size, (-2, -1.5, 1, 1.5), 64),
        Image.radial_gradient("L").resize(size),
    )
    return Image.merge("RGB", bands).convert(mode)


def _camera_jpeg() -> bytes:
    """2000×1000 as stored, Orientation 6 (rotate to 1000×2000), with GPS, XMP and an ICC profile."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (30.0, 31.0, 0.0), 0x1D: GPS_DATE}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _bytes(_picture((2000, 1000)), "JPEG", exif=exif, xmp=XMP, icc_profile=icc)


def _open(d: Derivative) -> Image.Image:
    image = Image.open(io.BytesIO(d.data))
    image.load()
    return image


def test_derivatives_strip_metadata_and_apply_orientation():
    source = _camera_jpeg()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the fixture does carry GPS …
    markers = (b"Exif\0\0", GPS_DATE.encode(), b"secret-xmp", b"ICC_PROFILE")
    assert all(marker in source for marker in markers)  # … and every marker looked for below
    result = derivatives(source, "photo")
    assert result
    for d in result:
        image = _open(d)
        assert image.getexif() == {} and not image.getexif().get_ifd(0x8825), d.name
        assert not {"exif", "xmp", "icc_profile"} & image.info.keys(), d.name
        for marker in markers:
            assert marker not in d.data, (d.name, marker)
        assert (image.width, image.height) == (d.width, d.height)
        assert d.height == 2 * d.width  # rotated: portrait now


def test_widths_of_a_large_image():
    result = derivatives(_bytes(_picture((2000, 1000)), "JPEG"), "a")
    assert [(d.name, d.width, d.height, d.mime) for d in result] == [
        ("a-480.webp", 480, 240, "image/webp"),
        ("a-480.jpg", 480, 240, "image/jpeg"),
        ("a-960.webp", 960, 480, "image/webp"),
        ("a-960.jpg", 960, 480, "image/jpeg"),
        ("a-1440.webp", 1440, 720, "image/webp"),
        ("a-1440.jpg", 1440, 720, "image/jpeg"),
    ]
    assert [_open(d).format for d in result] == ["WEBP", "JPEG"] * 3


def test_a_small_image_is_never_upscaled():
    result = derivatives(_bytes(_picture((600, 300)), "JPEG"), "a")
    assert [d.name for d in result] == ["a-480.webp", "a-480.jpg", "a-600.webp", "a-600.jpg"]
    assert derivatives(_bytes(_picture((300, 200)), "JPEG"), "b")[-1].width == 300


def test_png_with_alpha_keeps_a_png_fallback_with_alpha():
    image = _picture((1000, 500), "RGBA")
    image.putalpha(Image.linear_gradient("L").resize((1000, 500)))
    result = derivatives(_bytes(image, "PNG"), "chart")
    assert [d.mime for d in result] == ["image/webp", "image/png"] * 3
    for d in result:
        assert _open(d).mode == "RGBA"


def test_an_animated_gif_is_re_encoded_still_animated():
    frames = [Image.new("RGB", (600, 400), colour) for colour in ("red", "blue")]
    result = derivatives(_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:]), "anim")
    assert [(d.name, d.mime) for d in result] == [("anim-600.webp", "image/webp"), ("anim-600.gif", "image/gif")]
    assert all(_open(d).n_frames == 2 for d in result)


def test_derivatives_are_deterministic_and_cached():
    source = _bytes(_picture((1200, 800)), "JPEG")
    assert derivatives(source, "a") == derivatives(source, "a")

    class Cache(dict):
        def get(self, kind, key):
            return super().get((kind, key))

        def put(self, kind, key, value):
            self[(kind, key)] = value

    cache = Cache()
    first = derivatives_cached(source, "a", cache)
    assert list(cache) and next(iter(cache))[0] == "images"
    assert derivatives_cached(source, "a", cache) is first
    assert derivatives_cached(source, "a", None) == first


# --- check_image ------------------------------------------------------------------------------


def _problem(path, target="photo.jpg"):
    problems = check_image(path, FILE, 7, target)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.file, problem.line) == (FILE, 7) and problem.hint
    assert target in problem.message
    return problem.message


def test_check_image_accepts_a_good_image(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(_bytes(_picture((800, 600)), "JPEG"))
    assert check_image(path, FILE, 7, "photo.jpg") == []


def test_check_image_missing_file(tmp_path):
    assert "不存在" in _problem(tmp_path / "photo.jpg")


def test_check_image_text_renamed_to_jpg(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_text("这不是图片\n", encoding="utf-8")
    assert "不是可以打开的图片" in _problem(path)


def test_check_image_truncated_jpeg(tmp_path):
    data = _bytes(_picture((800, 600)), "JPEG")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data[: len(data) // 2])
    assert "损坏或不完整" in _problem(path)


def test_check_image_over_10_mb(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(_bytes(_picture((100, 100)), "JPEG") + b"\0" * (11 * 1024 * 1024))
    assert "11.0 MB" in _problem(path)


@pytest.mark.parametrize("size", [(8000, 8000), (20000, 10000)])  # 64 MP; 200 MP trips Pillow's bomb guard
def test_check_image_too_many_pixels(tmp_path, size):
    path = tmp_path / "scan.png"
    Image.new("1", size).save(path)
    assert path.stat().st_size < 1024 * 1024
    assert "尺寸过大" in _problem(path, "scan.png")


def test_check_image_unsupported_format(tmp_path):
    path = tmp_path / "photo.bmp"
    Image.new("RGB", (10, 10)).save(path)
    assert "BMP" in _problem(path, "photo.bmp")


# --- alt text ---------------------------------------------------------------------------------


def test_alt_problems_on_their_lines():
    body = '第一段。\n\n![](a.jpg)\n\n![现场](b.jpg)\n<img src=x>\n<img src=y alt="会议现场">\n![ ][ref]\n'
    problems = alt_problems(body, FILE, 10)
    assert [(p.file, p.line) for p in problems] == [(FILE, 12), (FILE, 15), (FILE, 17)]
    assert all("图片缺少替代文字（alt）" in p.message and "县政协界别协商会现场" in p.hint for p in problems)
    assert [p.message.split("：")[1] for p in problems] == ["![](a.jpg)。", '<img src="x">。', "![][ref]。"]
    assert alt_problems("![现场](a.jpg)", FILE, 1) == []


# --- HTML -------------------------------------------------------------------------------------


def _sources(stem: str = "a") -> list[Derivative]:
    return [
        Derivative(f"{stem}-{w}.{ext}", w, w // 2, mime, b"")
        for w in (480, 960, 1440)
        for ext, mime in (("webp", "image/webp"), ("jpg", "image/jpeg"))
    ]


def test_picture_html_escapes_alt_and_sizes_the_image():
    html = picture_html('"><script>alert(1)</script>', _sources(), "/img/news")
    assert "<script>" not in html and 'alt="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert html.startswith(
        '<picture><source type="image/webp" srcset="/img/news/a-480.webp 480w, '
        '/img/news/a-960.webp 960w, /img/news/a-1440.webp 1440w"'
    )
    assert '<img src="/img/news/a-960.jpg" srcset="/img/news/a-480.jpg 480w, ' in html
    assert 'width="960" height="480"' in html and 'loading="lazy"' in html and 'decoding="async"' in html
    assert html.endswith("></picture>")


def test_picture_html_quotes_file_names():
    html = picture_html("现场", _sources("现场 1"), "img")
    assert 'src="img/%E7%8E%B0%E5%9C%BA%201-960.jpg"' in html


def test_rewrite_images_replaces_known_images_only():
    html = (
        '<p>前文 <img alt="会场 &amp; 来宾" src="a.jpg" title="合影"> 中间 '
        '<img src="other.png" alt="别的"/> 后文</p>\n<pre>&lt;img src="a.jpg"&gt;</pre>'
    )
    result = rewrite_images(html, lambda src: (_sources(), "../img") if src == "a.jpg" else None)
    assert result.startswith('<p>前文 <picture><source type="image/webp" srcset="../img/a-480.webp 480w')
    assert 'alt="会场 &amp; 来宾" title="合影" loading="lazy"' in result
    tail = ' 中间 <img src="other.png" alt="别的"/> 后文</p>\n<pre>&lt;img src="a.jpg"&gt;</pre>'
    assert result.endswith("</picture>" + tail)
    assert rewrite_images(html, lambda src: None) == html


# --- verdicts cached by the bytes -------------------------------------------------------------


def _pictured_content(root, count: int, broken: bool = True):
    """A content/ folder (plain files, no build) with `count` items, each with its own JPEG,
    and one item whose picture is cut short."""
    import yaml

    from conftest import CATALOGUE, news

    (root / "news/2026").mkdir(parents=True)
    (root / "catalogue.yml").write_text(yaml.safe_dump(CATALOGUE, allow_unicode=True), encoding="utf-8")
    for number in range(count + broken):
        data = _bytes(_picture((320 + number, 240)), "JPEG", quality=85)
        if number == count:
            data = data[: len(data) // 2]  # the broken one
        (root / f"news/2026/p{number}.jpg").write_bytes(data)
        front = yaml.safe_dump(news(title=f"配图稿件{number}"), allow_unicode=True, sort_keys=False)
        (root / f"news/2026/p{number}.md").write_text(
            f"---\n{front}---\n\n第一段。\n\n![会场](p{number}.jpg)\n", encoding="utf-8"
        )


def test_a_warm_reading_decodes_no_picture_and_reports_the_same(tmp_path):
    import portal.images as portal_images
    from portal.cache import BuildCache
    from portal.content.reader import load_content

    _pictured_content(tmp_path / "content", 5)

    def read():
        cache = BuildCache(tmp_path / "cache", "salt")
        before = portal_images.decoded
        content = load_content(tmp_path / "content", "content", cache)
        hits = {key for kind, key in cache.used if kind == portal_images.CHECKS}  # read or written
        cache.save("items", portal_images.CHECKS)
        cache.db.close()
        return content, portal_images.decoded - before, hits

    cold, cold_decodes, _ = read()
    warm, warm_decodes, hits = read()
    assert cold_decodes == 6 and warm_decodes == 0  # the second reading took every verdict from the cache
    assert len(hits) == 6
    broken = [str(p) for p in warm.problems if "已损坏或不完整" in p.message]
    assert broken == [str(p) for p in cold.problems if "已损坏或不完整" in p.message]
    assert broken == [
        "content/news/2026/p5.md:16: 图片“p5.jpg”已损坏或不完整，无法读取全部内容。"
        " 修改建议：可能是上传或复制时中断了：用看图软件打开原图确认，再重新导出、上传。"
    ]
    assert len(warm.items) == len(cold.items) == 5
    (tmp_path / "content/news/2026/p0.jpg").write_bytes(_bytes(_picture((400, 300)), "JPEG"))
    _, decodes, _ = read()
    assert decodes == 1  # only the changed picture


def test_a_verdict_is_the_bytes_own_wherever_they_are_used(tmp_path):
    import portal.images as portal_images

    data = _bytes(_picture((200, 100)), "PNG")[:-30]
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(data)
    store = {}

    class Cache:
        def get(self, kind, key):
            return store.get((kind, key))

        def put(self, kind, key, value):
            store[(kind, key)] = value

    before = portal_images.decoded
    first = check_image(tmp_path / "a.png", FILE, 3, "a.png", Cache())
    second = check_image(tmp_path / "b.png", "content/news/2026/b.md", 9, "b.png", Cache())
    assert portal_images.decoded - before == 1 and len(store) == 1
    assert [p.line for p in first + second] == [3, 9] and "“b.png”" in second[0].message
    assert second[0].file == "content/news/2026/b.md"


def test_a_build_keeps_the_verdicts_of_the_pictures_it_used(portal):
    import sqlite3

    from conftest import news

    portal.write("news/2026/photo.jpg", _bytes(_picture((640, 480)), "JPEG"))
    portal.item("news/2026/a.md", news(), body="第一段。\n\n![会场](photo.jpg)\n")
    assert portal.build().returncode == 0

    def verdicts():
        [path] = (portal.root / ".cache/portal").glob("*.sqlite")
        with sqlite3.connect(path) as db:
            return db.execute("SELECT COUNT(*) FROM entries WHERE kind = 'image-checks'").fetchone()[0]

    assert verdicts() == 1
    (portal.content / "news/2026/a.md").unlink()
    portal.item("news/2026/b.md", news(title="无图稿件"), body="第一段。\n")
    assert portal.build().returncode == 0
    assert verdicts() == 0  # a picture no longer used: its verdict is dropped


def test_a_reference_style_picture_is_published_and_checked(portal):
    """Regression: only inline targets (](photo.png)) were mounted; a picture written as
    ![图][p] with "[p]: photo.png" was not published (a broken picture) and never checked."""
    from conftest import news

    portal.write("news/2026/photo.png", _bytes(_picture((1200, 800)), "PNG"))
    portal.item("news/2026/a.md", news(), body="第一段正文。\n\n![会议现场][p]\n\n[p]: photo.png\n")
    build = portal.build()
    assert build.returncode == 0, build.output
    assert (build.site / "news/2026/photo.png").is_file()
    page = build.page("news/2026/a")
    assert 'src="../photo-960.png"' in page
    portal.item("news/2026/a.md", news(), body="第一段正文。\n\n![会议现场][p]\n\n[p]: missing.png\n")
    missing = portal.build()
    assert missing.returncode != 0 and "图片指向的文件“missing.png”不存在" in missing.output, missing.output


def test_a_picture_or_link_written_in_html_to_a_file_of_the_site_is_a_warning(portal):
    """<img src="photo.png"> and <a href="doc.pdf"> keep their path as written (MkDocs converts
    Markdown links only), so the published page's picture and link would be broken: a warning
    naming the line and the Markdown to write instead; other sites' addresses are not concerned."""
    from conftest import news

    portal.write("news/2026/photo.png", _bytes(_picture((1200, 800)), "PNG"))
    portal.write("news/2026/doc.pdf", b"%PDF-1.4\n%%EOF\n")
    portal.item(
        "news/2026/a.md",
        news(),
        body='第一段。\n\n<img src="photo.png" alt="现场">\n\n<a href="doc.pdf">通知</a>\n\n'
        '<a href="https://www.gov.cn/">中国政府网</a>\n',
    )
    build = portal.build()
    assert build.returncode != 0
    assert "a.md:16: 正文中用 HTML 写的图片“photo.png”指向本站的文件" in build.output, build.output
    assert "修改建议：改用 Markdown 写法，例如 ![图片说明](photo.png)。" in build.output
    assert "a.md:18: 正文中用 HTML 写的链接“doc.pdf”指向本站的文件" in build.output
    assert "gov.cn" not in build.output
