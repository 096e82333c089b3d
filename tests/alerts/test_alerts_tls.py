"""Sending over STARTTLS and implicit TLS with a login, against aiosmtpd on 127.0.0.1 holding a
certificate made for the test (trusted through ``SSL_CERT_FILE``): the password comes from the
environment, a wrong one or a server without STARTTLS is a recorded error, never plain text."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from searchsvc.alerts.run import send_digests
from tests.alerts.conftest import Inbox, alerts_config, follow, free_port, publish_item

pytestmark = [
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a certificate"),
    # aiosmtpd's warning about the implicit-TLS server, which is TLS before AUTH anyway:
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # what ssl.create_default_context() trusts
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


class RecordingInbox(Inbox):
    def __init__(self):
        super().__init__()
        self.sessions = []

    async def handle_DATA(self, server, session, envelope):
        encrypted = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.sessions.append((encrypted, session.authenticated))
        return await super().handle_DATA(server, session, envelope)


def login(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    ok = auth_data.login == b"alerts" and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


def serve(context, **kwargs):
    from aiosmtpd.controller import Controller

    inbox = RecordingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=login, auth_required=True,
                            **kwargs)
    controller.start()
    return inbox, port, controller


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_digests_go_over_tls_with_the_password_from_the_environment(archive, certificate, monkeypatch, security):
    tls = {"tls_context": certificate, "require_starttls": True} if security == "starttls" else {
        "ssl_context": certificate, "server_hostname": "127.0.0.1",
        "auth_require_tls": False}  # TLS from the first byte: aiosmtpd does not count it as STARTTLS
    inbox, port, controller = serve(certificate, **tls)
    try:
        config = alerts_config(archive, port, smtp_security=security, smtp_user="alerts")
        follow(config, "reader@example.org", "q=zebracrossing")
        publish_item(config, "Zebra crossings", "Councillor Reed asked about zebracrossing.")
        monkeypatch.setenv("SEARCHSVC_SMTP_PASSWORD", "wrong")
        report = send_digests(config)
        assert report.sent == 0 and "535" in report.errors[0]["error"]
        monkeypatch.setenv("SEARCHSVC_SMTP_PASSWORD", "s3cret")
        assert send_digests(config).sent == 1  # the failed one, sent by the next run
        inbox.wait_for(1)
        assert inbox.sessions == [(True, True)]
    finally:
        controller.stop()


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(archive, smtp):
    config = alerts_config(archive, smtp.port, smtp_security="starttls")
    follow(config, "reader@example.org", "q=zebracrossing")
    publish_item(config, "Zebra crossings", "Councillor Reed asked about zebracrossing.")
    report = send_digests(config)
    assert report.sent == 0 and "STARTTLS" in report.errors[0]["error"]
    assert smtp.inbox.messages == []
