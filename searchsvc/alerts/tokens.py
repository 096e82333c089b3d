"""Signed links: confirm a sign-up, manage an address's alerts, unsubscribe in one click.

Why itsdangerous rather than hand-rolled ``hmac``: it is already installed (Flask depends on
it), and it does exactly what these links need and is easy to get subtly wrong by hand —
an HMAC over a compact URL-safe payload, a signed timestamp for expiry, a constant-time
comparison, and a *salt* per purpose so a manage link can never be replayed as a
confirmation. The key is the operator's ``SEARCHSVC_ALERTS_SECRET`` or the generated one.

A link names ids, never the address (links end up in server logs and browser history), and
carries the address's random nonce: deleting an address voids every link ever sent to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from searchsvc.alerts.errors import AlertError

CONFIRM, MANAGE, UNSUBSCRIBE = "confirm", "manage", "unsubscribe"


@dataclass(frozen=True)
class LinkData:
    subscriber_id: int  # for CONFIRM this is the alert's id
    nonce: str
    alert_id: int = 0  # UNSUBSCRIBE from one alert (0 = every alert of the address)


class Signer:
    def __init__(self, secret: str, confirm_seconds: int):
        if not secret:
            raise AlertError("no signing secret for alert links")
        self._serializer = URLSafeTimedSerializer(secret, salt="searchsvc.alerts")
        self.confirm_seconds = confirm_seconds

    def make(self, purpose: str, data: LinkData) -> str:
        return self._serializer.dumps([purpose, data.subscriber_id, data.nonce, data.alert_id])

    def read(self, purpose: str, token: str) -> LinkData:
        """The link's data, or :class:`AlertError` saying the link is expired or not valid."""
        max_age = self.confirm_seconds if purpose == CONFIRM else None
        try:
            payload = self._serializer.loads(token, max_age=max_age)
        except SignatureExpired:
            raise AlertError("This confirmation link has expired. Sign up again to get a new one.") from None
        except BadSignature:
            raise AlertError("This link is not valid: it may have been cut short when it was copied. "
                             "Use the whole link from the email.") from None
        if (not isinstance(payload, list) or len(payload) != 4 or payload[0] != purpose
                or not isinstance(payload[1], int) or not isinstance(payload[2], str)
                or not isinstance(payload[3], int)):
            raise AlertError("This link is not valid for this page.")
        return LinkData(payload[1], payload[2], payload[3])
