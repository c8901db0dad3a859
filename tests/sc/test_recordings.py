"""The real bridge's ``/bridge/record`` writes only inside a private recordings folder
(this user's, mode 700, created so) and never through a link: another local user who
made the folder first, or planted a link in it, gets nothing overwritten."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from psc_looper.sc.testing import LiveBridge, running_bridge

NOBODY = 65534


def _refused(live: LiveBridge, path: Path, why: str) -> None:
    since = time.time()
    live.send("/bridge/record", str(path))
    with pytest.raises(TimeoutError):
        live.first("/bridge/recording", since=since, timeout=0.5)
    assert live.status()["recording"] == 0
    log = live.process.log_path.read_text(errors="replace")
    assert why in log.split("ERROR in /bridge/record")[-1], log[-500:]


def test_the_recordings_folder_is_private_and_links_are_never_followed(tmp_path):
    rec = tmp_path / "psc-recordings"
    target = tmp_path / "precious.txt"
    target.write_text("not yours")
    with running_bridge(tmp_path, recordings_dir=rec) as live:
        live.start_recording(str(rec / "first.wav"))  # missing: created private
        assert live.stop_recording() == str(rec / "first.wav")
        assert (rec.stat().st_mode & 0o777) == 0o700 and (rec / "first.wav").stat().st_size
        (rec / "x.wav").symlink_to(target)  # a link in the folder
        _refused(live, rec / "x.wav", "exists and is a symbolic link")
        (rec / "sub").symlink_to(tmp_path)  # a folder link leading out
        _refused(live, rec / "sub" / "y.wav", "leads outside")
        assert not (tmp_path / "y.wav").exists()
        rec.chmod(0o755)  # others may look in: refused
        _refused(live, rec / "second.wav", "must be a private folder")
        rec.chmod(0o700)
        if os.geteuid() == 0:  # made by someone else first (root can make that happen)
            os.chown(rec, NOBODY, NOBODY)
            _refused(live, rec / "second.wav", f"user {os.geteuid()} (mode 700)")
            os.chown(rec, 0, 0)
        rec.rename(tmp_path / "elsewhere")
        rec.symlink_to(tmp_path / "elsewhere")  # the folder itself a link
        _refused(live, rec / "second.wav", "it is a symbolic link")
        assert not (tmp_path / "elsewhere" / "second.wav").exists()
    assert target.read_text() == "not yours"
