"""Offline checks on the GitHub Actions workflows in .github/workflows/.

Two layers:

* zizmor (pinned in requirements-dev.txt) audits every workflow offline, at
  its default persona and with no severity or confidence filter, and must
  report nothing;
* structural checks, from the parsed YAML and the raw text, for the rules this
  repository holds its workflows to: SHA-pinned actions with a version
  comment, no persisted checkout credentials, no write permission at workflow
  level, Pages write access for the deploy job alone, concurrency, timeouts,
  and the build/test/deploy steps themselves.

Nothing here touches the network or needs a GitHub token.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS_DIR = ROOT / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS_DIR / "pull-request.yml"
PUBLISH = WORKFLOWS_DIR / "publish.yml"

WORKFLOW_FILES = sorted(p for p in WORKFLOWS_DIR.glob("*") if p.suffix in {".yml", ".yaml"} and p.is_file())

SHA_RE = re.compile(r"^[0-9a-f]{40}$")
# A `uses:` line in block style, optionally as the first key of a list item,
# optionally quoted, optionally followed by a comment.
USES_LINE_RE = re.compile(r"""^\s*(?:-\s+)?uses:\s*(?P<q>['"]?)(?P<ref>[^'"\s#]+)(?P=q)\s*(?:#\s*(?P<comment>.*))?$""")
VERSION_COMMENT_RE = re.compile(r"^v\d+(?:\.\d+)*\b")
TOKEN_VARS = ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")
# Only the deploy job of the publish workflow may hold these.
PAGES_GRANTS = {"pages": "write", "id-token": "write"}


# --------------------------------------------------------------------------
# helpers


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def triggers(workflow: dict):
    """The `on:` block; PyYAML (YAML 1.1) reads the bare key `on` as True."""
    if "on" in workflow:
        return workflow["on"]
    return workflow.get(True)


def trigger_names(workflow: dict) -> set[str]:
    on = triggers(workflow)
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    if isinstance(on, dict):
        return set(on)
    return set()


def jobs(workflow: dict) -> dict:
    result = workflow.get("jobs")
    assert isinstance(result, dict) and result, "workflow has no jobs"
    return result


def steps(job: dict) -> list[dict]:
    return [s for s in job.get("steps") or [] if isinstance(s, dict)]


def all_uses(workflow: dict) -> list[str]:
    """Every `uses:` in the workflow: steps and reusable-workflow jobs."""
    found = []
    for job in jobs(workflow).values():
        if "uses" in job:
            found.append(str(job["uses"]))
        found.extend(str(s["uses"]) for s in steps(job) if "uses" in s)
    return found


def action_name(ref: str) -> str:
    """`actions/checkout@abc` -> `actions/checkout`."""
    return ref.split("@", 1)[0]


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if action_name(str(s.get("uses", ""))) == action]


def runs(job: dict) -> list[str]:
    return [str(s["run"]) for s in steps(job) if "run" in s]


def run_commands(job: dict) -> list[str]:
    """Each non-blank line of each run script, stripped."""
    return [line.strip() for script in runs(job) for line in script.splitlines() if line.strip()]


def grants(permissions) -> dict[str, str]:
    """A `permissions:` value as {scope: level}; shorthand strings expanded."""
    if permissions is None:
        return {}
    if isinstance(permissions, str):
        return {"*": permissions}
    assert isinstance(permissions, dict), f"unexpected permissions value {permissions!r}"
    return {str(k): str(v) for k, v in permissions.items()}


def writes(permissions) -> dict[str, str]:
    return {k: v for k, v in grants(permissions).items() if "write" in v}


def zizmor_executable() -> str:
    beside = Path(sys.executable).parent / "zizmor"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor not found beside the interpreter or on PATH; install requirements-dev.txt")
    return found


# --------------------------------------------------------------------------
# zizmor


def test_workflows_exist():
    assert PULL_REQUEST.is_file(), f"missing {PULL_REQUEST.relative_to(ROOT)}"
    assert PUBLISH.is_file(), f"missing {PUBLISH.relative_to(ROOT)}"


def test_zizmor_reports_nothing():
    env = {k: v for k, v in os.environ.items() if k not in TOKEN_VARS}
    env["NO_COLOR"] = "1"
    cmd = [
        zizmor_executable(),
        "--offline",  # no online audits, no GitHub API, no token
        "--strict-collection",  # a workflow zizmor cannot parse is a failure, not a skip
        "--format",
        "plain",
        "--color",
        "never",
        "--no-progress",
        str(WORKFLOWS_DIR.relative_to(ROOT)),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    report = f"$ {' '.join(cmd)}\nexit status {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert proc.returncode == 0, report
    assert "No findings to report" in proc.stdout, report
    assert not re.search(r"^\s*(error|warning|help|info|note)\[", proc.stdout, re.M), report
    for path in WORKFLOW_FILES:
        assert path.name in proc.stderr, f"zizmor did not audit {path.name}\n{report}"


# --------------------------------------------------------------------------
# rules for every workflow


@pytest.fixture(params=WORKFLOW_FILES, ids=lambda p: p.name)
def workflow_file(request) -> Path:
    return request.param


def test_every_uses_is_sha_pinned_with_version_comment(workflow_file):
    workflow = load(workflow_file)
    parsed = all_uses(workflow)
    lines = {}
    for number, line in enumerate(workflow_file.read_text(encoding="utf-8").splitlines(), 1):
        match = USES_LINE_RE.match(line)
        if match:
            lines[number] = match
    # Every `uses:` the parser sees must be a line the regex read, so none
    # escapes the comment check by being written in an unusual style.
    assert sorted(m["ref"] for m in lines.values()) == sorted(parsed), (
        f"{workflow_file.name}: could not match every `uses:` to a line of its own"
    )
    problems = []
    for number, match in lines.items():
        ref = match["ref"]
        if ref.startswith("./"):
            continue
        name, _, pin = ref.partition("@")
        if not SHA_RE.match(pin):
            problems.append(f"line {number}: {ref} is not pinned to a full 40-hex commit SHA")
        comment = (match["comment"] or "").strip()
        if not VERSION_COMMENT_RE.match(comment):
            problems.append(f"line {number}: {name} lacks a `# v…` version comment")
    assert not problems, f"{workflow_file.name}:\n" + "\n".join(problems)


def test_checkout_does_not_persist_credentials(workflow_file):
    workflow = load(workflow_file)
    for job_id, job in jobs(workflow).items():
        for step in steps_using(job, "actions/checkout"):
            value = (step.get("with") or {}).get("persist-credentials")
            assert value is False or str(value).lower() == "false", (
                f"{workflow_file.name}: job {job_id}: actions/checkout without persist-credentials: false"
            )


def test_workflow_permissions_grant_no_write(workflow_file):
    workflow = load(workflow_file)
    assert "permissions" in workflow, f"{workflow_file.name}: no workflow-level permissions"
    assert not writes(workflow["permissions"]), (
        f"{workflow_file.name}: workflow-level permissions grant write: {workflow['permissions']!r}"
    )


def test_jobs_declare_least_privilege(workflow_file):
    workflow = load(workflow_file)
    for job_id, job in jobs(workflow).items():
        assert "permissions" in job, f"{workflow_file.name}: job {job_id} declares no permissions"
        granted = writes(job["permissions"])
        if workflow_file == PUBLISH and job_id == "deploy":
            continue  # checked on its own below
        assert not granted, f"{workflow_file.name}: job {job_id} grants write: {granted}"


def test_jobs_have_timeouts(workflow_file):
    workflow = load(workflow_file)
    for job_id, job in jobs(workflow).items():
        if "uses" in job:
            continue  # a reusable-workflow call cannot set timeout-minutes
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int) and 0 < timeout <= 60, (
            f"{workflow_file.name}: job {job_id} needs timeout-minutes (got {timeout!r})"
        )


def test_workflow_has_concurrency(workflow_file):
    workflow = load(workflow_file)
    concurrency = workflow.get("concurrency")
    assert concurrency, f"{workflow_file.name}: no concurrency"
    group = concurrency.get("group") if isinstance(concurrency, dict) else concurrency
    assert group, f"{workflow_file.name}: concurrency has no group"


def test_no_expressions_in_run_scripts(workflow_file):
    workflow = load(workflow_file)
    for job_id, job in jobs(workflow).items():
        for script in runs(job):
            assert "${{" not in script, (
                f"{workflow_file.name}: job {job_id}: pass expressions to run scripts via env:, not inline:\n{script}"
            )


# --------------------------------------------------------------------------
# the pull-request workflow


TESTS = WORKFLOWS_DIR / "tests.yml"


def test_pull_request_workflow_checks_builds_summarises_and_uploads_a_preview():
    workflow = load(PULL_REQUEST)
    assert "pull_request" in trigger_names(workflow)
    assert "pull_request_target" not in trigger_names(workflow)

    concurrency = workflow["concurrency"]
    assert concurrency.get("cancel-in-progress") is True, "superseded PR runs must be cancelled"
    assert "pull_request.number" in str(concurrency.get("group")), "the concurrency group must be per pull request"

    job = jobs(workflow)["preview"]
    commands = run_commands(job)
    check = "python -m portal check --github"
    build = "python -m mkdocs build --strict"
    summary = next(c for c in commands if c.startswith("python -m portal publish summary"))
    assert commands.index(check) < commands.index(build) < commands.index(summary)
    assert "--base-site" in summary and not any("pytest" in c or "make test" in c for c in commands)
    checkouts = steps_using(job, "actions/checkout")
    assert (checkouts[1].get("with") or {}).get("ref") == "${{ github.event.pull_request.base.sha }}"
    uploads = steps_using(job, "actions/upload-artifact")
    assert len(uploads) == 1 and str(uploads[0]["with"]["path"]) == "site"

    setups = steps_using(job, "actions/setup-python")
    config = setups[0].get("with") or {}
    assert str(config.get("python-version")) == "3.11"
    assert config.get("cache") == "pip"
    assert "requirements" in str(config.get("cache-dependency-path", ""))


def test_tests_run_on_pull_requests_and_code_changes_with_the_shared_tool_script():
    workflow = load(TESTS)
    on = triggers(workflow)
    assert "pull_request" in on
    paths = on["push"]["paths"]
    assert on["push"]["branches"] == ["main"]
    for code in ("hooks/**", "overrides/**", "docs/**", "requirements*.txt", ".github/**"):
        assert code in paths, code
    assert not any(path.startswith("content") for path in paths), "a content-only push must not wait for the tests"
    commands = run_commands(jobs(workflow)["test"])
    assert commands.index("bash .ci/install-test-tools") < commands.index("python -m pytest")
    assert "bash .ci/install-test-tools" in (ROOT / ".ci/run").read_text()


# --------------------------------------------------------------------------
# the publish workflow


def test_publish_triggers():
    workflow = load(PUBLISH)
    on = triggers(workflow)
    assert isinstance(on, dict)
    assert "workflow_dispatch" in on
    branches = (on.get("push") or {}).get("branches")
    assert branches == ["main"], f"push trigger must be main only, got {branches!r}"
    (cron,) = [entry["cron"] for entry in on["schedule"]]
    minute, hour = (int(part) for part in cron.split()[:2])
    assert (hour * 60 + minute + 8 * 60) % (24 * 60) < 60, f"{cron}: not shortly after 00:00 Beijing time"


def test_publish_concurrency_never_cancels_a_deploy():
    concurrency = load(PUBLISH)["concurrency"]
    assert concurrency.get("group") == "pages"
    assert concurrency.get("cancel-in-progress") is False


def test_publish_build_job():
    build = jobs(load(PUBLISH))["build"]
    assert grants(build.get("permissions")) == {"contents": "read"}
    assert build.get("if") == "github.ref == 'refs/heads/main'", "workflow_dispatch publishes only from main"

    commands = run_commands(build)
    order = [
        "python -m portal publish preflight",
        "python -m portal check --github",
        "python -m mkdocs build --strict",
        "python -m portal publish summary --site site",
    ]
    assert [commands.index(c) for c in order] == sorted(commands.index(c) for c in order), commands
    assert not any("pytest" in c or "make test" in c for c in commands), "publishing must not wait for the test suite"
    summary = next(s for s in steps(build) if "python -m portal publish summary" in str(s.get("run")))
    assert summary.get("if") == "success() || failure()", "the summary is written when the build fails too"

    caches = steps_using(build, "actions/cache")
    assert caches, "build job does not cache .cache/"
    cache = caches[0].get("with") or {}
    assert str(cache.get("path", "")).strip().rstrip("/") == ".cache"
    key = str(cache.get("key", ""))
    for keyed_on in ("requirements", "mkdocs.yml", "hooks/", "content/"):
        assert keyed_on in key, f"cache key does not cover {keyed_on}: {key}"

    assert steps_using(build, "actions/configure-pages"), "no actions/configure-pages step"
    uploads = steps_using(build, "actions/upload-pages-artifact")
    assert len(uploads) == 1, "build job must upload one Pages artifact"
    assert str((uploads[0].get("with") or {}).get("path", "")).rstrip("/") == "site"

    order = [action_name(str(s.get("uses", ""))) or str(s.get("run", "")).strip() for s in steps(build)]
    assert order.index("python -m mkdocs build --strict") < order.index("actions/upload-pages-artifact")


def test_secrets_only_in_the_step_that_needs_them():
    for path in WORKFLOW_FILES:
        for job_id, job in jobs(load(path)).items():
            for step in steps(job):
                if "secrets." in yaml.safe_dump(step):
                    assert "python -m portal mirror" in str(step.get("run")), (
                        f"{path.name}: {job_id}: {step.get('name')}"
                    )
                    assert "secrets." not in yaml.safe_dump({k: v for k, v in step.items() if k != "env"})
        text = path.read_text(encoding="utf-8")
        assert text.count("secrets.") == (5 if path == PUBLISH else 0), path.name


def test_freshness_job_fails_apart_from_the_deploy():
    workflow = load(PUBLISH)
    freshness = jobs(workflow)["freshness"]
    assert "python -m portal publish freshness" in run_commands(freshness)
    assert "freshness" not in str(jobs(workflow)["deploy"].get("needs"))


def test_publish_deploy_job():
    deploy = jobs(load(PUBLISH))["deploy"]
    needs = deploy.get("needs")
    assert needs == "build" or needs == ["build"], needs
    assert grants(deploy.get("permissions")) == PAGES_GRANTS

    environment = deploy.get("environment")
    assert isinstance(environment, dict) and environment.get("name") == "github-pages"
    assert "steps.deployment.outputs.page_url" in str(environment.get("url"))

    deploys = steps_using(deploy, "actions/deploy-pages")
    assert len(deploys) == 1 and deploys[0].get("id") == "deployment"
    assert not steps_using(deploy, "actions/checkout"), "the deploy job needs no checkout"


def test_only_publish_deploy_holds_pages_grants():
    holders = []
    for path in WORKFLOW_FILES:
        workflow = load(path)
        scopes = [("(workflow)", workflow.get("permissions"))]
        scopes += [(job_id, job.get("permissions")) for job_id, job in jobs(workflow).items()]
        for where, permissions in scopes:
            granted = grants(permissions)
            if any(granted.get(k) == "write" for k in PAGES_GRANTS) or "write" in granted.get("*", ""):
                holders.append(f"{path.name}:{where}")
    assert holders == ["publish.yml:deploy"], holders


def test_workflows_that_run_the_portals_tools_put_its_package_on_the_path():
    """`python -m portal …` imports hooks/portal/: a workflow that runs it sets PYTHONPATH=hooks for every job
    (the rehearsal, tests/test_rehearsal.py, runs those commands with the workflow's environment)."""
    for path in WORKFLOW_FILES:
        workflow = load(path)
        commands = [c for job in jobs(workflow).values() for c in run_commands(job)]
        if any("python -m portal " in c for c in commands):
            assert (workflow.get("env") or {}).get("PYTHONPATH") == "hooks", path.name
            assert not any("python hooks/" in c for c in commands), path.name  # the old script paths
