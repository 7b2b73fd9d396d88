"""The layout: one package by concern, a hook file of a few lines, tools as `python -m portal …`,
no `sys.path` insertions anywhere."""

import ast
import subprocess
from pathlib import Path

from conftest import REPO, hooks_path, tool

PYTHON_FILES = [p for d in ("hooks", "tests") for p in (REPO / d).rglob("*.py") if "data" not in p.parts]


def test_no_module_inserts_into_sys_path():
    found = []
    for path in PYTHON_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
            target = (
                node.targets[0].value
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)
                else target
            )
            if isinstance(target, ast.Attribute) and target.attr == "path" and getattr(target.value, "id", "") == "sys":
                found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not found, found


def test_the_hook_file_only_imports_the_adapter():
    hook = REPO / "hooks/portal_hooks.py"
    tree = ast.parse(hook.read_text(encoding="utf-8"))
    code = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert [(type(n).__name__, getattr(n, "module", None)) for n in code] == [("ImportFrom", "portal.engines.mkdocs")]
    assert "- hooks/portal_hooks.py" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert sorted(p.name for p in (REPO / "hooks").glob("*.py")) == [
        "portal_hooks.py"
    ]  # everything else in the package


def test_python_m_portal_names_its_commands_and_runs_them(tmp_path: Path):
    usage = subprocess.run(tool(REPO, "nothing"), capture_output=True, text=True, env=hooks_path(REPO), timeout=60)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert all(name in usage.stderr for name in ("check", "schema", "new", "mirror", "publish"))
    helped = subprocess.run(
        tool(REPO, "check", "--help"), capture_output=True, text=True, env=hooks_path(REPO), timeout=60
    )
    assert helped.returncode == 0 and "python -m portal check" in helped.stdout and "--json" in helped.stdout


def _imports_mkdocs(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if any(name == "mkdocs" or name.startswith("mkdocs.") for name in names):
            return True
    return False


def test_only_the_adapter_imports_mkdocs_and_it_is_under_200_lines():
    """The engine boundary (issue 12): the portal's logic is engine-free; MkDocs is one thin module."""
    package = REPO / "hooks/portal"
    importing = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py") if _imports_mkdocs(p))
    assert importing == ["engines/mkdocs.py"]
    lines = len((package / "engines/mkdocs.py").read_text(encoding="utf-8").splitlines())
    assert lines < 200, lines


def test_no_source_file_is_ignored_by_git():
    """.gitignore's output folders (site/, site.building/ …) are the ones beside mkdocs.yml:
    an unanchored `site/` also ignored hooks/portal/site/, so a new module there (workers.py)
    was never committed and a fresh clone could not build."""
    sources = [str(p.relative_to(REPO)) for d in ("hooks", "tests", "overrides", "docs") for p in (REPO / d).rglob("*")]
    sources = [s for s in sources if "__pycache__" not in s and not s.endswith(".pyc")]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(sources),
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert ignored.returncode in (0, 1), ignored.stderr
    assert ignored.stdout.split() == []
