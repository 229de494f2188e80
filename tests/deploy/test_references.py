"""Every file under deploy/ names only real settings, and the deployment guides are linked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.deploy.manifests import DEPLOY_DIR, SETTING_NAME, load_documents, setting_variables, yaml_files

DEPLOY_FILES = sorted(path for path in DEPLOY_DIR.rglob("*") if path.is_file())


@pytest.mark.parametrize("path", yaml_files(), ids=lambda path: str(path.relative_to(DEPLOY_DIR)))
def test_yaml_file_parses(path: Path) -> None:
    assert load_documents(path)


@pytest.mark.parametrize("path", DEPLOY_FILES, ids=lambda path: str(path.relative_to(DEPLOY_DIR)))
def test_deploy_file_names_only_settings(path: Path) -> None:
    names = set(SETTING_NAME.findall(path.read_text(encoding="utf-8")))

    assert names - setting_variables() == set()


@pytest.mark.parametrize(
    ("readme", "link"),
    [
        (REPO_ROOT / "README.md", "deploy/README.md"),
        (REPO_ROOT / "README.zh-CN.md", "deploy/README.zh-CN.md"),
        (DEPLOY_DIR / "README.md", "README.zh-CN.md"),
        (DEPLOY_DIR / "README.zh-CN.md", "README.md"),
    ],
)
def test_deploy_guides_are_linked(readme: Path, link: str) -> None:
    assert f"]({link})" in readme.read_text(encoding="utf-8")
    assert (readme.parent / link).is_file()
