"""The errors a user can meet, each carrying the command line's exit code.

``ThiduaError`` is the one base: the CLI and the dashboard catch it and show its message
(Vietnamese, naming what is wrong and what is expected); anything else is an internal
error (exit 1). Bad input or usage exits 2; a store that is busy, newer than this
software or unusable exits 3. ``Problem`` is one thing wrong with an input file; an
``InputRejected`` carries all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_STORE = 3


class ThiduaError(Exception):
    """Base of every error meant for the user; ``exit_code`` is what the CLI returns."""

    exit_code: int = EXIT_INPUT


class UsageError(ThiduaError):
    """Bad arguments or a request that cannot be carried out as asked (exit 2)."""


class PlanError(ThiduaError, ValueError):
    """A plan file (or a what-if scenario) that cannot be used; the message names the key."""


class UnknownReview(ThiduaError, KeyError):
    """A review id the plan does not define."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class PermissionDenied(ThiduaError):
    """The acting user's role may not do this (nothing was written)."""


class SignInFailed(ThiduaError):
    """A sign-in refused: wrong name or password, a disabled or locked account, an expired
    session (the message says which, never whether the name exists)."""


class ConflictingChange(ThiduaError):
    """An undo refused because a later save changed the same value (nothing was written)."""


class StoreBusy(ThiduaError):
    """Another process holds the store; nothing was changed."""

    exit_code = EXIT_STORE


class StoreUnusable(ThiduaError):
    """The store file cannot be used (damaged, not a store, a folder, the disk full);
    nothing was changed by this attempt. The message says how to recover."""

    exit_code = EXIT_STORE


class StoreTooNew(ThiduaError):
    """The store was written by a newer version of this software."""

    exit_code = EXIT_STORE


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, row, column), what, and what is expected.

    ``column`` is the contract's column name (or the header cell as written, when it is
    not one); ``header`` the column as the template's header shows it, e.g.
    ``Mã đơn vị (unit_id)``: what people read (``shown_column``).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    header: str | None = None

    @property
    def shown_column(self) -> str | None:
        return self.header or self.column

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", dòng {self.row}"
        if self.shown_column:
            where += f", cột {self.shown_column}"
        shown = self.value if self.value is None or len(self.value) <= 80 else self.value[:80] + "…"
        value = "" if shown is None else f" (giá trị {shown!r})"
        return f"{where}{value}: {self.message}"


class InputRejected(ThiduaError):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … và {self.total - 50} lỗi khác" if self.total > 50 else ""
        super().__init__(f"{self.total} lỗi trong dữ liệu nhập:\n{shown}{more}")
