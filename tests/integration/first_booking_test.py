#!/usr/bin/python3
"""Keeps the README's first booking true: runs clients/examples/first_booking.py
against real directory and booking binaries.

Usage: first_booking_test.py DIRECTORY_BINARY BOOKING_BINARY EXAMPLE_SCRIPT
                             DEV_PKI_SCRIPT TANDEMCTL
PYTHONPATH must hold the build's gen_py. Exit 0 when the example booked.
"""
import contextlib
import io
import os
import runpy
import subprocess
import sys
import tempfile
import time

import tandem_security

START_TIMEOUT_S = 10


def start(binary, tmp, name, extra, pki):
    port_file = os.path.join(tmp, f"{name}.port")
    log = open(os.path.join(tmp, f"{name}.log"), "wb")
    process = subprocess.Popen(
        [binary, f"--db={tmp}/{name}.db", "--listen=127.0.0.1:0",
         f"--port_file={port_file}", *extra,
         *tandem_security.service_flags(pki, name)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        if os.path.exists(port_file) and open(port_file).read().strip():
            return process, f"127.0.0.1:{open(port_file).read().strip()}"
        time.sleep(0.02)
    raise RuntimeError(f"{name} wrote no port file in time")


def main():
    if len(sys.argv) != 6:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    directory_binary, booking_binary, example, dev_pki, tandemctl = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="tandem-example-") as tmp:
        pki = tandem_security.make_pki(dev_pki, tmp)
        # As after scripts/start: the example finds the PKI under
        # $TANDEM_DATA/pki and mints its token with tandemctl.
        os.environ["TANDEM_DATA"] = tmp
        processes = []
        try:
            directory, directory_at = start(directory_binary, tmp, "directory",
                                            [], pki)
            processes.append(directory)
            booking, booking_at = start(booking_binary, tmp, "booking",
                                        [f"--directory={directory_at}"], pki)
            processes.append(booking)
            # The example seeds the directory; booking replicates it within
            # moments, so the first proposal may need a retry.
            for attempt in range(50):
                out = io.StringIO()
                with contextlib.redirect_stdout(out), \
                        contextlib.redirect_stderr(out):
                    sys.argv = [example, "--directory", directory_at,
                                "--booking", booking_at,
                                "--tandemctl", tandemctl]
                    try:
                        runpy.run_path(example, run_name="__main__")
                        code = 0
                    except SystemExit as exit:
                        code = exit.code
                if code == 0 and "INTENSIVE_STATUS_BOOKED" in out.getvalue():
                    print(out.getvalue())
                    return 0
                if "no plan" not in out.getvalue():
                    break  # a real failure, not replication lag
                time.sleep(0.2)
            print(out.getvalue(), file=sys.stderr)
            return 1
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
