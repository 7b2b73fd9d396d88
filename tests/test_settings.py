"""`extra.portal` and `extra.identity` (portal.settings): declared once, checked in Chinese, engine-free."""

import pytest

from portal.settings import PortalSettings, SettingsError, load_settings


def _error(extra) -> str:
    with pytest.raises(SettingsError) as raised:
        load_settings(extra)
    return str(raised.value)


def test_defaults_come_from_the_declaration():
    settings, identity = load_settings({})
    assert settings == PortalSettings()
    assert settings.per_page == 20 and settings.empty_columns == "warning"
    assert identity["logo"] == "images/logo.svg" and identity["accounts"] == []


def test_values_are_taken_and_accounts_become_plain_mappings():
    settings, identity = load_settings(
        {
            "portal": {"per_page": 5, "embed_hosts": ["v.qq.com"], "empty_columns": "notice"},
            "identity": {"contact": "0571-00000000", "accounts": [{"name": "某县统战", "qr": "images/q.png"}]},
        }
    )
    assert (settings.per_page, settings.embed_hosts, settings.empty_columns) == (5, ["v.qq.com"], "notice")
    assert identity["contact"] == "0571-00000000"
    assert identity["accounts"] == [{"name": "某县统战", "qr": "images/q.png", "note": ""}]


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"portal": {"per_pag": 10}}, "extra.portal 中没有“per_pag”这一项，是不是 per_page？"),
        ({"portal": {"per_page": "十"}}, "extra.portal.per_page 应是整数，现在是文字“十”"),
        ({"portal": {"per_page": True}}, "extra.portal.per_page 应是整数，现在是是/否（true/false）"),
        ({"portal": {"empty_columns": "error"}}, "extra.portal.empty_columns 只能是 warning 或 notice"),
        ({"portal": {"embed_hosts": "v.qq.com"}}, "extra.portal.embed_hosts 应是列表"),
        ({"portal": {"embed_hosts": ["v.qq.com", 3]}}, "extra.portal.embed_hosts 第 2 项 应是文字"),
        ({"portal": ["per_page"]}, "extra.portal 应是“名称: 值”的若干行"),
        ({"identity": {"contact": 12345678}}, "请用引号括起来"),
        ({"identity": {"accounts": [{"qr": "images/q.png"}]}}, "extra.identity.accounts 第 1 项 缺少 name"),
        ({"identity": {"accounts": [{"qr": "images/q.png"}]}}, "- {name: 某县统战, qr: images/wechat.png"),
        ({"identity": {"accounts": ["某县统战"]}}, "extra.identity.accounts 第 1 项 应是“名称: 值”的若干行"),
        ({"portal": {"timezone": "Asia/Beijing"}}, "extra.portal.timezone 的值“Asia/Beijing”不是时区名称"),
    ],
)
def test_a_wrong_setting_is_a_chinese_error_naming_it(extra, expected):
    message = _error(extra)
    assert message.startswith("mkdocs.yml 中 extra.") and expected in message, message


def test_every_problem_is_told_at_once():
    message = _error({"portal": {"per_page": "x", "home_news": "y", "colour": 1}})
    assert "per_page" in message and "home_news" in message and "colour" in message
