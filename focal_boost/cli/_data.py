"""The command line's data: reading files, the default task, the target column."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from focal_boost._validation import first_rows
from focal_boost.cli._args import MAX_CLASSES_NAMED, PARQUET_SUFFIXES, UsageError, _require


@dataclass
class Task:
    """Features, labels and how to describe them."""

    X: Any  # pandas DataFrame
    y: np.ndarray  # labels as given
    classes: np.ndarray  # sorted, as the estimators' classes_
    y_index: np.ndarray  # index into classes
    positive: int | None  # binary: index of the positive (least frequent) class
    description: str
    encoder: Any = None  # the FrameEncoder fitted on the file's columns
    notes: list[str] = field(default_factory=list)  # for the progress: what was read
    warnings: list[str] = field(default_factory=list)  # what was read other than written

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def _label(value) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def load_default():
    """Digits 8 against the rest, as a DataFrame of 64 pixel columns."""
    import pandas as pd
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = pd.DataFrame(digits.data, columns=[f"pixel_{i}" for i in range(64)])
    y = np.where(digits.target == 8, "8", "other")
    return X, y, ("scikit-learn's digits (sklearn.datasets.load_digits), digit 8 against "
                  "the other nine")


CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".dat")
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".zip", ".xz", ".zst")
SUPPORTED = ("CSV (.csv, .tsv, .txt, also compressed .gz/.bz2/.zip/.xz/.zst) or parquet "
             "(.parquet, .pq)")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _format(path: Path) -> str:
    """``csv`` or ``parquet``; refuses the formats the command does not read."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in CSV_SUFFIXES or suffix == "" or not suffix[1:].isalpha():
        return "csv"  # no suffix, or a name such as data.2024 or data.v2
    raise UsageError(f"{path}: {suffix} files are not supported; give a {SUPPORTED} file")


def _open_binary(path: Path):
    """The file's bytes as a binary stream, decompressed by its suffix; None for a
    compressed file that cannot be opened here (Zstandard without its package, a zip
    archive of several files: pandas says why)."""
    import bz2
    import gzip
    import lzma
    import zipfile

    opener = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}.get(path.suffix.lower())
    if opener is not None:
        return opener(path, "rb")
    if path.suffix.lower() == ".zip":
        archive = zipfile.ZipFile(path)
        names = archive.namelist()
        if len(names) != 1:
            archive.close()
            return None
        return archive.open(names[0])
    if path.suffix.lower() == ".zst":
        import zstandard

        return zstandard.open(path, "rb")
    return path.open("rb")


def _sample(path: Path, size: int = 1 << 16, lines: int = 5, limit: int = 1 << 24) -> bytes:
    """The first ``size`` bytes of the text, decompressed (the separator and the decimal
    mark are detected in it), or more, up to ``limit``, until they hold ``lines`` line
    breaks: records past the header to read (a file of 3000 columns has 64 KiB of header
    and first record, and the decimal comma went unseen); empty for a compressed file
    that cannot be opened here."""
    import lzma
    import zipfile

    try:
        handle = _open_binary(path)
        if handle is None:
            return b""
        with handle:
            sample = handle.read(size)
            while sample.count(b"\n") < lines and len(sample) < limit:
                more = handle.read(len(sample))  # (doubling: few reads of a long line)
                if not more:
                    break
                sample += more
            return sample
    except OSError as exc:
        if path.suffix.lower() in COMPRESSION_SUFFIXES:
            return b""  # not what its suffix says: pandas gives the reason
        raise UsageError(f"cannot read {path} ({exc.strerror or exc}); give a "  # no permission
                         f"readable {SUPPORTED} file") from None
    except (EOFError, ImportError, lzma.LZMAError, zipfile.BadZipFile):
        return b""  # not what its suffix says, or no reader: pandas gives the reason


def _chunks(path: Path):
    """The file's bytes, decompressed, in blocks of 1 MiB, up to where they cannot be
    read here (none for a compressed file without its reader, or not what its suffix
    says): the scans of them only add to a message, and pandas says what is wrong with
    the file."""
    try:
        handle = _open_binary(path)
        if handle is None:
            return
        with handle:
            while chunk := handle.read(1 << 20):
                yield chunk
    except Exception:  # noqa: BLE001 - see above
        return


def _first_bad_byte(path: Path, encoding: str) -> tuple[int, bytes] | None:
    """The offset in the (decompressed) text and the value of the first byte that is
    not ``encoding`` text: pandas' UnicodeDecodeError counts from the start of the
    block it was decoding, not of the file."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    read = 0
    for chunk in _chunks(path):
        buffered = len(getattr(decoder, "buffer", b""))
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            start = read - buffered + exc.start
            return start, exc.object[exc.start:exc.start + 1]
        except Exception:  # noqa: BLE001 - only the message's detail is lost
            return None  # (a decoder's other refusals: UTF-16 without a BOM)
        read += len(chunk)
    return None


def sniff(text: str, sep: str | None = None, complete: bool = True,
          undecided: str | None = None) -> tuple[str, str]:
    """(separator, decimal) of a CSV sample: the separator among , ; tab | that splits
    the header and the first records into the same number (> 1) of fields, the most
    fields first (``sep`` when given); a decimal comma when the separator is not a
    comma and numbers like ``3,14`` appear (:func:`_decimal_mark`, ``undecided`` where
    the cells do not tell). ``complete``: the sample is the whole file (else its last
    record may be cut off)."""
    import csv
    import io
    import itertools

    def records(delimiter: str) -> list[list[str]]:
        # whole records (a quoted cell may hold line breaks), at most 50
        if len(delimiter) == 1:
            # lines ended by \r alone (old Mac exports) as well: pandas reads them
            reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
        else:  # a regular expression (--sep '\s+'), as pandas splits lines with it
            try:
                pattern = re.compile(delimiter)
            except re.error:  # pandas says what is wrong with it
                return []
            reader = (pattern.split(line) for line in text.splitlines())
        # a line read under another separator is one field, longer than the csv module
        # takes (128 KiB) in a wide file or beside a long text cell: pandas reads them
        limit = csv.field_size_limit()
        csv.field_size_limit(max(limit, len(text) + 1))
        try:
            rows = list(itertools.islice(reader, 51))
        finally:
            csv.field_size_limit(limit)
        if len(rows) > 50:
            rows = rows[:50]
        elif not complete and len(rows) > 1:
            rows = rows[:-1]  # the sample may end inside a record
        return [row for row in rows if any(cell.strip() for cell in row)]

    best = sep
    if best is None:
        best, best_fields = ",", 1
        for candidate in SEPARATORS:
            counts = {len(row) for row in records(candidate)}
            if len(counts) == 1 and (n := counts.pop()) > best_fields:
                best, best_fields = candidate, n
    decimal = "."
    if best != ",":
        # a decimal comma when numbers like 3,14 outnumber numbers like 3.14 (one
        # 1,234 among 0.5s is a thousands separator, not the file's decimal mark),
        # counting first the numbers that cannot be thousands (11,401 and 1.304 can:
        # a ; file of US thousands beside 0.126 read 1.304 as 1304)
        decimal = _decimal_mark((cell.strip() for row in records(best)[1:] for cell in row),
                                undecided)
    return best, decimal


# numbers with a decimal mark, by mark, also with the other mark grouping thousands before
# it (1.685,19 / 1,685.19); numbers that may be thousands alone (1,234 / 1.304)
_MARKED = {",": re.compile(r"[-+]?(\d*|[1-9]\d{0,2}(\.\d{3})+),\d+"),
           ".": re.compile(r"[-+]?(\d*|[1-9]\d{0,2}(,\d{3})+)\.\d+")}
_GROUPED = re.compile(r"[-+]?[1-9]\d{0,2}([.,]\d{3})+")


def _decimal_mark(cells: Iterable[str] | Mapping[str, int],
                  undecided: str | None = None) -> str:
    """The decimal mark of more of the numbers among ``cells`` that cannot be thousands
    (1,234 and 1.304 can: a file of US thousands beside 0.126 would read 1.304 as 1304);
    where as many of each (none: a few rows to score, "1.584;;yes"), ``undecided`` (a
    saved model's mark, which the whole file was read with) if given, else the mark
    of more numbers. ``cells``: the cells, or each distinct cell with its count (a
    large file's cells are mostly repeats: each is matched once)."""
    if not isinstance(cells, Mapping):
        cells = Counter(cells)
    counts = {}
    for mark, pattern in _MARKED.items():
        marked = [(cell, n) for cell, n in cells.items() if pattern.fullmatch(cell)]
        counts[mark] = (sum(n for cell, n in marked if not _GROUPED.fullmatch(cell)),
                        sum(n for _, n in marked))
    if undecided is not None and counts[","][0] == counts["."][0]:
        return undecided
    return "," if counts[","] > counts["."] else "."


def read_table(path: Path, sep: str | None = None, decimal: str | None = None,
               encoding: str | None = None, warn: list[str] | None = None,
               text_columns=(), rows_needed: bool = True, na_values=(),
               undecided_decimal: str | None = None):
    """The file as a DataFrame, and how it was read (separator, decimal, encoding).
    Column names given twice in the header, which pandas renames (``x``, ``x.1``), are
    added to ``warn``. ``text_columns`` are read as text ("007" stays "007").
    ``rows_needed``: a file of a header alone is refused (training); scoring takes it.
    ``na_values``: cells read as missing besides pandas' own marks (CSV) and the file's
    own (parquet). ``undecided_decimal``: the decimal mark where neither ``decimal`` is
    given nor the file's cells tell (:func:`sniff`; a saved model's, for a file to
    score)."""
    import codecs

    if str(path) == "-":
        raise UsageError(f"reading standard input is not supported; save the data to a "
                         f"{SUPPORTED} file and give its path")
    if not path.exists():
        raise UsageError(f"{path}: no such file; give the path of a {SUPPORTED} file")
    if path.is_dir():
        # Spark's output is a folder of part files: name one
        parts = sorted(p.name for p in path.glob("part-*") if p.is_file())
        also = f" (such as {path / parts[0]}, one part of Spark's output)" if parts else ""
        raise UsageError(f"{path} is a directory; give the path of a {SUPPORTED} file"
                         f"{also}")
    if not path.is_file():  # the file is read more than once: a pipe would be cut
        raise UsageError(f"{path} is not a regular file (a pipe or a device); save the "
                         f"data to a {SUPPORTED} file and give its path")
    kind = _format(path)
    how = ""
    if kind == "parquet":
        _require("pyarrow", "reading parquet", "pip install pyarrow, or give a CSV file")
    else:
        sample = _sample(path)
        if sample.lstrip()[:1] in (b"{", b"["):
            raise UsageError(f"{path} looks like JSON, which is not supported; give a "
                             f"{SUPPORTED} file")
        if encoding is None and b"\x00" in sample:
            raise UsageError(f"cannot read {path} as CSV: it holds binary data (NUL bytes), "
                             f"not text; give a {SUPPORTED} file (or --encoding utf-16 if "
                             f"it is UTF-16 text)")
        encoding = encoding or "utf-8"
        try:  # a full sample may end inside a character
            text = sample.decode(encoding, errors="strict" if len(sample) < 1 << 16
                                 else "ignore")
        except UnicodeDecodeError as exc:
            raise UsageError(_encoding_error(path, encoding, exc)) from None
        except LookupError:
            raise UsageError(f"--encoding {encoding}: unknown encoding; give one such as "
                             f"utf-8, latin-1 or cp1252") from None
        if warn is not None and codecs.lookup(encoding).name == "iso8859-1":
            warn.extend(_windows_characters(path, encoding))
        # the decimal mark of the separator read with, the one given too
        sep, sniffed_decimal = sniff(
            text, sep or ("\t" if path.suffix.lower() == ".tsv" else None),
            complete=len(sample) < 1 << 16, undecided=undecided_decimal)
        decimal = decimal or sniffed_decimal  # (the separator too where numbers are quoted)
        how = f"separator {SEPARATORS.get(sep, repr(sep))}"
        how += ", decimal comma" if decimal == "," else ""
        how += f", encoding {encoding}" if encoding != "utf-8" else ""
    try:
        frame = (_read_parquet(path) if kind == "parquet" else
                 _read_csv(path, sep=sep, decimal=decimal, encoding=encoding,
                           dtype=dict.fromkeys(text_columns, str),
                           # besides pandas' own marks (NULL, NA, ...): MySQL's and
                           # PostgreSQL's text exports write a NULL as \N
                           na_values=[*na_values, "\\N"]))
    except UsageError:
        raise
    except UnicodeDecodeError as exc:
        raise UsageError(_encoding_error(path, encoding, exc)) from None
    except ImportError as exc:  # a .zst file without zstandard, parquet without pyarrow
        raise UsageError(f"cannot read {path}: a package its format needs is not "
                         f"installed ({' '.join(str(exc).split())})") from None
    except Exception as exc:  # pandas raises many types; the reason is in the message
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"cannot read {path} as {kind} ({reason}); give a readable "
                         f"{SUPPORTED} file with a header row") from None
    if frame.shape[0] == 0 and rows_needed:
        raise UsageError(f"{path} has no rows; give a file with data")
    from focal_boost.cli._prepare import without_na_values

    frame = without_na_values(frame, na_values, decimal or ".")
    frame.attrs["decimal"] = decimal if kind != "parquet" else "."
    frame.attrs["sep"] = sep if kind != "parquet" else None
    frame.attrs["encoding"] = encoding if kind != "parquet" else None
    if kind != "parquet" and warn is not None and len(frame.columns):
        short = _short_rows(path, sep, encoding, frame)
        if short is not None:
            count, line, fields = short
            warn.append(f"{path}: {count} row(s) have fewer fields than the header's "
                        f"{frame.shape[1]} (line {line} has {fields}), and their missing "
                        f"fields are read as missing values; if the file was cut off or "
                        f"a separator is missing, mend those lines")
    if kind != "parquet" and warn is not None:
        # the header as written (compressed files and regular-expression separators too)
        header = _read_csv(path, sep=sep, header=None, nrows=1, dtype=str,
                           encoding=encoding).iloc[0].tolist()
        times = Counter(header)
        twice = sorted({name for name in header  # (empty names: pandas' "Unnamed: N")
                        if isinstance(name, str) and name.strip() and times[name] > 1})
        if twice:
            warn.append(f"{path}: the header names {', '.join(map(repr, twice))} more than "
                        f"once; the columns are read as {', '.join(map(repr, frame.columns))}")
    return frame, how


def _read_parquet(path: Path):
    """A parquet file as a DataFrame, as ``pd.read_parquet`` reads it; where its pandas
    metadata names an Arrow type pandas cannot make again (a dictionary, a list), its
    columns as Arrow types them (as the estimators read such a pyarrow Table). Arrow
    types pandas cannot compute on as types it can."""
    import pandas as pd

    from focal_boost.cli._prepare import computable_arrow_types

    try:
        frame = pd.read_parquet(path)
    except (TypeError, ValueError):  # (pandas 3 raises the first, pandas 2 the second)
        import pyarrow.parquet as pq

        from focal_boost.estimators import _arrow_to_pandas

        frame = _arrow_to_pandas(pq.read_table(path))
    # rows numbered as in the file, as a CSV's are (a frame's index saved with it is no
    # feature, and messages name rows by their numbers)
    return computable_arrow_types(frame.reset_index(drop=True))


def header_rows(frame) -> np.ndarray:
    """Which rows of ``frame`` repeat its header (:func:`_header_cells` in every column)."""
    import pandas as pd
    names = {str(name).strip() for name in frame.columns}
    # a header of numbers alone (a numpy dump's 0,1,2) cannot be told from a row of
    # data: one name at least must be text to match as text
    textual = [name for name in names if not re.fullmatch(r"Unnamed: \d+", name)
               and not np.isfinite(pd.to_numeric(pd.Series([name]), errors="coerce").iloc[0])]
    if frame.empty or len(names) < 2 or not textual:
        return np.zeros(len(frame), dtype=bool)
    # column by column, on the rows left (the whole frame as text is slow on a large file)
    repeated = np.ones(len(frame), dtype=bool)
    for j, name in enumerate(frame.columns):
        rows = np.flatnonzero(repeated)
        if not rows.size:
            break
        repeated[rows] = _header_cells(frame.iloc[rows, j], name, names)
    return repeated


def _header_cells(column, name, names) -> np.ndarray:
    """Which cells of ``column`` repeat its header ``name`` as pandas named it: the name
    as written, a number equal to a name that is one ("1" read as 1.0), a blank cell
    under pandas' "Unnamed: N" (the index column of a file pandas wrote), the name of a
    column named twice in the header ("x" under pandas' "x.1")."""
    import pandas as pd

    written = str(name).strip()
    accepted = {written}
    twice = re.fullmatch(r"(.*)\.\d+", written)
    if twice and twice.group(1) in names:
        accepted.add(twice.group(1))
    text = column.astype(str).str.strip()
    hit = (column.notna() & text.isin(accepted)).to_numpy(copy=True)
    if re.fullmatch(r"Unnamed: \d+", written):
        hit |= (column.isna() | (text == "")).to_numpy()
    number = pd.to_numeric(pd.Series([written]), errors="coerce").iloc[0]
    if np.isfinite(number) and pd.api.types.is_numeric_dtype(column) and not (
            pd.api.types.is_bool_dtype(column)):
        hit |= column.to_numpy(dtype=np.float64, na_value=np.nan) == number
    return hit


def header_rows_warning(path, repeated: np.ndarray, outcome: str) -> str:
    """The warning that rows repeat the header (``repeated``: :func:`header_rows`), and
    what became of them."""
    rows = np.flatnonzero(repeated) + 1
    return (f"{path}: {len(rows)} row(s) repeat the header (files joined together?): "
            f"data rows {first_rows(rows)}; {outcome}")


def without_header_rows(frame, path, warn: list[str], text_columns=()):
    """``frame`` without the rows that repeat its header (exports joined together, each
    with its header line: read as rows, they made the target's name a class and every
    column text), its columns typed again as pandas types them without those rows
    (``text_columns`` as text); a warning says which rows."""
    import io

    import pandas as pd

    repeated = header_rows(frame)
    if not repeated.any():
        return frame
    warn.append(header_rows_warning(path, repeated, "left out"))
    decimal = frame.attrs.get("decimal", ".")
    kept = frame[~repeated]
    again = pd.read_csv(io.StringIO(kept.to_csv(index=False, decimal=decimal)),
                        decimal=decimal, low_memory=False,
                        dtype=dict.fromkeys(text_columns, str))
    again.columns = frame.columns  # (as read: names pandas renamed stay so)
    again.index = kept.index  # the file's row numbers, as read_as_written reads rows
    again.attrs = frame.attrs
    return again


def decimal_comma_cells(frame) -> bool:
    """Whether the text columns of ``frame`` hold numbers written with a decimal comma
    ("1,5", "-0,432") rather than a decimal point, by :func:`sniff`'s count; numbers
    pandas read with a decimal point (0.5621 in a column of its own) count for the
    point (a US file of "24,000" beside them holds thousands, not 24.0)."""
    import pandas as pd

    cells = Counter()
    for name in frame.columns:
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column):
            # each distinct cell once, with its count
            written = column.dropna().astype(str).str.strip().value_counts(sort=False)
            cells.update(written.to_dict())
        elif pd.api.types.is_float_dtype(column):  # (a sample: they are written so alike)
            values = column.dropna().to_numpy(dtype=np.float64)[:1000]
            cells.update(repr(float(v))
                         for v in values[np.isfinite(values) & (values % 1 != 0)])
    return _decimal_mark(cells) == ","  # (3,14 outnumbering 3.14)


def read_as_written(path: Path, frame, names):
    """The columns ``names`` of the file ``path``, read by :func:`read_table` as
    ``frame``, with the cells as written: pandas' guess made "00123" the number 123,
    and a 17-digit ID another one once a float. CSV cells are text, an empty one
    ``""``; parquet columns keep the file's types, integers with missing values
    included (nullable integers, not floats)."""
    import pandas as pd

    names = list(dict.fromkeys(names))
    if not names:
        return frame[[]]
    if frame.attrs.get("sep") is None:  # parquet
        return pd.read_parquet(path, columns=names, dtype_backend="numpy_nullable")
    wanted = sorted(frame.columns.get_loc(name) for name in names)
    written = _read_csv(path, sep=frame.attrs["sep"], encoding=frame.attrs["encoding"],
                        usecols=wanted, dtype=str, keep_default_na=False)
    written.columns = frame.columns[wanted]  # a name given twice is x.1 in both
    if len(written) != len(frame):
        # the rows left (header lines repeated in the file left out: the frame keeps
        # the file's row numbers), else never cells of other rows: pandas' reading then
        if not (len(written) > len(frame) and frame.index.isin(written.index).all()):
            return frame[names]
        written = written.loc[frame.index]
    return written[names]


def _short_rows(path: Path, sep: str, encoding: str, frame) -> tuple[int, int, int] | None:
    """How many records of the CSV file have fewer fields than ``frame`` has columns
    (a file cut off mid-line, a separator left out), the first one's line and its field
    count; None for none. pandas reads such a record's missing fields as missing values
    without a word. A short record leaves the last column missing, so the file is
    scanned (once, with Python's csv reader, whose quoting is pandas' default) only
    where that column has a missing value."""
    import csv
    import io

    if len(sep) != 1 or not frame.iloc[:, -1].isna().any():
        return None  # (a regular-expression separator: csv cannot split by it)
    handle = _open_binary(path)
    if handle is None:
        return None
    count, first = 0, None
    try:
        with io.TextIOWrapper(handle, encoding=encoding, newline="") as text:
            records = csv.reader(text, delimiter=sep)
            next(records, None)  # the header
            for record in records:
                # (an empty line is no record: pandas skips it)
                if record and len(record) < frame.shape[1]:
                    count += 1
                    first = first or (records.line_num, len(record))
    except (OSError, UnicodeError, csv.Error, EOFError):
        return None  # pandas read it: a scan that cannot only adds no warning
    return None if first is None else (count, *first)


def _read_csv(path: Path, **options):
    """``pd.read_csv`` that never takes the first column as the row labels: pandas does
    when the rows have one field more than the header (a separator at the end of every
    line), which shifts every column by one under the wrong names. That field, empty,
    is dropped; one that holds values is an error."""
    import warnings

    import pandas as pd

    if len(options["sep"]) > 1:  # a regular expression, which only this engine takes
        options.setdefault("engine", "python")
    else:  # the types of whole columns: read in blocks, a column of 0/1 with a blank
        # early and a "?" late was floats in one block and text in another ('1.0', '1')
        options.setdefault("low_memory", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        frame = pd.read_csv(path, index_col=False, **options)
    if any("does not match length of data" in str(w.message) for w in caught):
        if options.get("decimal") == options["sep"]:
            raise UsageError(f"{path}: rows have more fields than the header names: numbers "
                             f"written with the decimal mark {options['sep']!r}, which is "
                             f"also the separator, are read as two fields where not quoted; "
                             f"give the file's decimal mark with --decimal, or --sep for its "
                             f"separator")
        if frame.shape[1] == 1:  # a title or comment line above the header
            raise UsageError(f"{path}: the first line has one field and the rows have "
                             f"more; if it is a title or a comment above the header, "
                             f"delete it (or give --sep if the separator is not "
                             f"{SEPARATORS.get(options['sep'], repr(options['sep']))})")
        raise UsageError(f"{path}: rows have more fields than the header names; give every "
                         f"column a name in the header (or --sep if the separator is not "
                         f"{SEPARATORS.get(options['sep'], repr(options['sep']))})")
    last = frame.shape[1] - 1
    if (options.get("header", "infer") == "infer" and last >= 0
            and frame.columns[last] == f"Unnamed: {last}" and frame.iloc[:, last].isna().all()):
        # a separator at the end of the header too (pandas names the empty field
        # "Unnamed: N"), and no value under it: no column, as where only the rows end so
        frame = frame.iloc[:, :last]
    return frame


def _encoding_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> str:
    found = _first_bad_byte(path, encoding)
    offset, byte = found if found else (exc.start, exc.object[exc.start:exc.start + 1])
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        # Windows' cp1252 before latin-1, where it reads the file: latin-1 reads every
        # byte, its 0x80-0x9f as control characters where cp1252 has the euro sign,
        # quotes and dashes (a name "prix €" would read as "prix \x80")
        other = ("--encoding cp1252 (Windows) or --encoding latin-1"
                 if _first_bad_byte(path, "cp1252") is None else "--encoding latin-1")
    else:
        other = "--encoding utf-8"
    return (f"{path} is not {encoding} text (byte 0x{byte.hex()} at offset {offset}); give "
            f"the file's encoding, e.g. {other}")


def _windows_characters(path: Path, encoding: str) -> list[str]:
    """A warning where latin-1 text holds bytes 0x80-0x9f: control characters there,
    which no CSV means, and Windows' cp1252 reads as the euro sign, quotes and dashes
    (a name "prix €" read as "prix \\x80" and then missing from the files to score)."""
    for chunk in _chunks(path):
        if found := re.search(rb"[\x80-\x9f]", chunk):
            break
    else:
        return []
    char = found.group().decode("latin-1")
    windows = found.group().decode("cp1252", errors="replace")
    return [f"{path}: read as {encoding}, it holds the control character {char!r} "
            f"(byte 0x{ord(char):x}, {windows!r} in Windows' cp1252); if the file was "
            f"written on Windows, give --encoding cp1252"]


def _names(columns) -> str:
    """All names when they fit on a line, else the first ones and the count."""
    names = ", ".join(map(repr, columns))
    if len(names) <= 300:
        return names
    return names[:300].rsplit(", ", 1)[0] + f", ... ({len(columns)} columns)"


def unknown_column(path, name, columns, option: str) -> UsageError:
    """``option`` names no column of the file: the closest names, and the columns."""
    close = _closest(name, columns, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
    if close and _folded(close[0]) == _folded(name) and close[0].casefold().strip() != str(
            name).casefold().strip():  # (alike on screen: say how they differ)
        hint = (f"{close[0]!r} in the file and {name!r} differ in their Unicode form (one "
                "writes accents as separate characters, NFD, as macOS writes file names; "
                "the other as one, NFC): copy the name from the list; ")
    return UsageError(f"{path} has no column {name!r}; {hint}{option} must be one of: "
                      f"{_names(columns)}")


def _folded(name) -> str:
    """``name`` as :func:`_closest` compares names: case, surrounding spaces and the
    Unicode form (é as one character or as e and an accent) set aside."""
    import unicodedata

    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def _closest(name, columns, n: int, cutoff: float) -> list[str]:
    """The names among ``columns`` closest to ``name``: the one equal to it but for case,
    surrounding spaces and Unicode form (:func:`_folded`), else up to ``n`` spelled alike
    (difflib's ratio >= ``cutoff``)."""
    import difflib

    text = [str(c) for c in columns]
    folded = {_folded(t): t for t in text}
    key = _folded(name)
    if key in folded:
        return [folded[key]]
    return difflib.get_close_matches(str(name), text, n=n, cutoff=cutoff)


def header_looks_like_data(frame) -> bool:
    """Whether the column names of ``frame`` look like a line of data: a file without a
    header row (MySQL's INTO OUTFILE writes none), whose first line, taken for the
    names, is numbers and missing-value marks."""
    names = [str(c).strip() for c in frame.columns]
    data = [bool(re.fullmatch(r"[-+]?(\d+([.,]\d*)?|\.\d+)([eE][-+]?\d+)?(\.\d+)?"
                              r"|\\N|Unnamed: \d+", name)) for name in names]
    # (whole numbers alone may be names: years, a numpy dump's 0, 1, 2; a line of data
    # holds a decimal, a sign, a missing mark or a value twice, "1.1")
    telling = any(re.fullmatch(r"[-+].*|.*[.,].*|\\N|Unnamed: \d+", name) for name in names)
    return sum(data) * 2 > len(names) and telling


def _separator_hint(frame) -> str:
    """Where the header was not split at the file's separator (another one is in its
    names): the ``--sep`` to give, in parentheses; else ""."""
    sep = frame.attrs.get("sep")
    other = next((s for s in SEPARATORS if s != sep and sep is not None
                  and any(s in str(c) for c in frame.columns)), None)
    if other is None:
        if header_looks_like_data(frame):
            return (" (its first line looks like data, not column names: the file needs "
                    "a header row with the names)")
        return ""
    return (f" (read with separator {SEPARATORS.get(sep, repr(sep))}; if the file is "
            f"separated by {SEPARATORS[other]}, give --sep {other!r})")


def missing_columns_error(path, missing, frame) -> UsageError:
    """The file lacks the model's columns ``missing``: named, with the file's columns
    closest to each (case and spaces aside, or spelled alike), and the separator to give
    where the header was not split at the file's own."""
    hints = []
    for name in missing:
        close = _closest(name, frame.columns, n=1, cutoff=0.8)
        if close:
            hints.append(f"{close[0]!r} for {name!r}")
    hint = f" (the file has {', '.join(hints)}: rename them)" if hints else ""
    hint += _separator_hint(frame)
    return UsageError(f"{path} lacks {len(missing)} column(s) the model was trained on: "
                      f"{', '.join(map(repr, missing))}{hint}; give a file with the "
                      f"training file's columns (other columns are ignored)")


_NAMES_A_CLASS = re.compile(r"[^\W_]")  # a letter or a digit
_LEADING_ZERO = re.compile(r"[-+]?0\d+")  # a code: "007", "00"
_INTEGER = re.compile(r"[-+]?\d+")  # a whole number as text, read exactly
_WHOLE_NUMBER = re.compile(r"-?\d{1,18}")  # within int64; "007" stays text (str(7) != "007")


def _codes_as_written(frame, target: str, as_written):
    """The target column, with whole-number codes written with leading zeros ("007",
    "012") or beyond a float's integers as text: pandas read them as the numbers 7 and
    12, but as "007" once a "?" kept the column text; a file read by :func:`read_table`
    is read again for them (``as_written()``: the column's cells as written)."""
    import pandas as pd

    column = frame[target]
    if frame.attrs.get("sep") is None or not pd.api.types.is_numeric_dtype(column) or (
            pd.api.types.is_bool_dtype(column)):
        return column  # parquet keeps its own types; text and booleans are as written
    values = column.dropna().to_numpy(dtype=np.float64)
    if not np.all(values == np.round(values)):
        return column
    written = as_written()
    # (the distinct cells: a target of 1M rows holds a few)
    if not written.index.equals(frame.index) or not all(
            isinstance(v, str) for v in written.unique()):  # not the file's rows or text
        return column
    cells = [v.strip() for v in written[column.notna()].unique()]
    if any(_LEADING_ZERO.fullmatch(v) for v in cells):
        # codes ("007"): as written, also beside labels pandas reads as the same number
        # ("7.0" is not "007", which float reading merged into one class)
        return written.where(column.notna())
    if not all(_WHOLE_NUMBER.fullmatch(v) for v in cells) or (
            all(str(int(v)) == v for v in cells) and np.all(np.abs(values) < 2.0**53)):
        # whole numbers as integers write them ("1.0" stays the integer 1), within what
        # a float holds (beside a missing label pandas reads 9007199254740993 as ...992)
        return column
    return written.where(column.notna())


def split_target(frame, target: str, path: Path, warn: list[str] | None = None):
    """The feature columns as in the file, and the target column's labels: rows without
    a label left out (an empty cell, or text without a letter or a digit: "?", "-"),
    text labels without surrounding spaces, whole numbers as integers (a column of 0/1
    with empty cells is read as floats, one with a "?" as text) but codes written with
    leading zeros ("007") as text. What changed the labels or the rows is added to
    ``warn``. The features' index is the rows' numbers in the file (0-based), for
    messages that name rows."""
    import pandas as pd

    from focal_boost.cli._prepare import bools_as_objects

    warn = [] if warn is None else warn
    if target not in frame.columns:
        raise UsageError(f"{unknown_column(path, target, frame.columns, '--target')}"
                         f"{_separator_hint(frame)}")
    # the target's cells as written, read from the file once where needed
    as_written = functools.cache(
        lambda table=frame: read_as_written(path, table, [target])[target])
    column = _codes_as_written(frame, target, as_written)
    placeholders = []
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        # text labels: a blank one is no label, nor one without a letter or a digit ("?",
        # "-", "."), which files write for an unknown value; as a class it would be
        # learned as one
        blank = column.map(lambda v: isinstance(v, str) and not _NAMES_A_CLASS.search(v))
        blank = blank.astype(bool)
        if not (column.notna() & ~blank).any():
            # no label has a letter or a digit: the marks are the classes ("+" and "-",
            # as UCI's credit approval writes them); only empty cells are no label
            blank = column.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
        placeholders = sorted({v.strip() for v in column[blank]} - {""})
        column = column.mask(blank)
    labelled = column.notna()
    # messages name rows by their numbers in the file (0-based), the index read_table
    # gives (rows that repeat the header were left out with theirs)
    if not labelled.all():
        rows = np.flatnonzero(~labelled.to_numpy())
        if frame.attrs.get("sep") is not None:  # a CSV: the cells pandas read as missing
            written = as_written()
            if written.index.equals(frame.index):  # ("NA", "null": pandas' marks)
                placeholders = sorted({*placeholders, *(
                    v.strip() for v in written.iloc[rows] if v.strip())})
        else:  # (a parquet file: the --na-values its labels held)
            placeholders = sorted({*placeholders,
                                   *frame.attrs.get("na_marks", {}).get(target, [])})
        marks = (f"; {' and '.join(map(repr, placeholders))} read as no label"
                 if placeholders else "")
        warn.append(f"{path}: {len(rows)} row(s) have no label in {target!r} and are left "
                    f"out (data rows {first_rows(frame.index.to_numpy()[rows] + 1)}"
                    f"{marks})")
    frame = frame[labelled]
    if frame.shape[0] == 0:
        raise UsageError(f"column {target!r} of {path} is empty; --target needs class labels")
    target_column = column[labelled]
    if pd.api.types.is_extension_array_dtype(target_column) and hasattr(
            target_column.dtype, "numpy_dtype"):  # nullable Int64, boolean: NA dropped above
        target_column = target_column.astype(target_column.dtype.numpy_dtype)
    y = _text_numbers(target_column.to_numpy())
    if y.dtype.kind == "f" and np.isinf(y).any():
        raise UsageError(f"column {target!r} of {path} holds infinite values (data rows "
                         f"{first_rows(frame.index.to_numpy()[np.isinf(y)] + 1)}); --target "
                         f"needs class labels")
    if y.dtype.kind == "f" and np.all(y == np.round(y)) and np.all(np.abs(y) < 2.0**53):
        y = y.astype(np.int64)  # whole numbers that a float keeps exactly
    if bools_as_objects(y):
        y = y.astype(bool)
    if y.dtype.kind == "O" and all(isinstance(v, str) for v in y):
        stripped = np.array([v.strip() for v in y], dtype=object)
        changed = sorted({v for v, w in zip(y, stripped, strict=True) if v != w})
        if changed:
            warn.append(f"{path}: labels of {target!r} with spaces around them are read "
                        f"without: {', '.join(repr(v) for v in changed[:5])}")
        y = stripped
    X = frame.drop(columns=[target])  # (indexed by the rows' numbers in the file)
    if X.shape[1] == 0:
        raise UsageError(f"{path} has no column besides {target!r}; give at least one feature")
    check_finite(X, path)
    return X, y


def _text_numbers(y: np.ndarray) -> np.ndarray:
    """Labels that are all numbers written as text (a column with a "?", left out, or
    read by pandas in blocks of other types: "1" beside 1.0) as the numbers: 1 and "1.0"
    one class, and a continuous target found so; codes with leading zeros ("007") stay
    text."""
    import pandas as pd

    if y.dtype.kind != "O" or not all(isinstance(v, str | int | float) and
                                      not isinstance(v, bool) for v in y):
        return y
    text = [str(v).strip() for v in y]
    if any(_LEADING_ZERO.fullmatch(v) for v in text):
        return y
    if all(_INTEGER.fullmatch(v) for v in text):  # exactly (past a float's 2**53)
        whole = [int(v) for v in text]
        fits = all(-(2**63) <= v < 2**63 for v in whole)
        return np.array(whole, dtype=np.int64) if fits else y
    numbers = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce")
    if numbers.isna().any() or (np.abs(numbers) >= 2.0**53).any():
        return y  # (not numbers, or codes a float would merge: 19 digits)
    return numbers.to_numpy(dtype=np.float64)


def check_finite(X, path) -> None:
    """Refuse infinite numbers (the libraries would take them as values)."""
    import pandas as pd

    for name in X.columns:
        col = X[name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            if np.isinf(col.to_numpy(dtype=np.float64, na_value=np.nan)).any():
                raise UsageError(f"column {name!r} of {path} holds infinite values; replace "
                                 f"them with numbers or leave the cells empty (missing), or "
                                 f"read them as missing with --na-values=TEXT as the file "
                                 f"writes them (e.g. --na-values=inf --na-values=-inf: the "
                                 f"'=' keeps a leading '-')")


def check_float32(X, encoder, path,
                  fix: str = "scale the column, leave such cells empty, or use --library "
                             "lightgbm") -> None:
    """Refuse numbers past float32's range, in which XGBoost holds its data: they would
    be infinite there, which it refuses with a C++ stack trace in training (and scores
    as infinite, which the command line refuses, in predict). ``fix``: what to do."""
    limit = float(np.finfo(np.float32).max)
    for name, (feature, kind, _) in encoder.columns_.items():
        if kind == "category":
            continue
        values = X[feature].to_numpy(dtype=np.float64, na_value=np.nan)
        big = np.abs(values) > limit
        if big.any():
            raise UsageError(f"column {name!r} of {path} holds {values[big][0]:g}, past the "
                             f"float32 range XGBoost reads data in (±{limit:.3g}); {fix}")


def encode(X, path, drop=(), keep=(), decimal: str = ".", columns=None, na_values=(),
           warn: list[str] | None = None, categorical=()):
    """The preprocessing fitted on the file's feature columns (``decimal``: the file's
    decimal mark, for numbers pandas left as text; ``na_values``: the cells read as
    missing; ``categorical``: the columns to use as categories), and the features of X.
    Category columns that may be numbers written otherwise add a line to ``warn``
    (:func:`number_hint`).

    ``columns``: the feature columns of every row of the file, where X holds only the
    labelled ones; the columns are judged on them, as written (a row number is
    consecutive there, not once unlabelled rows are left out)."""
    from focal_boost.cli._prepare import (
        FrameEncoder,
        _is_numeric,
        epoch_range,
        judge_column,
        number_hint,
    )

    for option, names in (("--drop", drop), ("--keep", keep), ("--category", categorical)):
        for name in names:
            if name not in X.columns:
                raise unknown_column(path, name, X.columns, option)
    encoder = FrameEncoder(drop=tuple(drop), keep=tuple(keep), decimal=decimal,
                           na_values=tuple(na_values), categorical=tuple(categorical)).fit(
                               X if columns is None else columns)
    source = X if columns is None else columns
    for name, (_, kind, _) in encoder.columns_.items():
        span = epoch_range(name, source[name]) if kind == "number" else None
        if span is not None and warn is not None:
            warn.append(f"{path}: column {name!r} looks like Unix times ({span}), used as "
                        f"numbers: a tree model cannot extrapolate them to rows scored "
                        f"later, as dates, which are left out by default (--drop "
                        f"{name!r} leaves it out)")
    for name in keep:
        kind, why = judge_column(name, source[name], decimal)
        if (why is None and name not in drop and name not in categorical
                and warn is not None):  # (it changed nothing)
            used = {"number": "numbers", "bool": "true/false", "category": "categories",
                    "date": "dates"}.get(kind, kind)
            also = (f"; --category {name!r} makes it categories" if kind == "number"
                    else "")
            warn.append(f"{path}: --keep {name!r} changes nothing: the column is a feature "
                        f"already, used as {used} (--keep brings back a column left out "
                        f"as an ID, dates or free text{also})")
    for option, names in (("--keep", keep), ("--category", categorical)):
        for name in dict.fromkeys(names):  # (an option given twice: one warning)
            if name in drop and warn is not None:
                warn.append(f"{path}: {option} {name!r} changes nothing: --drop {name!r} "
                            f"leaves the column out")
            elif encoder.dropped_.get(name) == "no values" and warn is not None:
                warn.append(f"{path}: {option} {name!r} changes nothing: the column has "
                            "no value in any row, so no split can use it")
    fates = {**{name: "used as categories" for name, (_, kind, _) in
                encoder.columns_.items() if kind == "category"},
             **{name: f"left out ({why})" for name, why in encoder.dropped_.items()
                if why.startswith(("ID-like", "free text"))}}
    for name in categorical:  # (categories as asked)
        fates.pop(name, None)

    hints = {}
    for name, fate in fates.items():
        if "free text" in fate or warn is None:  # (words are no numbers; and 1M
            continue  # distinct cells are slow)
        hint = number_hint(source[name], decimal)
        if hint is not None:
            hints[name] = hint
    # the option applies to every column: say where else those cells are, each column
    # read once for every hint's cells (once per hint: 400 hinted columns took 64 s)
    marks = {token for _, tokens in hints.values() for token in tokens}
    held = {}
    for other in source.columns if hints else ():
        if not _is_numeric(source[other]):
            cells = source[other].dropna().astype(str).str.strip()
            held[other] = set(cells[cells.isin(marks)].unique())
    for name, (text, tokens) in hints.items():
        elsewhere = [other for other, cells in held.items()
                     if other != name and not cells.isdisjoint(tokens)]
        more = len(elsewhere) - 5
        named = ", ".join(map(repr, elsewhere[:5])) + (
            f" and {more} other column{'s' if more > 1 else ''}" if more > 0 else "")
        also = f" (which makes such cells of {named} missing too)" if elsewhere else ""
        warn.append(f"{path}: column {name!r} is {fates[name]}; {text}{also}")
    if not encoder.columns_:
        why = "; ".join(f"{name!r}: {reason}" for name, reason in encoder.dropped_.items())
        raise UsageError(f"{path} has no feature column left ({why}); give columns with "
                         f"values, or --keep COLUMN to use one")
    features = encoder.transform(X)
    if all(features[c].nunique() < 2 for c in features.columns):
        raise UsageError(f"no feature column of {path} has two different values; nothing to "
                         f"learn from: give columns that vary")
    return encoder, features


def make_task(X, y, description: str, folds: int, target: str | None = None,
              file_rows: np.ndarray | None = None) -> Task:
    """The task of features ``X`` and labels ``y``, refused where the labels or the
    folds cannot make one. ``file_rows``: the rows' numbers in the file (0-based), which
    messages name (by default their positions)."""
    from sklearn.utils.multiclass import type_of_target

    column = f"column {target!r}" if target else "the target"
    y = np.asarray(y)
    if y.dtype.kind == "f" and type_of_target(y) == "continuous":
        raise UsageError(f"{column} holds {len(np.unique(y))} distinct numbers, a continuous "
                         f"target; focal loss is for class labels: give a column of classes")
    if y.dtype.kind == "O":
        y = np.array([str(v) if not isinstance(v, str) else v for v in y], dtype=object)
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    if len(classes) < 2:
        raise UsageError(f"{column} has a single class ({_label(classes[0])}); a classifier "
                         f"needs at least two: choose another --target or add rows of "
                         f"another class")
    # Each training fold must keep two rows of every class for the early-stopping split.
    needed = folds if folds >= 3 else 4
    small = int(np.argmin(counts))
    if counts[small] < needed:
        n = int(counts[small])
        # every class that is short, not one per run (112 of 257 classes in one file)
        short = [c for c in np.argsort(counts, kind="stable") if counts[c] < needed]
        tiny = sum(counts[c] < 3 for c in short)  # (no number of folds takes them)
        enough = [int(counts[c]) for c in short if counts[c] >= 3]
        # classes of 3 rows or more take fewer folds (2 folds need 4: each fold's
        # early-stopping split takes 2 of every class)
        folds_fix = ("use --folds 3" if enough and min(enough) == 3
                     else f"use --folds {min(enough)} or fewer" if enough else "")
        them = "that class" if tiny == 1 else f"those {tiny} classes"
        if not tiny:
            fix = folds_fix
        elif len(classes) - tiny < 2:  # (dropping them would leave one class, or none)
            fix = (f"no number of folds takes fewer than 3 rows of a class (--folds 3 needs "
                   f"3): add rows of {them}")
        else:
            fix = (f"drop the rows of {them} or merge {'it' if tiny == 1 else 'them'} with "
                   "another (no number of folds takes fewer than 3 rows of a class: "
                   "--folds 3 needs 3)")
        if tiny and folds_fix:
            fix += f"; for the other{' classes' if len(enough) != 1 else ' class'}, {folds_fix}"
        # which rows, where there are few (a summary row "Total" whose target holds a sum)
        file_rows = np.arange(len(y)) if file_rows is None else np.asarray(file_rows)
        rows = file_rows[y_index == small] if n <= 3 else []
        where = (f" (data row{'s' if n != 1 else ''} {first_rows(rows + 1)})"
                 if len(rows) else "")
        others = ""
        if len(short) > 1:
            named = ", ".join(f"{_label(classes[c])}: {counts[c]}"
                              for c in short[1:MAX_CLASSES_NAMED + 1])
            others = (f" ({len(short) - 1} other class{'es' if len(short) != 2 else ''} "
                      f"too: {named}{', ...' if len(short) > MAX_CLASSES_NAMED + 1 else ''})")
        raise UsageError(f"class {_label(classes[small])} of {column} has {n} row"
                         f"{'s' if n != 1 else ''}{where}; --folds {folds} needs at least "
                         f"{needed} of every class{others}: {fix}")
    positive = None
    share = ""
    if len(classes) == 2:
        positive = int(np.argmin(counts)) if counts[0] != counts[1] else 1
        share = (f", positive class {_label(classes[positive])}: {counts[positive]} rows "
                 f"({counts[positive] / len(y):.1%})")
    elif len(classes) <= MAX_CLASSES_NAMED:
        share = (", classes " + ", ".join(f"{_label(c)}: {n}" for c, n in
                                          zip(classes, counts, strict=True)))
    else:  # (one line, not a class list of thousands of characters)
        rare = np.argsort(counts, kind="stable")[:3]
        share = (f", {len(classes)} classes of {counts.min()} to {counts.max()} rows, the "
                 "rarest " + ", ".join(f"{_label(classes[c])}: {counts[c]}" for c in rare))
    n_text = int((X.dtypes == "category").sum())
    features = (f"{X.shape[1]} feature{'s' if X.shape[1] != 1 else ''}"
                + (f" ({n_text} categorical)" if n_text else ""))
    description = f"{description}: {len(y)} rows, {features}{share}"
    return Task(X, y, classes, y_index, positive, description)
