#!/usr/bin/python3
"""A third-party client: Debian's python3-grpcio calls the directory binary.

Usage: python_client_test.py PATH/TO/directory DEV_PKI_SCRIPT TANDEMCTL
PYTHONPATH must hold the build's gen_py (the message modules protoc writes;
there are no generated gRPC stubs, so methods are called by name). Starts the
binary on port 0 in a temp dir with TLS and the development token key,
creates a therapist over TLS with an admin token, lists it; checks that a
plaintext client and a client without a token are refused; exit 0 on
success.
"""
import os
import subprocess
import sys
import tempfile
import time

import grpc

import tandem_security

from tandem.directory.v1 import directory_pb2 as d
from tandem.directory.v1 import directory_service_pb2 as ds

SERVICE = "/tandem.directory.v1.DirectoryService/"
START_TIMEOUT_S = 10
RPC_TIMEOUT_S = 5


def method(channel, name, request_type, response_type):
    return channel.unary_unary(
        SERVICE + name,
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString)


def wait_for_port(process, port_file):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"directory exited with {process.returncode}")
        try:
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return int(text)
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    raise RuntimeError("directory wrote no port file in time")


def check(channel):
    create = method(channel, "CreateTherapist", ds.CreateTherapistRequest,
                    ds.CreateTherapistResponse)
    listing = method(channel, "ListTherapists", ds.ListTherapistsRequest,
                     ds.ListTherapistsResponse)
    created = create(ds.CreateTherapistRequest(
        request_id="python-client-1",
        therapist=d.Therapist(display_name="Python Client", sex=d.SEX_FEMALE,
                              languages=["en"], daily_session_minutes_cap=360,
                              active=True)), timeout=RPC_TIMEOUT_S)
    therapist_id = created.therapist.id
    assert therapist_id.startswith("th-"), therapist_id

    listed = listing(ds.ListTherapistsRequest(page_size=10),
                     timeout=RPC_TIMEOUT_S)
    ids = [t.id for t in listed.therapists]
    assert ids == [therapist_id], ids
    assert listed.therapists[0].display_name == "Python Client"
    assert listed.revision >= 1, listed.revision

    # Errors arrive as gRPC status codes with the field named.
    try:
        create(ds.CreateTherapistRequest(request_id="python-client-2",
                                         therapist=d.Therapist()),
               timeout=RPC_TIMEOUT_S)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.code()
        assert "therapist." in error.details(), error.details()
    else:
        raise AssertionError("an empty therapist was accepted")
    print(f"ok: created and listed {therapist_id}")


def expect_refusal(channel, code):
    call = method(channel, "ListTherapists", ds.ListTherapistsRequest,
                  ds.ListTherapistsResponse)
    try:
        call(ds.ListTherapistsRequest(), timeout=RPC_TIMEOUT_S)
    except grpc.RpcError as error:
        assert error.code() == code, (error.code(), error.details())
    else:
        raise AssertionError(f"a call that should fail with {code} succeeded")


def check_refusals(address, pki):
    # Plaintext to a TLS port fails: there is no plaintext listener.
    with grpc.insecure_channel(address) as plain:
        expect_refusal(plain, grpc.StatusCode.UNAVAILABLE)
    with tandem_security.channel(address, pki) as no_token:
        expect_refusal(no_token, grpc.StatusCode.UNAUTHENTICATED)
    print("ok: plaintext and token-less clients refused")


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, dev_pki, tandemctl = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="tandem-py-") as tmp:
        pki = tandem_security.make_pki(dev_pki, tmp)
        port_file = os.path.join(tmp, "port")
        with open(os.path.join(tmp, "service.log"), "wb") as log:
            process = subprocess.Popen(
                [binary, f"--db={tmp}/directory.db", "--listen=127.0.0.1:0",
                 f"--port_file={port_file}",
                 *tandem_security.service_flags(pki, "directory")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            try:
                port = wait_for_port(process, port_file)
                address = f"127.0.0.1:{port}"
                token = tandem_security.mint(tandemctl, pki, "admin")
                with tandem_security.channel(address, pki, token) as channel:
                    check(channel)
                check_refusals(address, pki)
                process.terminate()
                code = process.wait(timeout=10)
                assert code == 0, f"directory exited with {code} on SIGTERM"
            except BaseException:
                log.flush()
                with open(os.path.join(tmp, "service.log")) as f:
                    sys.stderr.write(f.read())
                raise
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
