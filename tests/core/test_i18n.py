import pytest

from services.core.i18n import negotiate_language, register_messages, translate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.9, zh;q=0.8", "en"),
        ("zh;q=0.5, en;q=0.9", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr-FR, de", "zh"),
        ("en;q=0, zh", "zh"),
        ("en;q=abc", "zh"),
        ("zh-Hant-TW", "zh"),
    ],
)
def test_negotiate_language_header(header: str | None, expected: str) -> None:
    assert negotiate_language(header) == expected


def test_translate_fills_parameters() -> None:
    text = translate("job.not_found", "en", job_id="abc")

    assert text == "Job 'abc' was not found."


def test_translate_missing_parameter_keeps_text() -> None:
    text = translate("job.not_found", "zh")

    assert "任务" in text


def test_translate_unknown_code_returns_code() -> None:
    assert translate("no.such.code", "en", value=1).startswith("no.such.code")


def test_register_requires_both_languages() -> None:
    with pytest.raises(ValueError, match="en"):
        register_messages({"test.only_zh": {"zh": "中文"}})  # type: ignore[dict-item]


def test_register_rejects_conflicting_text() -> None:
    register_messages({"test.same": {"zh": "甲", "en": "A"}})
    register_messages({"test.same": {"zh": "甲", "en": "A"}})

    with pytest.raises(ValueError, match="already registered"):
        register_messages({"test.same": {"zh": "乙", "en": "B"}})
