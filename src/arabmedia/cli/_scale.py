"""``arabmedia bench --scale``: each main step on multiples of a manifest corpus (by
default :data:`BASE_CORPUS`), partition by partition, on the local engine or on Dask.

For a factor ``k`` the benchmark writes ``k`` copies of the corpus's raw files into a
temporary study (:func:`replicate_corpus`: copy 0 is the corpus itself, the others are new
articles of the same size and words), then runs each step in a fresh process: ``load``
streams the raw files into the partitioned article store
(:func:`arabmedia.corpus.write_store`); ``exact`` collapses its exact duplicates across
partitions (:func:`arabmedia.engine.collapse_partitions`, as ``load_articles`` does);
``tokenize``, ``count`` (terms and frames), ``agency``, ``near`` (near-duplicate clusters
across partitions) and ``topics`` (NMF fitted on a seeded sample of :data:`TOPIC_SAMPLE`
articles, every article transformed) run their partition functions
(:mod:`arabmedia.engine`) over the collapsed partitions and reduce to per-article tables.
Before the clock starts the engine is up and every process has imported the package
(start-up is reported by neither engine).  Each step reports its wall time and the peak
resident memory of the largest process (the step's own process, a forked worker, or any
Dask worker).
"""

from __future__ import annotations

import hashlib
import json
import re
import resource
import time
from pathlib import Path

import numpy as np

SCALE_STEPS = ("load", "exact", "tokenize", "count", "agency", "near", "topics")
#: Articles the topic model is fitted on (a seeded sample), and its number of topics.
TOPIC_SAMPLE, TOPIC_K = 5000, 10
FIELDS = ("title", "lead", "body")
BASE_CORPUS = "almayadeen"
#: The id fields of the replicated records (those the ``almayadeen`` reader takes).
ID_KEYS = frozenset({"postId", "post_id", "postid"})
#: The text fields of the replicated records whose words a copy reorders.
TEXT_KEYS = ("title", "description", "full_text")
#: Word orders drawn per sentence length and copy; a sentence's text picks one.
ORDERS_PER_LENGTH = 16
_SENTENCE_END = re.compile(r"([.!?؟\n]+)")


class _Reorder:
    """Copy ``copy``'s word orders: each sentence's words put in one of
    :data:`ORDERS_PER_LENGTH` orders drawn (seeded by the copy) for its length, picked by a
    hash of the sentence.  The same sentence gets the same order within a copy, so the
    copy's duplicates and near duplicates are the corpus's, while two copies share hardly
    any 5-word shingle, so they are not near duplicates of each other.  Sentences in
    ``keep`` (the record's keywords: the tag lines where the reader cuts off page
    furniture) stay as they are."""

    def __init__(self, copy: int):
        self.copy = copy
        self.orders: dict[int, np.ndarray] = {}

    def _order(self, length: int, sentence: str) -> np.ndarray:
        if length not in self.orders:
            rng = np.random.default_rng([self.copy, length])
            self.orders[length] = np.array(
                [rng.permutation(length) for _ in range(ORDERS_PER_LENGTH)]
            )
        pick = hashlib.blake2b(sentence.encode("utf-8"), digest_size=2).digest()
        return self.orders[length][int.from_bytes(pick, "little") % ORDERS_PER_LENGTH]

    def __call__(self, text: str, keep: frozenset[str] = frozenset()) -> str:
        pieces = _SENTENCE_END.split(text)
        for number in range(0, len(pieces), 2):  # even pieces are sentences
            words = pieces[number].split(" ")
            if len(words) > 1 and " ".join(pieces[number].split()) not in keep:
                pieces[number] = " ".join(words[i] for i in self._order(len(words), pieces[number]))
        return "".join(pieces)


def _reorder_record(record: dict, reorder: _Reorder) -> None:
    """Reorder the words of the record's text fields in place; a field holding a JSON
    object (a supplement file's metadata, which the reader merges in) has its own text
    fields reordered."""
    from arabmedia.corpus._schema import _keywords

    tags = frozenset(_keywords(record.get("keywords")).split("; "))
    for key in TEXT_KEYS:
        value = record.get(key)
        if not isinstance(value, str):
            continue
        if value.lstrip().startswith("{"):
            try:
                nested = json.loads(value)
            except json.JSONDecodeError:
                nested = None
            if isinstance(nested, dict):
                _reorder_record(nested, reorder)
                record[key] = json.dumps(nested, ensure_ascii=False)
                continue
        record[key] = reorder(value, tags)


def replicate_corpus(settings, factor: int, folder: Path, corpus: str = BASE_CORPUS) -> Path:
    """A study in ``folder`` whose one corpus is ``factor`` copies of the raw JSON files of
    the manifest corpus ``corpus`` (copy 0 as it is).  In copy ``c > 0`` every id
    (:data:`ID_KEYS`) has ``r<c>`` appended, every URL a query ``replica=<c>`` and the
    words of each sentence of the text fields (:data:`TEXT_KEYS`) are reordered
    (:class:`_Reorder`): its articles have the corpus's lengths, words, sentences and
    duplicates, but are neither exact nor near duplicates of another copy's, so every copy
    adds articles to count and to deduplicate (records without an id get one from their
    file's path, which differs per copy).  What the analyses find in copies means nothing;
    what they cost is that of real articles.  Returns the study folder."""
    from arabmedia.corpus import load_manifest

    spec = load_manifest(settings.manifest).corpus(corpus)
    sources = [f.local_path(settings.raw_dir) for f in spec.files if f.path.endswith(".json")]
    folder = Path(folder)
    for copy in range(factor):
        target = folder / "raw" / f"copy{copy:04d}"
        target.mkdir(parents=True, exist_ok=True)
        for source in sources:
            records = json.loads(source.read_text("utf-8"))
            if copy:
                reorder = _Reorder(copy)
                for record in records:
                    for key in ID_KEYS.intersection(record):
                        record[key] = f"{record[key]}r{copy}"
                    if record.get("url"):
                        joiner = "&" if "?" in record["url"] else "?"
                        record["url"] = f"{record['url']}{joiner}replica={copy}"
                    _reorder_record(record, reorder)
            (target / source.name).write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    (folder / "arabmedia.toml").write_text(
        '[data]\ncache_dir = "cache"\n\n[[corpus]]\n'
        f'name = "{corpus}_x{factor}"\nfiles = ["raw/*/*.json"]\n'
        f'reader = "{spec.reader}"\noutlet = "{spec.outlets[0]}"\n',
        "utf-8",
    )
    return folder


def _store_folder(study: Path) -> Path:
    return Path(study) / "store"


def _collapsed_parts(study: Path) -> list[str]:
    """The collapsed partitions the ``exact`` step wrote, in the store's order."""
    from arabmedia.corpus import store_part_files

    store = _store_folder(study)
    return [str(Path(study) / "collapsed" / p.relative_to(store)) for p in store_part_files(store)]


def _import_steps() -> None:
    """Import what the steps run (a worker's first task would pay it otherwise)."""
    import arabmedia.analysis._agency
    import arabmedia.analysis._framing
    import arabmedia.analysis._topics
    import arabmedia.engine._exact
    import arabmedia.engine._reduce  # noqa: F401


def _warm_up(engine) -> None:
    _import_steps()
    client = getattr(engine, "client", None)
    if client is not None:
        client.run(_import_steps)


def _run_step(step: str, paths: list[str], engine) -> int:
    """Run one partition-wise step over ``paths``; the number of per-article rows."""
    from arabmedia import engine as steps
    from arabmedia import lexicons

    fields = list(FIELDS)
    if step == "tokenize":
        table = steps.run_partitions(steps.tokenize_partition, paths, engine, fields=fields)
    elif step == "count":
        table = steps.run_partitions(
            steps.count_partition,
            paths,
            engine,
            fields=fields,
            term_sets=lexicons.load_term_sets(),
            frames=lexicons.load_frames(),
        )
    elif step == "agency":
        table = steps.run_partitions(steps.agency_partition, paths, engine, fields=fields)
    elif step == "near":
        table = steps.near_duplicate_partitions(paths, engine)
    else:  # topics
        from arabmedia.text import make_segmenter

        sample = steps.fit_topic_sample(
            paths,
            engine,
            fields=fields,
            n_sample=TOPIC_SAMPLE,
            seed=0,
            k=TOPIC_K,
            segmenter=make_segmenter("auto", warn=False),
            stop_words=lexicons.load_stopwords(),
        )
        table = steps.run_partitions(
            steps.transform_partition, paths, engine, **sample.transform_options
        )
    return len(table)


def _own_peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _worker_peak_kib(engine) -> int:
    """The largest peak resident size (KiB) of the engine's Dask workers (0 without any)."""
    client = getattr(engine, "client", None)
    return max(client.run(_own_peak_kib).values(), default=0) if client is not None else 0


def _scale_step(step: str, study: str, engine: str, options: dict) -> dict:
    """Run ``step`` on the replicated study (in a fresh process); time and peak memory."""
    import pyarrow.parquet as pq

    from arabmedia.config import load_settings
    from arabmedia.corpus import store_part_files, store_partitions, write_store
    from arabmedia.engine import collapse_partitions, make_engine

    settings = load_settings(study)
    folder = _store_folder(Path(study))
    worker_peak_kib = 0
    if step == "load":
        start = time.perf_counter()
        write_store(settings, folder, progress=False)
        seconds = time.perf_counter() - start
        rows = int(store_partitions(folder)["n_articles"].sum())
    else:
        paths = store_part_files(folder) if step == "exact" else _collapsed_parts(Path(study))
        with make_engine(engine, **options) as running:
            _warm_up(running)
            start = time.perf_counter()
            if step == "exact":
                collapsed = Path(study) / "collapsed"
                written = collapse_partitions(paths, running, collapsed, root=folder)
                rows = sum(pq.read_metadata(p).num_rows for p in written)
            else:
                rows = _run_step(step, paths, running)
            seconds = time.perf_counter() - start
            worker_peak_kib = _worker_peak_kib(running)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(max(own, children, worker_peak_kib) / 1024),
        "rows": rows,
    }


def run_scale_benchmark(
    root: str | Path,
    factors: tuple[int, ...] = (1, 10, 100),
    *,
    engine: str = "local",
    options: dict | None = None,
    steps: tuple[str, ...] = SCALE_STEPS,
    work_dir: str | Path | None = None,
    corpus: str = BASE_CORPUS,
    progress: bool = True,
) -> dict:
    """Wall time and peak memory of each step at each factor (see the module doc).

    Returns ``{"engine", "factors", "articles": {factor: n}, "steps": {step: {factor:
    {"seconds", "peak_mb", "rows"}}}, "ratios": {step: {factor: seconds / seconds at the
    smallest factor}}}``, factors as strings.  ``corpus``: the manifest corpus replicated.
    Replicas go to ``work_dir`` (default: a temporary folder, removed afterwards).
    """
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    from arabmedia.config import load_settings

    unknown = sorted(set(steps) - set(SCALE_STEPS))
    if unknown:
        raise ValueError(f"unknown scale steps {unknown}; choose from {SCALE_STEPS}")
    if "load" not in steps:
        raise ValueError("the scale steps need 'load': it writes the store the others read")
    if "exact" not in steps and set(steps) - {"load"}:
        raise ValueError("the scale steps need 'exact': it writes the partitions the others read")
    settings = load_settings(root)
    context = multiprocessing.get_context("spawn")
    result = {"engine": engine, "factors": [str(f) for f in sorted(factors)], "articles": {}}
    result["steps"] = {step: {} for step in steps}
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        for factor in tqdm(sorted(factors), desc="scale", disable=not progress):
            study = replicate_corpus(settings, factor, Path(tmp) / f"x{factor}", corpus)
            for step in [s for s in SCALE_STEPS if s in steps]:
                with ProcessPoolExecutor(1, mp_context=context) as pool:
                    measured = pool.submit(
                        _scale_step, step, str(study), engine, options or {}
                    ).result()
                result["steps"][step][str(factor)] = measured
                if step == "load":
                    result["articles"][str(factor)] = measured["rows"]
            _remove(study)
    smallest = result["factors"][0]
    result["ratios"] = {
        step: {
            factor: round(entry["seconds"] / max(by_factor[smallest]["seconds"], 1e-9), 2)
            for factor, entry in by_factor.items()
        }
        for step, by_factor in result["steps"].items()
    }
    return result


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def format_scale_benchmark(result: dict) -> str:
    """A plain-text table of :func:`run_scale_benchmark`'s result."""
    lines = [f"engine {result['engine']}; articles per factor: {result['articles']}"]
    lines.append(f"{'step':<10}{'factor':>8}{'seconds':>10}{'ratio':>8}{'peak MB':>9}")
    for step, by_factor in result["steps"].items():
        for factor, entry in by_factor.items():
            ratio = result["ratios"][step][factor]
            lines.append(
                f"{step:<10}{factor:>8}{entry['seconds']:>10.1f}{ratio:>8.2f}{entry['peak_mb']:>9}"
            )
    return "\n".join(lines)
