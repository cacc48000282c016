"""Command line: ``python -m course_utils {run,list,refresh}``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import runner


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m course_utils",
                                description="Run the course's notebooks headlessly.")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute notebooks with papermill and build the report site")
    run.add_argument("--profile", default="smoke", choices=["smoke", "full"],
                     help="smoke: offline, about a minute a notebook; full: real data (default: smoke)")
    run.add_argument("--only", nargs="+", metavar="NN", help="notebook numbers or names, e.g. 01 03")
    run.add_argument("--out", default="build", help="output folder (default: build)")
    run.add_argument("--notebooks", default=None, help="notebook folder (default: ./notebooks)")
    run.add_argument("--timeout", type=int, default=None, help="seconds allowed per cell (default: none)")
    run.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                     help="override a knob of every notebook run, e.g. --param SEED=1 (a Python literal)")
    run.add_argument("--split", default=None,
                     help="full profile: the data the run used, written with its results (e.g. 'IMDB by movie')")
    run.add_argument("--save-results", action="store_true",
                     help="full profile: also add each run to the course's results files (course/full_results)")
    run.add_argument("--skip-solutions", action="store_true",
                     help="run the student notebooks only, not the instructors' worked solutions")
    ls = sub.add_parser("list", help="list the notebooks")
    ls.add_argument("--notebooks", default=None)
    ref = sub.add_parser("refresh", help="re-execute notebooks in place and store their smoke outputs")
    ref.add_argument("--only", nargs="+", metavar="NN")
    ref.add_argument("--notebooks", default=None)
    return p


def _parameters(pairs: list[str]) -> dict:
    import ast

    out = {}
    for pair in pairs:
        name, eq, text = pair.partition("=")
        if not eq or not name.isidentifier():
            raise ValueError(f"--param takes NAME=VALUE, e.g. --param SEED=1; got {pair!r}")
        try:
            out[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            out[name] = text          # a bare word: a string
    return out


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    folder = Path(args.notebooks) if args.notebooks else runner.default_notebook_dir()
    try:
        if args.command == "list":
            for path in runner.discover(folder):
                print(path.name)
            return 0
        if args.command == "refresh":
            from .course.refresh import refresh
            refresh(runner.discover(folder, args.only))
            return 0
        results = runner.run(args.profile, args.only, args.out, folder, timeout=args.timeout,
                             solutions=not args.skip_solutions, parameters=_parameters(args.param),
                             split=args.split, save_results=args.save_results)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    code, message = runner.summary_exit_code(results)
    print(message)
    print(f"report: {Path(args.out) / 'site' / 'index.html'}; metrics: {Path(args.out) / 'metrics.json'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
