"""CentralClient against a TLS server on loopback with CAs made here (cryptography).

The configured CA bundle is what central's certificate is checked against, whatever the
environment says; mutual TLS presents the configured client certificate; the proxy is the
configured one or none.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import select
import socket
import socketserver
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from desktop.central import CentralClient, CentralUnavailableError
from desktop.settings import load_settings

# --- certificates ------------------------------------------------------------------------------


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class Authority:
    """A CA that signs server and client certificates into ``folder``."""

    def __init__(self, folder: Path, cn: str):
        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(cn))
            .issuer_name(_name(cn))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )
        self.pem = folder / f"{cn}.pem"
        self.pem.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, cn: str, *, server: bool) -> tuple[Path, Path]:
        """(certificate file, key file 0600) for ``cn``."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(cn))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        else:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False
            )
        cert = builder.sign(self.key, hashes.SHA256())
        cert_file = self.folder / f"{cn}.crt"
        key_file = self.folder / f"{cn}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(_pem_key(key))
        key_file.chmod(0o600)
        return cert_file, key_file


# --- the TLS central and a CONNECT proxy ---------------------------------------------------------


class TlsCentral:
    """HTTPS on 127.0.0.1: ``GET /v1/ping`` answers JSON with the client certificate's CN."""

    def __init__(self, cert: Path, key: Path, *, client_ca: Path | None = None):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca is not None:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        self.seen: list[str] = []

        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                peer = self.connection.getpeercert()
                cn = None
                if peer:
                    cn = dict(item[0] for item in peer["subject"]).get("commonName")
                owner.seen.append(self.path)
                body = json.dumps({"path": self.path, "client": cn}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def finish_request(self, request, client_address):
                # The handshake runs on the request's thread, not on the accepting one.
                request.settimeout(5)
                tls = context.wrap_socket(request, server_side=True)
                super().finish_request(tls, client_address)

            def handle_error(self, request, client_address):
                pass  # refused handshakes are what some tests are about

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ConnectProxy:
    """An HTTP proxy on 127.0.0.1 that tunnels ``CONNECT`` to loopback only and logs targets."""

    def __init__(self):
        self.targets: list[str] = []
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                client = self.request
                client.settimeout(5)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = client.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
                host, _, port = target.rpartition(":")
                owner.targets.append(f"{method} {target}")
                if method != "CONNECT" or host != "127.0.0.1":
                    client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    return
                upstream = socket.create_connection((host, int(port)), timeout=5)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                sockets = [client, upstream]
                try:
                    while True:
                        readable, _, _ = select.select(sockets, [], [], 5)
                        if not readable:
                            return
                        for sock in readable:
                            data = sock.recv(65536)
                            if not data:
                                return
                            (upstream if sock is client else client).sendall(data)
                finally:
                    upstream.close()

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    hall = Authority(folder, "Hall CA")
    other = Authority(folder, "Other CA")
    server_cert, server_key = hall.issue("central", server=True)
    client_cert, client_key = hall.issue("W01", server=False)
    combined = folder / "W01-combined.pem"
    combined.write_bytes(client_cert.read_bytes() + client_key.read_bytes())
    combined.chmod(0o600)
    return {
        "hall": hall,
        "other": other,
        "server": (server_cert, server_key),
        "client": (client_cert, client_key),
        "combined": combined,
    }


@pytest.fixture
def central(pki):
    server = TlsCentral(*pki["server"])
    yield server
    server.close()


@pytest.fixture
def mtls_central(pki):
    server = TlsCentral(*pki["server"], client_ca=pki["hall"].pem)
    yield server
    server.close()


@pytest.fixture
def proxy():
    server = ConnectProxy()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def no_proxy_from_the_environment(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def _ping(client: CentralClient) -> dict:
    try:
        return client.call_json("GET", "/v1/ping", token="tok")
    finally:
        client.close()


def test_the_configured_ca_is_trusted_and_environment_bundles_do_not_override_it(
    pki, central, monkeypatch
):
    # Both variables point at a CA that did not issue central's certificate.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki["other"].pem))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(pki["other"].pem))
    answer = _ping(CentralClient(central.url, ca_bundle=pki["hall"].pem, timeout=5))
    assert answer == {"path": "/v1/ping", "client": None}


def test_a_ca_in_the_environment_does_not_widen_trust(pki, central, monkeypatch):
    # Without central.ca_bundle the shipped CA list applies; an environment bundle naming the
    # hall's CA must not make central's certificate acceptable.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki["hall"].pem))
    with pytest.raises(CentralUnavailableError) as info:
        _ping(CentralClient(central.url, timeout=5))
    assert info.value.code == "tls_error"
    assert central.seen == []


def test_another_ca_is_refused(pki, central):
    with pytest.raises(CentralUnavailableError) as info:
        _ping(CentralClient(central.url, ca_bundle=pki["other"].pem, timeout=5))
    assert info.value.code == "tls_error"


def test_mutual_tls_presents_the_configured_client_certificate(pki, mtls_central):
    cert, key = pki["client"]
    answer = _ping(
        CentralClient(
            mtls_central.url, ca_bundle=pki["hall"].pem, client_cert=cert, client_key=key, timeout=5
        )
    )
    assert answer["client"] == "W01"
    # Certificate and key in one file.
    answer = _ping(
        CentralClient(
            mtls_central.url, ca_bundle=pki["hall"].pem, client_cert=pki["combined"], timeout=5
        )
    )
    assert answer["client"] == "W01"


def test_without_a_client_certificate_mutual_tls_fails(pki, mtls_central):
    with pytest.raises(CentralUnavailableError) as info:
        _ping(CentralClient(mtls_central.url, ca_bundle=pki["hall"].pem, timeout=5))
    assert info.value.code in ("tls_error", "network_error")
    assert mtls_central.seen == []


def test_the_configured_proxy_carries_the_calls(pki, central, proxy):
    answer = _ping(
        CentralClient(central.url, ca_bundle=pki["hall"].pem, proxy=proxy.url, timeout=5)
    )
    assert answer["path"] == "/v1/ping"
    assert proxy.targets == [f"CONNECT 127.0.0.1:{central.port}"]


def test_proxy_variables_of_the_environment_are_ignored(pki, central, proxy, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "")
    answer = _ping(CentralClient(central.url, ca_bundle=pki["hall"].pem, timeout=5))
    assert answer["path"] == "/v1/ping"
    assert proxy.targets == []


def test_a_configuration_file_drives_tls_and_proxy(pki, mtls_central, proxy, tmp_path):
    cert, key = pki["client"]
    config = tmp_path / "hall-counter.toml"
    config.write_text(
        f"""
[central]
url = "{mtls_central.url}"
ca_bundle = "{pki["hall"].pem}"
client_cert = "{cert}"
client_key = "{key}"
proxy = "{proxy.url}"
timeout = 5

[workstation]
hall_id = "H0001"
id = "W01"
secret = "s3cret"
""",
        encoding="utf-8",
    )
    settings = load_settings(config)
    answer = _ping(CentralClient.from_settings(settings))
    assert answer["client"] == "W01"
    assert proxy.targets == [f"CONNECT 127.0.0.1:{mtls_central.port}"]
