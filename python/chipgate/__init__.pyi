"""Typed stubs of the chipgate package (editors complete the parameters from here)."""

import datetime
import os
from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple, Union, overload

import pandas as pd

from .errors import ChipgateError as ChipgateError
from .errors import InputError as InputError
from .errors import UnavailableError as UnavailableError

__version__: str

DateLike = Union[str, datetime.date]
PathLike = Union[str, "os.PathLike[str]"]
Names = Union[str, Sequence[str]]
Answer = Dict[str, Any]

def classify(
    chip_or_spec: Union[str, Dict[str, Any]],
    *,
    date: Optional[DateLike] = None,
    view: Literal["enforced", "law"] = "enforced",
    count: Optional[int] = None,
    exporter_role: Optional[str] = None,
    scenario: Optional[Names] = None,
    data_dir: Optional[PathLike] = None,
) -> Answer:
    """The ECCN paragraph of a catalog chip or a chip spec as of a date.

    The answer of ``chipgate classify CHIP --json`` as a dict. ``chip_or_spec`` is a catalog
    name (``"H20"``, ``"nvidia h20"``) or a spec (a dict, or its JSON text) in the ``--spec``
    format; ``date`` defaults to today.

    Example:
        >>> chipgate.classify("H100", date="2025-05-01")["eccn"]
        '3A090.a'
    """

def check(
    chip: Optional[str] = None,
    *,
    to: str,
    spec: Union[None, Dict[str, Any], str] = None,
    count: Optional[int] = None,
    buyer: Optional[str] = None,
    buyer_hq: Optional[str] = None,
    end_user: Optional[str] = None,
    end_user_hq: Optional[str] = None,
    end_use: Optional[str] = None,
    exporter: Optional[str] = None,
    exporter_role: Optional[str] = None,
    approved_designer: bool = False,
    ship_from: Optional[str] = None,
    quantity: Optional[float] = None,
    no_screen: bool = False,
    date: Optional[DateLike] = None,
    view: Literal["enforced", "law"] = "enforced",
    scenario: Optional[Names] = None,
    parties: Optional[PathLike] = None,
    data_dir: Optional[PathLike] = None,
    store: Optional[PathLike] = None,
) -> Answer:
    """Can this order ship? The answer of ``chipgate check --json`` as a dict.

    Parameters are the CLI's options with ``_`` for ``-``; ``spec`` is a dict, JSON text or a
    spec file's path; ``scenario`` a shipped scenario's name, a scenario file or TOML text (a
    list overlays them in order); ``parties`` a party file; ``store`` a list store directory.
    Named parties are screened against the lists unless ``no_screen``.

    Example:
        >>> a = chipgate.check("H20", to="MY", buyer="ByteDance Pte. Ltd.", buyer_hq="CN",
        ...                    date="2025-04-20")
        >>> a["decision"], a["review_policy"]
        ('LICENSE_REQUIRED', 'presumption_of_denial')
    """

def timeline(
    chip: Optional[str] = None,
    *,
    to: str,
    spec: Union[None, Dict[str, Any], str] = None,
    count: Optional[int] = None,
    from_date: Optional[DateLike] = None,
    to_date: Optional[DateLike] = None,
    buyer: Optional[str] = None,
    buyer_hq: Optional[str] = None,
    end_user: Optional[str] = None,
    end_user_hq: Optional[str] = None,
    end_use: Optional[str] = None,
    exporter: Optional[str] = None,
    exporter_role: Optional[str] = None,
    approved_designer: bool = False,
    ship_from: Optional[str] = None,
    quantity: Optional[float] = None,
    no_screen: bool = False,
    view: Literal["enforced", "law"] = "enforced",
    scenario: Optional[Names] = None,
    parties: Optional[PathLike] = None,
    data_dir: Optional[PathLike] = None,
    store: Optional[PathLike] = None,
) -> Answer:
    """The decision over time (``chipgate timeline --json``): one segment per span.

    ``from_date`` is the CLI's ``--from`` (default 2022-01-01), ``to_date`` its ``--to-date``
    (default today).

    Example:
        >>> t = chipgate.timeline("H20", to="CN", buyer_hq="CN", from_date="2025-01-01",
        ...                       to_date="2025-12-31")
        >>> [(s["from"], s["decision"]) for s in t["segments"]]
    """

def screen(
    name: str,
    *,
    country: Optional[str] = None,
    date: Optional[DateLike] = None,
    threshold: Optional[float] = None,
    lists: Optional[Names] = None,
    store: Optional[PathLike] = None,
    data_dir: Optional[PathLike] = None,
) -> Answer:
    """Screen one name against the lists (``chipgate screen NAME --json``).

    Example:
        >>> chipgate.screen("Huawei Technologies Co., Ltd.", date="2025-06-01")["status"]
        'match'
    """

@overload
def check_frame(
    df: pd.DataFrame,
    scenario: Optional[Names] = None,
    *,
    as_of: Optional[DateLike] = None,
    view: Literal["enforced", "law"] = "enforced",
    map: Optional[Sequence[str]] = None,
    parties: Optional[PathLike] = None,
    no_screen: bool = False,
    data_dir: Optional[PathLike] = None,
    store: Optional[PathLike] = None,
    threads: Optional[int] = None,
    report: Literal[False] = False,
) -> pd.DataFrame: ...
@overload
def check_frame(
    df: pd.DataFrame,
    scenario: Optional[Names] = None,
    *,
    as_of: Optional[DateLike] = None,
    view: Literal["enforced", "law"] = "enforced",
    map: Optional[Sequence[str]] = None,
    parties: Optional[PathLike] = None,
    no_screen: bool = False,
    data_dir: Optional[PathLike] = None,
    store: Optional[PathLike] = None,
    threads: Optional[int] = None,
    report: Literal[True],
) -> Tuple[pd.DataFrame, Dict[str, Any]]:
    """Decide every order of a DataFrame, as ``chipgate orders`` does.

    Returns the input's index with the columns of ``chipgate orders --out x.csv`` (but
    ``line``): ``order_id, date, decision, license_required, eccn, rules, screening``, per
    scenario ``decision@ID, license_required@ID, eccn@ID, rules@ID, rule_change@ID``, and
    ``error`` (why a row could not be decided). A missing column raises ``InputError``.

    Example:
        >>> orders = pd.read_csv("examples/orders-2025.csv")
        >>> out = chipgate.check_frame(orders, scenario="no-april-letter")
        >>> flips = out[out["rule_change@no-april-letter"].notna()]
    """

def screen_frame(
    df: pd.DataFrame,
    *,
    date: Optional[DateLike] = None,
    threshold: Optional[float] = None,
    lists: Optional[Names] = None,
    store: Optional[PathLike] = None,
    data_dir: Optional[PathLike] = None,
) -> pd.DataFrame:
    """Screen the ``name`` column of a DataFrame (``chipgate screen --file``).

    Optional ``country`` and ``date`` columns; returns ``name, country, date, status, hits,
    best_score, best_list, best_kind, best_entry_id, best_matched_name, lists, error``.

    Example:
        >>> chipgate.screen_frame(pd.DataFrame({"name": ["Huawei Technologies Co., Ltd."]}))
    """
