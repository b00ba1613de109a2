"""The security the Python integration tests run with, as in production:
a development PKI made by deploy/dev-pki, each service started with its
certificate and the token key, and clients calling over TLS with a bearer
token minted by `tandemctl auth dev-token`."""
import os
import subprocess

import grpc


def make_pki(dev_pki_script, tmp):
    """Creates the PKI in tmp/pki and returns its directory."""
    pki = os.path.join(tmp, "pki")
    subprocess.run([dev_pki_script, pki], check=True, stdout=subprocess.DEVNULL)
    return pki


def service_flags(pki, name):
    """The flags that give service `name` its certificate and the token key."""
    return [f"--tls_cert={pki}/{name}.crt", f"--tls_key={pki}/{name}.key",
            f"--tls_ca={pki}/ca.crt", f"--jwt_public_key={pki}/jwt-dev.pub"]


def mint(tandemctl, pki, roles, therapist=None):
    """A development token for `roles` ("admin,coordinator")."""
    command = [tandemctl, "auth", "dev-token", "--role", roles,
               "--key", f"{pki}/jwt-dev.key"]
    if therapist:
        command += ["--therapist", therapist]
    return subprocess.run(command, check=True, capture_output=True,
                          text=True).stdout.strip()


def channel(address, pki, token=None):
    """A TLS channel to `address` that sends `token` on every call."""
    with open(f"{pki}/ca.crt", "rb") as f:
        credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
    if token:
        credentials = grpc.composite_channel_credentials(
            credentials, grpc.access_token_call_credentials(token))
    return grpc.secure_channel(address, credentials)
