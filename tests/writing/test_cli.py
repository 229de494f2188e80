"""`xingchen writing ...` with the fake model."""

import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from apps.cli.main import app
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.writing.conftest import PIPL_PATH, plan_reply

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: ModelClient) -> Iterator[Path]:
    """Settings in a temporary folder; the CLI gets the test's fake model client."""
    import services.model.factory
    from services.core.settings import get_settings

    monkeypatch.setenv("XINGCHEN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "fake")
    monkeypatch.setattr(services.model.factory, "build_model_client", lambda settings: fake_model)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_outline_writes_json(cli_env: Path, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(plan_reply((1, "总体要求", "目标"), (2, "工作目标", "指标")))

    result = runner.invoke(
        app,
        [
            "writing",
            "outline",
            "--title",
            "方案",
            "--reference",
            str(PIPL_PATH),
            "--type",
            "方案",
            "--output",
            "o.json",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "1.1 工作目标" in result.output
    saved = json.loads((cli_env / "o.json").read_text(encoding="utf-8"))
    assert saved["document_type"] == "plan"


def test_draft_writes_docx(cli_env: Path, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(plan_reply((1, "个人信息处理规则", "")), "处理个人信息应当取得同意[1][8]。")

    result = runner.invoke(
        app,
        [
            "writing",
            "draft",
            "--title",
            "电信用户个人信息保护工作方案",
            "--reference",
            str(PIPL_PATH),
            "--output",
            "plan.docx",
        ],
    )

    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO((cli_env / "plan.docx").read_bytes()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "处理个人信息应当取得同意[1]。" in texts
    assert any(text.startswith(f"[1] {PIPL_PATH.name}") for text in texts)
    assert "removed invalid markers: 1" in result.output


def test_draft_uses_outline_file(cli_env: Path, fake_chat: FakeChatModel) -> None:
    outline = {"title": "自定义标题", "document_type": "notice", "sections": [{"id": "1", "heading": "工作要求"}]}
    (cli_env / "o.json").write_text(json.dumps(outline, ensure_ascii=False), encoding="utf-8")
    fake_chat.queue("请认真落实。")

    result = runner.invoke(app, ["writing", "draft", "--title", "x", "--outline", "o.json", "--output", "n.md"])

    assert result.exit_code == 0, result.output
    assert (cli_env / "n.md").read_text(encoding="utf-8").startswith("# 自定义标题\n\n## 一、工作要求")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("missing.md", None, "missing.md"), ("broken.docx", b"garbage", "broken.docx"), ("empty.md", b"", "empty.md")],
)
def test_draft_bad_reference_names_file(cli_env: Path, name: str, content: bytes | None, expected: str) -> None:
    if content is not None:
        (cli_env / name).write_bytes(content)

    result = runner.invoke(app, ["writing", "draft", "--title", "方案", "--reference", name])

    assert result.exit_code == 2
    assert "错误：" in result.output
    assert "Error:" in result.output
    assert expected in result.output


def test_edit_streams_text(cli_env: Path, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("依法保护用户个人信息。")

    result = runner.invoke(app, ["writing", "edit", "polish", "--text", "要保护好用户信息"])

    assert result.exit_code == 0, result.output
    assert '"replacement": "依法保护用户个人信息。"' in result.output


def test_edit_empty_selection_fails(cli_env: Path) -> None:
    result = runner.invoke(app, ["writing", "edit", "expand", "--text", ""])

    assert result.exit_code == 2
    assert "选中的文字为空" in result.output


def test_invalid_type_fails(cli_env: Path) -> None:
    result = runner.invoke(app, ["writing", "outline", "--title", "x", "--type", "诗歌"])

    assert result.exit_code == 2
    assert "plan/方案" in result.output


@pytest.mark.parametrize(
    ("content", "chinese", "english"),
    [
        (None, "找不到提纲文件 o.json", "Outline file o.json was not found"),
        (b"not json", "不是有效的 JSON：第 1 行第 1 列", "is not valid JSON: syntax error at line 1, column 1"),
        (b"\xff\xfe{}", "不是 UTF-8 编码", "is not a UTF-8 text file"),
        (b"[1]", "JSON 对象", "must contain a JSON object"),
        (b'{"title": "x"}', "缺少字段 sections", "the field sections is missing"),
        (b'{"title": "x", "sections": [{"id": "1"}]}', "缺少字段 sections.0.heading", "sections.0.heading is missing"),
        (b'{"title": "x", "sections": 5}', "字段 sections 的值无效", "the field sections has an invalid value"),
    ],
)
def test_draft_bad_outline_file(
    cli_env: Path, fake_chat: FakeChatModel, content: bytes | None, chinese: str, english: str
) -> None:
    if content is not None:
        (cli_env / "o.json").write_bytes(content)

    result = runner.invoke(app, ["writing", "draft", "--title", "测试", "--outline", "o.json"])

    assert result.exit_code == 2, result.output
    assert result.output.index("错误：") < result.output.index("Error:")
    assert chinese in result.output
    assert english in result.output
    assert "设置项" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert fake_chat.calls == []


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (["draft", "--title", "x", "--output", "out.pdf"], "扩展名不受支持。可用的扩展名：.docx, .md", "out.pdf"),
        (
            ["draft", "--title", "x", "--layout", "bogus"],
            "--layout 的值 bogus 无效。可选值：official, standard",
            "bogus",
        ),
        (["outline", "--title", "x", "--lang", "fr"], "--lang 的值 fr 无效。可选值：zh, en", "zh, en"),
        (["draft", "--title", "x", "--lang", "fr"], "--lang 的值 fr 无效。可选值：zh, en", "zh, en"),
        (["edit", "polish", "--text", "文字", "--lang", "fr"], "--lang 的值 fr 无效", "Accepted values: zh, en"),
        (
            ["outline", "--title", "x", "--max-sections", "0"],
            "--max-sections 的值 0 超出范围。允许的范围：1 到 40",
            "1 to 40",
        ),
        (["draft", "--title", "x", "--section-tokens", "5"], "--section-tokens 的值 5 超出范围", "16 to 4096"),
    ],
)
def test_bad_option_rejected_before_model(
    cli_env: Path, fake_chat: FakeChatModel, args: list[str], chinese: str, english: str
) -> None:
    fake_chat.queue(plan_reply((1, "总体要求", "")), "正文。")

    result = runner.invoke(app, ["writing", *args])

    assert result.exit_code == 2, result.output
    assert chinese in result.output
    assert english in result.output
    assert "validation error" not in result.output
    assert fake_chat.calls == []
    assert not (cli_env / "out.pdf").exists()


def test_edit_empty_selection_english_operation(cli_env: Path) -> None:
    result = runner.invoke(app, ["writing", "edit", "polish", "--text", ""])

    assert result.exit_code == 2
    assert "请先选中要润色的段落" in result.output
    assert "Select the passage to polish first." in result.output
