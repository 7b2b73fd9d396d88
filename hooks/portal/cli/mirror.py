"""Upload the built site to an S3-compatible bucket (Aliyun OSS, Tencent COS) for a mainland
mirror: only changed files, with Content-Type and cache headers; files the new site no
longer has are deleted only after every upload succeeded, so readers never meet a gap.

    MIRROR_ENDPOINT=https://oss-cn-hangzhou.aliyuncs.com MIRROR_BUCKET=… MIRROR_ACCESS_KEY_ID=… \\
    MIRROR_SECRET_ACCESS_KEY=… .venv/bin/python -m portal mirror site

Safety: a missing or empty site folder, or one without index.html, is refused before the
bucket is touched; a sync that would delete more than MAX_DELETE_SHARE of the bucket's
files is refused unless `--allow-mass-delete` is given (a wrong folder or a half-built
site must not empty the mainland mirror).
"""

from __future__ import annotations

import argparse
import hashlib
import mimetypes
import os
import sys
from dataclasses import dataclass
from pathlib import Path

TEXT = ("text/", "application/json", "application/xml", "application/javascript", "image/svg+xml")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("image/webp", ".webp")


def headers(key: str) -> tuple[str, str]:
    """Content-Type and Cache-Control of one file: pages and feeds revalidate, Material's
    hashed assets are immutable, everything else keeps an hour."""
    kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
    if kind.startswith(TEXT):
        kind += "; charset=utf-8"
    if key.endswith((".html", ".xml", ".json")) or key.startswith("search/"):
        cache = "no-cache"
    elif key.startswith("assets/"):
        cache = "public, max-age=31536000, immutable"
    else:
        cache = "public, max-age=3600"
    return kind, cache


MAX_DELETE_SHARE = 0.5
SETTINGS = {
    "MIRROR_ENDPOINT": "存储桶的 S3 兼容地址，例如 https://oss-cn-hangzhou.aliyuncs.com",
    "MIRROR_BUCKET": "存储桶名称",
    "MIRROR_ACCESS_KEY_ID": "访问密钥 ID",
    "MIRROR_SECRET_ACCESS_KEY": "访问密钥",
}


class MirrorError(Exception):
    """A refusal, in Chinese, before anything in the bucket changed."""


def check_site(site: Path) -> list[Path]:
    """The files of a built site, or MirrorError when it does not look like one."""
    if not site.is_dir():
        raise MirrorError(f"网站文件夹 {site} 不存在：请先运行 make build，再同步镜像。")
    local = sorted(p for p in site.rglob("*") if p.is_file() and not p.is_symlink())
    if not local:
        raise MirrorError(f"网站文件夹 {site} 是空的：请先运行 make build，再同步镜像。")
    if not (site / "index.html").is_file():
        raise MirrorError(
            f"网站文件夹 {site} 中没有 index.html，不像是构建好的网站：请检查路径，或重新运行 make build。"
        )
    return local


@dataclass
class Report:
    uploaded: int = 0
    unchanged: int = 0
    deleted: int = 0


def sync(
    site: Path, client, bucket: str, allow_mass_delete: bool = False, max_delete_share: float = MAX_DELETE_SHARE
) -> Report:
    local = check_site(site)
    report = Report()
    remote = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        remote.update({item["Key"]: item["ETag"].strip('"') for item in page.get("Contents", [])})
    stale = set(remote) - {path.relative_to(site).as_posix() for path in local}
    if remote and len(stale) > max_delete_share * len(remote) and not allow_mass_delete:
        raise MirrorError(
            f"这次同步会删除存储桶中 {len(stale)} 个文件（共 {len(remote)} 个，超过 {max_delete_share:.0%}），已停止，"
            "存储桶没有任何改动。请确认网站文件夹是完整构建的结果；确实要删除时加参数 --allow-mass-delete。"
        )
    keys = set()
    for path in local:
        key = path.relative_to(site).as_posix()
        keys.add(key)
        data = path.read_bytes()
        if remote.get(key) == hashlib.md5(data).hexdigest():
            report.unchanged += 1
            continue
        kind, cache = headers(key)
        client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=kind, CacheControl=cache)
        report.uploaded += 1
    for key in sorted(set(remote) - keys):  # only now: the new site is complete
        client.delete_object(Bucket=bucket, Key=key)
        report.deleted += 1
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把构建好的网站同步到境内 S3 兼容存储桶。")
    parser.add_argument("site", nargs="?", default="site", type=Path, help="网站文件夹（默认 site）")
    parser.add_argument(
        "--allow-mass-delete", action="store_true", help=f"允许删除存储桶中超过 {MAX_DELETE_SHARE:.0%} 的文件"
    )
    args = parser.parse_args(argv)
    missing = [f"{name}（{what}）" for name, what in SETTINGS.items() if not os.environ.get(name, "").strip()]
    if missing:
        print(
            "镜像同步没有运行：缺少设置 " + "、".join(missing) + "。请在仓库的 Settings → Secrets 中添加。",
            file=sys.stderr,
        )
        return 2
    try:
        check_site(args.site)
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=os.environ["MIRROR_ENDPOINT"],
            region_name=os.environ.get("MIRROR_REGION") or None,
            aws_access_key_id=os.environ["MIRROR_ACCESS_KEY_ID"],
            aws_secret_access_key=os.environ["MIRROR_SECRET_ACCESS_KEY"],
        )
        report = sync(args.site, client, os.environ["MIRROR_BUCKET"], allow_mass_delete=args.allow_mass_delete)
    except MirrorError as error:
        print(f"镜像同步已停止：{error}", file=sys.stderr)
        return 1
    print(f"镜像同步完成：上传 {report.uploaded} 个文件，未变 {report.unchanged} 个，删除 {report.deleted} 个。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
