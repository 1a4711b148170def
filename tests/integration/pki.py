"""A throw-away certificate authority and a server certificate for 127.0.0.1, for TLS tests."""

import datetime
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# From 1970 to RFC 5280's "no well-defined expiration" (99991231235959Z): a throw-away certificate must not depend
# on the calendar. OpenSSL and nats-server check it against the real clock, while the calendar guard of `make test`
# moves Python's (tests/clock_shift): a window around Python's "now" would not hold for both.
VALID_FROM = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
VALID_UNTIL = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> Path:
    path.touch(mode=0o600)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))  # fmt: skip
    return path


class Authority:
    """A CA whose certificate is written to folder/<name>-ca.pem; it signs server certificates."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name
        self.key = ec.generate_private_key(ec.SECP256R1())
        builder = x509.CertificateBuilder(
            subject_name=_name(f"{name} CA"), issuer_name=_name(f"{name} CA"), public_key=self.key.public_key(),
            serial_number=x509.random_serial_number(), not_valid_before=VALID_FROM, not_valid_after=VALID_UNTIL,
        ).add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)  # fmt: skip
        self.certificate = builder.sign(self.key, hashes.SHA256())
        self.ca_file = folder / f"{name}-ca.pem"
        self.ca_file.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def server_certificate(self, host: str = "127.0.0.1") -> tuple[Path, Path]:
        """(certificate file, key file) for a server at host (an IP address), signed by this CA."""
        san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))])
        return self._issue(host, "server", san)

    def client_certificate(self, name: str) -> tuple[Path, Path]:
        """(certificate file, key file) of a client called name, signed by this CA (mutual TLS)."""
        return self._issue(name, f"client-{name}", x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]))

    def _issue(self, subject: str, file: str, extension: x509.ExtensionType) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = x509.CertificateBuilder(
            subject_name=_name(subject), issuer_name=self.certificate.subject, public_key=key.public_key(),
            serial_number=x509.random_serial_number(), not_valid_before=VALID_FROM, not_valid_after=VALID_UNTIL,
        ).add_extension(extension, False)  # fmt: skip
        cert_file = self.folder / f"{self.name}-{file}.pem"
        cert_file.write_bytes(builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
        return cert_file, _write_key(key, self.folder / f"{self.name}-{file}.key")
