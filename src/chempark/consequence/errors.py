"""Errors raised by the consequence models.

One exception type for bad input lets the command line and the web service turn every validation
failure into the same clear message (and exit code 2) without knowing which model raised it.
"""


class ConsequenceInputError(ValueError):
    """The caller's input is outside what a model accepts (negative rate, unknown class, ...)."""
