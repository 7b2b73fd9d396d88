"""The mainland mirror upload, against a local S3-compatible server (moto) on loopback."""

from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer

from portal.cli.mirror import sync


@pytest.fixture
def bucket():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{host}:{port}",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket="portal")
    yield client
    server.stop()


def _site(root, files):
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_mirror_uploads_changed_files_with_headers_and_deletes_stale_ones_last(tmp_path, bucket):
    first = _site(
        tmp_path / "v1",
        {
            "index.html": "首页".encode(),
            "assets/app.1234.js": b"js",
            "old.html": b"old",
            "news/a/index.html": b"a",
            "feed.xml": b"<rss/>",
        },
    )
    report = sync(first, bucket, "portal")
    assert (report.uploaded, report.unchanged, report.deleted) == (5, 0, 0)
    page = bucket.get_object(Bucket="portal", Key="index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    asset = bucket.head_object(Bucket="portal", Key="assets/app.1234.js")
    assert asset["CacheControl"] == "public, max-age=31536000, immutable" and "javascript" in asset["ContentType"]

    calls = []
    bucket.meta.events.register("before-call.s3.*", lambda event_name, **kw: calls.append(event_name.split(".")[-1]))
    second = _site(
        tmp_path / "v2",
        {
            "index.html": "新首页".encode(),
            "assets/app.1234.js": b"js",
            "news/a/index.html": b"a",
            "feed.xml": b"<rss/>",
            "news/b/index.html": b"b",
        },
    )
    report = sync(second, bucket, "portal")
    assert (report.uploaded, report.unchanged, report.deleted) == (2, 3, 1)
    puts = [i for i, call in enumerate(calls) if call == "PutObject"]
    deletes = [i for i, call in enumerate(calls) if call == "DeleteObject"]
    assert deletes and max(puts) < min(deletes)  # nothing removed before the new site is complete
    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket="portal")["Contents"]}
    assert keys == {"index.html", "assets/app.1234.js", "news/a/index.html", "feed.xml", "news/b/index.html"}
    assert bucket.get_object(Bucket="portal", Key="index.html")["Body"].read() == "新首页".encode()
