"""An imported folder: regular files are read; links, FIFOs and sockets are named as skipped.

A link inside a folder is not followed (a downloaded folder could link to any file of
the computer), and a FIFO would block the import forever; each is named in the report
rather than passed over in silence. A FIFO named directly is refused, not read.
"""

from __future__ import annotations

import os
import socket

import pytest

from reviewer.ingest import import_paths
from reviewer.review.project import create_review

RIS = "TY  - JOUR\nTI  - {title}\nER  - \n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_folder_reports_what_it_did_not_read(tmp_path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "one.ris").write_text(RIS.format(title="Read me"), encoding="utf-8")
    secret = tmp_path / "elsewhere.ris"
    secret.write_text(RIS.format(title="Not from this folder"), encoding="utf-8")
    (folder / "link.ris").symlink_to(secret)
    (folder / "linked-folder").symlink_to(tmp_path / "exports" / "sub")
    os.mkfifo(folder / "pipe.ris")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock"))
    try:
        with create_review(tmp_path / "r.review") as store:
            report = import_paths(store, [folder])
            titles = [r.title for r in store.records()]
    finally:
        sock.close()
    assert titles == ["Read me"]
    notes = {os.path.basename(f.path): " ".join(f.notes) for f in report.files if f.notes}
    assert "a link, not followed" in notes["link.ris"]
    assert "a link, not followed" in notes["linked-folder"]
    assert "not a regular file (a FIFO)" in notes["pipe.ris"]
    assert "not a regular file (a socket)" in notes["sock"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_directly_is_refused_not_read(tmp_path):
    pipe = tmp_path / "pipe.ris"
    os.mkfifo(pipe)
    with create_review(tmp_path / "r.review") as store:
        report = import_paths(store, [pipe])
    (f,) = report.files
    assert f.added == 0 and "not a regular file (a FIFO)" in f.errors[0]
