"""Upload the built site to an S3-compatible bucket (Aliyun OSS, Tencent COS) for a mainland
mirror: only changed files, with Content-Type and cache headers; files the new site no
longer has are deleted only after every upload succeeded, so readers never meet a gap.

    MIRROR_ENDPOINT=https://oss-cn-hangzhou.aliyuncs.com MIRROR_BUCKET=… MIRROR_ACCESS_KEY_ID=… \\
    MIRROR_SECRET_ACCESS_KEY=… .venv/bin/python hooks/portal_mirror.py site
"""

from __future__ import annotations

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


@dataclass
class Report:
    uploaded: int = 0
    unchanged: int = 0
    deleted: int = 0


def sync(site: Path, client, bucket: str) -> Report:
    report = Report()
    remote = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        remote.update({item["Key"]: item["ETag"].strip('"') for item in page.get("Contents", [])})
    local = sorted(p for p in site.rglob("*") if p.is_file())
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


def main() -> int:
    import boto3

    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    client = boto3.client("s3", endpoint_url=os.environ["MIRROR_ENDPOINT"], region_name=os.environ.get("MIRROR_REGION"),
                          aws_access_key_id=os.environ["MIRROR_ACCESS_KEY_ID"],
                          aws_secret_access_key=os.environ["MIRROR_SECRET_ACCESS_KEY"])
    report = sync(site, client, os.environ["MIRROR_BUCKET"])
    print(f"镜像同步完成：上传 {report.uploaded} 个文件，未变 {report.unchanged} 个，删除 {report.deleted} 个。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
