#!/usr/bin/python3
"""Checks deploy/systemd: systemd-analyze verify and security, and the shape.

Usage: systemd_units_test.py UNITS_DIR BIN_DIR_MAP...
  where each BIN_DIR_MAP is NAME=PATH of a built binary (directory=/…/directory).

The units name /opt/tandem/bin/<service>; systemd-analyze verify insists that
ExecStart binaries exist, so a temporary copy points them at the built ones.
Any warning of verify fails the test (it exits 0 on unknown keys), and the
offline security review must rate every unit 2.0 or better. Then, in Python:
each unit runs as a dynamic user with a StateDirectory (but the stateless
gateway), gets its TLS files and token key through LoadCredential=, carries
the sandboxing options, and starts after (and wants) exactly the services it
calls; the gateway serves the console from a read-only path; tandem.target
pulls in all five. The Mutations tests show that each check can fail.
Exits 77 (skipped) only when systemd-analyze is not installed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

UNITS = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else "deploy/systemd")
BINARIES = {}
while len(sys.argv) > 1 and "=" in sys.argv[1]:
    name, path = sys.argv.pop(1).split("=", 1)
    BINARIES[name] = os.path.abspath(path)

SERVICES = ["directory", "booking", "followup", "roster", "gateway"]
CALLS = {
    "directory": set(),
    "booking": {"directory"},
    "followup": {"booking", "directory"},
    "roster": {"directory", "booking", "followup"},
    # The web console's gateway forwards to every service.
    "gateway": {"directory", "booking", "followup", "roster"},
}
# Keeps no data: no StateDirectory, no database flags.
STATELESS = {"gateway"}
SANDBOX = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "RestrictNamespaces": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
    "SystemCallArchitectures": "native",
    "CapabilityBoundingSet": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
}
CREDENTIALS = {"tls.crt": "tls_cert", "tls.key": "tls_key", "ca.crt": "tls_ca",
               "jwt.pub": "jwt_public_key"}
# The gateway checks no tokens (the services do): no token key.
GATEWAY_CREDENTIALS = {k: v for k, v in CREDENTIALS.items() if k != "jwt.pub"}
# The roster also signs calendar subscription addresses with its own key.
ROSTER_CREDENTIALS = {**CREDENTIALS, "calendar-feed.key": "calendar_feed_key_file"}
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def parse_unit(text):
    """{section: {key: [values]}} with continuation lines joined."""
    sections, current = {}, None
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(" ".join(value.split()))
    return sections


def read_units(directory):
    units = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith((".service", ".target")):
            with open(os.path.join(directory, name)) as f:
                units[name] = f.read()
    return units


def check_units(units):
    problems = []
    parsed = {name: parse_unit(text) for name, text in units.items()}
    health_ports = {}
    metrics_ports = {}
    for service in SERVICES:
        name = f"tandem-{service}.service"
        if name not in parsed:
            problems.append(f"{name} missing")
            continue
        unit = parsed[name].get("Unit", {})
        svc = parsed[name].get("Service", {})
        install = parsed[name].get("Install", {})
        last = {k: v[-1] for k, v in svc.items()}
        if last.get("DynamicUser") != "yes" and not last.get("User"):
            problems.append(f"{name}: neither DynamicUser=yes nor User=")
        if last.get("User") == "root":
            problems.append(f"{name}: runs as root")
        if service in STATELESS:
            if last.get("StateDirectory"):
                problems.append(f"{name}: a StateDirectory for a stateless service")
        elif last.get("StateDirectory") != f"tandem/{service}":
            problems.append(f"{name}: StateDirectory is not tandem/{service}")
        for key, want in SANDBOX.items():
            if last.get(key) != want:
                problems.append(f"{name}: {key}={last.get(key)!r}, want {want!r}")
        filters = svc.get("SystemCallFilter", [])
        if "@system-service" not in filters:
            problems.append(f"{name}: no SystemCallFilter=@system-service")
        exec_start = (svc.get("ExecStart") or [""])[-1].split()
        if not exec_start or exec_start[0] != f"/opt/tandem/bin/{service}":
            problems.append(f"{name}: ExecStart is not /opt/tandem/bin/{service}")
        flags = dict(a[2:].split("=", 1) for a in exec_start[1:] if a.startswith("--"))
        loaded = {c.split(":", 1)[0]: c.split(":", 1)[1]
                  for c in svc.get("LoadCredential", [])}
        wanted = {"gateway": GATEWAY_CREDENTIALS,
                  "roster": ROSTER_CREDENTIALS}.get(service, CREDENTIALS)
        for credential, flag in wanted.items():
            if credential not in loaded:
                problems.append(f"{name}: no LoadCredential={credential}:…")
            if flags.get(flag) != f"%d/{credential}":
                problems.append(f"{name}: --{flag} is not %d/{credential}")
        if service == "gateway":
            # The console's files: installed under /opt/tandem, which
            # ProtectSystem=strict keeps read-only, and nothing reopens it.
            web_root = flags.get("web_root", "")
            writable = " ".join(svc.get("ReadWritePaths", []))
            if not web_root.startswith("/opt/tandem/") or "/opt" in writable:
                problems.append(f"{name}: --web_root {web_root!r} is not read-only "
                                "under /opt/tandem")
            for other in CALLS["gateway"]:
                if not flags.get(other, "").startswith("127.0.0.1:"):
                    problems.append(f"{name}: --{other} is not on this host")
        for flag in ("db", "audit_db"):
            if service in STATELESS or (flag == "db" and service == "roster"):
                continue
            if not flags.get(flag, "").startswith(f"%S/tandem/{service}/"):
                problems.append(f"{name}: --{flag} is not in its StateDirectory")
        health = flags.get("health_listen", "")
        if not health.startswith("127.0.0.1:"):
            problems.append(f"{name}: --health_listen not on loopback")
        elif health in health_ports.values():
            problems.append(f"{name}: --health_listen {health} used twice")
        health_ports[service] = health
        metrics = flags.get("metrics_listen", "")
        if not metrics.startswith("127.0.0.1:"):
            problems.append(f"{name}: --metrics_listen not on loopback")
        elif metrics in metrics_ports.values() or metrics in health_ports.values():
            problems.append(f"{name}: --metrics_listen {metrics} used twice")
        metrics_ports[service] = metrics
        calls = {f"tandem-{s}.service" for s in CALLS[service]}
        for key in ("After", "Wants"):
            listed = {u for v in unit.get(key, []) for u in v.split()
                      if u.startswith("tandem-")}
            if listed != calls:
                problems.append(f"{name}: {key}= {sorted(listed)}, want {sorted(calls)}")
        if "tandem.target" not in " ".join(install.get("WantedBy", [])):
            problems.append(f"{name}: not WantedBy=tandem.target")
        if "tandem.target" not in " ".join(unit.get("PartOf", [])):
            problems.append(f"{name}: not PartOf=tandem.target")
    target = parsed.get("tandem.target", {})
    wanted = {u for v in target.get("Unit", {}).get("Wants", []) for u in v.split()}
    if wanted != {f"tandem-{s}.service" for s in SERVICES}:
        problems.append(f"tandem.target wants {sorted(wanted)}")
    if "multi-user.target" not in " ".join(target.get("Install", {}).get("WantedBy", [])):
        problems.append("tandem.target is not WantedBy=multi-user.target")
    return problems


def analyze(units, command):
    """Writes `units` (binaries pointed at the built ones) to a temp dir and
    runs systemd-analyze `command` on them: (exit code, stderr + stdout)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in units.items():
            for service, binary in BINARIES.items():
                text = text.replace(f"/opt/tandem/bin/{service} ", f"{binary} ")
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            paths.append(path)
        done = subprocess.run([SYSTEMD_ANALYZE] + command + sorted(paths),
                              capture_output=True, text=True, cwd=tmp)
        return done.returncode, done.stderr + done.stdout


def verify(units):
    code, out = analyze(units, ["verify", "--man=no"])
    return [] if code == 0 and not out.strip() else [f"verify (exit {code}): {out.strip()}"]


def security(units):
    services = {n: t for n, t in units.items() if n.endswith(".service")}
    code, out = analyze(services, ["security", "--offline=yes", "--threshold=20",
                                   "--no-pager"])
    levels = re.findall(r"Overall exposure level for (\S+): ([0-9.]+)", out)
    if code != 0 or len(levels) != len(services):
        return [f"security (exit {code}): {levels or out.strip()[-2000:]}"]
    return []


class Units(unittest.TestCase):
    def setUp(self):
        self.units = read_units(UNITS)

    def test_shape(self):
        self.assertEqual(check_units(self.units), [])

    @unittest.skipIf(SYSTEMD_ANALYZE is None, "systemd-analyze is not installed")
    def test_systemd_analyze_verify(self):
        self.assertEqual(sorted(BINARIES), sorted(SERVICES), "pass NAME=BINARY for each")
        for binary in BINARIES.values():
            self.assertTrue(os.access(binary, os.X_OK), binary)
        self.assertEqual(verify(self.units), [])

    @unittest.skipIf(SYSTEMD_ANALYZE is None, "systemd-analyze is not installed")
    def test_systemd_analyze_security(self):
        self.assertEqual(security(self.units), [])


class Mutations(unittest.TestCase):
    """Each check finds what it is there to find."""

    def setUp(self):
        self.units = read_units(UNITS)

    def mutated(self, name, old, new):
        units = dict(self.units)
        self.assertIn(old, units[name])
        units[name] = units[name].replace(old, new)
        return units

    def assertFinds(self, problems, text):
        self.assertTrue(any(text in p for p in problems), f"{text!r} not in {problems}")

    def test_shape_checks_can_fail(self):
        booking = "tandem-booking.service"
        cases = [
            (booking, "ProtectSystem=strict\n", "", "ProtectSystem=None"),
            (booking, "DynamicUser=yes\n", "", "neither DynamicUser"),
            (booking, "LoadCredential=tls.key:/etc/tandem/pki/booking.key\n", "",
             "no LoadCredential=tls.key"),
            ("tandem-roster.service",
             "LoadCredential=calendar-feed.key:/etc/tandem/pki/calendar-feed.key\n", "",
             "no LoadCredential=calendar-feed.key"),
            (booking, "After=network-online.target tandem-directory.service",
             "After=network-online.target", "After= [], want"),
            ("tandem-roster.service", " tandem-followup.service\nWants=", "\nWants=",
             "After= ['tandem-booking.service', 'tandem-directory.service'], want"),
            ("tandem-directory.service", "Wants=network-online.target\n",
             "Wants=network-online.target tandem-roster.service\n", "Wants= ['tandem-roster"),
            ("tandem-followup.service", "SystemCallFilter=@system-service\n", "",
             "no SystemCallFilter"),
            ("tandem-directory.service", "CapabilityBoundingSet=\n",
             "CapabilityBoundingSet=CAP_NET_ADMIN\n", "CapabilityBoundingSet="),
            ("tandem-roster.service", "--health_listen=127.0.0.1:8084",
             "--health_listen=127.0.0.1:8083", "used twice"),
            ("tandem-followup.service", "    --metrics_listen=127.0.0.1:9703 \\\n", "",
             "tandem-followup.service: --metrics_listen not on loopback"),
            ("tandem-roster.service", "--metrics_listen=127.0.0.1:9704",
             "--metrics_listen=127.0.0.1:9701", "--metrics_listen 127.0.0.1:9701 used twice"),
            ("tandem.target", " tandem-roster.service tandem-gateway.service\nAfter=",
             " tandem-gateway.service\nAfter=", "tandem.target wants"),
            # The gateway like the others.
            ("tandem.target", " tandem-gateway.service\nAfter=", "\nAfter=",
             "tandem.target wants"),
            ("tandem-gateway.service", " tandem-roster.service\nWants=", "\nWants=",
             "tandem-gateway.service: After="),
            ("tandem-gateway.service", "LoadCredential=tls.crt:/etc/tandem/pki/gateway.crt\n",
             "", "tandem-gateway.service: no LoadCredential=tls.crt"),
            ("tandem-gateway.service", "--health_listen=127.0.0.1:8085",
             "--health_listen=127.0.0.1:8081", "used twice"),
            ("tandem-gateway.service", "--metrics_listen=127.0.0.1:9705",
             "--metrics_listen=0.0.0.0:9705", "tandem-gateway.service: --metrics_listen not"),
            ("tandem-gateway.service", "PrivateDevices=yes\n", "",
             "tandem-gateway.service: PrivateDevices=None"),
            ("tandem-gateway.service", "--web_root=/opt/tandem/share/console",
             "--web_root=/var/lib/tandem/console", "--web_root '/var/lib/tandem/console'"),
            ("tandem-gateway.service", "DynamicUser=yes\n",
             "DynamicUser=yes\nStateDirectory=tandem/gateway\n", "a StateDirectory"),
            ("tandem-gateway.service", "--roster=127.0.0.1:7004",
             "--roster=roster.example:7004", "--roster is not on this host"),
        ]
        for name, old, new, expected in cases:
            self.assertFinds(check_units(self.mutated(name, old, new)), expected)

    @unittest.skipIf(SYSTEMD_ANALYZE is None, "systemd-analyze is not installed")
    def test_verify_can_fail(self):
        typo = self.mutated("tandem-booking.service", "ProtectHome=yes", "ProtectHme=yes")
        self.assertFinds(verify(typo), "ProtectHme")
        missing = self.mutated("tandem-roster.service", "/opt/tandem/bin/roster ",
                               "/opt/tandem/bin/no-such-binary ")
        self.assertFinds(verify(missing), "no-such-binary")
        typo = self.mutated("tandem-gateway.service", "ProtectClock=yes", "ProtectClok=yes")
        self.assertFinds(verify(typo), "ProtectClok")

    @unittest.skipIf(SYSTEMD_ANALYZE is None, "systemd-analyze is not installed")
    def test_security_can_fail(self):
        text = self.units["tandem-directory.service"]
        loose = text[:text.index("# Sandboxing")] + text[text.index("[Install]"):]
        self.assertFinds(security({"tandem-directory.service": loose}), "security (exit")
        text = self.units["tandem-gateway.service"]
        loose = text[:text.index("# Sandboxing")] + text[text.index("[Install]"):]
        self.assertFinds(security({"tandem-gateway.service": loose}), "security (exit")


if __name__ == "__main__":
    if SYSTEMD_ANALYZE is None:
        print("SKIP: systemd-analyze is not installed (Debian package systemd)",
              file=sys.stderr)
        sys.exit(77)
    unittest.main()
