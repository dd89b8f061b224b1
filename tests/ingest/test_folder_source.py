"""The local source: a file, a folder of .eml files (by name), a Maildir (by delivery time)."""

from __future__ import annotations

import mailbox
import os
from pathlib import Path

import pytest

from ingest.errors import MailSourceError
from ingest.folder import PathSource, iter_path_messages
from ingest.source import MailSource


def _msg(n: int) -> bytes:
    return f"Subject: m{n}\r\nMessage-ID: <m{n}@x>\r\n\r\nbody {n}\r\n".encode()


def test_single_file(tmp_path: Path) -> None:
    path = tmp_path / "one.eml"
    path.write_bytes(_msg(1))
    got = list(iter_path_messages([path]))
    assert [(m.content, m.source, m.uid, m.mailbox) for m in got] == [
        (_msg(1), f"file:{path}", None, None)]


def test_folder_sorted_by_name_only_eml(tmp_path: Path) -> None:
    for name, n in [("b.eml", 2), ("a.eml", 1), ("c.EML", 3), ("notes.txt", 9)]:
        (tmp_path / name).write_bytes(_msg(n))
    got = list(iter_path_messages([tmp_path]))
    assert [m.content for m in got] == [_msg(1), _msg(2), _msg(3)]


def test_maildir_cur_and_new_by_delivery_time(tmp_path: Path) -> None:
    box_path = tmp_path / "Maildir"
    box = mailbox.Maildir(str(box_path), create=True)
    # Write files by hand so their names carry the delivery times in a known order.
    (box_path / "new" / "1700000300.M3P1.host").write_bytes(_msg(3))
    (box_path / "cur" / "1700000100.M1P1.host:2,S").write_bytes(_msg(1))
    (box_path / "new" / "1700000200.M2P1.host").write_bytes(_msg(2))
    del box
    got = list(iter_path_messages([box_path]))
    assert [m.content for m in got] == [_msg(1), _msg(2), _msg(3)]
    assert got[0].source == f"maildir:{box_path}/1700000100.M1P1.host"


def test_paths_in_given_order(tmp_path: Path) -> None:
    (tmp_path / "x.eml").write_bytes(_msg(1))
    (tmp_path / "y.eml").write_bytes(_msg(2))
    got = list(iter_path_messages([tmp_path / "y.eml", tmp_path / "x.eml"]))
    assert [m.content for m in got] == [_msg(2), _msg(1)]


def test_missing_path_fails_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "x.eml").write_bytes(_msg(1))
    with pytest.raises(MailSourceError) as info:
        iter_path_messages([tmp_path / "x.eml", tmp_path / "nope"])
    assert str(info.value) == f"no such file or folder: {tmp_path / 'nope'}"


def test_not_a_file_or_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(MailSourceError) as info:
        iter_path_messages([fifo])
    assert str(info.value) == f"not a file or folder: {fifo}"


def test_file_vanishing_during_iteration(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(_msg(1))
    (tmp_path / "b.eml").write_bytes(_msg(2))
    it = iter_path_messages([tmp_path])
    assert next(it).content == _msg(1)
    (tmp_path / "b.eml").unlink()
    with pytest.raises(MailSourceError) as info:
        next(it)
    assert str(info.value) == f"no such file: {tmp_path / 'b.eml'}"


def test_path_source_is_a_mail_source(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(_msg(1))
    source = PathSource([tmp_path])
    assert isinstance(source, MailSource)
    [incoming] = list(source.messages())
    source.acknowledge(incoming, raw_message_id=7, needs_review=False)
    assert source.flush() == []
    assert source.acknowledged == [7]
