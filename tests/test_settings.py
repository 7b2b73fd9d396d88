"""`extra.portal` and `extra.identity` (portal.settings): declared once, checked in Chinese, engine-free."""

import pytest

from portal.settings import PortalSettings, SettingsError, line_of, load_settings


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
        ({"portal": {"per_pag": 10}}, "extra.portal 中没有“per_pag”这一项（是不是 per_page？）"),
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
        ({"portal": {"per_page": 0}}, "extra.portal.per_page 应是不小于 1 的整数，现在是 0"),
        ({"portal": {"render_workers": -1}}, "extra.portal.render_workers 应是不小于 0 的整数，现在是 -1"),
        ({"portal": {"home_news": -3}}, "extra.portal.home_news 应是不小于 0 的整数"),
    ],
)
def test_a_wrong_setting_is_a_chinese_error_naming_it(extra, expected):
    message = _error(extra)
    assert message.startswith("mkdocs.yml 中 extra.") and expected in message, message


def test_every_problem_is_told_at_once():
    message = _error({"portal": {"per_page": "x", "home_news": "y", "colour": 1}})
    assert "per_page" in message and "home_news" in message and "colour" in message


def test_the_error_names_the_first_wrong_setting_and_its_line_is_found():
    text = (
        "site_name: 门户\nextra:\n  identity:\n    per_page: 1\n  portal:\n    content_dir: content\n"
        "    per_pag: 20\n    accounts: []\n"
    )
    with pytest.raises(SettingsError) as raised:
        load_settings({"portal": {"content_dir": "content", "per_pag": 20}})
    assert raised.value.path == "extra.portal.per_pag"
    assert line_of(text, raised.value.path) == 7
    assert line_of(text, "extra.portal.per_page") == 5  # not written: the line of what holds it
    assert line_of(text, "extra.identity.accounts 第 1 项") == 3  # identity has no accounts line under it
    assert line_of("", "extra.portal.per_page") == 0


def test_check_names_mkdocs_yml_and_the_line_of_a_wrong_setting(portal):
    from conftest import run_check

    portal.config(portal={"per_pag": 5})
    done = run_check(portal)
    lines = (portal.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "per_pag:" in text)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert f"mkdocs.yml:{line}: " in done.stdout and "是不是 per_page？" in done.stdout, done.stdout


def test_a_name_written_without_a_value_keeps_its_default():
    """`icp:` left blank (YAML null) was accepted by MkDocs' options as the default; the
    dataclasses must not turn it into an error, nor leave None for the templates."""
    settings, identity = load_settings(
        {"portal": {"per_page": None, "cache_dir": None, "embed_hosts": None}, "identity": {"icp": None, "logo": None}}
    )
    assert (settings.per_page, settings.cache_dir, settings.embed_hosts) == (
        20,
        ".cache/portal",
        PortalSettings().embed_hosts,
    )
    assert (identity["icp"], identity["logo"], identity["accounts"]) == ("", "images/logo.svg", [])
    _, identity = load_settings({"identity": {"accounts": [{"name": "某县统战", "qr": None}]}})
    assert identity["accounts"] == [{"name": "某县统战", "qr": "", "note": ""}]
    assert "extra.identity.accounts 第 1 项 缺少 name" in _error({"identity": {"accounts": [{"name": None}]}})
    assert "空值“None”" not in _error({"portal": {"embed_hosts": [None]}})


def test_a_date_where_text_belongs_is_called_a_date():
    import datetime as dt

    assert "现在是日期“2024-01-01”" in _error({"identity": {"contact": dt.date(2024, 1, 1)}})


def test_the_build_names_the_line_of_a_wrong_setting_as_check_does(portal):
    portal.config(portal={"per_pag": 5})
    built = portal.build()
    lines = (portal.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "per_pag:" in text)
    assert built.returncode == 1 and "Traceback" not in built.output
    assert f"mkdocs.yml（第 {line} 行）中 extra.portal 的设置有误" in built.output, built.output
    assert "是不是 per_page？" in built.output
