"""Lazy subpackage exports: a notebook kernel imports only what its cells use."""

import importlib
import json
import subprocess
import sys

import pytest

from arabmedia._lazy import lazy_exports

SUBPACKAGES = ("analysis", "corpus", "engine", "lexicons", "plot", "stats", "text")
HEAVY = (
    "camel_tools",
    "dask",
    "datasketch",
    "distributed",
    "scipy",
    "sklearn",
    "torch",
    "transformers",
)


def _packages():
    return [importlib.import_module(f"arabmedia.{name}") for name in SUBPACKAGES]


def test_importing_the_subpackages_loads_no_heavy_library():
    code = (
        "import json, sys\n"
        "from arabmedia import analysis, config, corpus, engine, lexicons, plot, stats, text\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_a_light_function_loads_no_heavy_library():
    """Names whose modules need no heavy library stay light when used."""
    code = (
        "import json, sys\n"
        "from arabmedia.analysis import find_terms, kwic, distinctive_terms\n"
        "from arabmedia.plot import distinctive_terms_figure\n"
        "from arabmedia.text import make_vectorizer, tokenize\n"
        "from arabmedia.corpus import deduplicate\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("package", _packages(), ids=SUBPACKAGES)
def test_every_public_name_is_its_private_modules_object(package):
    listed = [name for names in package._EXPORTS.values() for name in names]
    assert sorted(listed) == sorted(package.__all__)
    for module, names in package._EXPORTS.items():
        source = importlib.import_module(f"{package.__name__}.{module}")
        for name in names:
            assert getattr(package, name) is getattr(source, name), (module, name)
            assert name in vars(package)  # cached: the next access skips __getattr__


@pytest.mark.parametrize("package", _packages(), ids=SUBPACKAGES)
def test_dir_lists_the_public_names(package):
    assert dir(package) == sorted(package.__all__)


@pytest.mark.parametrize("package", _packages(), ids=SUBPACKAGES)
def test_unknown_name_raises_attribute_error(package):
    message = f"module '{package.__name__}' has no attribute 'no_such_name'"
    with pytest.raises(AttributeError, match=message):
        package.no_such_name  # noqa: B018
    with pytest.raises(ImportError, match="cannot import name 'no_such_name'"):
        exec(f"from {package.__name__} import no_such_name", {})


def test_all_is_the_sorted_exports_and_a_name_is_listed_once():
    public, _, listing = lazy_exports("pkg", {"_one": ("b", "a"), "_two": ("c",)})
    assert public == ["a", "b", "c"] == listing()
    with pytest.raises(ValueError, match="'a' is listed under both '_one' and '_two'"):
        lazy_exports("pkg", {"_one": ("a",), "_two": ("a",)})
