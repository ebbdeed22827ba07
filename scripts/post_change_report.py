"""Post a pull request's change report as a comment, from the artifact its own run uploaded.

Run by `.github/workflows/change-report.yml` after the "Pull request" workflow, in this repository's context:
it has a token that may comment, so it runs none of the pull request's code (this file comes from the default
branch) and trusts nothing in the artifact, which a pull request from a fork could have written as it liked.
The artifact names a pull request; the comment goes there only if that pull request's head is the commit the
run checked, so an artifact cannot aim a comment at another pull request. The report is posted as text: its
size is capped, and @-mentions are broken so that a report cannot notify anyone.

    python3 scripts/post_change_report.py ARTIFACT_FOLDER --head-sha SHA [--dry-run]

Standard library only, and `gh` for the GitHub calls (GH_TOKEN and GH_REPO in the environment).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

MAX_COMMENT = 65_536  # characters: GitHub refuses longer comments
MAX_REPORT = MAX_COMMENT - 1_000  # room for the note above the report
NOTE = "_Made by this pull request's own run of `tiptoolkit diff`; the project posts it as it came._\n\n"


class Refused(Exception):
    """The artifact is not a change report this script will post; the message says why."""


def read_artifact(folder: Path) -> tuple[int, str]:
    """The pull request number and the report in the artifact, checked: a number, and UTF-8 text of a size
    a comment can hold."""
    try:
        number_text = (folder / "pr-number.txt").read_text(encoding="ascii").strip()
        report = (folder / "change-report.md").read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise Refused(f"the artifact has no {Path(error.filename).name}") from None
    except UnicodeDecodeError as error:
        raise Refused(f"the artifact is not text: {error.reason}") from None
    if not re.fullmatch(r"[1-9][0-9]{0,8}", number_text):
        raise Refused(f"pr-number.txt does not hold a pull request number: {number_text[:40]!r}")
    if len(report) > MAX_REPORT:
        raise Refused(f"the report has {len(report)} characters; at most {MAX_REPORT} are posted")
    if not report.strip():
        raise Refused("the report is empty")
    return int(number_text), report


def comment_body(report: str) -> str:
    """The comment: a note saying where the report comes from, then the report with its @-mentions broken
    (a zero-width joiner after an @ that starts a word; GitHub itself strips the HTML it does not allow)."""
    return NOTE + re.sub(r"(?<![\w.])@(?=[A-Za-z0-9])", "@\u200d", report)


def check_target(number: int, pr_head: str, run_head: str) -> None:
    """The pull request's head must be the commit the run checked."""
    if not re.fullmatch(r"[0-9a-f]{40}", run_head):
        raise Refused(f"not a commit: {run_head[:50]!r}")
    if pr_head != run_head:
        raise Refused(
            f"pull request #{number} is at {pr_head[:12]}, not at the commit the run checked ({run_head[:12]}): "
            "a newer push has its own run, or the artifact names another pull request"
        )


def pr_head(number: int) -> str:
    """The commit at the head of pull request `number`, asked of GitHub."""
    out = subprocess.run(
        ["gh", "pr", "view", str(number), "--json", "headRefOid"], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)["headRefOid"]


def post(number: int, body: str) -> None:
    """Edit this token's last comment on the pull request (one report, updated on each push), or add one."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".md", delete=False) as file:
        file.write(body)
    edited = subprocess.run(["gh", "pr", "comment", str(number), "--edit-last", "--body-file", file.name])
    if edited.returncode != 0:
        subprocess.run(["gh", "pr", "comment", str(number), "--body-file", file.name], check=True)
    Path(file.name).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("artifact", type=Path, help="the folder the change-report artifact was downloaded into")
    parser.add_argument("--head-sha", required=True, help="the commit the pull request's run checked")
    parser.add_argument("--dry-run", action="store_true", help="check and print the comment; post nothing")
    args = parser.parse_args(argv)
    try:
        number, report = read_artifact(args.artifact)
        if not args.dry_run:
            check_target(number, pr_head(number), args.head_sha)
    except Refused as error:
        print(f"change report not posted: {error}", file=sys.stderr)
        return 1
    body = comment_body(report)
    if args.dry_run:
        sys.stdout.write(body)
    else:
        post(number, body)
        print(f"change report posted on pull request #{number}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
