"""The ``arabmedia`` command line.

Exit codes: 0 success; 1 the data or a step failed (message on stderr);
2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from arabmedia.cli._notebooks import NotebookError
from arabmedia.config import SETTINGS_FILE, Settings, load_settings
from arabmedia.io import atomic_write_text

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(RuntimeError):
    """A failure the user can act on; printed without a traceback."""


def _parameters(pairs: list[list[str]] | None) -> dict:
    """``-p name value`` pairs; values are parsed as JSON when they can be."""
    out = {}
    for name, value in pairs or []:
        try:
            out[name] = json.loads(value)
        except json.JSONDecodeError:
            out[name] = value
    return out


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from arabmedia.corpus._manifest import AcquisitionError, acquire, load_manifest
    from arabmedia.corpus._study import manifest_corpora

    names = args.corpora or manifest_corpora(settings)
    if not names:
        print("fetch: the study names no manifest corpus; nothing to acquire")
        return EXIT_OK
    try:
        report = acquire(
            load_manifest(settings.manifest),
            names,
            settings,
            download=not args.no_download,
            progress=not args.quiet,
        )
    except AcquisitionError as error:
        raise CommandError(str(error)) from error
    counts = report["action"].value_counts().to_dict()
    print("fetch: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return EXIT_OK


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from arabmedia.corpus._dedup import deduplicate
    from arabmedia.corpus._loading import read_files, write_load_result
    from arabmedia.corpus._store import store_folder, store_problems, store_rejects, write_store
    from arabmedia.corpus._study import NothingLoadedError, load_study

    if args.store is not None:  # the study's article store, streamed
        if args.inputs:
            raise CommandError("load --store writes the study's corpora; it takes no files")
        folder = Path(args.store) if args.store else store_folder(settings)
        try:
            partitions = write_store(settings, folder, progress=not args.quiet)
        except FileExistsError as error:  # DIR holds something else
            raise CommandError(str(error)) from error
        print(
            f"store: {len(partitions)} partitions, {int(partitions['n_articles'].sum())} "
            f"articles, {len(store_rejects(folder))} rejects, "
            f"{len(store_problems(folder))} problems -> {folder}"
        )
        return EXIT_OK
    if args.inputs:
        result = read_files(
            args.inputs,
            args.reader,
            corpus=args.corpus or "user",
            outlet=args.outlet,
            mapping=json.loads(args.mapping) if args.mapping else None,
            tz=args.timezone,
            encoding=args.encoding,
            date_format=args.date_format,
            dayfirst=args.dayfirst,
            record_path=args.record_path,
        )
    else:
        result = load_study(settings)
    if result.articles.empty:
        raise NothingLoadedError(result, settings)
    articles = deduplicate(
        result.articles, near=not args.no_near, disable_progress=True if args.quiet else None
    )
    written = write_load_result(articles, result.rejects, Path(args.out), result.problems)
    unique = f"{len(articles)} after deduplication"
    print(f"{result.summary} ({unique}) -> {', '.join(map(str, written))}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from importlib.resources import files

    folder = Path(args.folder)
    target = folder / SETTINGS_FILE
    if target.exists():
        raise CommandError(f"{target} exists already; edit it, or choose another folder")
    template = files("arabmedia.cli").joinpath("data/study_template.toml").read_text("utf-8")
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, template)
    print(f"new: wrote {target}; put your files under {folder / 'raw'}, edit [[corpus]], then")
    print(f"     arabmedia run --study {folder}")
    return EXIT_OK


def cmd_tokenize(args: argparse.Namespace, settings: Settings) -> int:
    from arabmedia.corpus._articles import load_articles
    from arabmedia.text._cache import article_tokens

    articles = load_articles(settings)
    tokens = article_tokens(
        articles, ("title", "lead", "body"), settings, n_jobs=args.jobs, progress=not args.quiet
    )
    total = int(tokens.str.len().sum())
    print(f"tokenize: {len(tokens)} documents, {total} tokens in {settings.cache_dir}")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from arabmedia.cli._bench import format_benchmark, load_benchmark_texts, run_benchmark

    if args.series:
        from arabmedia.cli._bench import format_series_benchmark, run_series_benchmark
        from arabmedia.cli._notebooks import series_folder

        result = run_series_benchmark(settings.root, series_folder(), jobs=args.jobs)
        print(json.dumps(result, indent=2) if args.json else format_series_benchmark(result))
        return EXIT_OK
    if args.scale:
        from arabmedia.cli._scale import format_scale_benchmark, run_scale_benchmark

        # one local process is the reference; Dask: --jobs workers, or a running scheduler's
        options = {"n_jobs": 1} if args.engine == "local" else {"n_workers": args.jobs}
        if args.engine == "dask" and args.scheduler:
            options = {"scheduler": args.scheduler}
        result = run_scale_benchmark(
            settings.root, tuple(args.scale), engine=args.engine, options=options,
            progress=not args.quiet,
        )  # fmt: skip
        print(json.dumps(result, indent=2) if args.json else format_scale_benchmark(result))
        return EXIT_OK
    texts = load_benchmark_texts(settings.raw_dir)
    result = run_benchmark(texts, n_jobs=args.jobs)
    print(json.dumps(result, indent=2, sort_keys=True) if args.json else format_benchmark(result))
    return EXIT_OK


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from arabmedia.cli._notebooks import peak_memory_mb, run_study, series_folder

    start = time.perf_counter()
    table, report = run_study(
        settings,
        Path(args.series) if args.series else series_folder(),
        select=args.notebooks,
        parameters=_parameters(args.parameter),
        progress=not args.quiet,
        jobs=args.jobs,
        force=args.force,
    )
    for row in table.itertuples():
        how = "restored, inputs unchanged" if row.cached else "executed"
        print(f"run: {row.notebook} {row.seconds:.1f} s ({how})")
    print(
        f"run: {len(table)} notebooks in {time.perf_counter() - start:.1f} s, "
        f"peak memory {peak_memory_mb():.0f} MB; report: {report}"
    )
    return EXIT_OK


def _factors(text: str) -> list[int]:
    try:
        factors = [int(part) for part in text.split(",")]
    except ValueError as error:
        message = f"factors must be integers, e.g. 1,10,100: {text!r}"
        raise argparse.ArgumentTypeError(message) from error
    if not factors or min(factors) < 1:
        raise argparse.ArgumentTypeError(f"factors must be >= 1: {text!r}")
    return factors


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arabmedia", description="Compare how Arabic-language news outlets cover events."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--quiet", action="store_true", help="no progress bars")
    common.add_argument(
        "--study", help="study folder holding arabmedia.toml (default: the nearest one upward)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    fetch = sub.add_parser(
        "fetch", parents=[common], help="acquire corpora named in data/manifest.yml"
    )
    fetch.add_argument("corpora", nargs="*", help="corpus names (default: the configured ones)")
    fetch.add_argument("--no-download", action="store_true", help="use the local mirror only")
    fetch.set_defaults(func=cmd_fetch)

    load = sub.add_parser(
        "load",
        parents=[common],
        help="corpora or files -> articles.parquet + rejects.csv, or the study's article store",
    )
    load.add_argument("inputs", nargs="*", help="files (default: the study's corpora)")
    target = load.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", help="output folder")
    target.add_argument(
        "--store",
        nargs="?",
        const="",
        metavar="DIR",
        help="stream the study's corpora into a partitioned Parquet article store in DIR "
        "(default: <cache_dir>/store/<key of the inputs>)",
    )
    load.add_argument("--reader", default="generic", help="reader for files (default: generic)")
    load.add_argument("--outlet", help="outlet of the given files (never guessed)")
    load.add_argument("--corpus", help="corpus name for the given files")
    load.add_argument("--mapping", help='JSON column mapping, e.g. {"body": "text"}')
    load.add_argument("--encoding", default="utf-8", help='codec, or "auto" (UTF-8 else cp1256)')
    load.add_argument("--date-format", help='strptime format, e.g. "%%d/%%m/%%Y"')
    load.add_argument("--dayfirst", action="store_true", help="numeric dates are day/month")
    load.add_argument("--timezone", help="IANA zone of times without an offset")
    load.add_argument("--record-path", help='record list inside a JSON object, e.g. "data.items"')
    load.add_argument("--no-near", action="store_true", help="skip near-duplicate clustering")
    load.set_defaults(func=cmd_load)

    new = sub.add_parser("new", parents=[common], help="write a commented study template into DIR")
    new.add_argument("folder", metavar="DIR", help="the study folder (created when missing)")
    new.set_defaults(func=cmd_new)

    run = sub.add_parser(
        "run",
        parents=[common],
        help="execute the notebooks on the study; write notebooks, figures, tables, report.md",
    )
    run.add_argument("notebooks", nargs="*", help="name prefixes, e.g. 00 02 (default: all)")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="notebook parameter (JSON value), e.g. -p show_text true",
    )
    run.add_argument(
        "--series", help="folder of the numbered notebooks (default: the repository's notebooks/)"
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="notebooks run side by side, each after the ones it reads (default: 2 or the CPUs)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="execute every notebook, even those whose inputs are unchanged since a stored run",
    )
    run.set_defaults(func=cmd_run)

    tokenize = sub.add_parser(
        "tokenize",
        parents=[common],
        help="study articles -> cached tokens",
    )
    tokenize.add_argument("--jobs", type=int, default=2, help="processes")
    tokenize.set_defaults(func=cmd_tokenize)

    bench = sub.add_parser(
        "bench",
        parents=[common],
        help="tokenizer speed; --series: the notebook series; --scale: cost vs corpus size",
    )
    bench.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    bench.add_argument(
        "--series",
        action="store_true",
        help="the notebook series cold and warm against R (naive tokenizer) and F (kernel floor)",
    )
    bench.add_argument(
        "--scale",
        type=_factors,
        metavar="FACTORS",
        help="time and peak memory of each partition-wise step at these multiples of the "
        "benchmark corpus (the manifest's almayadeen), e.g. 1,10,100",
    )
    bench.add_argument(
        "--engine", choices=["local", "dask"], default="local", help="engine for --scale"
    )
    bench.add_argument(
        "--scheduler", metavar="ADDRESS", help="--engine dask: a running scheduler to use"
    )
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.func is cmd_new:  # writes a study: needs none, and a broken one must not stop it
            return cmd_new(args)
        settings = load_settings(args.study) if args.study else load_settings()
        return args.func(args, settings)
    except (CommandError, NotebookError, ValueError, FileNotFoundError) as error:
        print(f"arabmedia {args.command}: error: {error}", file=sys.stderr)
        return EXIT_FAILED
