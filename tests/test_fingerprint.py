"""Code fingerprints: the same code gives the same key; edited code or libraries another."""

import importlib.util
import sys

from arabmedia import _fingerprint
from arabmedia._fingerprint import code_fingerprint


def _load_module(path, name="fingerprinted_example"):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fingerprint_follows_module_source_data_files_and_library_versions(tmp_path, monkeypatch):
    source = tmp_path / "example.py"
    source.write_text("def tokenize(text):\n    return text.split()\n", encoding="utf-8")
    data = tmp_path / "words.txt"
    data.write_text("حرب\n", encoding="utf-8")
    module = _load_module(source)
    first = code_fingerprint([module], ["numpy"], [data])
    assert code_fingerprint([module], ["numpy"], [data]) == first

    source.write_text("def tokenize(text):\n    return text.split(' ')\n", encoding="utf-8")
    edited = code_fingerprint([module], ["numpy"], [data])
    assert edited != first

    data.write_text("سلام\n", encoding="utf-8")
    assert code_fingerprint([module], ["numpy"], [data]) != edited

    before_upgrade = code_fingerprint([module], ["numpy"])
    monkeypatch.setattr(_fingerprint.metadata, "version", lambda name: "999.0")
    assert code_fingerprint([module], ["numpy"]) != before_upgrade


def test_a_missing_library_is_part_of_the_fingerprint_not_an_error():
    module = sys.modules[__name__]
    assert code_fingerprint([module], ["no-such-distribution-x"]) != code_fingerprint([module])
