"""Manifest validation, and acquisition from a mirror and from a loopback HTTP server."""

import copy
import hashlib
import http.server
import re
import stat
import threading
from pathlib import Path

import pytest
import yaml

from arabmedia.config import Settings, load_settings
from arabmedia.corpus import (
    KNOWN_READERS,
    AcquisitionError,
    FileSpec,
    ManifestError,
    acquire,
    check_mirror_sums,
    load_manifest,
    verify,
)
from arabmedia.corpus import _manifest as manifest_module

COMMIT = "0123456789abcdef0123456789abcdef01234567"
ALPHA = "سطر أول\nسطر ثان\n".encode()
BETA = b"beta stop-word list\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_entry(path: str, data: bytes, **extra) -> dict:
    entry = {"path": path, "source_path": f"src/{path}", **extra}
    return entry | {"sha256": sha(data), "bytes": len(data)}


def corpus_entry(name: str, files: list[dict], **source) -> dict:
    return {
        "name": name,
        "description": f"test corpus {name}",
        "outlets": ["Test Outlet"],
        "reader": "stopwords",
        "licence": "test licence",
        "source": source or {"repository": "owner/repo", "commit": COMMIT},
        "files": files,
    }


def write_manifest(path: Path, corpora: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"manifest_version": 1, "corpora": corpora}), "utf-8")
    return path


def make_settings(tmp_path: Path) -> Settings:
    return Settings(
        root=tmp_path,
        mirror=tmp_path / "mirror",
        raw_dir=tmp_path / "raw",
        cache_dir=tmp_path / "cache",
        figures_dir=tmp_path / "figures",
        tables_dir=tmp_path / "tables",
        manifest=tmp_path / "manifest.yml",
        notebooks_dir=tmp_path / "notebooks",
        report=tmp_path / "report.md",
    )


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


GOOD_CORPORA = [
    corpus_entry("alpha", [file_entry("alpha/a.txt", ALPHA)]),
    corpus_entry("beta", [file_entry("beta/b.txt", BETA)]),
]


# --------------------------------------------------------------------------- validation


def test_good_manifest_loads_with_corpus_defaults_and_overrides(tmp_path):
    corpora = copy.deepcopy(GOOD_CORPORA)
    corpora[1]["files"][0].update(repository="other/place", commit="f" * 40, role="reference")
    manifest = load_manifest(write_manifest(tmp_path / "m.yml", corpora))
    assert manifest.names == ("alpha", "beta")
    alpha = manifest.corpus("alpha").files[0]
    beta = manifest.corpus("beta").files[0]
    assert (alpha.repository, alpha.commit, alpha.role) == ("owner/repo", COMMIT, "data")
    assert (beta.repository, beta.commit, beta.role) == ("other/place", "f" * 40, "reference")
    assert alpha.sha256 == sha(ALPHA) and alpha.bytes == len(ALPHA)


def _break(corpora, change):
    broken = copy.deepcopy(corpora)
    change(broken)
    return broken


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c[0]["files"][0].update(sha256="abc123"), "field 'sha256'"),
        (lambda c: c[0]["files"][0].update(sha256=sha(ALPHA).upper()), "field 'sha256'"),
        (lambda c: c[0]["files"][0].pop("path"), "field 'path': missing"),
        (lambda c: c[0]["files"][0].update(path="/etc/a.txt"), "relative POSIX path"),
        (lambda c: c[0]["files"][0].update(path="alpha/../../a.txt"), "without '..'"),
        (lambda c: c[0]["files"][0].update(bytes=-1), "field 'bytes'"),
        (lambda c: c[0]["files"][0].update(sha265="x"), "unknown field(s) 'sha265'"),
        (lambda c: c[0]["files"][0].pop("source_path"), "field 'source_path': missing"),
        (lambda c: c[0]["files"][0].update(role="bonus"), "field 'role'"),
        (lambda c: c[0]["files"][0].update(url="ftp://example.org/a"), "field 'url'"),
        (lambda c: c[0].update(reader="nonesuch"), "unknown reader 'nonesuch'"),
        (lambda c: c[0]["source"].pop("commit"), "field 'commit'"),
        (lambda c: c[0]["source"].update(commit="abc"), "field 'commit'"),
        (lambda c: c[0]["source"].update(repository="no-slash"), "field 'repository'"),
        (lambda c: c[0]["source"].update(repository="unknown"), "field 'commit'"),
        (lambda c: c[0].update(source={"repository": "unknown"}), "field 'note'"),
        (lambda c: c[0].update(outlets="Test Outlet"), "field 'outlets'"),
    ],
)
def test_validation_errors_name_file_corpus_and_field(tmp_path, change, expected):
    path = write_manifest(tmp_path / "m.yml", _break(GOOD_CORPORA, change))
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    message = str(caught.value)
    assert str(path) in message
    assert "'alpha'" in message
    assert expected in message


def test_unknown_reader_error_lists_known_readers_and_custom_list_accepts_it(tmp_path):
    broken = _break(GOOD_CORPORA, lambda c: c[0].update(reader="x"))
    path = write_manifest(tmp_path / "m.yml", broken)
    with pytest.raises(ManifestError, match=re.escape("known: " + ", ".join(KNOWN_READERS))):
        load_manifest(path)
    assert load_manifest(path, known_readers=["x", "stopwords"]).corpus("alpha").reader == "x"


def test_duplicate_paths_and_names_are_rejected(tmp_path):
    same_path = _break(GOOD_CORPORA, lambda c: c[1]["files"][0].update(path="alpha/a.txt"))
    with pytest.raises(ManifestError, match=r"duplicate path .*also listed in corpus 'alpha'"):
        load_manifest(write_manifest(tmp_path / "m.yml", same_path))
    same_name = _break(GOOD_CORPORA, lambda c: c[1].update(name="alpha"))
    with pytest.raises(ManifestError, match="'alpha': duplicate corpus name"):
        load_manifest(write_manifest(tmp_path / "m.yml", same_name))


def test_yaml_syntax_error_and_wrong_version_name_the_file(tmp_path):
    path = tmp_path / "m.yml"
    path.write_text("corpora: [unclosed\n", "utf-8")
    with pytest.raises(ManifestError, match=re.escape(f"{path}: cannot read")):
        load_manifest(path)
    path.write_text(yaml.safe_dump({"manifest_version": 7, "corpora": GOOD_CORPORA}), "utf-8")
    with pytest.raises(ManifestError, match="'manifest_version' must be 1"):
        load_manifest(path)


def test_raw_github_url_is_built_from_repository_commit_and_quoted_path():
    spec = FileSpec(
        path="x/f.json",
        sha256="0" * 64,
        bytes=1,
        repository="owner/repo",
        commit=COMMIT,
        source_path="Web Scraper (Task1)/f.json",
    )
    assert spec.download_url() == (
        f"https://raw.githubusercontent.com/owner/repo/{COMMIT}/Web%20Scraper%20%28Task1%29/f.json"
    )
    explicit = FileSpec(path="x", sha256="0" * 64, bytes=1, repository="o/r", url="https://h/x")
    assert explicit.download_url() == "https://h/x"
    unknown = FileSpec(path="x", sha256="0" * 64, bytes=1, repository="unknown", note="n")
    assert unknown.download_url() is None


# --------------------------------------------------------------------------- mirror copies


@pytest.fixture
def mirrored(tmp_path):
    """A two-corpus manifest whose files are in a temporary mirror."""
    settings = make_settings(tmp_path)
    put(settings.mirror / "alpha/a.txt", ALPHA)
    put(settings.mirror / "beta/b.txt", BETA)
    return load_manifest(write_manifest(settings.manifest, GOOD_CORPORA)), settings


def test_copy_from_mirror_places_read_only_verified_files(mirrored):
    manifest, settings = mirrored
    report = acquire(manifest, ["alpha", "beta"], settings, download=False, progress=False)
    assert list(report["action"]) == ["copied", "copied"]
    assert report["sha256_ok"].all()
    assert list(report["bytes"]) == [len(ALPHA), len(BETA)]
    target = settings.raw_dir / "alpha/a.txt"
    assert target.read_bytes() == ALPHA
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert files_under(settings.raw_dir) == [target, settings.raw_dir / "beta/b.txt"]


def test_present_files_are_left_untouched(mirrored):
    manifest, settings = mirrored
    acquire(manifest, ["alpha"], settings, download=False, progress=False)
    target = settings.raw_dir / "alpha/a.txt"
    before = target.stat()
    report = acquire(manifest, ["alpha"], settings, download=False, progress=False)
    assert list(report["action"]) == ["present"]
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_existing_file_with_wrong_hash_is_never_overwritten(mirrored):
    manifest, settings = mirrored
    stale = put(settings.raw_dir / "alpha/a.txt", b"an older edition\n")
    with pytest.raises(AcquisitionError, match="delete the file") as caught:
        acquire(manifest, ["alpha", "beta"], settings, download=False, progress=False)
    report = caught.value.report
    assert dict(zip(report["path"], report["action"], strict=True)) == {
        "alpha/a.txt": "failed",
        "beta/b.txt": "copied",
    }
    assert stale.read_bytes() == b"an older edition\n"


def test_corrupt_mirror_copy_is_refused_and_leaves_nothing(mirrored):
    manifest, settings = mirrored
    put(settings.mirror / "alpha/a.txt", ALPHA[:-1] + b"!")
    with pytest.raises(AcquisitionError, match="checksum mismatch") as caught:
        acquire(manifest, ["alpha"], settings, download=False, progress=False)
    assert not caught.value.report.loc[0, "sha256_ok"]
    assert files_under(settings.raw_dir) == []


def test_missing_from_mirror_without_downloads_fails_clearly(mirrored):
    manifest, settings = mirrored
    (settings.mirror / "beta/b.txt").unlink()
    with pytest.raises(AcquisitionError, match=r"(?s)1 of 1 files.*downloads are disabled"):
        acquire(manifest, ["beta"], settings, download=False, progress=False)


def test_unknown_corpus_name_lists_known_ones(mirrored):
    manifest, settings = mirrored
    with pytest.raises(AcquisitionError, match="no corpus 'gamma'; known corpora: alpha, beta"):
        acquire(manifest, ["gamma"], settings, progress=False)


def test_unknown_source_cannot_be_downloaded_and_mirror_path_is_honoured(tmp_path):
    settings = make_settings(tmp_path)
    note = "handed over privately; only in the mirror"
    seed = {"path": "seed/s.txt", "mirror_path": "../seeds/s.txt", "sha256": sha(ALPHA)}
    seed["bytes"] = len(ALPHA)
    corpora = [corpus_entry("seed", [seed], repository="unknown", note=note)]
    manifest = load_manifest(write_manifest(settings.manifest, corpora))
    with pytest.raises(AcquisitionError, match=f"no public source to download from: {note}"):
        acquire(manifest, None, settings, download=True, progress=False)
    put(tmp_path / "seeds/s.txt", ALPHA)
    report = acquire(manifest, None, settings, download=True, progress=False)
    assert list(report["action"]) == ["copied"]
    assert (settings.raw_dir / "seed/s.txt").read_bytes() == ALPHA


def test_verify_reports_ok_bad_and_missing(mirrored):
    manifest, settings = mirrored
    acquire(manifest, None, settings, download=False, progress=False)
    tampered = settings.raw_dir / "alpha/a.txt"
    tampered.chmod(0o644)
    tampered.write_bytes(b"edited\n")
    report = verify(manifest, None, settings)
    assert list(report["status"]) == ["bad", "ok"]
    assert report.loc[0, "sha256"] == sha(b"edited\n")
    (settings.raw_dir / "beta/b.txt").unlink()
    assert list(verify(manifest, ["beta"], settings)["status"]) == ["missing"]


def test_check_mirror_sums_compares_manifest_with_sha256sums(mirrored):
    manifest, settings = mirrored
    (settings.mirror / "SHA256SUMS").write_text(
        f"{sha(b'')}  ./SHA256SUMS\n{sha(ALPHA)}  ./alpha/a.txt\n{sha(b'other')}  ./extra/c.txt\n",
        "utf-8",
    )
    table = check_mirror_sums(manifest, settings.mirror)
    assert list(zip(table["path"], table["status"], strict=True)) == [
        ("alpha/a.txt", "ok"),
        ("beta/b.txt", "not_in_sums"),
        ("extra/c.txt", "not_in_manifest"),
    ]
    assert list(table["in_mirror"]) == [True, True, False]
    (settings.mirror / "SHA256SUMS").write_text(f"{sha(BETA)}  ./alpha/a.txt\n", "utf-8")
    assert check_mirror_sums(manifest, settings.mirror).loc[0, "status"] == "mismatch"


# --------------------------------------------------------------------------- downloads

SERVED = b"downloaded corpus file\n" * 50
WRONG = SERVED[:-2] + b"?\n"  # same length, one byte different


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves good, wrong, long, truncated and missing files (by final path component)."""

    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        bodies = {"good.txt": SERVED, "wrong.txt": WRONG, "long.txt": SERVED + SERVED}
        if name in bodies:
            self._send(bodies[name], len(bodies[name]))
        elif name == "short.txt":
            self._send(SERVED[:100], len(SERVED))  # announces more than it sends, then closes
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, announced: int):
        self.send_response(200)
        self.send_header("Content-Length", str(announced))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    serve = {"poll_interval": 0.05}
    thread = threading.Thread(target=httpd.serve_forever, kwargs=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_downloads_are_verified_and_failures_leave_nothing(tmp_path, server):
    settings = make_settings(tmp_path)
    names = ["good", "wrong", "long", "short", "missing"]
    files = [
        {"path": f"web/{n}.txt", "url": f"{server}/{n}.txt", "sha256": sha(SERVED)}
        | {"bytes": len(SERVED), "source_path": f"{n}.txt"}
        for n in names
    ]
    manifest = load_manifest(write_manifest(settings.manifest, [corpus_entry("web", files)]))
    with pytest.raises(AcquisitionError, match="4 of 5 files") as caught:
        acquire(manifest, ["web"], settings, progress=False, timeout=10)
    report = caught.value.report.set_index("path")
    assert report.loc["web/good.txt", "action"] == "downloaded"
    assert report.loc["web/good.txt", "sha256_ok"]
    assert report.loc["web/wrong.txt", "detail"].count("checksum mismatch") == 1
    assert "more than the expected" in report.loc["web/long.txt", "detail"]
    assert f"ended early: 100 of {len(SERVED)}" in report.loc["web/short.txt", "detail"]
    assert "HTTP 404" in report.loc["web/missing.txt", "detail"]
    assert (report["action"] == "failed").sum() == 4
    assert files_under(settings.raw_dir) == [settings.raw_dir / "web/good.txt"]
    assert (settings.raw_dir / "web/good.txt").read_bytes() == SERVED


def test_download_uses_the_url_template_when_no_url_is_given(tmp_path, server, monkeypatch):
    template = server + "/{repository}/{commit}/{source_path}"
    monkeypatch.setattr(manifest_module, "RAW_URL_TEMPLATE", template)
    settings = make_settings(tmp_path)
    entry = {"path": "web/g.txt", "source_path": "dir/good.txt", "sha256": sha(SERVED)}
    corpora = [corpus_entry("web", [entry | {"bytes": len(SERVED)}])]
    manifest = load_manifest(write_manifest(settings.manifest, corpora))
    report = acquire(manifest, None, settings, progress=False, timeout=10)
    assert report.loc[0, "action"] == "downloaded"
    assert report.loc[0, "detail"] == f"from {server}/owner/repo/{COMMIT}/dir/good.txt"


# --------------------------------------------------------------------------- real corpora

REAL_CORPORA = {
    "seed",
    "almayadeen",
    "aljazeera",
    "fignews2024",
    "armpro",
    "newscred2013",
    "stopwords",
}


@pytest.fixture
def real():
    settings = load_settings()
    if not settings.mirror.is_dir():
        pytest.skip(f"corpus mirror {settings.mirror} does not exist")
    return load_manifest(settings.manifest), settings


def test_real_manifest_loads():
    manifest = load_manifest(load_settings().manifest)
    assert set(manifest.names) == REAL_CORPORA
    for corpus in manifest.corpora:
        for spec in corpus.files:
            assert spec.download_url() is not None or spec.note, spec.path


@pytest.mark.corpora
def test_real_manifest_matches_mirror_sha256sums(real):
    manifest, settings = real
    table = check_mirror_sums(manifest, settings.mirror)
    assert table["in_mirror"].all(), table[~table["in_mirror"]]
    assert not (table["status"] == "not_in_manifest").any()
    in_sums = table[~table["path"].str.startswith("../")]
    assert (in_sums["status"] == "ok").all(), in_sums[in_sums["status"] != "ok"]
    seed = manifest.corpus("seed").files[0]
    assert sha(seed.mirror_location(settings.mirror).read_bytes()) == seed.sha256


@pytest.mark.corpora
def test_real_seed_and_armpro_acquire_into_a_temporary_raw_dir(real, tmp_path):
    manifest, settings = real
    local = settings.with_paths(raw_dir=tmp_path / "raw")
    report = acquire(manifest, ["seed", "armpro"], local, download=False, progress=False)
    expected = len(manifest.corpus("seed").files) + len(manifest.corpus("armpro").files)
    assert len(report) == expected
    assert (report["action"] == "copied").all()
    assert (verify(manifest, ["seed", "armpro"], local)["status"] == "ok").all()
