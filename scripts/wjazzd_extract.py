"""Extract the WJazzD columns psc-looper uses from jazzodata's R tables into data/wjazzd/.

Run once by a maintainer (needs ``pyreadr`` and ``pandas``, not part of any
requirement file): ``python scripts/wjazzd_extract.py ../shared/data/wjazzd``.
The output is plain gzipped CSV (deterministic bytes), read with the standard library
by ``psc_looper.training.wjazzd``: no R and no pandas are needed to retrain.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "wjazzd"
TABLES = {
    # output file: (R file, columns)
    "notes.csv.gz": ("wjd_transforms", ["melid", "onset", "pitch_raw", "articulation_raw", "bar",
                                        "beat", "tatum", "division", "period", "chord"]),
    "beats.csv.gz": ("wjd_annotated_beat_tracks", ["melid", "onset", "bar", "beat", "period",
                                                   "signature", "chord", "bass"]),
    "solos.csv.gz": ("wjd_meta", ["melid", "id", "performer", "title", "instrument", "style",
                                  "avgtempo", "signature", "key", "rhythmfeel",
                                  "chord_changes"]),
}


def _cell(value: object) -> str:
    text = "" if value is None or value != value else str(value)  # NaN -> ""
    return text.strip("'")  # the beat track quotes its signatures: '4/4'


def main(source: Path) -> None:
    import pyreadr

    for name, (rfile, columns) in TABLES.items():
        frame = pyreadr.read_r(str(source / f"{rfile}.rda"))[rfile]
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        for row in frame[columns].itertuples(index=False):
            writer.writerow(_cell(v) for v in row)
        with open(OUT / name, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(text.getvalue().encode())
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
