"""`katsaus report|section|validate|batch`: the commands the Makefile runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from katsaus import paths
from katsaus.errors import KatsausError


def main(argv: list[str] | None = None) -> int:
    """Run a command; a data or parameter problem is one line on stderr and exit status 2."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KatsausError as error:
        print(f"katsaus: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("katsaus: interrupted; the published review is unchanged", file=sys.stderr)
        return 130


def _report(args) -> int:
    from katsaus.i18n import check_language
    from katsaus.period import Period
    from katsaus.publish import fingerprint, up_to_date
    from katsaus.sections import outputs_of

    period = Period.parse(args.period)
    languages = (
        [check_language(part.strip()) for part in args.language.split(",")] if args.language else [None]
    )
    stamp, todo = fingerprint(str(period), args.data, args.params), []
    for language in languages:
        folder = outputs_of(args.output, period, args.params, language) / str(period)
        if up_to_date(folder, stamp):
            print(f"{folder}: up to date, nothing to build")
        else:
            todo.append(language)
    if not todo:
        return 0
    from katsaus import workers

    pool = workers.start(args.jobs)  # the workers come up while the build's own imports load
    from katsaus.build import Local, build_report  # the heavy imports only when there is work to do

    for language in todo:
        engine = Local(pool or workers.start(args.jobs))  # a build's workers end with it
        folder = build_report(args.period, args.data, args.output, args.params, engine, language)
        pool = None
        print(f"review: {folder / 'review.html'}\n        {folder / 'review.pdf'}")
    return 0


def _section(args) -> int:
    from katsaus.build import build_section
    from katsaus.i18n import check_language

    language = check_language(args.language) if args.language else None
    for path in build_section(args.period, args.name, args.data, args.output, args.params, language):
        print(path)
    return 0


def _validate(args) -> int:
    from katsaus.build import check_period
    from katsaus.inputs import load_inputs
    from katsaus.period import Period
    from katsaus.validation import load_kpi_table, load_text_files, validate

    period = Period.parse(args.period)
    inputs = load_inputs(args.data)
    check_period(inputs, period)
    outcome = validate(inputs, period, load_text_files(args.data, period), load_kpi_table(args.data, period))
    folder = outcome.write(args.output / "checks" / str(period))
    print(outcome.summary())
    for warning in outcome.warnings:
        print(f"warning: {warning}")
    outcome.raise_for_errors()
    print(f"report: {folder / 'index.html'}")
    return 0


def _batch(args) -> int:
    import dask

    from katsaus.batch import connect, load_batch, run_batch, table

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
    ):
        command = commands.add_parser(name, help=text)
        command.set_defaults(run=run)
        command.add_argument("--period", default="2022-06", help="YYYY-MM (default 2022-06)")
        command.add_argument("--data", type=Path, default=paths.DATA, help="the data folder")
        command.add_argument("--output", type=Path, default=paths.OUTPUT, help="the output folder")
        if name != "validate":
            command.add_argument("--params", type=Path, default=paths.PARAMS, help="the review plan's folder")
        if name == "report":
            command.add_argument("--jobs", type=int, default=None, help="sections run at once")
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


if __name__ == "__main__":
    sys.exit(main())
