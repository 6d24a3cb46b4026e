"""Faults: a killed build, a full disk, a read-only folder, two builds at once, a read-only kb/.

Whatever happens, the previous site stays complete and byte-identical until a new one is swapped
in whole, the next build succeeds, and nothing but `tarikh new` and `tarikh import` ever writes
into `kb/` (and those only add files or append). Where the system allows a private mount
namespace (`unshare -m`, as root), full disks and read-only folders are real (a small tmpfs, a
read-only bind mount); otherwise the write error is simulated in-process.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from builder.cli import main
from builder.write import cache_dir
from conftest import ROOT, SEED_KB, SHARED

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
TARIKH = [sys.executable, "-m", "builder.cli"]


def tree(root: Path) -> dict[str, str]:
    """Every file and link under root: relative path -> digest of its bytes (or link target)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(out: Path) -> list[str]:
    """Half-written trees beside the output."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*"))


def leftovers_after_cleanup(out: Path, seconds: float = 60) -> list[str]:
    """leftovers() once the deletions a build leaves to a process of its own are done (a large
    site's previous tree and its search documents: write.remove_tree), or after `seconds`."""
    deadline = time.monotonic() + seconds
    while leftovers(out) and time.monotonic() < deadline:
        time.sleep(0.1)
    return leftovers(out)


def seed_copy(root: Path, title: str | None = None) -> Path:
    kb = root / "kb"
    shutil.copytree(SEED_KB, kb)
    if title:
        toml = (kb / "site.toml").read_text(encoding="utf-8")
        (kb / "site.toml").write_text(toml.replace('en = "', f'en = "{title} ', 1), encoding="utf-8")
    return kb


def tarikh(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*TARIKH, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)


def can_unshare_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = "mount -t tmpfs -o size=1m tmpfs /mnt && umount /mnt"
    return subprocess.run(["unshare", "-m", "sh", "-c", probe], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not can_unshare_mount(), reason="no private mount namespace here (unshare -m as root)")


def in_mount_namespace(script: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace (its mounts vanish with it)."""
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-ec", textwrap.dedent(script)],
                          cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)


# ---- nothing writes into kb/ ---------------------------------------------------------------------

def test_build_check_query_and_export_never_write_into_kb(tmp_path, capsys):
    kb = seed_copy(tmp_path)
    before, listing = tree(kb), sorted(os.listdir(kb))
    assert main(["build", "--kb", str(kb), "--out", str(tmp_path / "out")]) == 0
    assert main(["check", "--kb", str(kb)]) == 0
    assert main(["query", "--kb", str(kb), "--format", "csv", str(kb / "queries" / "quotes.rq")]) == 0
    assert main(["export", "csv", "--kb", str(kb), "-o", str(tmp_path / "events.csv")]) == 0
    assert main(["build", "--kb", str(kb), "--out", str(tmp_path / "out")]) == 0  # a rebuild over a site
    assert tree(kb) == before and sorted(os.listdir(kb)) == listing
    assert not list(kb.rglob(".tarikh-cache")) and not list(kb.rglob("*.pyc"))


def test_new_and_import_only_add_files_or_append(tmp_path, capsys):
    kb = seed_copy(tmp_path)
    before = {rel: (kb / rel).read_bytes() for rel in tree(kb)}
    assert main(["new", "actor", "--kb", str(kb), "--file", str(kb / "actors.ttl"), "--label-en", "A new actor",
                 "--label-ar", "فاعل جديد", "--type", "Organization"]) == 0
    assert main(["new", "place", "--kb", str(kb), "--file", str(kb / "new-places.ttl"), "--label-en", "A new place",
                 "--label-ar", "مكان جديد"]) == 0
    assert main(["import", "wikidata", str(SHARED / "data" / "events" / "wikidata_events_iraq_syria_subset.json"),
                 "--kb", str(kb)]) == 0
    after = {rel: (kb / rel).read_bytes() for rel in tree(kb)}
    assert set(before) <= set(after)
    changed = sorted(rel for rel in before if after[rel] != before[rel])
    assert changed == ["actors.ttl"]
    assert after["actors.ttl"].startswith(before["actors.ttl"])  # appended, never rewritten
    assert "new-places.ttl" in after and len(set(after) - set(before)) >= 2


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("where", ["the kb itself", "the folder holding kb", "a folder inside kb"])
def test_an_output_folder_that_is_holds_or_lies_in_kb_is_refused(tmp_path, capsys, command, where):
    """The output is replaced whole: were it kb/ or a folder holding it, a build would delete the
    knowledge base; inside kb/, it would write there (and the next check would read its dumps)."""
    kb = seed_copy(tmp_path)
    out = {"the kb itself": kb, "the folder holding kb": tmp_path, "a folder inside kb": kb / "site"}[where]
    before, listing = tree(kb), sorted(os.listdir(tmp_path))
    extra = ["--port", "0"] if command == "serve" else []
    assert main([command, "--kb", str(kb), "--out", str(out), *extra]) == 2
    assert "refusing to write the site" in capsys.readouterr().err
    assert tree(kb) == before and sorted(os.listdir(tmp_path)) == listing
    assert not (kb / "site").exists()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_an_output_that_is_a_file_is_refused_before_anything_is_built(tmp_path, capsys, monkeypatch, command):
    """contract.md, exit 2: the command cannot run. A build found out only when it swapped the new
    site in, after checking and rendering all of it."""
    from builder import site

    def never(*args, **kwargs):
        raise AssertionError("the site was built for an output it cannot be written to")
    monkeypatch.setattr(site, "_build", never)
    out = tmp_path / "out"
    out.write_text("not a folder")
    extra = ["--port", "0"] if command == "serve" else []
    assert main([command, "--kb", str(SEED_KB), "--out", str(out), *extra]) == 2
    assert f"cannot write the site to {out}: it is a file, not a folder" in capsys.readouterr().err
    assert out.read_text() == "not a folder"


@needs_mounts
def test_a_read_only_kb_builds(tmp_path):
    """kb/ on a read-only mount (as root, chmod would not stop a write): the build needs no write there."""
    kb = seed_copy(tmp_path)
    before = tree(kb)
    done = in_mount_namespace("""
        mount --bind kb kb && mount -o remount,ro,bind kb
        touch kb/probe 2>/dev/null && { echo "kb is writable"; exit 9; }
        python -m builder.cli build --kb kb --out out
        python -m builder.cli check --kb kb
    """.replace("python", sys.executable), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert (tmp_path / "out" / "index.html").is_file()
    assert tree(kb) == before


# ---- write errors ---------------------------------------------------------------------------------

def test_a_write_error_is_a_clear_message_and_leaves_the_previous_site(tmp_path, monkeypatch, capsys):
    """Disk full half-way through writing (simulated in-process): exit 2, the old site untouched."""
    import builder.render
    import builder.write
    kb = seed_copy(tmp_path)
    out = tmp_path / "out"
    assert main(["build", "--kb", str(kb), "--out", str(out)]) == 0
    previous, kb_before = tree(out), tree(kb)
    (kb / "site.toml").write_text((kb / "site.toml").read_text().replace('en = "', 'en = "Changed ', 1))
    real, calls = builder.write.write_file, []

    def full_disk(root, rel, raw, previous=None):
        calls.append(rel)
        if len(calls) > 40:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(root / rel))
        return real(root, rel, raw, previous)

    monkeypatch.setattr(builder.write, "write_file", full_disk)
    monkeypatch.setattr(builder.render, "write_file", full_disk)
    capsys.readouterr()
    assert main(["build", "--kb", str(kb), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tarikh: error: cannot write the site to" in err and "No space left on device" in err, err
    assert "Traceback" not in err
    assert tree(out) == previous and leftovers(out) == []
    monkeypatch.undo()
    assert main(["build", "--kb", str(kb), "--out", str(out)]) == 0  # and the next build succeeds
    assert "Changed" in (out / "index.html").read_text(encoding="utf-8")
    assert tree(kb) == {**kb_before, "site.toml": tree(kb)["site.toml"]}


@needs_mounts
def test_a_full_disk_for_real_leaves_the_previous_site(tmp_path):
    """A tmpfs just big enough for one site: the second, different build runs out of space."""
    kb = seed_copy(tmp_path)
    (tmp_path / "fs").mkdir()
    (tmp_path / "hash.py").write_text("import inspect, json, sys, hashlib, os\nfrom pathlib import Path\n"
                                      + inspect.getsource(tree)
                                      + "json.dump(tree(Path(sys.argv[1])), open(sys.argv[2], 'w'))\n")
    script = f"""
        mount -t tmpfs -o size=200m tmpfs fs
        {sys.executable} -m builder.cli build --kb kb --out fs/out
        {sys.executable} hash.py fs/out before.json
        used=$(du -sk fs | cut -f1)
        mount -o remount,size=$((used + 256))k fs
        sed -i 's/^en = "/en = "Changed /' kb/site.toml
        set +e
        {sys.executable} -m builder.cli build --kb kb --out fs/out 2> err.txt
        echo $? > rc.txt
        set -e
        {sys.executable} hash.py fs/out after.json
        ls -a fs > listing.txt
    """
    done = in_mount_namespace(script, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    err = (tmp_path / "err.txt").read_text()
    assert (tmp_path / "rc.txt").read_text().strip() == "2", err
    assert "No space left on device" in err and "Traceback" not in err, err
    assert json.loads((tmp_path / "after.json").read_text()) == json.loads((tmp_path / "before.json").read_text())
    assert [n for n in (tmp_path / "listing.txt").read_text().split() if n.startswith(".out.")] == []


@needs_mounts
def test_a_read_only_output_folder_is_a_clear_message(tmp_path):
    kb = seed_copy(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    assert tarikh("build", "--kb", "kb", "--out", "site/out", cwd=tmp_path).returncode == 0
    before = tree(site)
    done = in_mount_namespace(f"""
        mount --bind site site && mount -o remount,ro,bind site
        set +e
        {sys.executable} -m builder.cli build --kb kb --out site/out 2> same.txt
        echo $? > same-rc.txt
        {sys.executable} -m builder.cli build --force --kb kb --out site/out 2> err.txt
        echo $? > rc.txt
    """, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    # from the very files of the site there: nothing to write, so a read-only folder is no matter
    assert (tmp_path / "same-rc.txt").read_text().strip() == "0"
    assert "up to date" in (tmp_path / "same.txt").read_text()
    err = (tmp_path / "err.txt").read_text()
    assert (tmp_path / "rc.txt").read_text().strip() == "2", err
    assert "Read-only file system" in err and "Traceback" not in err, err
    assert tree(site) == before


# ---- two builds ----------------------------------------------------------------------------------

def test_a_second_build_waits_for_the_lock(tmp_path):
    kb = seed_copy(tmp_path)
    out = tmp_path / "out"
    cache_dir(out).mkdir(parents=True)
    with open(cache_dir(out) / "out.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a first build would
        proc = subprocess.Popen([*TARIKH, "build", "--kb", "kb", "--out", "out"], cwd=tmp_path, env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(6)
        assert proc.poll() is None and not out.exists() and leftovers(out) == []
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert (out / "index.html").is_file()


@pytest.mark.slow
def test_two_builds_at_once_do_not_corrupt_each_other(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    kb_a, kb_b = seed_copy(tmp_path / "a"), seed_copy(tmp_path / "b", title="Other")
    for kb in (kb_a, kb_b):
        assert tarikh("build", "--kb", str(kb), "--out", str(kb.parent / "ref"), cwd=tmp_path).returncode == 0
    refs = {tuple(sorted(tree(kb.parent / "ref").items())) for kb in (kb_a, kb_b)}
    assert len(refs) == 2
    for _ in range(2):
        procs = [subprocess.Popen([*TARIKH, "build", "--kb", str(kb), "--out", "out"], cwd=tmp_path, env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for kb in (kb_a, kb_b)]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
        assert tuple(sorted(tree(tmp_path / "out").items())) in refs  # one whole site, not a mixture
        assert leftovers(tmp_path / "out") == []


# ---- killed builds -------------------------------------------------------------------------------

def _wait_for(predicate, proc: subprocess.Popen, timeout: float = 240) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if predicate():
            return True
        time.sleep(0.005)
    return False


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_previous_site(tmp_path):
    """SIGKILL the build (its process only, as `kill -9` would) before, during and after the write stage."""
    gen = subprocess.run([sys.executable, "-m", "benchmarks.gen", "200", str(tmp_path / "kb")], cwd=ROOT,
                         env=ENV, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    kb, out = tmp_path / "kb", tmp_path / "out"
    assert tarikh("build", "--kb", "kb", "--out", "out", cwd=tmp_path).returncode == 0
    previous, kb_before = tree(out), tree(kb)
    count = len(previous)
    (kb / "site.toml").write_text((kb / "site.toml").read_text(encoding="utf-8").replace('en = "', 'en = "Changed ', 1),
                                  encoding="utf-8")
    kb_changed = tree(kb)

    def fresh() -> list[Path]:
        return [p for p in tmp_path.glob(".out.new-*") if p.is_dir()]

    def files_in_fresh(n: int):
        def enough() -> bool:  # os.walk ignores folders removed meanwhile (a killed build's, cleared)
            return any(sum(len(files) for _, _, files in os.walk(f)) >= n for f in fresh())
        return enough

    moments = {
        "loading": lambda: time.sleep(0.3) or True,
        "tree made": lambda: bool(fresh()),
        "writing": files_in_fresh(50),
        "rendering": files_in_fresh(count // 2),
        "indexing": lambda: any((f / "pagefind").exists() for f in fresh()),
    }
    hit = []
    for name, moment in moments.items():
        proc = subprocess.Popen([*TARIKH, "build", "--kb", "kb", "--out", "out"], cwd=tmp_path, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        if _wait_for(moment, proc):
            hit.append(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert tree(out) == previous, f"killed while {name}: the previous site changed"
        try:  # the render workers and Pagefind it started, orphaned: stop them too
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        time.sleep(0.2)
        assert tree(out) == previous, f"killed while {name}: the previous site changed"
    assert {"tree made", "writing", "rendering"} <= set(hit), hit
    done = tarikh("build", "--kb", "kb", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert leftovers_after_cleanup(out) == []  # the next build cleared what the killed ones left
    assert tarikh("build", "--kb", "kb", "--out", "ref", cwd=tmp_path).returncode == 0
    assert tree(out) == tree(tmp_path / "ref") != previous  # complete: the same bytes as a clean build
    assert tree(kb) == kb_changed and set(kb_before) == set(kb_changed)
