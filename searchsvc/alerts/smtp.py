"""Sending over SMTP: one connection per run, STARTTLS or implicit TLS, a sending rate limit.

Failures are sorted into two kinds, because they call for different things: a
:class:`ServerError` (cannot connect, log in, or the connection drops) means nothing
more can be sent this run — stop, record it, try everything again next run; a refused
recipient or message (:class:`RecipientError`) concerns one address, and the run goes on.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from typing import Any, Callable

from searchsvc.alerts.addresses import mask, scrub
from searchsvc.alerts.errors import AlertError
from searchsvc.alerts.settings import AlertSettings

log = logging.getLogger(__name__)


class ServerError(AlertError):
    """The SMTP server cannot be reached or used: no more sending this run."""


class RecipientError(AlertError):
    """The server refused one recipient or message."""


class Sender:
    """``with Sender(settings) as s: s.send(message)``; connects on the first send."""

    def __init__(self, settings: AlertSettings, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._clock, self._sleep = clock, sleep
        self._last = None  # when the last message went
        self.sent = 0

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.smtp_security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
                if s.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except (OSError, smtplib.SMTPException) as e:
            raise ServerError(f"cannot use the SMTP server {s.smtp_host}:{s.smtp_port}: {_why(e)}") from None
        return smtp

    def _pace(self) -> None:
        per_minute = self.settings.send_per_minute
        if per_minute and self._last is not None:
            wait = 60.0 / per_minute - (self._clock() - self._last)
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._pace()
        to = str(message["To"])
        try:
            self._smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as e:
            raise RecipientError(f"{mask(to)}: refused by the SMTP server: {_why(e)}") from None
        except (OSError, smtplib.SMTPException) as e:
            self._smtp = None
            raise ServerError(f"sending to {mask(to)} failed: {_why(e)}") from None
        self.sent += 1

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def _why(e: BaseException) -> str:
    """The server's reason in words, with any address in it masked (errors are shown on /status)."""
    return scrub(_reason(e))


def _reason(e: BaseException) -> str:
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                 for code, msg in e.recipients.values()]
        return "; ".join(codes) or "recipient refused"
    if isinstance(e, smtplib.SMTPResponseException):
        text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{e.smtp_code} {text}"
    return str(e) or type(e).__name__
