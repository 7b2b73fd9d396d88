"""A rehearsal of a GitHub Actions job on this machine: its `run:` steps, in order, in a fresh
clone, with the variables GitHub sets, so that what fails on GitHub's runner fails here first.

`uses:` steps are replaced by what they do for these workflows:

  actions/checkout        a `git clone` of the rehearsal's origin at the event's commit (`with.path`, `with.ref`)
  actions/setup-python    `python` / `python3` on PATH run this interpreter (the test environment's)
  actions/cache           restores `with.path` from the rehearsal's cache store; saved at the end of the job
  upload / configure / deploy actions   skipped, with a note (what would have been uploaded must exist)

A step running the test suite itself (`pytest`, `make test`) is skipped with a note: the rehearsal
runs inside the test suite. Any other action or expression the rehearsal does not know fails it,
so that a workflow change cannot slip past unrehearsed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SKIPPED_ACTIONS = {
    "actions/configure-pages": "Pages 配置（GitHub 上才有）",
    "actions/upload-pages-artifact": "上传 Pages 构建产物",
    "actions/upload-artifact": "上传构建产物",
    "actions/deploy-pages": "发布到 GitHub Pages",
}
TEST_SUITE = re.compile(r"(^|\s)(pytest|make test)(\s|$)|-m pytest")


@dataclass
class Step:
    name: str
    status: str  # passed / failed / skipped / substituted
    seconds: float = 0.0
    note: str = ""
    output: str = ""


@dataclass
class JobRun:
    workflow: str
    job: str
    steps: list[Step] = field(default_factory=list)
    summary: str = ""
    workspace: Path | None = None

    @property
    def ok(self) -> bool:
        return all(step.status != "failed" for step in self.steps)

    @property
    def seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)

    def report(self) -> str:
        lines = [f"{self.workflow} / {self.job}: {'ok' if self.ok else 'FAILED'} ({self.seconds:.1f} s of steps)"]
        for step in self.steps:
            lines.append(
                f"  [{step.status}] {step.name} ({step.seconds:.1f} s){' — ' + step.note if step.note else ''}"
            )
            if step.status == "failed":
                lines.append("    " + step.output[-3000:].replace("\n", "\n    "))
        return "\n".join(lines)


class Rehearsal:
    """An origin repository (a clone of this one, to which a test commits its changes) and the
    jobs of its workflows, run as GitHub would run them on a push, a schedule or a pull request."""

    def __init__(self, repo: Path, tmp: Path):
        self.tmp = tmp
        self.origin = tmp / "origin"
        self.store = tmp / "actions-cache"  # what actions/cache keeps between runs, by path
        self.runs = 0
        _git(tmp, "clone", "-q", "--no-local", str(repo), str(self.origin))
        _git(self.origin, "config", "user.name", "Rehearsal")
        _git(self.origin, "config", "user.email", "rehearsal@localhost")
        self.toolcache = tmp / "toolcache" / "bin"  # setup-python's interpreter
        self.toolcache.mkdir(parents=True)
        for name in ("python", "python3"):
            wrapper = self.toolcache / name
            wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
            wrapper.chmod(0o755)

    def commit(self, message: str) -> str:
        _git(self.origin, "add", "-A")
        _git(self.origin, "commit", "-q", "-m", message)
        return self.head()

    def head(self) -> str:
        return _git(self.origin, "rev-parse", "HEAD").strip()

    def seed_cache(self, path: str, source: Path) -> None:
        """A cache entry saved by an earlier run (e.g. the npm test tools)."""
        target = self.store / path.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source.resolve(), target_is_directory=True)

    def run(
        self, workflow: str, event: str, sha: str | None = None, ref: str = "refs/heads/main", base_sha: str = ""
    ) -> list[JobRun]:
        """Every job of .github/workflows/<workflow>, in file order, for one event."""
        sha = sha or self.head()
        spec = yaml.safe_load((self.origin / ".github/workflows" / workflow).read_text(encoding="utf-8"))
        context = {
            "github.ref": ref,
            "github.event_name": event,
            "github.sha": sha,
            "github.event.pull_request.base.sha": base_sha,
            "runner.os": "Linux",
        }
        workflow_env = {k: str(v) for k, v in (spec.get("env") or {}).items()}
        return [
            self._job(workflow, job_id, job, event, sha, ref, context, workflow_env)
            for job_id, job in spec["jobs"].items()
        ]

    def _job(self, workflow, job_id, job, event, sha, ref, context, workflow_env) -> JobRun:
        self.runs += 1
        home = self.tmp / f"run-{self.runs}-{job_id}"
        workspace, temp = home / "work", home / "temp"
        workspace.mkdir(parents=True)
        temp.mkdir()
        result = JobRun(workflow, job_id, workspace=workspace)
        if "if" in job and not evaluate_condition(job["if"], context, "success"):
            result.steps.append(Step("(job)", "skipped", note=f"if: {job['if']}"))
            return result
        event_file = temp / "event.json"
        payload = (
            {
                "pull_request": {
                    "number": 1,
                    "base": {"sha": context["github.event.pull_request.base.sha"]},
                    "head": {"sha": sha},
                }
            }
            if event == "pull_request"
            else {"ref": ref, "after": sha}
        )
        event_file.write_text(json.dumps(payload), encoding="utf-8")
        env = {
            "GITHUB_EVENT_PATH": str(event_file),
            "GITHUB_ACTOR": "maintainer",
            "GITHUB_RUN_NUMBER": str(self.runs),
            "GITHUB_BASE_REF": "main" if event == "pull_request" else "",
            "RUNNER_ARCH": "X64",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(home)),
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(temp),
            "RUNNER_OS": "Linux",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_REF": ref,
            "GITHUB_SHA": sha,
            "GITHUB_REPOSITORY": "owner/portal",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": str(self.runs),
            "GITHUB_WORKFLOW": workflow,
            "GITHUB_JOB": job_id,
            **workflow_env,
            **{k: str(v) for k, v in (job.get("env") or {}).items()},
        }
        caches: list[str] = []
        status = "success"
        for number, spec in enumerate(job.get("steps") or [], 1):
            name = spec.get("name") or spec.get("uses") or spec.get("run", "").splitlines()[0]
            if not evaluate_condition(spec.get("if", "success()"), context, status):
                result.steps.append(Step(name, "skipped", note=f"if: {spec.get('if', 'success()')}"))
                continue
            started = time.monotonic()
            if "uses" in spec:
                step = self._uses(spec, name, workspace, env, context, sha, caches)
            else:
                step = self._run_step(spec, name, workspace, temp, env, context, number)
            step.seconds = time.monotonic() - started
            result.steps.append(step)
            if step.status == "failed":
                status = "failure"
        for path in caches:  # actions/cache saves at the end of a successful job
            if status == "success" and (workspace / path).exists():
                target = self.store / path.strip("/")
                if target.is_symlink() or target.is_file():
                    target.unlink()
                elif target.exists():
                    shutil.rmtree(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                if (workspace / path).is_symlink():  # a seeded entry, restored as a link: keep the link
                    target.symlink_to((workspace / path).resolve(), target_is_directory=True)
                else:
                    shutil.copytree(workspace / path, target, symlinks=True)
        summaries = sorted(temp.glob("summary-*.md"), key=lambda p: int(p.stem.split("-")[1]))
        result.summary = "".join(p.read_text(encoding="utf-8") for p in summaries)
        return result

    def _uses(self, spec, name, workspace, env, context, sha, caches) -> Step:
        action = str(spec["uses"]).split("@")[0]
        options = {
            k: expand(str(v), context) if k != "key" and k != "restore-keys" else str(v)
            for k, v in (spec.get("with") or {}).items()
        }
        if action == "actions/checkout":
            target = workspace / options.get("path", ".")
            revision = options.get("ref") or sha
            target.mkdir(parents=True, exist_ok=True)
            _git(target, "clone", "-q", "--no-local", str(self.origin), ".")
            _git(target, "checkout", "-q", revision)
            return Step(
                name, "substituted", note=f"git clone of the origin at {revision[:10]} into {options.get('path', '.')}"
            )
        if action == "actions/setup-python":
            env["PATH"] = f"{self.toolcache}{os.pathsep}{env['PATH']}"
            return Step(name, "substituted", note=f"python = {sys.executable} (Python {sys.version.split()[0]})")
        if action == "actions/cache":
            path = options["path"].strip().rstrip("/")
            caches.append(path)
            saved = self.store / path
            if saved.exists():
                (workspace / path).parent.mkdir(parents=True, exist_ok=True)
                if saved.is_symlink():
                    (workspace / path).symlink_to(saved.resolve(), target_is_directory=True)
                else:
                    shutil.copytree(saved, workspace / path, symlinks=True)
                return Step(name, "substituted", note=f"cache hit: {path} restored")
            return Step(name, "substituted", note=f"cache miss: {path}")
        if action in SKIPPED_ACTIONS:
            path = options.get("path")
            if path and not (workspace / path).is_dir():
                return Step(name, "failed", note=f"{SKIPPED_ACTIONS[action]}：{path} 不存在")
            return Step(
                name, "skipped", note=f"{SKIPPED_ACTIONS[action]}, not rehearsed" + (f" ({path})" if path else "")
            )
        return Step(name, "failed", note=f"the rehearsal does not know {action}: add it to tests/rehearsal.py")

    def _run_step(self, spec, name, workspace, temp, env, context, number) -> Step:
        script = str(spec["run"])
        if TEST_SUITE.search(script):
            return Step(name, "skipped", note="the test suite itself: the rehearsal runs inside it, not rerun")
        files = {
            key: temp / f"{stem}-{number}.{ext}"
            for key, stem, ext in (
                ("GITHUB_STEP_SUMMARY", "summary", "md"),
                ("GITHUB_ENV", "env", "txt"),
                ("GITHUB_OUTPUT", "output", "txt"),
                ("GITHUB_PATH", "path", "txt"),
            )
        }
        for path in files.values():
            path.touch()
        step_env = {
            **env,
            **{k: str(v) for k, v in files.items()},
            **{k: expand(str(v), context) for k, v in (spec.get("env") or {}).items()},
        }
        script_file = temp / f"step-{number}.sh"
        script_file.write_text(script, encoding="utf-8")
        shell = spec.get("shell")
        command = (
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)]
            if shell == "bash"
            else ["bash", "-e", str(script_file)]
        )
        assert shell in (None, "bash"), f"the rehearsal runs bash steps only, not {shell}"
        cwd = workspace / spec.get("working-directory", ".")
        done = subprocess.run(command, cwd=cwd, env=step_env, capture_output=True, text=True, timeout=1200)
        for line in files["GITHUB_ENV"].read_text(encoding="utf-8").splitlines():
            if "=" in line and "<<" not in line:
                key, value = line.split("=", 1)
                env[key] = value
        for line in reversed(files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines()):
            env["PATH"] = f"{line}{os.pathsep}{env['PATH']}"
        return Step(
            name,
            "passed" if done.returncode == 0 else "failed",
            output=done.stdout + done.stderr,
            note="" if done.returncode == 0 else f"exit status {done.returncode}",
        )


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def expand(text: str, context: dict) -> str:
    """`${{ … }}` in a `with:` or `env:` value: the context names the rehearsal knows; secrets are unset."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("secrets."):
            return ""
        assert name in context, f"the rehearsal cannot evaluate ${{{{ {name} }}}}: add it to tests/rehearsal.py"
        return context[name]

    return EXPRESSION.sub(value, text)


def evaluate_condition(condition, context: dict, status: str) -> bool:
    """The `if:` forms the workflows use: status functions and `github.ref == '…'`."""
    text = str(condition).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    known = {
        "success()": status == "success",
        "failure()": status == "failure",
        "always()": True,
        "success() || failure()": True,
    }
    if text in known:
        return known[text]
    if match := re.fullmatch(r"([\w.]+)\s*==\s*'([^']*)'", text):
        assert match.group(1) in context, f"the rehearsal cannot evaluate if: {text}"
        return status == "success" and context[match.group(1)] == match.group(2)
    raise AssertionError(f"the rehearsal cannot evaluate if: {text}: add it to tests/rehearsal.py")


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout
