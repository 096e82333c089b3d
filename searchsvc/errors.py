"""One error type per layer, each mapped by the CLI and the web app to one clear message.

Every error carries a message written for the person who will read it, so the
entry points can print ``str(error)`` and nothing else (a traceback only with -v).
"""


class SearchsvcError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 1


class ConfigError(SearchsvcError):
    """A configuration file, key or value is wrong: names the file, key and what was expected."""

    exit_code = 2


class CatalogError(SearchsvcError):
    """The catalog cannot be opened, migrated or written."""


class FetchError(SearchsvcError):
    """A page could not be fetched (after retries), or fetching it is not allowed."""

    def __init__(self, message: str, url: str = "", status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class ParseError(SearchsvcError):
    """A saved page does not have the structure its parser expects; names the URL and what is missing."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(f"{message} ({url})" if url else message)
        self.url = url


class SearchIndexError(SearchsvcError):
    """The search index cannot be built, published or opened."""


class QueryError(SearchsvcError):
    """A search request is malformed; the message says in plain words what to change."""

    exit_code = 2


class LockedError(SearchsvcError):
    """Another writer (crawl, index, scheduler job) holds the data directory's lock."""
