"""Build the rule segmenter's bundled vocabulary: word-type counts of the study's corpora.

Reads the study's deduplicated articles (``arabmedia.corpus.load_articles``), tokenizes their
title, lead and body through the token cache (``arabmedia.text.article_tokens``), counts the
Arabic word types and writes the ``--top`` most frequent (default 50,000) as gzip-compressed
``word<TAB>count`` lines, sorted by count descending, then word.  Only single word types and
their counts are stored, never corpus text.  Example::

    .venv/bin/python tools/build_vocabulary.py            # writes arabmedia.text.VOCABULARY_FILE
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from arabmedia.text import VOCABULARY_FILE, VOCABULARY_TOP, vocabulary_counts, write_vocabulary

FIELDS = ("title", "lead", "body")


def build(token_lists: Iterable[Iterable[str]], output: Path, top: int = VOCABULARY_TOP) -> Path:
    """Count the word types of ``token_lists`` and write the ``top`` most frequent to ``output``."""
    return write_vocabulary(vocabulary_counts(token_lists, top=top), output)


def main(argv: list[str] | None = None) -> None:
    from arabmedia.config import load_settings
    from arabmedia.corpus import load_articles
    from arabmedia.text import article_tokens

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=VOCABULARY_FILE)
    parser.add_argument("--top", type=int, default=VOCABULARY_TOP)
    args = parser.parse_args(argv)
    settings = load_settings()
    articles = load_articles(settings)
    fields = [field for field in FIELDS if field in articles.columns]
    path = build(article_tokens(articles, fields, settings), args.output, args.top)
    print(f"{path}: the {args.top} most frequent word types of {len(articles)} articles")


if __name__ == "__main__":
    main()
