"""The command line's preprocessing: rows as they appear in the file -> model features.

:class:`FrameEncoder` learns at ``fit`` which columns are features and of what kind
(numbers, booleans, categories with their category sets, dates kept as numbers) and
which are left out and why (ID-like columns, dates, free text, empty columns, columns
the user dropped). ``transform`` applies what it learned to any frame with those
columns: the same names as in the file, text as text. The command line saves it in a
scikit-learn ``Pipeline`` before the focal estimator, so that the saved model scores
the rows of the file it was trained on.

Categories never seen at ``fit`` become missing values, as do cells of a numeric
column that are not numbers. A text column whose cells are numbers but for a few (at
most ``1 - NUMBER_SHARE``: "?", "n/a") or that writes them with thousands separators
("1,234,567") is a number column.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

# Which text columns are not features (see FrameEncoder.fit).
ID_SHARE = 0.9  # distinct values per non-missing row at or above which a column is ID-like
MIN_ROWS_TO_JUDGE = 20  # fewer non-missing rows: never judged ID-like or free text
DATE_SHARE = 0.9  # share of sampled values that parse as dates
TEXT_LENGTH = 25  # mean characters of free text
TEXT_WORDS = 3  # median words of free text
NUMBER_SHARE = 0.9  # share of a text column's cells that are numbers: a number column
# Numbers with thousands separators, by decimal mark: 1,234,567.5 and 1.234.567,5 (the
# first group does not start with 0: 0.125 is a decimal point, even in a decimal-comma
# file, not 125)
# The no-break space U+00A0 and the narrow one U+202F group thousands too, as
# spreadsheets write numbers in French or Swiss locales ("51 964,18"); a plain space
# does not (phone numbers 601 234 567 are no amounts)
_THOUSANDS = {".": re.compile(r"^\s*[-+]?[1-9]\d{0,2}((,\d{3})+|([\u00a0\u202f]\d{3})+)"
                              r"(\.\d+)?\s*$"),
              ",": re.compile(r"^\s*[-+]?[1-9]\d{0,2}((\.\d{3})+|([\u00a0\u202f]\d{3})+)"
                              r"(,\d+)?\s*$")}
_DATE_LIKE = re.compile(r"^\s*(\d{1,4}[-/. ]\w{1,9}[-/. ]\d{1,4}([ T]\d{1,2}:\d{2}.*)?"
                        # SAS's DATE9. and DATETIME.: 01MAR2024, 01JAN2015:00:00:00
                        r"|\d{1,2}[A-Za-z]{3}\d{2,4}(:\d{2}:\d{2}:\d{2}(\.\d+)?)?)\s*$")
_SAS_FORMATS = ["%d%b%Y", "%d%b%y", "%d%b%Y:%H:%M:%S", "%d%b%Y:%H:%M:%S.%f"]
_SAS_DATE = re.compile(r"\d{1,2}[A-Za-z]{3}\d{2,4}(:\d{2}:\d{2}:\d{2}(\.\d+)?)?")
# Three numbers between dots are dates with a four-digit year at either end (2021.02.04,
# 4.2.2021), or of two digits each (04.02.21); else version numbers
_DOTTED = re.compile(r"\d+\.\d+\.\d+")
_DOTTED_DATE = re.compile(r"\d{4}\.\d{1,2}\.\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\d\d\.\d\d\.\d\d")
_ID_NAME = re.compile(r"(^|[^a-z])id$|^id[^a-z]|identifier|uuid"
                      # databases' short spellings, CDISC's subject IDs
                      r"|^(uid|userid|rowid|recid|subjid|usubjid)$", re.IGNORECASE)
# camelCase IDs (OrderID, CustomerId, customerId), in their case: "paid" and "valid" are
# not IDs
_CAMEL_ID = re.compile(r"[a-z](ID|Id)$")

# Cells that files write for a missing number: no letter or digit ("?", "-", "."), or a
# word that says so
_MISSING_MARK = re.compile(r"[^\w]+|_+|n/?a|n\.a\.|nan|none|null|missing|unknown|unk|nd"
                           # Stata's extended missing values (.a to .z)
                           r"|\.[a-z]"
                           # Excel's error values, in an exported sheet's cells
                           r"|#(?:DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|N/A|NA|SPILL!|CALC!)",
                           re.IGNORECASE)


def feature_name(name, taken) -> str:
    """A name both libraries accept, not one of ``taken`` (names as LightGBM writes
    them, :func:`lightgbm_name`): XGBoost refuses ``[ ] <`` in feature names, LightGBM
    JSON punctuation, and line breaks, tabs and other control characters (its model
    text splits names at them)."""
    clean = "".join("_" if c in '[]<>{}":,' or (c.isspace() and c != " ")
                    or not c.isprintable() else c for c in str(name)) or "feature"
    candidate, i = clean, 1
    while lightgbm_name(candidate) in taken:
        candidate, i = f"{clean}_{i}", i + 1
    return candidate


def lightgbm_name(name: str) -> str:
    """A feature name as LightGBM writes it (a space as ``_``): "a b" and "a_b" are one
    name there."""
    return name.replace(" ", "_")


def _is_numeric(column) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def bools_as_objects(values) -> bool:
    """Whether ``values`` (a Series or an array) are all booleans held as objects: a
    true/false column with blank cells, which pandas leaves as objects."""
    return values.dtype == object and all(isinstance(v, bool | np.bool_) for v in values)


def _as_text(column, strip: bool = True):
    """Values as strings without surrounding spaces, missing kept missing (blank cells
    too); whole floats as integers ("12", not "12.0"), so a column read as numbers
    matches the categories of one read as text. ``strip=False``: as written (blank
    cells kept)."""
    import pandas as pd

    if pd.api.types.is_float_dtype(column):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        finite = np.isfinite(values)
        if np.all(values[finite] == np.round(values[finite])):
            column = column.astype("Int64")
    text = column.astype(str)
    if not strip:
        return text.where(column.notna())
    # without the spaces around a cell, which a file written ", " apart (UCI's adult)
    # puts before each: " Private" and "Private" are one category, and a blank cell is
    # missing, as numbers, dates and the target's labels are read
    text = text.str.strip()
    return text.where(column.notna() & (text != ""))


def _numbers(column, decimal: str = "."):
    """A column's values as float64: numbers as they are; text parsed as numbers written
    with the file's ``decimal`` mark, thousands separators (``1,234,567.5``, or
    ``1.234.567,5`` with a decimal comma) and surrounding spaces allowed; NaN where a
    cell is missing or not a finite number."""
    import pandas as pd

    if _is_numeric(column):  # (Arrow's booleans too, which pandas calls not numeric)
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if column.dtype.kind == "m":  # durations (numpy's or Arrow's): in seconds
        return column.dt.total_seconds().to_numpy(dtype=np.float64, na_value=np.nan)
    text = column.astype(str).where(column.notna())
    grouped = text.str.match(_THOUSANDS[decimal], na=False).astype(bool)
    separator = "," if decimal == "." else "."
    text = text.where(~grouped, text.str.replace(
        f"[{re.escape(separator)}\u00a0\u202f]", "", regex=True))
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(text.str.strip(), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan)
    return np.where(np.isinf(values), np.nan, values)  # "inf" written out: not a number


def _dates(column, date_format: str | None = None, other_format: str | None = None):
    """Days since 1970-01-01 as floats (NaN where a cell is not a date), as
    :func:`read_dates` reads them."""
    import pandas as pd

    parsed, _, _ = read_dates(column, date_format, other_format)
    days = (parsed - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)
    return days.astype(np.float64)


def read_dates(column, date_format: str | None = None, known_other: str | None = None):
    """The dates of a column (UTC timestamps, NaT where a cell is not a date), which
    of them are written in neither ``date_format`` nor ISO 8601, and how those are read.

    Text cells are read with ``date_format`` (:func:`_date_format`); those it does not
    read (another file's format, a time beside dates), and all of them without one, as
    ISO 8601; the rest in ``known_other`` (the format training read such cells in)
    where it reads ``DATE_SHARE`` of them, else in the one format that does, so that a
    file written otherwise is read one way too (cell by cell, "05/01/2023" was May 1st
    beside "21/01/2023", January 21st; a few rows to score, "01/06/2022" alone, are
    read as training read them; where ``date_format`` reads less than ``DATE_SHARE`` of
    the cells, all of them in that one format: US Excel's 4/1/2020 beside 4/17/2022 is
    April 1st, where training read 17/04/2022); else each by its own look, the day first where
    ``date_format`` has it first. A cell read without a year ("12/05", "May": year 1
    to pandas) is no date.

    Returns
    -------
    parsed : Series of datetime64[ns, UTC]
    other : Series of bool
        The cells read after ``date_format`` and ISO 8601 (all False without a format).
    other_format : str or None
        The format they are read in; None: each by its own look.
    """
    import pandas as pd

    column = pd.Series(column)  # (a sample of values: an array)
    if not pd.api.types.is_datetime64_any_dtype(column):
        column = column.astype(str).str.strip().where(column.notna())
    else:
        date_format = None
    other = pd.Series(False, index=column.index)
    other_format = None

    def read(cells, **how):
        return pd.to_datetime(cells, errors="coerce", utc=True, **how)

    def reads(date_format, cells) -> bool:  # DATE_SHARE of the cells, as _date_format
        return bool(date_format) and read(cells, format=date_format).notna().mean() >= (
            DATE_SHARE)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = read(column, format=date_format or "mixed")
        if date_format is not None:
            given = column.notna()
            # the training format's day order wins where both read the cells alike
            # ("05/03/2024 13:45" beside a model of 17/04/2022: March 5th)
            dayfirst = "%d" in date_format and "%m" in date_format and (
                date_format.index("%d") < date_format.index("%m"))
            share = parsed[given].notna().mean()
            if share < DATE_SHARE:
                # most cells in another format: a file written otherwise (US Excel's
                # 4/17/2022 where training read 17/04/2022), read in it whole (its
                # 4/1/2020, which the training format reads too, as April 1st), where
                # it reads more of them (cells that are no dates leave them alike)
                own = (known_other if reads(known_other, column[given])
                       else _date_format(column[given], dayfirst))
                if own and own != date_format:
                    again = read(column, format=own)
                    if again[given].notna().mean() > share:
                        parsed, other, other_format = again, given, own
            missed = parsed.isna() & given
            if missed.any():
                parsed[missed] = read(column[missed], format="ISO8601")
            if other_format is None:
                other = parsed.isna() & given
            if other_format is None and other.any():
                other_format = (known_other if reads(known_other, column[other])
                                else _date_format(column[other], dayfirst))
            fallbacks = [{"format": "mixed", "dayfirst": dayfirst}]
            if other_format:  # (the cells it does not read: each by its own look)
                fallbacks.insert(0, {"format": other_format})
            for fallback in fallbacks:
                missed = parsed.isna() & given
                if missed.any():
                    parsed[missed] = read(column[missed], **fallback)
    return parsed.mask(parsed.dt.year == 1), other & parsed.notna(), other_format


def _date_format(column, dayfirst: bool = False) -> str | None:
    """The one format the text dates of ``column`` are written in, where one reads
    ``DATE_SHARE`` of its distinct values; None otherwise (each cell is then read by
    its own look). One format for the column: read cell by cell, "04/01/2021" was
    April 4th beside "13/01/2021", January 13th. Month first where both orders read
    every value (pandas' default), day first with ``dayfirst``."""
    import pandas as pd
    from pandas.tseries.api import guess_datetime_format

    if pd.api.types.is_datetime64_any_dtype(column):
        return None
    values = column.dropna().astype(str).str.strip().drop_duplicates()
    if values.empty:
        return None
    sample = values.iloc[:20].tolist()
    with warnings.catch_warnings():  # (pandas' advice to pass the other dayfirst)
        warnings.simplefilter("ignore", UserWarning)
        candidates = [guess_datetime_format(v, dayfirst=dayfirst)
                      for dayfirst in (dayfirst, not dayfirst) for v in sample]
    if any(_SAS_DATE.fullmatch(v) for v in sample):  # (pandas guesses none for them)
        candidates += _SAS_FORMATS

    def share(candidate, cells) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(pd.to_datetime(cells, errors="coerce", format=candidate,
                                        utc=True).notna().mean())

    # ranked on a sample of the values (a column of 1M distinct timestamps took 4 s a
    # candidate), those level with the first then read on all of them (a sample of days
    # up to 12 reads in both orders, the whole column in one)
    few = values.sample(min(len(values), 2000), random_state=0)
    ranked = {c: share(c, few) for c in dict.fromkeys(c for c in candidates if c)}
    top = max(ranked.values(), default=0.0)
    best, best_share = None, 0.0
    for candidate in (c for c, r in ranked.items() if r >= top - 0.01 and r > 0):
        full = share(candidate, values) if len(values) > len(few) else ranked[candidate]
        if full > best_share:
            best, best_share = candidate, full
    return best if best_share >= DATE_SHARE else None


def _looks_like_dates(values) -> bool:
    sample = values[:200]
    if not all(_DATE_LIKE.match(v) for v in sample):
        return False
    dotted = [v.strip() for v in sample if _DOTTED.fullmatch(v.strip())]
    if dotted and not all(_DOTTED_DATE.fullmatch(v) for v in dotted):
        return False  # version numbers (4.2.1), which pandas' mixed format reads as dates
    import pandas as pd

    # in the one format that reads them, else each by its look (SAS's 01JAN2015:00:00:00
    # has no look pandas reads)
    return float(_dates(sample, _date_format(pd.Series(sample))).notna().mean()) >= (
        DATE_SHARE)


def judge_column(name, column, decimal: str = ".") -> tuple[str, str | None]:
    """The kind of a column (``number``, ``bool``, ``category``, ``date``, ``id``,
    ``text``, ``empty``) and, for the kinds left out by default, why."""
    import pandas as pd

    present = column.dropna()
    if column.dtype == object and len(present) and isinstance(
            present.iloc[0], list | tuple | dict | np.ndarray):  # (a parquet file's)
        return "text", "lists or records in its cells, not single values"
    text = None  # the cells as text, where they are not numbers
    if not _is_numeric(present):  # blank cells (" ": Telco's TotalCharges) are missing
        text = present.astype(str)
        kept = (text.str.strip() != "").to_numpy()
        present, text = present[kept], text[kept]
    n = len(present)
    if n == 0:
        return "empty", "no values"
    if pd.api.types.is_bool_dtype(column) or bools_as_objects(present):
        return "bool", None
    if pd.api.types.is_datetime64_any_dtype(column):
        return "date", "dates"
    if column.dtype.kind == "m":  # durations: numbers of seconds
        return "number", None
    if pd.api.types.is_numeric_dtype(column):
        # integers, also as floats (pandas reads a column of integers with a blank so);
        # integers as they are (IDs above 2**53 are not all distinct as floats)
        values = present.to_numpy()
        if values.dtype.kind not in "iuf":  # (decimals: objects)
            values = present.to_numpy(dtype=np.float64)
        return _integer_ids(name, values) or ("number", None)
    text = present.astype(str) if text is None else text
    distinct = text.nunique()
    values = text.drop_duplicates().to_numpy()
    if _looks_like_dates(values):
        return "date", "dates"
    # numbers written with thousands separators, or with a few cells that are not
    # numbers ("?", "n/a"), are numbers; the other cells are missing (the command warns).
    # Judged on the distinct cells weighed by their counts (a large file repeats them)
    counts = text.value_counts()
    numbers = np.isfinite(_numbers(pd.Series(counts.index, dtype=object), decimal))
    if counts.to_numpy() @ numbers >= NUMBER_SHARE * n:
        # numbers kept as text (a parquet file's string column of "00123"): IDs as a
        # CSV file's, which pandas reads as numbers (integers as they are: 19 digits)
        whole = text.str.strip()
        values = (pd.to_numeric(whole) if whole.str.fullmatch(r"[-+]?[0-9]{1,19}").all()
                  else None)  # (ASCII digits: \d takes others, which to_numeric refuses)
        if values is None or values.dtype.kind not in "iu":
            values = _numbers(text, decimal)
        return _integer_ids(name, np.asarray(values)) or ("number", None)
    if n >= MIN_ROWS_TO_JUDGE and distinct >= 0.5 * n:
        sample = text.sample(min(n, 20_000), random_state=0)  # (as good a mean, faster)
        lengths = sample.str.len()
        words = sample.str.split().str.len()
        if lengths.mean() >= TEXT_LENGTH and words.median() >= TEXT_WORDS:
            return "text", f"free text: {distinct} distinct values, {lengths.mean():.0f} " \
                           f"characters on average"
    if n >= MIN_ROWS_TO_JUDGE and distinct >= ID_SHARE * n:
        return "id", f"ID-like: {distinct} distinct values in {n} rows"
    return "category", None


def _integer_ids(name, values: np.ndarray) -> tuple[str, str] | None:
    """``("id", why)`` where ``values`` (a column's numbers, no missing ones) are integers that
    label rows: one distinct value per row, consecutive or in a column named like an
    ID (or pandas' unnamed index column); else None."""
    n = len(values)
    if n < MIN_ROWS_TO_JUDGE or not np.all(np.isfinite(values)) or not np.all(
            values == np.round(values)):
        return None
    distinct = len(np.unique(values))
    consecutive = distinct == n and int(values.max()) - int(values.min()) == n - 1
    # row labels: the first column without a name (pandas' to_csv index, R's
    # write.csv row names), of labels from 0 to a few times the rows
    unnamed = str(name) == "Unnamed: 0" and values.min() >= 0 and values.max() < 10 * n
    named = _ID_NAME.search(str(name)) or _CAMEL_ID.search(str(name)) or unnamed
    if distinct == n and (consecutive or named):
        why = ("consecutive integers" if consecutive else "integers in a column without "
               "a name (row labels)" if unnamed else "integers named like an ID")
        return "id", f"ID-like: {why}, one distinct value per row"
    return None


def _given(column):
    """Whether each cell of ``column`` holds a value: not missing, not blank text."""
    given = column.notna()
    if not _is_numeric(column):  # (a number is never blank text)
        given &= column.astype(str).str.strip() != ""
    return given


def _distinct_cells(column):
    """The distinct non-blank text cells of a column that is not numbers: their counts
    (a Series by cell), the cells, and each one's share of the cells; None where there
    are none (or the column is numbers)."""
    import pandas as pd

    if _is_numeric(column):
        return None
    present = column.dropna().astype(str).str.strip()
    # the 20,000 most frequent distinct cells (a column of 1M distinct ones: their
    # shares alike), which hold the marks of missing values where there are such
    counts = present[present != ""].value_counts().iloc[:20_000]
    if counts.empty:
        return None
    return counts, pd.Series(counts.index, dtype=object), counts.to_numpy() / counts.sum()


def other_decimal_mark(column, decimal: str = ".") -> str | None:
    """The decimal mark other than ``decimal`` where the text cells of ``column`` are
    numbers written with it (``NUMBER_SHARE`` of them, each distinct cell weighed by its
    count; some cells hold that mark); None if not. "0,126" beside "1,304" in a file read
    with ".": the first is no number, the second 1304, with "," both are numbers."""
    distinct = _distinct_cells(column)
    return None if distinct is None else _other_mark(*distinct[1:], decimal)


def _other_mark(cells, weight, decimal: str) -> str | None:
    """:func:`other_decimal_mark` of the distinct ``cells`` of their shares ``weight``."""
    other = "," if decimal == "." else "."
    if (cells.str.contains(other, regex=False).any()  # (else it reads them as well)
            and weight @ np.isfinite(_numbers(cells, other)) >= NUMBER_SHARE):
        return other
    return None


def points_read_as_grouping(column, decimal: str = ".") -> tuple[str, str] | None:
    """Where ``decimal`` is "," and the text cells of ``column`` have no comma but
    hold a point that can only be a decimal point ("0.126", "12.5"), beside cells it
    reads as thousands ("1.304" as 1304): one of each (the file's "." is likely its
    decimal mark, which the cells of the second kind lose); None if not."""
    distinct = None if decimal != "," else _distinct_cells(column)
    if distinct is None:
        return None
    cells = distinct[1]
    pointed = cells.str.contains(".", regex=False).to_numpy()
    if not pointed.any() or cells.str.contains(",", regex=False).any():
        return None
    grouped = cells.str.match(_THOUSANDS[","], na=False).to_numpy(dtype=bool) & pointed
    decimal_points = pointed & ~grouped & np.isfinite(_numbers(cells, ","))
    if grouped.any() and decimal_points.any():
        return cells[decimal_points].iloc[0], cells[grouped].iloc[0]
    return None


def number_hint(column, decimal: str = ".") -> tuple[str, list[str]] | None:
    """Why a text column that is not read as numbers may be one the user wants read so,
    and how: its cells are numbers but for a few that mark missing values ("?", "-",
    "n/a": the ``--na-values`` to give, also returned), numbers with the other decimal
    mark, or numbers with a unit ("12%", "$1,200"); None if not. Judged on the distinct
    cells, each weighed by its count (a large file's cells are mostly repeats)."""
    import pandas as pd

    distinct = _distinct_cells(column)
    if distinct is None:
        return None
    counts, cells, weight = distinct

    def share(values, mark) -> float:  # of the cells, that are numbers
        return float(weight @ np.isfinite(_numbers(values, mark)))

    numbers = np.isfinite(_numbers(cells, decimal))
    other = _other_mark(cells, weight, decimal)
    if other is not None:
        return (f"its cells are numbers written with the decimal mark {other!r}: give "
                f"--decimal '{other}'"), []
    marks = counts[~numbers]
    if weight @ numbers >= 0.5 and len(marks) and all(_MISSING_MARK.fullmatch(v)
                                                      for v in marks.index):
        shown = ", ".join(f"{value!r} ({count})" for value, count in marks.items())
        options = " ".join(f"--na-values {value!r}" for value in marks.index)
        return (f"{weight @ numbers:.0%} of its cells are numbers, the others mark missing "
                f"values ({shown}): to use it as numbers with those cells missing, give "
                f"{options}"), list(marks.index)
    # a currency before ("$12", "USD 12"), a unit after ("12%", "45 years", "8GB", "15
    # MPH"), accountants' negatives in parentheses ("(1,234.56)"); letters after the
    # number are a unit where nine in ten of the cells that end in letters end in the
    # same ones: "12A" beside "12B", "1st" beside "2nd" are codes, not amounts
    unitless = (cells.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
                .str.replace(r"^([-+]?)\s*(?:[$€£¥]\s*|[A-Z]{3}\s?(?=\d))", r"\1", regex=True)
                .str.replace(r"\s*%$", "", regex=True))
    letters = unitless.str.extract(r"\d\s*([^\W\d_]{1,12}\.?)$")[0].str.lower()
    ending = letters.notna().to_numpy()
    if ending.any():
        shares = pd.Series(weight[ending]).groupby(letters[ending].to_numpy()).sum()
        if shares.max() >= 0.9 * shares.sum():
            unit = (letters == shares.idxmax()).to_numpy()
            unitless = unitless.where(~unit, unitless.str.replace(
                r"\s*[^\W\d_]{1,12}\.?$", "", regex=True))
    with_unit = (unitless != cells).to_numpy()
    if with_unit.any() and share(unitless, decimal) >= NUMBER_SHARE:
        return (f"its cells are numbers with a unit or in parentheses (e.g. "
                f"{cells[with_unit].iloc[0]!r}): write them as plain numbers (-1234.5) in "
                f"the file to use it as numbers"), []
    return None


# true/false as files write them, and as spreadsheets in other languages export them
# (French, German, Spanish, Italian, Portuguese, Dutch Excel: VRAI/FAUX, WAHR/FALSCH...)
_BOOLEANS = {"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "1.0": 1.0, "0.0": 0.0,
             "vrai": 1.0, "faux": 0.0, "wahr": 1.0, "falsch": 0.0, "verdadero": 1.0,
             "vero": 1.0, "verdadeiro": 1.0, "falso": 0.0, "waar": 1.0, "onwaar": 0.0}

_TIME_NAME = re.compile(r"time|epoch|stamp|(^|[^a-z])date|(^|_)ts($|_)|created|updated"
                        r"|_at$", re.IGNORECASE)
# Unix times by unit: seconds, milliseconds, microseconds, nanoseconds since 1970, in
# 1990 .. 2100 (integers of these sizes named so are times, not amounts)
_EPOCH_UNITS = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def epoch_range(name, column) -> str | None:
    """Where a number column named like a time (``created_at``, ``ts``, ``epoch_ms``)
    holds whole numbers that are Unix times of 1990 .. 2100 in one unit, the dates they
    span ("2023-01-01 .. 2024-03-05"); None otherwise."""
    import pandas as pd

    if not _TIME_NAME.search(str(name)) or not pd.api.types.is_numeric_dtype(column) or (
            pd.api.types.is_bool_dtype(column)):
        return None
    values = column.dropna().to_numpy(dtype=np.float64)
    if values.size == 0 or not np.all(values == np.round(values)):
        return None
    low, high = values.min(), values.max()
    for unit, scale in _EPOCH_UNITS.items():
        if 631152000 * scale <= low and high <= 4102444800 * scale:  # 1990 .. 2100
            first, last = (pd.Timestamp(int(v), unit=unit) for v in (low, high))
            return f"{first:%Y-%m-%d} .. {last:%Y-%m-%d}"
    return None


def _numeric_marks(na_values) -> dict[str, float]:
    """The ``na_values`` marks that are numbers (inf too), each with its value."""
    import pandas as pd

    marks = list(dict.fromkeys(str(value).strip() for value in na_values))
    values = pd.to_numeric(pd.Series(marks, dtype=object), errors="coerce")
    return {mark: float(v) for mark, v in zip(marks, values, strict=True) if not np.isnan(v)}


def without_na_values(frame, na_values, decimal: str = "."):
    """``frame`` with the cells written as one of ``na_values`` missing, in every column:
    text cells also with spaces around them (pandas' ``na_values``, which a CSV is read
    with as well, matches the cell as written: " ?" is not "?"), a number's mark also
    written as a float (pandas' "-999.0" for -999; "-999,0" with the ``decimal`` comma),
    and numbers by value (a parquet file's -999)."""
    import pandas as pd

    marks = {str(value).strip() for value in na_values}
    if not marks:
        return frame
    as_numbers = _numeric_marks(marks)
    numbers = list(as_numbers.values())
    # the text forms of each mark (not every text of its value: "0999" is a code)
    forms = {mark: mark for mark in marks}
    for mark, value in as_numbers.items():
        if np.isfinite(value):
            for form in {repr(float(value)), *([str(int(value))] if value == int(value)
                                               else [])}:
                forms.setdefault(form, mark)
                forms.setdefault(form.replace(".", decimal), mark)
    found = {}  # per column, the marks it held (named where a label goes missing)
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column):
            continue
        if pd.api.types.is_numeric_dtype(column):
            if not numbers:
                continue
            missing = column.isin(numbers)
            values = set(column[missing].astype(float))
            held = {m for m, v in as_numbers.items() if v in values}
        else:
            text = column.astype(str).str.strip()
            missing = column.notna() & text.isin(forms.keys())
            held = {forms[cell] for cell in set(text[missing])}
        if missing.any():
            found[name] = sorted(held)
            frame[name] = column.mask(missing)
    frame.attrs["na_marks"] = found
    return frame


def computable_arrow_types(frame):
    """``frame`` with the columns of Arrow types pandas cannot compute on as types it
    can: string views as strings (``astype(str)`` raises NotImplementedError), half
    floats as float32; and binary cells (a parquet file's bytes: IDs, hashes, flags)
    and text holding NUL characters as text (:func:`_binary_as_text`)."""
    import pandas as pd

    changed = {}
    for j, dtype in enumerate(frame.dtypes):
        column = frame.iloc[:, j]
        if isinstance(dtype, pd.ArrowDtype):
            import pyarrow as pa

            kind = dtype.pyarrow_dtype
            if pa.types.is_string_view(kind):
                changed[j] = pd.Series(pd.arrays.ArrowExtensionArray(
                    column.array.__arrow_array__().cast(pa.large_string())),
                    index=frame.index)
                continue
            if pa.types.is_float16(kind):
                changed[j] = column.to_numpy(dtype=np.float32, na_value=np.nan)
                continue
            if (pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
                    or pa.types.is_fixed_size_binary(kind) or pa.types.is_binary_view(kind)):
                column = changed[j] = column.astype(object)  # (bytes, as numpy's read)
            elif not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
                continue
        elif not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            continue
        text = _binary_as_text(column)
        if text is not None:
            changed[j] = text
    if changed:
        frame = frame.copy()
        for j, values in changed.items():
            frame.isetitem(j, values)
    return frame


def _binary_as_text(column):
    """The cells of ``column`` as text where it holds bytes (all its values are): decoded
    where each is UTF-8 without a NUL character, else as hexadecimal digits (16 random
    bytes of an ID are no UTF-8); NUL characters in text written as the escape
    "\\x00" (XGBoost refuses a category holding one). None where the column holds
    neither (left as it is)."""
    import pandas as pd

    present = column[column.notna()]
    if len(present) == 0:
        return None
    binary = bytes | bytearray | memoryview
    if isinstance(present.iloc[0], binary) and all(isinstance(v, binary) for v in present):
        cells = [bytes(v) for v in present]
        try:
            text = [v.decode("utf-8") for v in cells]
            if any("\x00" in v for v in text):
                raise UnicodeError
        except UnicodeError:
            text = [v.hex() for v in cells]
        return pd.Series(text, index=present.index, dtype=object).reindex(column.index)
    if pd.api.types.is_object_dtype(column):
        try:  # judged on the distinct cells (a large file's are mostly repeats)
            cells = pd.unique(present.to_numpy(dtype=object))
        except TypeError:  # (lists in the cells, which cannot be hashed)
            cells = present.to_numpy(dtype=object)
        if not any(isinstance(v, str) and "\x00" in v for v in cells):
            return None
    elif not column.str.contains("\x00", regex=False).any():  # (text: fast as it is)
        return None
    nul = column.str.contains("\x00", regex=False).fillna(False).astype(bool)
    return column.where(~nul, column.str.replace("\x00", "\\x00", regex=False))


def _as_frame(X):
    """``X`` as a pandas DataFrame: a polars DataFrame or LazyFrame, or a pyarrow Table,
    converted as the estimators convert them; anything without column names refused,
    since the columns are found by their names."""
    from focal_boost.estimators import _in_pandas

    X = _in_pandas(X)
    if not (hasattr(X, "columns") and hasattr(X, "iloc")):
        raise TypeError(f"X ({type(X).__name__}) has no column names: the model finds the "
                        "training file's columns by their names; give a table with them "
                        "(a pandas or polars DataFrame, a pyarrow Table)")
    return computable_arrow_types(X)


class FrameEncoder(TransformerMixin, BaseEstimator):
    """Rows as read from a CSV or parquet file -> the models' feature frame.

    Parameters
    ----------
    drop : sequence of column names
        Left out whatever their kind.
    keep : sequence of column names
        Used even when judged not a feature: dates as days since 1970-01-01, ID-like
        columns and free text as categories.
    decimal : {".", ","}
        The file's decimal mark, for numbers pandas left as text.
    na_values : sequence of str
        The cells the file was read with as missing values (``--na-values``): missing
        in the rows :meth:`transform` is given too, as in the files the model scores
        (``fit`` is given the file as read with them).
    categorical : sequence of column names
        Used as categories whatever their kind (``--category``): codes written as
        numbers (ZIP, diagnosis codes), best read from the file as text.

    Attributes
    ----------
    columns_ : dict
        ``{column in the file: (feature name, kind, categories or None)}`` of the
        features, in file order; kinds ``number``, ``bool``, ``category``, ``date``
        (in place of categories the format its text is written in, or None).
    dropped_ : dict
        ``{column in the file: why it is left out}``.
    text_columns_ : list
        The category columns read as text, whose cells a file to score must be read as
        text too: pandas reads a column of "007" and "012" alone as the numbers 7 and 12
        (given as numbers, a cell is the category of its value).
    other_date_formats_ : dict
        ``{date column: the format of its cells not in the column's own}``, for the
        files the model scores (a few rows do not tell the format).
    """

    def __setstate__(self, state):
        # models saved before the decimal mark, the missing-value cells and the
        # columns made categories were kept
        state = {"decimal": ".", "na_values": (), "categorical": (), **state}
        super().__setstate__(state)

    def __init__(self, drop=(), keep=(), decimal=".", na_values=(), categorical=()):
        self.drop = drop
        self.keep = keep
        self.decimal = decimal
        self.na_values = na_values
        self.categorical = categorical

    def fit(self, X, y=None):
        X = _as_frame(X)  # (as transform reads it: a frame given in Python, Arrow bytes)
        self.columns_ = {}
        self.dropped_ = {}
        self.other_date_formats_ = {}
        # the names valid as written are theirs: a column "a[1]" (cleaned to "a_1_")
        # takes another name than a column "a_1_" after it
        taken: dict[str, None] = {}
        as_written = {lightgbm_name(str(name)) for name in X.columns
                      if name not in self.drop and feature_name(name, ()) == str(name)}
        for name in X.columns:
            column = X[name]
            if name in self.drop:
                self.dropped_[name] = "--drop"
                continue
            kind, why = judge_column(name, column, self.decimal)
            if name in self.categorical and kind != "empty":
                kind, why = "category", None
            if why is not None and name in self.keep and kind != "empty":
                kind, why = ("date" if kind == "date" else "category"), None
            if why is not None:
                self.dropped_[name] = why
                continue
            categories = None  # for a date column its format
            if kind == "category":
                categories = sorted(_as_text(column).dropna().unique())  # (distinct first)
            elif kind == "date":
                categories = _date_format(column)
                if categories is not None:  # the format of its cells in another one
                    _, _, other_format = read_dates(column, categories)
                    if other_format is not None:
                        self.other_date_formats_[name] = other_format
            valid = feature_name(name, ()) == str(name)
            out = feature_name(name, taken if valid else {**taken, **dict.fromkeys(as_written)})
            taken[lightgbm_name(out)] = None
            self.columns_[name] = (out, kind, categories)
        self.text_columns_ = [name for name, (_, kind, _) in self.columns_.items()
                              if kind == "category" and not _is_numeric(X[name])]
        self.n_features_in_ = X.shape[1]
        return self

    def missing_columns(self, X) -> list:
        """The feature columns ``X`` lacks."""
        return [name for name in self.columns_ if name not in X.columns]

    def transform(self, X, decimal=None):
        """The feature frame of ``X``.

        Parameters
        ----------
        X : DataFrame
            Rows with the columns seen at ``fit`` (pandas, polars, or a pyarrow Table).
        decimal : {".", ","}, optional
            The decimal mark of the numbers pandas left as text in ``X``; by default
            the training file's. A file to score may be written with another one.

        Returns
        -------
        DataFrame
            One column per feature, named as in ``get_feature_names_out``.
        """
        import pandas as pd

        decimal = decimal or getattr(self, "decimal", ".")
        X = _as_frame(X)
        missing = self.missing_columns(X)
        if missing:
            raise ValueError(f"X lacks {len(missing)} column(s) the model was trained on: "
                             f"{', '.join(map(repr, missing))}")
        if getattr(self, "na_values", ()):
            # as the training file was read, also for rows given in Python (predict
            # reads its files with them: a second time changes nothing); in the columns
            # the model reads (another may be named twice)
            X = without_na_values(X[list(self.columns_)].copy(), self.na_values, decimal)
        out = {}
        marked = self._marked_numbers()
        for name, (feature, kind, categories) in self.columns_.items():
            column = X[name]
            if kind == "category":
                written = _as_text(column, strip=False)  # (as _as_text(column), once)
                stripped = written.str.strip()
                text = stripped.where(written.notna() & (stripped != ""))
                if name not in getattr(self, "text_columns_", [name]) and not _is_numeric(
                        column):
                    # read as numbers in training (codes "00000" as 0), as text here (a
                    # cell "X1" beside them): a cell of a number is that number's category
                    numbers = pd.to_numeric(text, errors="coerce")
                    text = text.where(numbers.isna(), _as_text(numbers))
                # by the categories' text without spaces around it, as _as_text reads
                # cells (models saved before kept " Private" as written)
                stored = {}
                for category in categories:
                    stored.setdefault(category.strip(), category)
                # a cell as written first: a model saved before categories were read
                # without spaces may hold " Private" beside "Private", or " " (blank)
                mapped = written.where(written.isin(categories))
                mapped = mapped.where(mapped.notna(), text.map(stored))
                unmatched = mapped.isna() & text.notna()
                if (name in getattr(self, "text_columns_", ()) and unmatched.any()
                        and not pd.api.types.is_bool_dtype(column)):
                    # read as text in training, as numbers here (rows read by pandas
                    # alone: "2" and "3.25" as 2.0 and 3.25, "1.50" as 1.5) or written
                    # without their leading zeros (a spreadsheet's "7" for "007"): a
                    # number is the category of its value
                    by_value = {}
                    for category, value in zip(categories, pd.to_numeric(
                            pd.Series(categories, dtype=object), errors="coerce"),
                            strict=True):
                        if np.isfinite(value):
                            by_value.setdefault(float(value), category)
                    values = (column if _is_numeric(column)
                              else pd.to_numeric(text.where(unmatched), errors="coerce"))
                    mapped = mapped.where(~unmatched, values.map(by_value))
                out[feature] = pd.Categorical(mapped, categories=categories)
            elif kind == "date":  # (models saved before the format was kept: None)
                out[feature] = _dates(column, categories, getattr(
                    self, "other_date_formats_", {}).get(name)).to_numpy()
            elif kind == "bool" and not pd.api.types.is_bool_dtype(column):
                text = column.astype(str).str.strip().str.lower()
                out[feature] = text.map(_BOOLEANS).to_numpy(dtype=np.float64,
                                                            na_value=np.nan)
            else:  # number, bool: float, a cell that is not a number missing
                values = _numbers(column, decimal)
                if kind == "number" and len(marked):
                    # a mark's value however written ("-999.00", "0999"): as pandas reads
                    # it where it types the column as numbers (a "?" cell elsewhere in
                    # the column, or rows read as text, left it -999)
                    values = np.where(np.isin(values, marked), np.nan, values)
                out[feature] = values
        return pd.DataFrame(out, index=X.index)

    def _marked_numbers(self) -> np.ndarray:
        """The values of the ``na_values`` marks that are numbers (inf too)."""
        return np.array(list(_numeric_marks(getattr(self, "na_values", ())).values()),
                        dtype=np.float64)

    def lost_values(self, X, encoded, decimal=None) -> dict[str, tuple[int, list]]:
        """The values of ``X`` that :meth:`transform` (giving ``encoded``; ``decimal`` as
        there) read as missing: text in a number column, a category not seen in
        training, not a missing-value mark however written; by column, their count and a
        few of them."""
        decimal = decimal or getattr(self, "decimal", ".")
        marked = self._marked_numbers()
        lost = {}
        for name, (feature, kind, _) in self.columns_.items():
            column = X[name]
            given = _given(column)
            if kind == "number" and len(marked):  # (a mark written "-999.00": missing)
                given &= ~np.isin(_numbers(column, decimal), marked)
            gone = given.to_numpy() & encoded[feature].isna().to_numpy()
            if gone.any():
                # distinct by their text: a cell may hold a list or an array (parquet),
                # which cannot be hashed
                values = column[gone]
                first = ~values.astype(str).duplicated().to_numpy()
                lost[name] = (int(gone.sum()), values[first][:3].tolist())
        return lost

    def blank_columns(self, X) -> list[str]:
        """The feature columns of ``X`` with no value in any row (a column an export left
        blank): each is missing throughout."""
        return [name for name in self.columns_ if not _given(X[name]).any()]

    def other_dates(self, X) -> dict[str, tuple[int, list, str, str | None]]:
        """The date cells of ``X`` written in neither the training file's format nor
        ISO 8601 (:func:`read_dates`): by column, their count, a few of them, the
        training file's format and the one they are read in (None: each by its own
        look)."""
        found = {}
        for name, (_, kind, date_format) in self.columns_.items():
            if kind != "date" or date_format is None:
                continue
            _, other, other_format = read_dates(
                X[name], date_format, getattr(self, "other_date_formats_", {}).get(name))
            if other.any():
                values = X[name][other.to_numpy()].drop_duplicates()
                found[name] = (int(other.sum()), values[:3].tolist(), date_format,
                               other_format)
        return found

    def get_feature_names_out(self, input_features=None):
        return np.array([feature for feature, _, _ in self.columns_.values()], dtype=object)
