"""Where the package's default lexicon files are, in a checkout and in an installed wheel."""

from importlib.resources import files
from pathlib import Path

#: Folder of the default lexicons: terms/, frames/, agency/, attribution/, stopwords/.
LEXICON_DIR = Path(str(files("arabmedia.lexicons") / "data"))
