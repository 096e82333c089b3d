"""The alerts layer's one error type."""

from searchsvc.errors import SearchsvcError


class AlertError(SearchsvcError):
    """A sign-up, link or alert command cannot be honoured; the message says why in plain words."""

    exit_code = 2
