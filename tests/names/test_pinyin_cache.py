"""The pinyin readings cached beside the names index: read back equal to pypinyin's without importing it,
checked by their hash, a damaged or planted file removed and the names read by pypinyin again; a warm
``check`` of a party written in Chinese characters does not import pypinyin."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin

from chipscreen.names import han, pinyin_cache
from chipscreen.names.screener import Screener
from chipscreen.paths import data_dir


def _cached(folder: Path) -> list[Path]:
    return sorted(folder.glob("pinyin-readings-*.json"))


def _pypinyin(run: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))


def test_readings_written_and_read_back_without_pypinyin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = "鑫淼犇焱"  # on no list: only this test reads it
    assert han.pinyin(run) == _pypinyin(run) == ("xin", "miao", "ben", "yan")
    pinyin_cache.save(tmp_path)
    (path,) = _cached(tmp_path)
    assert json.loads(path.read_bytes())[run] == ["xin", "miao", "ben", "yan"]
    han.pinyin.cache_clear()
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing pypinyin now fails
    pinyin_cache.prime(tmp_path)
    assert han.pinyin(run) == ("xin", "miao", "ben", "yan")
    pinyin_cache.save(tmp_path)  # nothing new: the file is not written again
    assert _cached(tmp_path) == [path]


@pytest.mark.parametrize("damage", ["flip", "planted"])
def test_a_damaged_or_planted_file_is_removed_and_pypinyin_asked_again(tmp_path: Path, damage: str) -> None:
    run = "淼犇鑫"
    han.pinyin(run)
    pinyin_cache.save(tmp_path)
    (path,) = _cached(tmp_path)
    if damage == "flip":
        data = path.read_bytes()
        path.write_bytes(data[:10] + bytes([data[10] ^ 0x01]) + data[11:])
    else:  # a file whose name matches its content, but which gives a name a reading that is no list of syllables
        planted = json.dumps({run: "ben"}).encode()
        path.unlink()
        path = path.with_name(f"pinyin-readings-{pinyin_cache.key()}-{hashlib.sha256(planted).hexdigest()}.json")
        path.write_bytes(planted)
    assert pinyin_cache.read(tmp_path) == {}
    assert not path.exists()
    han.pinyin.cache_clear()
    pinyin_cache.prime(tmp_path)
    assert han.pinyin(run) == _pypinyin(run) == ("miao", "ben", "xin")


def test_a_warm_check_of_a_chinese_name_does_not_import_pypinyin(bundled_home: Path, screener: Screener,
                                                                   tmp_path: Path) -> None:
    """Issue 14 item 19: the index build read 科大讯飞 already; the warm ``check`` reads it from the cache."""
    tx = tmp_path / "tx.json"
    tx.write_text((data_dir() / "scenarios" / "three_routes.jsonl").read_text().splitlines()[3])
    assert "科大讯飞" in tx.read_text()
    probe = ("import sys\nfrom chipscreen.cli import main\n"
             f"sys.argv = ['chipscreen', 'check', {str(tx)!r}, '--home', {str(bundled_home)!r}]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('pypinyin' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert proc.stderr.strip().splitlines()[-1] == "False", proc.stderr[-2000:]
    assert "matches EL entry 'IFLYTEK'" in proc.stdout, proc.stdout[-2000:]
