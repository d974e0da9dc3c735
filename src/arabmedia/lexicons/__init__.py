"""Lexicons: term sets, frame dictionaries, agency and attribution word lists, stop words.

The default lexicons are data files shipped inside the package (``lexicons/data``), so an
installed wheel finds them from any working directory; a researcher passes their own files
to the loaders instead.
"""

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR

__all__ = ["LEXICON_DIR", "LexiconError"]
