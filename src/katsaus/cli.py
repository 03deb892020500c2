"""`katsaus report|section|validate|watch|batch`: the commands the Makefile runs."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from katsaus import paths
from katsaus.errors import KatsausError, cut
from katsaus.paths import Layout


def main(argv: list[str] | None = None) -> int:
    """Run a command; a data or parameter problem is one line on stderr and exit status 2, a notebook
    that raised exit status 1; a traceback goes to a log file, never to the terminal."""
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.run(args)
    except KatsausError as error:
        print(error.said(), file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt as error:
        name = "SIGTERM" if isinstance(error, Terminated) else "SIGINT"
        print(f"katsaus: stopped by {name}; the published review is unchanged", file=sys.stderr)
        return 128 + (signal.SIGTERM if name == "SIGTERM" else signal.SIGINT)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"katsaus: error: {where}{cut(error.strerror or str(error))}{UNCHANGED}", file=sys.stderr)
        return 2
    except Exception as error:
        log = _keep_traceback(args.output)
        print(f"katsaus: error: {type(error).__name__}: {cut(str(error))}{UNCHANGED}; details in {log}",
              file=sys.stderr)  # fmt: skip
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)


UNCHANGED = "; the published review is unchanged"


class Terminated(KeyboardInterrupt):
    """The command was sent SIGTERM: it stops as on Ctrl-C, its workers with it."""


def _terminated(number, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once is enough while the build winds down
    raise Terminated()


def _keep_traceback(output: Path) -> Path:
    """Write the current exception's traceback to a log file (in the output folder, else a temporary one)."""
    text = traceback.format_exc()
    try:
        log = Layout(output).log
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text, encoding="utf-8")
    except OSError:
        handle, name = tempfile.mkstemp(prefix="katsaus-", suffix=".log")
        os.write(handle, text.encode("utf-8"))
        os.close(handle)
        log = Path(name)
    return log


def _report(args) -> int:
    from katsaus.period import Period
    from katsaus.plan import outputs_of
    from katsaus.publish.atomic import fingerprint, up_to_date

    period = Period.parse(args.period)
    stamp, todo = fingerprint(str(period), args.data, args.params), []
    for language in _languages(args.language):
        folder = outputs_of(args.output, period, args.params, language) / str(period)
        if up_to_date(folder, stamp):
            print(f"{folder}: up to date, nothing to build")
        else:
            todo.append(language)
    if not todo:
        return 0
    from katsaus.build import workers

    pool = workers.start(args.jobs)  # the workers come up while the build's own imports load
    from katsaus.build.steps import Local, build_report, published  # the heavy imports only if there is work

    for language in todo:
        engine = Local(pool or workers.start(args.jobs))  # a build's workers end with it
        folder = build_report(period, args.data, args.output, args.params, engine, language)
        pool = None
        print(published(folder))
    return 0


def _watch(args) -> int:
    from katsaus.build.watch import watch
    from katsaus.period import Period

    period = Period.parse(args.period)
    watch(period, args.data, args.output, args.params, _languages(args.language), args.jobs)
    return 0


def _languages(text: str) -> list[str | None]:
    """The languages of `--language fi,sv`; [None], the plan's, when none is given."""
    from katsaus.i18n import check_language

    return [check_language(part.strip()) for part in text.split(",")] if text else [None]


def _section(args) -> int:
    from katsaus.build.steps import build_section
    from katsaus.i18n import check_language
    from katsaus.period import Period

    period, language = Period.parse(args.period), check_language(args.language) if args.language else None
    for path in build_section(period, args.name, args.data, args.output, args.params, language):
        print(path)
    return 0


def _validate(args) -> int:
    from katsaus.checks.gate import check_data
    from katsaus.i18n import language
    from katsaus.period import Period

    period = Period.parse(args.period)
    outcome = check_data(args.data, period, language())
    folder = outcome.write(Layout(args.output).checks(period))
    print(outcome.summary())
    for warning in outcome.warnings:
        print(f"warning: {warning}")
    outcome.raise_for_errors()
    print(f"report: {folder / 'index.html'}")
    return 0


def _batch(args) -> int:
    import dask

    from katsaus.build.batch import connect, run_batch, table
    from katsaus.plan import load_batch

    jobs = load_batch(args.file)
    with connect(args.scheduler or dask.config.get("scheduler-address", None)) as client:
        if "dashboard" in client.scheduler_info()["services"]:
            print(f"Dask dashboard: {client.dashboard_link}", flush=True)
        results = run_batch(jobs, client)
    print(table(results))
    return 1 if any(result.status == "failed" for result in results) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="katsaus", description=__doc__)
    commands = parser.add_subparsers(required=True)
    for name, run, text in (
        ("report", _report, "build the whole review of a period"),
        ("section", _section, "build one section of a period's review"),
        ("validate", _validate, "check a period's input data and write the report"),
        ("watch", _watch, "build the whole review, then again whenever its inputs change"),
    ):
        command = commands.add_parser(name, help=text)
        command.set_defaults(run=run)
        command.add_argument("--period", default="2022-06", help="YYYY-MM (default 2022-06)")
        command.add_argument("--data", type=Path, default=paths.DATA, help="the data folder")
        command.add_argument("--output", type=Path, default=paths.OUTPUT, help="the output folder")
        if name != "validate":
            command.add_argument("--params", type=Path, default=paths.PARAMS, help="the review plan's folder")
        if name in ("report", "watch"):
            command.add_argument("--jobs", type=_count, default=None, help="sections run at once")
            command.add_argument(
                "--language",
                default="",
                help="the review's language, or several: fi,sv (default: the plan's)",
            )
        elif name == "section":
            command.add_argument("--name", required=True, help="the section's name (params/review.yaml)")
            command.add_argument(
                "--language", default="", help="the section's language (default: the plan's)"
            )
    command = commands.add_parser("batch", help="build every review a batch file lists, on Dask")
    command.set_defaults(run=_batch)
    command.add_argument("file", type=Path, help="the batch file (YAML: periods, organisations)")
    command.add_argument(
        "--scheduler",
        help="a Dask scheduler's address (default DASK_SCHEDULER_ADDRESS, else a local cluster)",
    )
    return parser


def _count(text: str) -> int:
    """A number of processes: a whole number from 1 to 256."""
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 256 (got {cut(repr(text))})")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
