"""The shipped TLS configuration (deploy/gunicorn-tls.conf.py), started for real with a
self-signed certificate: TLS 1.1 is refused, TLS 1.2 and 1.3 are served."""

import datetime
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.oidc_fixtures import free_port

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "tls.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "tls.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "tls.crt", folder / "tls.key"


@pytest.fixture(scope="module")
def tls_server(certificate):
    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2",
           "TLS_CERT_FILE": str(certificate[0]), "TLS_KEY_FILE": str(certificate[1])}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn-tls.conf.py", "eximee.wsgi"],
                               cwd=ROOT, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def client_context(version):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = context.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # let *this client* offer the old protocol
    return context


def handshake(port, version):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with client_context(version).wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            return tls.version(), tls.recv(200)


@pytest.mark.parametrize("version, name", [(ssl.TLSVersion.TLSv1_2, "TLSv1.2"), (ssl.TLSVersion.TLSv1_3, "TLSv1.3")])
def test_tls_12_and_13_are_served(tls_server, version, name):
    negotiated, head = handshake(tls_server, version)
    assert negotiated == name
    assert head.startswith(b"HTTP/1.1 200")


def test_tls_11_is_refused(tls_server):
    with pytest.raises(ssl.SSLError) as refused:
        handshake(tls_server, ssl.TLSVersion.TLSv1_1)
    assert "ALERT_PROTOCOL_VERSION" in str(refused.value) or "UNSUPPORTED_PROTOCOL" in str(refused.value)


def test_this_client_can_speak_tls_11_to_a_server_that_allows_it(certificate):
    """The control: the refusal above comes from our configuration, not from this client."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(*certificate)
    server.minimum_version = ssl.TLSVersion.TLSv1_1
    server.set_ciphers("DEFAULT:@SECLEVEL=0")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    outcome = {}

    def serve():
        conn, _ = listener.accept()
        try:
            with server.wrap_socket(conn, server_side=True) as tls:
                outcome["version"] = tls.version()
                tls.recv(100)
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        except ssl.SSLError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        negotiated, _ = handshake(port, ssl.TLSVersion.TLSv1_1)
    finally:
        thread.join(5)
        listener.close()
    assert negotiated == "TLSv1.1" == outcome["version"]
