"""Typed stubs of chipgate.errors."""

from typing import Optional

class ChipgateError(Exception):
    """A failure of chipgate, with the HTTP API's error fields; ``str()`` is the CLI's text."""

    code: str
    message: str
    field: Optional[str]
    hint: Optional[str]
    def __init__(
        self,
        text: str,
        *,
        code: str = ...,
        message: Optional[str] = ...,
        field: Optional[str] = ...,
        hint: Optional[str] = ...,
    ) -> None: ...

class InputError(ChipgateError, ValueError):
    """The question is wrong; ``field`` names the parameter or column at fault."""

class UnavailableError(ChipgateError):
    """Something the answer needs is not loaded (e.g. no screening lists)."""
