"""The lead's and the annotators' commands, run through ``annotator.cli.main`` against a real hub."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import psycopg

from annotator.cli import main
from annotator.store import Store

from .hub_helpers import TEXTS, annotate, lead_project


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_lead_sets_up_adds_assigns_and_reads_status_and_annotators_sync(tmp_path, hub_url, member_name, capsys,
                                                                       passfile):
    lead = lead_project(tmp_path / "lead.sqlite")
    status, out, _ = run(capsys, "hub", "init", "--db", str(lead), "--hub", hub_url)
    assert status == 0, _
    assert "0001_initial" in out and "published 6 articles, 6 suggestions" in out
    status, out, _ = run(capsys, "hub", "init", "--db", str(lead), "--hub", hub_url)
    assert "none (up to date)" in out  # again: nothing to apply, nothing doubled
    with Store.open(lead) as store:
        assert store.sync.url().startswith("postgresql://postgres@/")  # no password kept in the project
    names = [member_name("ivan"), member_name("lena")]
    urls = []
    for name in names:
        status, out, _ = run(capsys, "hub", "add-annotator", name, "--hub", hub_url)
        urls.append(out.strip().splitlines()[-1])
        assert status == 0 and urls[-1].startswith(f"postgresql://{name}:")
    status, out, _ = run(capsys, "hub", "assign", "--per-article", "1", "--lease", "3", "--hub", hub_url)
    assert status == 0 and "handed out 6 assignments" in out

    own = tmp_path / "ivan.sqlite"
    status, out, err = run(capsys, "sync", "--db", str(own), "--hub", urls[0])
    assert status == 0, err
    assert f"{own}: made from postgresql://{names[0]}@/" in out  # the password is never printed back
    assert stat.S_IMODE(os.stat(passfile).st_mode) == 0o600 and urls[0].split(":")[2].split("@")[0] in passfile.read_text()
    with Store.open(own) as store:
        assert store.articles.count() == 3  # ivan's half
        assert store.sync.url().startswith(f"postgresql://{names[0]}@")
        annotate(store, names[0], store.articles.ids()[:2])
    status, out, _ = run(capsys, "sync", "--db", str(own))  # the project remembers its hub
    assert status == 0 and "pushed: 2 articles' work" in out

    status, out, _ = run(capsys, "hub", "status", "--hub", hub_url, "--json")
    progress = {row["name"]: row for row in json.loads(out)["annotators"]}
    assert progress[names[0]]["assigned"] == 3 and progress[names[0]]["done"] == 2
    assert progress[names[1]]["assigned"] == 3 and progress[names[1]]["done"] == 0
    status, out, _ = run(capsys, "hub", "status", "--hub", hub_url)
    assert names[0] in out and "Report 1" in out


def test_an_expired_lease_returns_the_unfinished_article_to_the_pool(tmp_path, hub_url, member_name, capsys):
    lead = lead_project(tmp_path / "lead.sqlite", TEXTS[:3])
    assert main(["hub", "init", "--db", str(lead), "--hub", hub_url]) == 0
    slow, quick = member_name("slow"), member_name("quick")
    urls = {}
    for name in (slow, quick):
        _, out, _ = run(capsys, "hub", "add-annotator", name, "--hub", hub_url)
        urls[name] = out.strip().splitlines()[-1]
    # Only slow exists at first assignment: everything goes to slow, with a 2-day lease.
    with psycopg.connect(hub_url) as conn:
        conn.execute("UPDATE hub_members SET reviewer = TRUE WHERE name = %s", [quick])
    assert main(["hub", "assign", "--per-article", "1", "--lease", "2", "--hub", hub_url]) == 0
    with psycopg.connect(hub_url) as conn:
        conn.execute("UPDATE hub_members SET reviewer = FALSE WHERE name = %s", [quick])
    own = tmp_path / "slow.sqlite"
    assert main(["sync", "--db", str(own), "--hub", urls[slow]]) == 0
    with Store.open(own) as store:
        annotate(store, slow, store.articles.ids()[:1])  # finishes one
    assert main(["sync", "--db", str(own)]) == 0
    _, out, _ = run(capsys, "hub", "assign", "--per-article", "1", "--lease", "2", "--hub", hub_url)
    assert "handed out 0 assignments" in out  # leases still running: nothing moves
    with psycopg.connect(hub_url) as conn:
        conn.execute("UPDATE assignments SET lease_until = now() - interval '1 hour'")  # two days later
    _, out, _ = run(capsys, "hub", "assign", "--per-article", "1", "--lease", "2", "--hub", hub_url)
    assert out.count("lease ran out") == 2 and "handed out 2 assignments" in out
    with psycopg.connect(hub_url) as conn:
        holders = dict(conn.execute("SELECT a.title, x.annotator FROM assignments x JOIN articles a"
                                    " ON a.id = x.article_id").fetchall())
    assert holders == {"Report 1": slow, "Report 2": quick, "Report 3": quick}
    quick_file = tmp_path / "quick.sqlite"
    assert main(["sync", "--db", str(quick_file), "--hub", urls[quick]]) == 0
    with Store.open(quick_file) as store:
        assert [store.articles.get(a).title for a in store.articles.ids()] == ["Report 2", "Report 3"]


def test_sync_without_a_reachable_hub_says_so_and_leaves_no_file(tmp_path, capsys, pg_cluster, passfile):
    missing = tmp_path / "new.sqlite"
    url = f"postgresql://nobody@/nohub?host={tmp_path}"  # no server listens there
    status, _, err = run(capsys, "sync", "--db", str(missing), "--hub", url)
    assert status == 2 and "cannot reach the hub" in err and "nothing was made" in err
    assert not missing.exists()


def test_commands_without_the_hub_do_not_import_psycopg(tmp_path, write):
    db = tmp_path / "p.sqlite"
    assert main(["import", "--db", str(db), str(write("a.txt", "Clashes near Aleppo."))]) == 0
    probe = ("import sys\nfrom annotator.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('psycopg' in sys.modules, file=sys.stderr)")
    for argv in (["--help"], ["stats", "--db", str(db)], ["sync", "--help"], ["hub", "--help"]):
        done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=120)
        assert done.stderr.strip().splitlines()[-1] == "False", (argv, done.stderr)


def test_without_psycopg_the_hub_commands_say_what_to_install(tmp_path):
    # A None entry in sys.modules makes the import fail as if the extra were not installed.
    probe = ("import sys\nsys.modules['psycopg'] = None\nimport importlib.util\n"
             "importlib.util.find_spec = lambda name, *a: None if name == 'psycopg' else _find(name, *a)\n"
             "from annotator.cli import main\nsys.exit(main(sys.argv[1:]))")
    probe = probe.replace("import importlib.util\n", "import importlib.util\n_find = importlib.util.find_spec\n")
    for argv in (["sync", "--db", str(tmp_path / "x.sqlite"), "--hub", "postgresql://a@/b"],
                 ["hub", "status", "--hub", "postgresql://a@/b"]):
        done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "pip install 'conflict-annotator[hub]'" in done.stderr, done.stderr
    assert not (tmp_path / "x.sqlite").exists()
