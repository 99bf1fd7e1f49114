"""DataFrames in and out: ``check_frame`` and ``screen_frame``.

A frame of orders goes to the engine as CSV text written by Arrow (only the columns chipgate
reads), through the same pipeline ``chipgate orders`` runs, and comes back as CSV text read
by Arrow: the decisions are the command line's, row for row, and the frame's index is kept.
"""

import csv
import datetime as _dt
import json
from typing import Any, Optional, Sequence, Union

from . import _native
from .errors import ChipgateError, InputError

def _names(v: Union[None, str, Sequence[str]]) -> list:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]


def _arrow_column(s):
    """One pandas column as an Arrow array the CSV writer spells as chipgate reads it."""
    import pandas as pd
    import pyarrow as pa

    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        s = s.dt.strftime("%Y-%m-%d")
    try:
        arr = pa.array(s, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        arr = None
    if arr is not None and pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if arr is not None and (pa.types.is_timestamp(arr.type) or pa.types.is_date64(arr.type)):
        s = s.map(lambda v: v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else v)
        arr = None
    if arr is not None and pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    if arr is None or pa.types.is_nested(arr.type):
        def text(v: Any) -> Optional[str]:
            if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
                return None
            if isinstance(v, (dict, list)):
                return json.dumps(v)
            if isinstance(v, (_dt.date, _dt.datetime)):
                return v.strftime("%Y-%m-%d")
            return str(v)

        arr = pa.array([text(v) for v in s.tolist()], type=pa.string())
    return arr


def _order_csv(df, read: list) -> bytes:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    arrays, names = [], []
    for pos, name in read:
        arrays.append(_arrow_column(df.iloc[:, pos]))
        names.append(name)
    table = pa.Table.from_arrays(arrays, names=names)
    sink = pa.BufferOutputStream()
    try:
        opts = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    except TypeError:  # pyarrow before 12 quotes every string: also read correctly
        opts = pacsv.WriteOptions(include_header=True)
    pacsv.write_csv(table, sink, write_options=opts)
    return sink.getvalue().to_pybytes()


def _result_frame(out: bytes, index):
    import io

    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    end = out.find(b"\n")
    header = next(csv.reader([out[: end if end >= 0 else len(out)].decode("utf-8")]))
    table = pacsv.read_csv(
        io.BytesIO(out),
        read_options=pacsv.ReadOptions(block_size=max(1 << 20, min(len(out), 64 << 20))),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    frame = table.to_pandas()
    if len(frame) != len(index):
        raise ChipgateError(
            f"internal: {len(frame)} results for {len(index)} orders", code="internal"
        )
    frame = frame.drop(columns=["line"])
    for c in frame.columns:
        if c == "license_required" or c.startswith("license_required@"):
            frame[c] = frame[c].map({"true": True, "false": False}).astype("boolean")
    frame.index = index
    return frame


def check_frame(
    df,
    scenario: Union[None, str, Sequence[str]] = None,
    *,
    as_of=None,
    view: str = "enforced",
    map: Optional[Sequence[str]] = None,
    parties=None,
    no_screen: bool = False,
    data_dir=None,
    store=None,
    threads: Optional[int] = None,
    report: bool = False,
):
    """Decide every order of a DataFrame, as ``chipgate orders`` does.

    Columns are those of an order book (``order_id, date, chip, quantity, ship_to`` and the
    optional ``buyer, buyer_hq, end_user, end_use, exporter, …``), matched case-insensitively;
    ``map=["Kunde=buyer"]`` renames others (``--map``). Each ``scenario`` (a shipped scenario's
    name, a scenario file, or TOML text) adds the columns ``decision@ID, license_required@ID,
    eccn@ID, rules@ID, rule_change@ID``. A row that cannot be decided keeps its place with the
    reason in ``error``; a missing column raises :class:`chipgate.InputError`.

    Returns a DataFrame with the input's index and the columns of ``chipgate orders --out
    x.csv`` except ``line``; with ``report=True``, a ``(frame, report)`` pair where ``report``
    is the ``chipgate orders --json`` report as a dict.

    Example:
        >>> orders = pd.read_csv("examples/orders-2025.csv")
        >>> out = chipgate.check_frame(orders, scenario="no-april-letter")
        >>> out["decision"].value_counts()
    """
    names = [str(c) for c in df.columns]
    fields = _native.order_columns(names, list(map or []))
    read = [(i, n) for i, (n, f) in enumerate(zip(names, fields)) if f is not None]
    data = _order_csv(df, read)
    out, rep = _native.check_csv(
        data,
        scenarios=_names(scenario),
        as_of=as_of,
        view=view,
        map=list(map or []),
        parties=None if parties is None else str(parties),
        no_screen=no_screen,
        data_dir=None if data_dir is None else str(data_dir),
        store=None if store is None else str(store),
        threads=threads,
        report=report,
    )
    frame = _result_frame(out, df.index)
    if report:
        return frame, json.loads(rep) if rep is not None else None
    return frame


def _text_column(df, name: str) -> Optional[list]:
    cols = [c for c in df.columns if str(c).strip().lower() == name]
    if not cols:
        return None
    import pandas as pd

    s = df[cols[0]]
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        s = s.dt.strftime("%Y-%m-%d")
    return [
        None
        if v is None or v is pd.NaT or (isinstance(v, float) and v != v)
        else (v.strftime("%Y-%m-%d") if isinstance(v, _dt.date) else str(v))
        for v in s.tolist()
    ]


def screen_frame(
    df,
    *,
    date=None,
    threshold: Optional[float] = None,
    lists: Union[None, str, Sequence[str]] = None,
    store=None,
    data_dir=None,
):
    """Screen every name of a DataFrame against the lists, as ``chipgate screen --file``.

    The frame needs a ``name`` column; ``country`` (ISO alpha-2) and ``date`` (as of which the
    lists count) are optional per row, ``date=`` gives the default (today). Returns a DataFrame
    with the input's index and the columns ``name, country, date, status, hits, best_score,
    best_list, best_kind, best_entry_id, best_matched_name, lists, error``; a row that cannot
    be screened keeps its place with the reason in ``error``.

    Example:
        >>> names = pd.DataFrame({"name": ["Huawei Technologies Co., Ltd.", "Acme GmbH"]})
        >>> chipgate.screen_frame(names, date="2025-06-01")[["name", "status"]]
    """
    import pandas as pd

    names = _text_column(df, "name")
    if names is None:
        raise InputError(
            "`name`: the frame has no `name` column",
            code="missing_column",
            message="the frame has no `name` column",
            field="name",
        )
    cols = _native.screen_rows(
        names,
        _text_column(df, "country"),
        _text_column(df, "date"),
        date=date,
        threshold=threshold,
        lists=_names(lists),
        store=None if store is None else str(store),
        data_dir=None if data_dir is None else str(data_dir),
    )
    frame = pd.DataFrame(cols, index=df.index)
    frame["hits"] = frame["hits"].astype("Int64")
    frame["best_score"] = frame["best_score"].astype("float64")
    return frame
