"""The command line on real review files: each command through ``reviewer.cli.main``
in this process (tests/cli_runner.py), and as a separate program where that is the point."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_runner import run, run_process
from tests.conftest import SEEDS

__all__ = ["run"]  # tests/rank/test_rank_cli.py runs its commands with this


def test_help_on_every_level():
    top = run_process("--help").stdout  # `python -m reviewer` starts as a program
    for cmd in ("import", "list", "screenshot"):
        assert cmd in top
        assert "usage: reviewer" in run(cmd, "--help").stdout


def test_import_then_list_json(tmp_path):
    review = tmp_path / "r.review"
    run("--review", str(review), "new", "--demo")
    out = run("--review", str(review), "list", "--json")
    demo = json.loads(out.stdout)
    assert demo and {
        "id",
        "title",
        "authors",
        "journal",
        "year",
        "doi",
        "source",
        "duplicate_of",
    } <= set(demo[0])
    assert {r["source"] for r in demo} == {p.name for p in SEEDS.iterdir()}

    extra = tmp_path / "extra.txt"
    extra.write_text("A new article\n\nSome text about pomalidomide.\n", encoding="utf-8")
    report = json.loads(run("--review", str(review), "import", str(extra), "--json").stdout)
    assert report["added"] == 1
    (f,) = report["files"]
    assert (f["path"], f["format"], f["added"], f["duplicates"], f["errors"]) == (
        str(extra),
        "text",
        1,
        0,
        [],
    )
    listed = json.loads(run("--review", str(review), "list", "--json").stdout)
    assert listed[-1]["title"] == "A new article"
    assert [r["id"] for r in listed] == sorted(r["id"] for r in listed)  # import order

    again = json.loads(run("--review", str(review), "import", str(extra), "--json").stdout)
    assert again["added"] == 0 and again["files"][0]["skipped"]
    assert len(json.loads(run("--review", str(review), "list", "--json").stdout)) == len(listed)


def test_import_exit_code_only_fails_when_nothing_imported(tmp_path):
    review = tmp_path / "r.review"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = run("--review", str(review), "import", str(empty), "--json", check=False)
    assert res.returncode == 1
    assert "empty.txt: the file is empty" in json.loads(res.stdout)["files"][0]["errors"][0]
    good = tmp_path / "good.txt"
    good.write_text("Title line\nbody\n", encoding="utf-8")
    res = run("--review", str(review), "import", str(empty), str(good), check=False)
    assert res.returncode == 0
    assert "1 record added, 0 duplicates" in res.stdout  # not "1 records"


def test_a_new_review_path_becomes_an_empty_review(tmp_path):
    """Bug 1: only the default review becomes the demo; a new path starts empty."""
    review = tmp_path / "NEW.review"
    extra = tmp_path / "search.ris"
    extra.write_text(
        "TY  - JOUR\nTI  - Hearing loss after noise\nAU  - Doe, J\nPY  - 2020\nER  - \n",
        encoding="utf-8",
    )
    report = json.loads(run("--review", str(review), "import", str(extra), "--json").stdout)
    assert report["added"] == 1
    listed = json.loads(run("--review", str(review), "list", "--json").stdout)
    assert [r["title"] for r in listed] == ["Hearing loss after noise"]
    from reviewer.store import Store

    with Store(review) as store:
        assert store.name == "NEW" and store.template().fields  # the default template


def test_commands_that_only_read_refuse_a_missing_review(tmp_path):
    missing = tmp_path / "typo.review"
    res = run("--review", str(missing), "stats", "--json", check=False)
    assert res.returncode == 2 and "no such review" in res.stderr
    assert not missing.exists()


def test_new_creates_an_empty_or_a_demo_review(tmp_path):
    out = run("--review", str(tmp_path / "e.review"), "new", "--name", "SNHL").stdout
    assert "SNHL, 0 records" in out
    out = run("--review", str(tmp_path / "d.review"), "new", "--demo").stdout
    assert "34 records" in out


def test_default_review_lives_in_the_user_data_dir(tmp_path):
    data = tmp_path / "data"
    run("list", "--json", env={"REVIEWER_DATA_DIR": str(data)})
    assert (data / "demo.review").exists()


@pytest.mark.parametrize("size", ["1400x900"])
def test_screenshot(tmp_path, size, demo_review, qapp):
    """In this process the command draws with the test session's QApplication."""
    out = tmp_path / "shot.png"
    run(
        "--review",
        str(demo_review),
        "screenshot",
        str(out),
        env={"QT_QPA_PLATFORM": "offscreen"},
    )
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == tuple(int(v) for v in size.split("x"))
    assert Path(out).stat().st_size > 20_000  # a real window, not a blank image


def test_suggest_files_prints_predictions_per_record(tmp_path):
    seed = SEEDS / "003_417edc2a71e64898.txt"
    out = run("--review", str(tmp_path / "unused.review"), "suggest", str(seed), "--json")
    lines = [json.loads(x) for x in out.stdout.splitlines() if x.strip()]
    assert [ln["record"] for ln in lines] == [seed.name]
    sugs = lines[0]["suggestions"]
    assert sugs, "the seed states a sample size, drugs and a design"
    for s in sugs:
        assert {"field", "value", "quote", "start", "end", "confidence"} <= set(s)
    assert not (tmp_path / "unused.review").exists()  # a temporary review was used


def test_suggest_apply_stores_values_with_provenance(demo_review):
    review = demo_review
    run("--review", str(review), "suggest", "--apply", "--reviewer", "bot")
    from reviewer.store import Store

    with Store(review) as store:
        rows = store.db.execute("select count(*) from field_values where reviewer = 'bot'")
        assert rows.fetchone()[0] > 0
        for rid in store.record_ids():
            text = store.record(rid).text
            for fv in store.values(rid).values():
                for span in fv.provenance:
                    assert text[span.start : span.end] == span.quote


def test_two_reviewers_decide_resolve_and_see_agreement(demo_review):
    review = str(demo_review)
    ids = [r["id"] for r in json.loads(run("--review", review, "list", "--json").stdout)][:6]
    # ann and bob agree on 4 of 6: a 2x2 table include/include=2, exclude/exclude=2,
    # ann include & bob exclude=1, ann exclude & bob include=1 ("maybe" counts as include)
    ann = ["include", "maybe", "exclude", "exclude", "include", "exclude"]
    bob = ["include", "include", "exclude", "exclude", "exclude", "include"]
    for rid, a, b in zip(ids, ann, bob, strict=True):
        extra = ["--reason", "wrong population"] if a == "exclude" else []
        run("--review", review, "decide", str(rid), a, "--reviewer", "ann", *extra)
        extra = ["--reason", "wrong population"] if b == "exclude" else []
        run("--review", review, "decide", str(rid), b, "--reviewer", "bob", *extra)
    stats = json.loads(run("--review", review, "stats", "--json").stdout)
    (pair,) = stats["stages"]["title_abstract"]["agreement"]
    assert sorted(pair["reviewers"]) == ["ann", "bob"]
    # po = 4/6; pe = (3/6*3/6) + (3/6*3/6) = 0.5; kappa = (0.6667-0.5)/(0.5) = 0.3333
    assert pair["percent_agreement"] == pytest.approx(66.67, abs=0.01) or pair[
        "percent_agreement"
    ] == pytest.approx(0.6667, abs=1e-3)
    assert pair["kappa"] == pytest.approx(1 / 3, abs=1e-3)
    assert pair["pabak"] == pytest.approx(1 / 3, abs=1e-3)  # 2*po - 1
    assert stats["stages"]["title_abstract"]["final"]["conflict"] == 2
    run("--review", review, "resolve", str(ids[4]), "include", "--reviewer", "cat")
    after = json.loads(run("--review", review, "stats", "--json").stdout)
    assert after["stages"]["title_abstract"]["final"]["conflict"] == 1


def test_decide_errors_are_clear(demo_review):
    review = str(demo_review)
    res = run("--review", review, "decide", "99999", "include", check=False)
    assert res.returncode == 2 and "error" in res.stderr
    # the program's own exit status and stderr, without a traceback
    res = run_process("--review", review, "decide", "99999", "include", check=False)
    assert res.returncode == 2 and "error" in res.stderr and "Traceback" not in res.stderr


def test_merge_two_copies(tmp_path):
    import shutil

    a = tmp_path / "a.review"
    run("--review", str(a), "new", "--demo")
    b = tmp_path / "b.review"
    shutil.copy(a, b)
    run("--review", str(a), "decide", "1", "include", "--reviewer", "ann")
    run("--review", str(b), "decide", "1", "include", "--reviewer", "bob")
    first = json.loads(run("--review", str(a), "merge", str(b), "--json").stdout)
    assert first["copied"] >= 1 and not first["conflicts"]
    again = json.loads(run("--review", str(a), "merge", str(b), "--json").stdout)
    assert again["copied"] == 0
    stats = json.loads(run("--review", str(a), "stats", "--json").stdout)
    assert stats["stages"]["title_abstract"]["agreement"][0]["table"]


def test_export_every_format(tmp_path, demo_review):
    review = str(demo_review)
    run("--review", review, "suggest", "--apply", "--reviewer", "bot")
    for rid in (1, 2):
        run("--review", review, "decide", str(rid), "include", "--reviewer", "ann")
        run(
            "--review",
            review,
            "decide",
            str(rid),
            "include",
            "--stage",
            "full_text",
            "--reviewer",
            "ann",
        )
    run(
        "--review",
        review,
        "decide",
        "3",
        "exclude",
        "--reason",
        "wrong population",
        "--reviewer",
        "ann",
    )
    out = {}
    for fmt, name in (
        ("csv", "t.csv"),
        ("xlsx", "t.xlsx"),
        ("json", "r.json"),
        ("ris", "inc.ris"),
        ("prisma-svg", "p.svg"),
        ("prisma-png", "p.png"),
    ):
        out[fmt] = tmp_path / name
        run("--review", review, "export", "--format", fmt, "--out", str(out[fmt]))
        assert out[fmt].stat().st_size > 0
    import csv

    rows = list(csv.DictReader(out["csv"].open(encoding="utf-8")))
    assert len(rows) == 2  # the two included records
    import openpyxl

    wb = openpyxl.load_workbook(out["xlsx"], read_only=True)
    assert wb.sheetnames[0] == "Extraction"
    assert out["prisma-png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    stats = json.loads(run("--review", review, "stats", "--json").stdout)
    svg = out["prisma-svg"].read_text(encoding="utf-8").replace("\u00a0", " ")
    assert stats["prisma"]["included"] == 2
    assert "(n = 2)" in svg and "(n = 34)" in svg  # included; records screened
    screening = tmp_path / "s.csv"
    run(
        "--review",
        review,
        "export",
        "--format",
        "csv",
        "--table",
        "screening",
        "--out",
        str(screening),
        "--bom",
    )
    assert screening.read_bytes()[:3] == b"\xef\xbb\xbf"


def test_json_export_builds_an_equal_review(tmp_path, demo_review):
    review = str(demo_review)
    run("--review", review, "suggest", "--apply", "--reviewer", "bot")
    run(
        "--review",
        review,
        "decide",
        "2",
        "exclude",
        "--reason",
        "wrong population",
        "--reviewer",
        "ann",
    )
    export = tmp_path / "r.json"
    run("--review", review, "export", "--format", "json", "--out", str(export))
    copy = str(tmp_path / "copy.review")
    out = run("--review", copy, "new-from-json", str(export))
    assert "34 records" in out.stdout
    a = json.loads(run("--review", review, "list", "--json").stdout)
    b = json.loads(run("--review", copy, "list", "--json").stdout)
    assert [(r["id"], r["title"], r["doi"]) for r in a] == [
        (r["id"], r["title"], r["doi"]) for r in b
    ]
    sa = json.loads(run("--review", review, "stats", "--json").stdout)
    sb = json.loads(run("--review", copy, "stats", "--json").stdout)
    assert sa["prisma"] == sb["prisma"]
    again = run("--review", copy, "new-from-json", str(export), check=False)
    assert again.returncode == 2 and "exists" in again.stderr


def test_an_empty_export_says_so_and_why(tmp_path, demo_review):
    out = tmp_path / "x.csv"
    res = run("--review", str(demo_review), "export", "--format", "csv", "--out", str(out))
    assert "(0 records: nothing is included at the last stage" in res.stdout
    res = run(
        "--review", str(demo_review), "export", "--format", "csv", "--out", str(out),
        "--decision", "any",
    )  # fmt: skip
    assert "(34 records)" in res.stdout


def test_copy_while_the_review_is_open_holds_the_latest_work(tmp_path, demo_review):
    """Bug 9 of issue 10: a file copy misses what sits in the -wal; `reviewer copy` does not."""
    import shutil

    from reviewer.store import Store

    review = tmp_path / "mine.review"
    shutil.copy(demo_review, review)
    with Store(review) as open_app:  # the app has the review open, its work in the WAL
        open_app.db.execute("pragma wal_autocheckpoint=0")
        from reviewer.review import screening

        screening.decide(open_app, 1, "include", "ann")
        assert Path(f"{review}-wal").stat().st_size > 0
        plain = tmp_path / "plain.review"
        shutil.copy(review, plain)  # what a file manager would copy
        out = run("--review", str(review), "copy", str(tmp_path / "bob.review"), "--for", "Bob")
    assert "bob.review: Lenalidomide demo review — Bob's copy" in out.stdout
    with Store(plain) as naive:
        assert naive.decision(1, "title_abstract", "ann") is None  # the work was lost
    with Store(tmp_path / "bob.review") as copy:
        assert copy.decision(1, "title_abstract", "ann").decision == "include"
        assert copy.name == "Lenalidomide demo review — Bob's copy"
    res = run("--review", str(review), "copy", str(tmp_path / "bob.review"), check=False)
    assert res.returncode == 2 and "already exists" in res.stderr


def test_merging_leaves_no_wal_or_shm_beside_the_other_copy(tmp_path, demo_review):
    other = tmp_path / "bob.review"
    run("--review", str(demo_review), "copy", str(other), "--for", "Bob")
    run("--review", str(other), "decide", "2", "exclude", "--reviewer", "bob",
        "--reason", "wrong population")  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("bob")) == ["bob.review"]
    out = json.loads(run("--review", str(demo_review), "merge", str(other), "--json").stdout)
    assert out["copied"] >= 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("bob")) == ["bob.review"]


def test_sources_are_listed_and_named(demo_review):
    out = json.loads(run("--review", str(demo_review), "sources", "--json").stdout)
    assert out[0]["database"] == "" and out[0]["records"] >= 1
    run("--review", str(demo_review), "sources", "--name", f"{out[0]['id']}=Guideline pages")
    stats = json.loads(run("--review", str(demo_review), "stats", "--json").stdout)
    assert "Guideline pages" in stats["prisma"]["identified_per_source"]


def test_decide_many_by_filter_or_ids_file(tmp_path, demo_review):
    review = str(demo_review)
    env = {"REVIEWER_NAME": "ann"}
    out = run("--review", review, "decide", "exclude", "--filter", "decision=undecided",
              "--filter", "reviewer=ann", "--dry-run", env=env)  # fmt: skip
    total = int(out.stdout.split()[0])
    assert total > 5 and "would be decided exclude" in out.stdout
    ids = tmp_path / "ids.txt"
    ids.write_text("1, 2\n3  # three\n", encoding="utf-8")
    out = run("--review", review, "decide", "include", "--ids-file", str(ids), env=env)
    assert out.stdout.strip() == "include recorded on 3 records at title/abstract by ann"
    out = run("--review", review, "decide", "exclude", "--filter", "decision=undecided",
              "--filter", "reviewer=ann", "--reason", "wrong population", env=env)  # fmt: skip
    assert f"exclude recorded on {total - 3} records" in out.stdout
    from reviewer.store import Store

    with Store(demo_review) as store:
        mine = {d.record_id: d for d in store.decisions() if d.reviewer == "ann"}
        assert len(mine) == total
        assert mine[1].decision == "include"
        assert {d.reason for r, d in mine.items() if r > 3} == {"wrong population"}
    ids.write_text("1\nfour\n", encoding="utf-8")
    bad = run("--review", review, "decide", "include", "--ids-file", str(ids), check=False)
    assert bad.returncode != 0 and "ids.txt, line 2: 'four' is not a record id" in bad.stderr
    bad = run("--review", review, "decide", "include", check=False)
    assert bad.returncode != 0 and "which records?" in bad.stderr


def test_new_takes_the_path_as_a_newcomer_types_it(tmp_path):
    """`reviewer new my.review` works like `reviewer --review my.review new`."""
    review = tmp_path / "mine.review"
    res = run("new", str(review))
    assert review.exists() and f"{review}: mine, 0 records" in res.stdout
    other = tmp_path / "other.review"
    res = run("--review", str(other), "new", str(review), check=False)
    assert res.returncode != 0 and "two reviews named" in res.stderr and not other.exists()


def test_a_review_file_given_to_import_is_refused_and_nothing_goes_elsewhere(tmp_path):
    """`reviewer import my.review search.ris` must not put the search into the default
    review: it names the mistake and the right command, and imports nothing."""
    review = tmp_path / "mine.review"
    run("new", str(review))
    search = tmp_path / "search.txt"
    search.write_text("A title\n\nSome text.\n", encoding="utf-8")
    res = run("import", str(review), str(search), check=False)
    assert res.returncode != 0
    assert f"{review}: a review file" in res.stderr and f"--review {review} import" in res.stderr
    assert not list(Path(os.environ["REVIEWER_DATA_DIR"]).glob("*.review"))  # no demo made
    ok = run("--review", str(review), "import", str(search))
    assert f"1 record added, 0 duplicates (review: {review})" in ok.stdout
    assert len(json.loads(run("--review", str(review), "list", "--json").stdout)) == 1
