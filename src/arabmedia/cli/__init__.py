"""The ``arabmedia`` command line, the notebook runner and the benchmarks."""

from arabmedia.cli._bench import (
    SCALING_STEPS,
    format_benchmark,
    load_benchmark_texts,
    run_benchmark,
    run_scaling,
)
from arabmedia.cli._main import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    build_parser,
    cmd_bench,
    cmd_fetch,
    cmd_load,
    cmd_run,
    cmd_tokenize,
    main,
)
from arabmedia.cli._notebooks import (
    KERNEL_NAME,
    NOTEBOOK_PATTERN,
    VOLATILE_NOTEBOOK_KEYS,
    execute_notebook,
    list_notebooks,
    peak_memory_mb,
    run_notebooks,
    scrub_volatile_metadata,
)

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "KERNEL_NAME",
    "NOTEBOOK_PATTERN",
    "SCALING_STEPS",
    "VOLATILE_NOTEBOOK_KEYS",
    "CommandError",
    "build_parser",
    "cmd_bench",
    "cmd_fetch",
    "cmd_load",
    "cmd_run",
    "cmd_tokenize",
    "execute_notebook",
    "format_benchmark",
    "list_notebooks",
    "load_benchmark_texts",
    "main",
    "peak_memory_mb",
    "run_benchmark",
    "run_notebooks",
    "run_scaling",
    "scrub_volatile_metadata",
]
