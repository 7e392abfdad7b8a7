"""What a lent GPU machine receives: a copy of this checkout's working tree, 64 MiB at most.

`python -m zoo travel [--carry zoo/packed] [--slim | --restore]`

The device tool copies the tracked files, the untracked files git does not ignore and the ignored
paths a call carries, and refuses the call when they pass 64 MiB (/work/.library/device/README.md).
The bundled ONNX models, the sample video and the committed resume states alone are about 60 MiB,
so the packed CamVid frames (34 MiB) cannot travel beside them, and training needs none of them.

- no option: lists what would travel, largest first, and whether it fits;
- `--slim`: hides the bundled binaries from git for the trip (removed from the index, listed in
  .git/info/exclude; the files stay on disk), so they neither count nor travel;
- `--restore`: puts them back in the index exactly as HEAD has them and removes the exclude block.

Between the two, `git status` shows the binaries as deleted, and a pre-commit hook (written only
where none exists) refuses commits until `--restore`.
"""
from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
from pathlib import Path

from zoo import data

LIMIT_BYTES = 64 * 2**20
# Tracked files training on the device does not read: the bundled models, the sample media and
# the committed resume states (train-all starts its runs --fresh).
HIDE = ("assets/models/*.onnx", "sample-images/*", "zoo/checkpoints/*.pt")
BEGIN = "# >>> hidden for a device trip by `python -m zoo travel --slim`; `--restore` undoes it"
END = "# <<< end of the device trip block"


class TravelError(Exception):
    """A slim or restore that would lose or mix up something the user has staged."""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def exclude_file(repo: Path) -> Path:
    path = Path(git(repo, "rev-parse", "--git-path", "info/exclude").strip())
    return path if path.is_absolute() else repo / path


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def travelling(repo: Path, carry: list[str] = ()) -> dict[str, int]:
    """Every path that a device call would copy, with its size in bytes."""
    listed = git(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    sizes = {}
    for name in filter(None, listed):
        path = repo / name
        if path.is_file() and not path.is_symlink():
            sizes[name] = path.stat().st_size
    for name in carry:
        if (repo / name).exists():
            sizes[name.rstrip("/") + "/"] = tree_size(repo / name)
    return sizes


def hidden_block(repo: Path) -> list[str] | None:
    """The paths a `--slim` hid, or None when no trip block is in .git/info/exclude."""
    exclude = exclude_file(repo)
    lines = exclude.read_text().splitlines() if exclude.exists() else []
    if BEGIN not in lines:
        return None
    start = lines.index(BEGIN)
    end = lines.index(END, start)
    return [line[1:] for line in lines[start + 1:end]]  # each written as /path


GUARD = "#!/bin/sh\n# written by `python -m zoo travel --slim`, removed by `--restore`\n" \
        "echo 'a device trip is under way: the bundled binaries are out of the index; " \
        "run python -m zoo travel --restore before committing' >&2\nexit 1\n"


def commit_guard(repo: Path) -> Path:
    path = Path(git(repo, "rev-parse", "--git-path", "hooks/pre-commit").strip())
    return path if path.is_absolute() else repo / path


def slim(repo: Path) -> list[str]:
    """Hide the tracked binaries in HIDE from the index and the untracked listing; returns them."""
    if hidden_block(repo) is not None:
        raise TravelError("already slim: run `python -m zoo travel --restore` first")
    tracked = git(repo, "ls-files", "-z").split("\0")
    hidden = sorted(n for n in tracked if n and any(fnmatch.fnmatch(n, p) for p in HIDE))
    if not hidden:
        return []
    # A staged change to one of them would be replaced by HEAD's version on --restore.
    staged = git(repo, "diff", "--cached", "--name-only", "-z", "--", *hidden).split("\0")
    if any(staged):
        raise TravelError(f"{', '.join(filter(None, staged))}: staged changes; commit or unstage them first")
    exclude = exclude_file(repo)
    exclude.parent.mkdir(parents=True, exist_ok=True)
    before = exclude.read_text() if exclude.exists() else ""
    block = "\n".join([BEGIN, *(f"/{n}" for n in hidden), END]) + "\n"
    exclude.write_text(before + ("" if before.endswith("\n") or not before else "\n") + block)
    git(repo, "rm", "-q", "--cached", "--", *hidden)
    # A commit now would delete the models from the repository: refuse it until --restore.
    guard = commit_guard(repo)
    if not guard.exists():
        guard.parent.mkdir(parents=True, exist_ok=True)
        guard.write_text(GUARD)
        guard.chmod(0o755)
    return hidden


def restore(repo: Path) -> list[str]:
    """Undo `slim`: the hidden files back in the index as HEAD has them, the exclude block gone."""
    hidden = hidden_block(repo)
    if hidden is None:
        return []
    if hidden:
        git(repo, "reset", "-q", "--", *hidden)
    exclude = exclude_file(repo)
    lines = exclude.read_text().splitlines()
    start = lines.index(BEGIN)
    end = lines.index(END, start)
    rest = lines[:start] + lines[end + 1:]
    exclude.write_text("\n".join(rest) + ("\n" if rest else ""))
    guard = commit_guard(repo)
    if guard.exists() and guard.read_text() == GUARD:
        guard.unlink()
    return hidden


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo travel", description=__doc__.splitlines()[0])
    p.add_argument("--carry", action="append", default=[],
                   help="an ignored path the device call will carry (repeatable), e.g. zoo/packed")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--slim", action="store_true", help="hide the bundled binaries for the trip")
    mode.add_argument("--restore", action="store_true", help="put them back after the trip")
    p.add_argument("--repo", type=Path, default=data.REPO)
    args = p.parse_args(argv)
    try:
        if args.slim:
            hidden = slim(args.repo)
            print(f"hid {len(hidden)} files ({mib(sum((args.repo / n).stat().st_size for n in hidden))}) "
                  "from git for the trip; do not commit until `python -m zoo travel --restore`")
        elif args.restore:
            hidden = restore(args.repo)
            print(f"restored {len(hidden)} files to the index" if hidden else "nothing was hidden")
    except TravelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    sizes = travelling(args.repo, args.carry)
    total = sum(sizes.values())
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {mib(size):>10}  {name}")
    fits = total <= LIMIT_BYTES
    print(f"a device call would copy {len(sizes)} paths, {mib(total)} of its {mib(LIMIT_BYTES)}: "
          + ("fits" if fits else "too large; `--slim` hides the bundled binaries"))
    return 0 if fits else 1


if __name__ == "__main__":
    sys.exit(main())
