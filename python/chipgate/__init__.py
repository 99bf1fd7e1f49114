"""chipgate for Python: export-control answers for AI chips, from the engine itself.

The same Rust crates as the ``chipgate`` command line, as a native module (not a wrapper
around the CLI): ``classify``, ``check``, ``timeline`` and ``screen`` return the CLI's
``--json`` answers as Python objects; ``check_frame`` and ``screen_frame`` take and return
pandas DataFrames, with the decisions of ``chipgate orders``. The rulebook and the lists are
loaded once per process (built-in data unless ``data_dir=``; lists from the list store like
the CLI); errors are :class:`ChipgateError` / :class:`InputError` with the CLI's messages and
the HTTP API's codes.

Example:
    >>> import chipgate
    >>> chipgate.check("H20", to="CN", buyer_hq="CN", date="2025-04-09")["decision"]
    'LICENSE_REQUIRED'
"""

from . import _native
from ._frames import check_frame, screen_frame
from ._native import check, classify, screen, timeline
from .errors import ChipgateError, InputError, UnavailableError

__version__: str = _native.__version__

__all__ = [
    "ChipgateError",
    "InputError",
    "UnavailableError",
    "check",
    "check_frame",
    "classify",
    "screen",
    "screen_frame",
    "timeline",
]
