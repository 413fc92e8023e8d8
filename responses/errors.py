"""Errors raised by `responses/`, all under the project's one root."""

from __future__ import annotations

from lookup.errors import EnquiryDeskError


class ResponsesError(EnquiryDeskError):
    """Something went wrong choosing or rendering a reply."""


class TemplateMissing(ResponsesError):
    """None of the template names asked for exists in any templates folder."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(f"no template found; looked for: {', '.join(names)}")
        self.names = names


class TemplateRenderError(ResponsesError):
    """A template exists but could not be rendered (a syntax error, a missing variable).

    Raised instead of letting a half-rendered letter through: a clerk's override that
    names a variable the reply does not offer must fail loudly, never print a blank.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"template {name} failed to render: {reason}")
        self.name = name
        self.reason = reason


class DisclosureError(ResponsesError):
    """A caller asked for a reply that would disclose a record to an unverified writer.

    This is a programming mistake in the caller, never a state of the data: the pipeline
    must pass no facts when the writer is not verified.
    """


class FactsError(ResponsesError):
    """A record's column could not be read as a case fact (a malformed date or amount)."""

    def __init__(self, column: str, value: str) -> None:
        super().__init__(f"column {column} has a value that cannot be read: {value!r}")
        self.column = column
        self.value = value
