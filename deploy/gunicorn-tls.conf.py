"""gunicorn serving HTTPS itself, TLS 1.2 minimum, for deployments without a TLS-terminating proxy:

    TLS_CERT_FILE=/etc/eximee/tls.crt TLS_KEY_FILE=/etc/eximee/tls.key \\
        gunicorn -c deploy/gunicorn-tls.conf.py eximee.wsgi

Everything else comes from ../gunicorn.conf.py (same environment variables). Tested by
tests/eximee/security/test_tls.py (TLS 1.1 refused, 1.2 and 1.3 accepted)."""

import os
import runpy
import ssl
from pathlib import Path

_base = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
globals().update({name: value for name, value in _base.items() if not name.startswith("__")})

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8443")
certfile = os.environ["TLS_CERT_FILE"]
keyfile = os.environ["TLS_KEY_FILE"]
# Only AEAD ciphers with forward secrecy for TLS 1.2 (TLS 1.3 suites are all of that kind).
TLS12_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20"


def ssl_context(conf, default_ssl_context_factory):
    context = default_ssl_context_factory()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(TLS12_CIPHERS)
    context.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE
    return context
