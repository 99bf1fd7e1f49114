"""Exceptions raised by chipgate.

Every failure carries the fields of the HTTP API's error body (``code``, ``message``,
``hint``, ``field``); ``str(error)`` is the text the ``chipgate`` command line prints after
``error:``. A question that is wrong (an unknown chip, a bad date, a missing column) raises
:class:`InputError`, which is also a :class:`ValueError`.
"""

from typing import Optional

__all__ = ["ChipgateError", "InputError", "UnavailableError"]


class ChipgateError(Exception):
    """A failure of chipgate: ``code`` is a stable snake_case code (as the HTTP API's).

    Example:
        >>> try:
        ...     chipgate.check("H20", to="CN", date="2025-13-01")
        ... except chipgate.ChipgateError as e:
        ...     print(e.code, e.field)
        invalid_input date
    """

    def __init__(
        self,
        text: str,
        *,
        code: str = "internal",
        message: Optional[str] = None,
        field: Optional[str] = None,
        hint: Optional[str] = None,
    ) -> None:
        super().__init__(text)
        self.code = code
        self.message = message if message is not None else text
        self.field = field
        self.hint = hint

    def __reduce__(self):  # keeps the fields across processes (Dask, multiprocessing)
        return (
            _rebuild,
            (type(self), str(self), self.code, self.message, self.field, self.hint),
        )


class InputError(ChipgateError, ValueError):
    """The question is wrong; ``field`` names the parameter or column at fault.

    Example:
        >>> try:
        ...     chipgate.classify("no such chip", date="2025-05-01")
        ... except chipgate.InputError as e:
        ...     print(e.field)
        chip
    """


class UnavailableError(ChipgateError):
    """Something the answer needs is not loaded (e.g. no screening lists)."""


def _rebuild(cls, text, code, message, field, hint):
    return cls(text, code=code, message=message, field=field, hint=hint)
