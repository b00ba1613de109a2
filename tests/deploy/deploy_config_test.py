#!/usr/bin/python3
"""Checks deploy/: compose.yaml, every Kubernetes manifest and the Dockerfile.

Usage: deploy_config_test.py DEPLOY_DIR [DEV_PKI_SCRIPT]

Every workload (compose service, StatefulSet, Deployment: the four services
and the web console's gateway) has a gRPC health probe, runs as a fixed
non-root user, has resource limits, and keeps its data on a volume (the
gateway keeps none); the NetworkPolicies allow exactly the calls the
architecture makes (plus clients to every API port and to the console);
the Dockerfile's build stage runs the repository's own scripts/install-deps
and scripts/build, and the image holds every binary and the built console,
which the gateway is pointed at.
Each check is a function that returns the problems it finds; the Mutations
tests feed it broken copies to show that it can fail.
"""
import copy
import glob
import os
import re
import subprocess
import sys
import tempfile
import unittest

import yaml

DEPLOY = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else "deploy")
DEV_PKI = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(DEPLOY, "dev-pki")

SERVICES = ["directory", "booking", "followup", "roster"]
GATEWAY = "gateway"  # the web console: HTTPS to browsers, gRPC to SERVICES
WORKLOADS = SERVICES + [GATEWAY]
# The port each workload listens on (--listen): gRPC, or the console's HTTPS.
PORTS = {"directory": 7001, "booking": 7002, "followup": 7003, "roster": 7004,
         GATEWAY: 8443}
# What each Kubernetes Service offers: the same, but 443 for the browsers.
SERVICE_PORTS = {**PORTS, GATEWAY: 443}
METRICS_PORT = 9090  # every pod and container serves GET /metrics here
# Who calls whom (README, Security: --peer_services; the gateway forwards
# the console's calls to every service).
CALLS = {
    ("booking", "directory"),
    ("followup", "booking"),
    ("followup", "directory"),
    ("roster", "directory"),
    ("roster", "booking"),
    ("roster", "followup"),
} | {(GATEWAY, s) for s in SERVICES}
# Files each workload reads from secrets: the services check users' tokens,
# the gateway only passes them on.
SECRET_FLAGS = {name: ("tls_cert", "tls_key", "tls_ca", "jwt_public_key")
                for name in SERVICES}
SECRET_FLAGS[GATEWAY] = ("tls_cert", "tls_key", "tls_ca")
# The roster signs calendar subscription addresses with a key of its own.
SECRET_FLAGS["roster"] += ("calendar_feed_key_file",)
# Services that own a database (the roster keeps only its audit trail).
DATABASES = {"directory", "booking", "followup"}
CLIENT = "clients"  # the label-selected API clients and the ingress namespace
NAME_LABEL = "app.kubernetes.io/name"


def load_compose():
    with open(os.path.join(DEPLOY, "compose.yaml")) as f:
        return yaml.safe_load(f)


def load_k8s():
    """Every document of every deploy/k8s/*.yaml except the secret files."""
    docs = []
    for path in sorted(glob.glob(os.path.join(DEPLOY, "k8s", "*.yaml"))):
        if os.path.basename(path).startswith("secret-pki") or \
                os.path.basename(path) == "kustomization.yaml":
            continue
        with open(path) as f:
            docs += [d for d in yaml.safe_load_all(f) if d]
    return docs


def workloads(docs):
    return [d for d in docs if d["kind"] in ("StatefulSet", "Deployment")]


def flag(args, name):
    """The value of --name=VALUE in a command line, or None; the last one
    when given twice, as Abseil's flag parser takes it."""
    for arg in reversed(args):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return None


def port_of(address):
    """The port of HOST:PORT as an int, or None."""
    try:
        return int(address.rsplit(":", 1)[1])
    except (AttributeError, IndexError, ValueError):
        return None


def console_dir():
    """Where the Dockerfile puts the built console in the image."""
    with open(os.path.join(DEPLOY, "Dockerfile")) as f:
        return image_console_dir(f.read())


def workload_problems(name, args):
    """What every deployment form must get right about one workload's flags:
    no development sign-in anywhere, and the gateway serving the console
    the image holds."""
    problems = []
    if flag(args, "dev_token_key") is not None:
        problems.append(f"{name}: --dev_token_key (development sign-in) in production")
    if name == GATEWAY:
        web_root = (flag(args, "web_root") or "").rstrip("/")
        if web_root != console_dir():
            problems.append(f"{name}: --web_root={web_root} is not the image's "
                            f"console {console_dir()}")
        for service in SERVICES:
            if port_of(flag(args, service)) != PORTS[service]:
                problems.append(f"{name}: --{service} is not its port {PORTS[service]}")
    return problems


# ---- compose.yaml -----------------------------------------------------------

def volume_sources(svc):
    return {v.split(":")[0] if isinstance(v, str) else v.get("source")
            for v in svc.get("volumes") or []}


def check_compose(compose):
    problems = []
    services = compose.get("services", {})
    if sorted(services) != sorted(WORKLOADS):
        problems.append(f"compose services {sorted(services)} != {WORKLOADS}")
    named_volumes = set((compose.get("volumes") or {}).keys())
    for name, svc in services.items():
        command = svc.get("command") or []
        test = (svc.get("healthcheck") or {}).get("test") or []
        if "tandem-probe" not in test or svc["healthcheck"].get("disable"):
            problems.append(f"{name}: no tandem-probe healthcheck")
        health = flag(command, "health_listen")
        if not health or not any(health in str(t) for t in test):
            problems.append(f"{name}: healthcheck does not probe --health_listen")
        metrics = flag(command, "metrics_listen")
        published = [str(p) for p in svc.get("ports") or []]
        if not metrics or not any(p.endswith(":" + metrics.rsplit(":", 1)[1])
                                  for p in published):
            problems.append(f"{name}: --metrics_listen is not published")
        if port_of(flag(command, "listen")) != PORTS.get(name) or not any(
                p.endswith(f":{PORTS[name]}") for p in published):
            problems.append(f"{name}: --listen port {PORTS.get(name)} is not published")
        problems += workload_problems(name, command)
        user = str(svc.get("user", ""))
        if not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user) or user.startswith("0"):
            problems.append(f"{name}: user {user!r} is not a fixed non-root uid")
        limits = (((svc.get("deploy") or {}).get("resources") or {})
                  .get("limits") or {})
        if not limits.get("memory") or not limits.get("cpus"):
            problems.append(f"{name}: no cpu and memory limits")
        if svc.get("restart") not in ("always", "unless-stopped", "on-failure"):
            problems.append(f"{name}: no restart policy")
        # Data on the service's own named volume, where the flags put it.
        mounts = {}
        for v in svc.get("volumes") or []:
            source, target = (v.split(":")[:2] if isinstance(v, str)
                              else (v.get("source"), v.get("target")))
            mounts[target] = source
        paths = [p for p in (flag(command, "db"), flag(command, "audit_db")) if p]
        if name in DATABASES and not flag(command, "db"):
            problems.append(f"{name}: no --db")
        for path in paths:
            owner = [t for t in mounts if path.startswith(t.rstrip("/") + "/")]
            if not owner or mounts[owner[0]] not in named_volumes:
                problems.append(f"{name}: {path} is not on a named volume")
        for other in services:
            if other != name and set(mounts.values()) & volume_sources(services[other]):
                problems.append(f"{name}: shares a volume with {other}")
        # TLS from secrets, never plaintext on the network.
        for tls in SECRET_FLAGS.get(name, ()):
            value = flag(command, tls)
            targets = {f"/run/secrets/{s['target'] if isinstance(s, dict) else s}"
                       for s in svc.get("secrets") or []}
            if value not in targets:
                problems.append(f"{name}: --{tls} is not a mounted secret")
        # Start order: after each service it calls, once that one is healthy.
        depends = svc.get("depends_on") or {}
        for caller, callee in CALLS:
            if caller == name and (
                    not isinstance(depends, dict)
                    or (depends.get(callee) or {}).get("condition") != "service_healthy"):
                problems.append(f"{name}: no depends_on {callee}: service_healthy")
    return problems


# ---- Kubernetes ---------------------------------------------------------------

def pod_problems(name, kind, spec, docs):
    problems = []
    pod = spec["template"]["spec"]
    pod_security = pod.get("securityContext") or {}
    containers = pod.get("containers") or []
    if not containers:
        return [f"{name}: no containers"]
    claim_volumes = {v["name"] for v in pod.get("volumes") or []
                     if "persistentVolumeClaim" in v}
    claim_volumes |= {t["metadata"]["name"]
                      for t in spec.get("volumeClaimTemplates") or []}
    for c in containers:
        security = c.get("securityContext") or {}
        run_as_user = security.get("runAsUser", pod_security.get("runAsUser"))
        if not (security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
                and isinstance(run_as_user, int) and run_as_user > 0):
            problems.append(f"{name}: not runAsNonRoot with a non-zero runAsUser")
        if not security.get("readOnlyRootFilesystem"):
            problems.append(f"{name}: root filesystem not read-only")
        if security.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation not false")
        if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
            problems.append(f"{name}: capabilities not all dropped")
        resources = c.get("resources") or {}
        for part in ("requests", "limits"):
            values = resources.get(part) or {}
            if not values.get("cpu") or not values.get("memory"):
                problems.append(f"{name}: no cpu and memory {part}")
        args = (c.get("command") or []) + (c.get("args") or [])
        problems += workload_problems(name, args)
        if port_of(flag(args, "listen")) != PORTS.get(name):
            problems.append(f"{name}: --listen is not port {PORTS.get(name)}")
        health = flag(args, "health_listen")
        health_port = int(health.rsplit(":", 1)[1]) if health else None
        for probe in ("livenessProbe", "readinessProbe"):
            grpc = (c.get(probe) or {}).get("grpc") or {}
            if not grpc or grpc.get("port") != health_port:
                problems.append(f"{name}: {probe} is not gRPC on --health_listen")
        if health and not health.startswith("0.0.0.0:"):
            problems.append(f"{name}: the kubelet cannot reach --health_listen={health}")
        metrics = flag(args, "metrics_listen")
        declared = {p.get("containerPort") for p in c.get("ports") or []}
        annotations = spec["template"]["metadata"].get("annotations") or {}
        if (not metrics or not metrics.startswith("0.0.0.0:")
                or int(metrics.rsplit(":", 1)[1]) not in declared
                or annotations.get("prometheus.io/port") != metrics.rsplit(":", 1)[1]):
            problems.append(f"{name}: --metrics_listen is not a declared, "
                            "annotated container port")
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
        paths = [p for p in (flag(args, "db"), flag(args, "audit_db")) if p]
        if name in DATABASES and not flag(args, "db"):
            problems.append(f"{name}: no --db")
        for path in paths:
            owner = [m for m in mounts if path.startswith(m.rstrip("/") + "/")]
            if not owner or mounts[owner[0]] not in claim_volumes:
                problems.append(f"{name}: {path} is not on a PersistentVolumeClaim")
    if name in DATABASES:
        if kind != "StatefulSet" or spec.get("replicas") != 1:
            problems.append(f"{name}: SQLite needs a StatefulSet with replicas: 1")
    if name == GATEWAY:
        if kind != "Deployment" or claim_volumes:
            problems.append(f"{name}: not a stateless Deployment")
        if (spec.get("replicas") or 1) < 2:
            problems.append(f"{name}: one replica: the console goes down with its pod")
    return problems


def check_k8s(docs):
    problems = []
    found = {}
    for w in workloads(docs):
        name = w["metadata"]["name"]
        found[name] = w["kind"]
        problems += pod_problems(name, w["kind"], w["spec"], docs)
        labels = w["spec"]["template"]["metadata"]["labels"]
        if labels.get(NAME_LABEL) != name:
            problems.append(f"{name}: pods not labelled {NAME_LABEL}={name}")
    if sorted(found) != sorted(WORKLOADS):
        problems.append(f"workloads {sorted(found)} != {WORKLOADS}")
    if found.get("roster") != "Deployment":
        problems.append("roster: not a Deployment")
    services = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Service"}
    for name in WORKLOADS:
        ports = (services.get(name) or {}).get("spec", {}).get("ports", [])
        if [p["port"] for p in ports] != [SERVICE_PORTS[name]]:
            problems.append(f"{name}: Service ports {[p['port'] for p in ports]} "
                            f"!= [{SERVICE_PORTS[name]}]")
        # The Service leads to the port the workload listens on.
        workload = next((w for w in workloads(docs) if w["metadata"]["name"] == name), None)
        if workload and ports:
            target = ports[0].get("targetPort", ports[0]["port"])
            declared = {p.get("name"): p.get("containerPort")
                        for c in workload["spec"]["template"]["spec"]["containers"]
                        for p in c.get("ports") or []}
            if declared.get(target, target) != PORTS[name]:
                problems.append(f"{name}: Service targetPort {target} is not {PORTS[name]}")
    return problems


def selector_peer(peer):
    """Who a NetworkPolicy peer selects: a service name, CLIENT, or '?'."""
    pods = (peer.get("podSelector") or {}).get("matchLabels") or {}
    if "namespaceSelector" in peer and not pods:
        labels = peer["namespaceSelector"].get("matchLabels") or {}
        if labels.get("tandem.clinic/ingress") == "true":
            return CLIENT
        if labels.get("kubernetes.io/metadata.name") == "kube-system":
            return "dns"
        if labels.get("tandem.clinic/monitoring") == "true":
            return "monitoring"
        return "?"
    if "namespaceSelector" in peer or "ipBlock" in peer:
        return "external" if "ipBlock" in peer else "?"
    if pods.get("tandem.clinic/api-client") == "true":
        return CLIENT
    return pods.get(NAME_LABEL, "?")


def policy_edges(docs):
    """(ingress, egress) sets of (from, to, port) the NetworkPolicies allow
    between Tandem's pods and their clients; '*' for a whole namespace."""
    ingress, egress = set(), set()
    default_deny = set()
    for d in docs:
        if d["kind"] != "NetworkPolicy":
            continue
        spec = d["spec"]
        target = (spec.get("podSelector") or {}).get("matchLabels") or {}
        types = spec.get("policyTypes") or []
        if not target:
            if not spec.get("ingress") and not spec.get("egress"):
                default_deny |= set(types)
                continue
            to = "*"
        else:
            to = target.get(NAME_LABEL, "*" if target.get("app.kubernetes.io/part-of") else "?")
        for rule in spec.get("ingress") or []:
            peers = [selector_peer(p) for p in rule.get("from") or [{}]] if rule.get("from") else ["any"]
            ports = [p.get("port") for p in rule.get("ports") or [{}]]
            for peer in peers:
                for port in ports:
                    ingress.add((peer, to, port))
        for rule in spec.get("egress") or []:
            peers = [selector_peer(p) for p in rule.get("to") or [{}]] if rule.get("to") else ["any"]
            ports = [p.get("port") for p in rule.get("ports") or [{}]]
            for peer in peers:
                for port in ports:
                    egress.add((to, peer, port))
    return ingress, egress, default_deny


def check_network_policy(docs):
    problems = []
    ingress, egress, default_deny = policy_edges(docs)
    if default_deny != {"Ingress", "Egress"}:
        problems.append(f"no default deny of Ingress and Egress (have {default_deny})")
    want_in = {(a, b, PORTS[b]) for a, b in CALLS}
    want_in |= {(CLIENT, s, PORTS[s]) for s in WORKLOADS}
    want_in.add(("monitoring", "*", METRICS_PORT))  # Prometheus scrapes
    if ingress != want_in:
        problems.append(f"ingress allows {sorted(ingress - want_in)} beyond the "
                        f"architecture and lacks {sorted(want_in - ingress)}")
    internal = {e for e in egress if e[1] in SERVICES}
    want_out = {(a, b, PORTS[b]) for a, b in CALLS}
    if internal != want_out:
        problems.append(f"egress allows {sorted(internal - want_out)} beyond the "
                        f"architecture and lacks {sorted(want_out - internal)}")
    for source, peer, port in egress - internal:
        if peer == "dns" and port == 53 and source == "*":
            continue
        if source == "followup" and peer == "external" and port in (25, 465, 587, 443):
            continue  # reminders: SMTP and the SMS webhook
        problems.append(f"unexpected egress {source} -> {peer}:{port}")
    return problems


def secret_problems(secret_docs, docs):
    """The Secrets the pods mount exist with the keys the flags read."""
    problems = []
    secrets = {d["metadata"]["name"]: d for d in secret_docs if d and d["kind"] == "Secret"}
    for w in workloads(docs):
        pod = w["spec"]["template"]["spec"]
        for volume in pod.get("volumes") or []:
            if "secret" not in volume:
                continue
            secret = secrets.get(volume["secret"]["secretName"])
            if secret is None:
                problems.append(f"{w['metadata']['name']}: Secret "
                                f"{volume['secret']['secretName']} missing")
                continue
            mount = [m["mountPath"] for c in pod["containers"]
                     for m in c.get("volumeMounts") or [] if m["name"] == volume["name"]]
            args = [a for c in pod["containers"] for a in (c.get("args") or [])]
            for arg in args:
                value = arg.split("=", 1)[-1]
                for path in mount:
                    if value.startswith(path + "/") and \
                            value[len(path) + 1:] not in (secret.get("data") or {}):
                        problems.append(f"{w['metadata']['name']}: {arg} not in "
                                        f"Secret {secret['metadata']['name']}")
    return problems


# ---- Dockerfile ----------------------------------------------------------------

def dockerfile_stages(text):
    """[(base image, alias, [instructions])] with continuation lines joined."""
    stages = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            parts = rest.split()
            alias = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append((parts[0], alias, []))
        elif stages:
            stages[-1][2].append((word.upper(), rest.strip()))
    return stages


def image_console_dir(text):
    """The run stage's destination of the console COPY'd from the build
    stage (COPY --from=build /console/ DEST), or None."""
    stages = dockerfile_stages(text)
    if len(stages) < 2:
        return None
    for word, rest in stages[-1][2]:
        parts = rest.split()
        if word == "COPY" and f"--from={stages[0][1]}" in parts and \
                len(parts) == 3 and parts[1].rstrip("/") == "/console":
            return parts[2].rstrip("/")
    return None


def check_dockerfile(text):
    problems = []
    stages = dockerfile_stages(text)
    if len(stages) < 2:
        return ["not a multi-stage build"]
    build, run = stages[0], stages[-1]
    if build[0] != "debian:bookworm":
        problems.append(f"build stage from {build[0]}, not debian:bookworm")
    if run[0] != "debian:bookworm-slim":
        problems.append(f"run stage from {run[0]}, not debian:bookworm-slim")
    commands = " && ".join(rest for word, rest in build[2] if word == "RUN")
    steps = [s.strip() for s in re.split(r"&&|;", commands)]
    if "scripts/install-deps" not in steps:
        problems.append("the build stage does not run scripts/install-deps")
    if "scripts/build" not in steps:
        problems.append("the build stage does not run scripts/build")
    elif "scripts/install-deps" in steps and \
            steps.index("scripts/build") < steps.index("scripts/install-deps"):
        problems.append("scripts/build runs before scripts/install-deps")
    run_text = " ".join(rest for word, rest in run[2] if word == "RUN")
    if re.search(r"\S+-dev\b", run_text) or "g++" in run_text:
        problems.append("the run stage installs build tools or -dev packages")
    users = [rest for word, rest in run[2] if word == "USER"]
    if not users or not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", users[-1]):
        problems.append("the run stage does not end as a fixed non-root USER")
    if not any(word == "VOLUME" and "/var/lib/tandem" in rest for word, rest in run[2]):
        problems.append("no VOLUME for /var/lib/tandem")
    checks = [rest for word, rest in run[2] if word == "HEALTHCHECK"]
    if not checks or "tandem-probe" not in checks[-1]:
        problems.append("no HEALTHCHECK through tandem-probe")
    copied = " ".join(rest for word, rest in run[2] if word == "COPY")
    if f"--from={build[1]}" not in copied:
        problems.append("the run stage does not copy the binaries from the build stage")
    # Every binary, and the console scripts/build made (checked, not assumed).
    for binary in ("directory/directory", "booking/booking", "followup/followup",
                   "roster/roster", "gateway/gateway"):
        if f"build/services/{binary}" not in commands:
            problems.append(f"the image lacks build/services/{binary}")
    if "clients/web/dist/index.html" not in commands or \
            "clients/web/dist/. /console/" not in commands:
        problems.append("the build stage does not check and collect clients/web/dist")
    if image_console_dir(text) is None:
        problems.append("the run stage does not copy the console from the build stage")
    return problems


# ---- tests ---------------------------------------------------------------------

class Deploy(unittest.TestCase):
    def test_compose(self):
        self.assertEqual(check_compose(load_compose()), [])

    def test_kubernetes_workloads(self):
        self.assertEqual(check_k8s(load_k8s()), [])

    def test_network_policy_allows_exactly_the_architecture(self):
        self.assertEqual(check_network_policy(load_k8s()), [])

    def test_dockerfile_builds_with_the_repositorys_scripts(self):
        with open(os.path.join(DEPLOY, "Dockerfile")) as f:
            self.assertEqual(check_dockerfile(f.read()), [])

    def test_kustomization_lists_every_manifest(self):
        with open(os.path.join(DEPLOY, "k8s", "kustomization.yaml")) as f:
            kustomization = yaml.safe_load(f)
        listed = set(kustomization["resources"])
        present = {os.path.basename(p) for p in glob.glob(os.path.join(DEPLOY, "k8s", "*.yaml"))}
        present -= {"kustomization.yaml", "secret-pki.example.yaml"}
        self.assertEqual(listed - {"secret-pki.yaml"}, present - {"secret-pki.yaml"})
        self.assertIn("secret-pki.yaml", listed)

    def test_secrets_example_and_generator_match_the_mounts(self):
        with open(os.path.join(DEPLOY, "k8s", "secret-pki.example.yaml")) as f:
            example = list(yaml.safe_load_all(f))
        # The example shows one service's Secret; the generator makes all.
        directory_only = [w for w in load_k8s() if w["metadata"]["name"] == "directory"
                          or w["kind"] not in ("StatefulSet", "Deployment")]
        self.assertEqual(secret_problems(example, directory_only), [])
        with tempfile.TemporaryDirectory() as pki:
            subprocess.run([DEV_PKI, pki], check=True, stdout=subprocess.DEVNULL)
            made = subprocess.run([os.path.join(DEPLOY, "k8s", "pki-secrets"), pki],
                                  check=True, capture_output=True, text=True).stdout
        generated = list(yaml.safe_load_all(made))
        self.assertEqual(secret_problems(generated, load_k8s()), [])
        self.assertNotIn("PRIVATE KEY", made)  # base64, as Secrets want


class Mutations(unittest.TestCase):
    """Each check finds what it is there to find."""

    def assertFinds(self, problems, text):
        self.assertTrue(any(text in p for p in problems), f"{text!r} not in {problems}")

    def test_compose_checks_can_fail(self):
        base = load_compose()
        cases = [
            (lambda c: c["services"]["booking"].pop("healthcheck"), "booking: no tandem-probe"),
            (lambda c: c["services"]["roster"].__setitem__("user", "0:0"), "roster: user"),
            (lambda c: c["services"]["directory"].pop("user"), "directory: user"),
            (lambda c: c["services"]["followup"]["deploy"]["resources"].pop("limits"),
             "followup: no cpu and memory limits"),
            (lambda c: c["services"]["directory"].pop("volumes"),
             "directory: /var/lib/tandem/directory.db is not on a named volume"),
            (lambda c: c["services"]["booking"]["depends_on"].pop("directory"),
             "booking: no depends_on directory"),
            (lambda c: c["services"]["roster"]["depends_on"]["followup"].__setitem__(
                "condition", "service_started"), "roster: no depends_on followup"),
            (lambda c: c["services"]["booking"].pop("restart"), "booking: no restart"),
            (lambda c: c["services"].pop("followup"), "compose services"),
            (lambda c: c["services"]["booking"].__setitem__(
                "volumes", ["directory-data:/var/lib/tandem"]),
             "booking: shares a volume with directory"),
            (lambda c: c["services"]["roster"]["command"].__setitem__(
                2, "--health_listen=127.0.0.1:9999"), "roster: healthcheck does not probe"),
            (lambda c: c["services"]["followup"].__setitem__(
                "ports", ["127.0.0.1:7003:7003"]), "followup: --metrics_listen"),
            (lambda c: c["services"]["directory"]["secrets"].pop(2),
             "directory: --tls_key is not a mounted secret"),
            (lambda c: c["services"]["roster"]["secrets"].pop(),
             "roster: --calendar_feed_key_file is not a mounted secret"),
            # The gateway is a workload like the others.
            (lambda c: c["services"]["gateway"].pop("healthcheck"), "gateway: no tandem-probe"),
            (lambda c: c["services"]["gateway"]["depends_on"].pop("roster"),
             "gateway: no depends_on roster"),
            (lambda c: c["services"]["gateway"]["secrets"].pop(1),
             "gateway: --tls_cert is not a mounted secret"),
            (lambda c: c["services"]["gateway"].__setitem__("ports", ["127.0.0.1:9705:9090"]),
             "gateway: --listen port 8443 is not published"),
            (lambda c: c["services"]["gateway"]["command"].append(
                "--web_root=/var/lib/tandem/dist"), "gateway: --web_root=/var/lib/tandem/dist"),
            (lambda c: c["services"]["gateway"]["command"].append(
                "--dev_token_key=/run/secrets/jwt.key"), "gateway: --dev_token_key"),
            (lambda c: c["services"]["gateway"]["command"].__setitem__(
                6, "--booking=booking:7003"), "gateway: --booking is not its port"),
            (lambda c: c["services"]["gateway"]["deploy"]["resources"].pop("limits"),
             "gateway: no cpu and memory limits"),
            (lambda c: c["services"]["gateway"].__setitem__("user", "0"), "gateway: user"),
        ]
        for mutate, expected in cases:
            compose = copy.deepcopy(base)
            mutate(compose)
            self.assertFinds(check_compose(compose), expected)

    def test_kubernetes_checks_can_fail(self):
        base = load_k8s()

        def container(docs, name):
            return next(w for w in workloads(docs) if w["metadata"]["name"] == name
                        )["spec"]["template"]["spec"]["containers"][0]

        def pod(docs, name):
            return next(w for w in workloads(docs) if w["metadata"]["name"] == name)

        cases = [
            (lambda d: container(d, "booking").pop("readinessProbe"),
             "booking: readinessProbe"),
            (lambda d: container(d, "roster").pop("livenessProbe"), "roster: livenessProbe"),
            (lambda d: container(d, "directory")["securityContext"].pop("runAsNonRoot") and
             pod(d, "directory")["spec"]["template"]["spec"]["securityContext"].pop(
                 "runAsNonRoot"), "directory: not runAsNonRoot"),
            (lambda d: container(d, "followup")["securityContext"].__setitem__(
                "readOnlyRootFilesystem", False), "followup: root filesystem"),
            (lambda d: container(d, "followup")["securityContext"]["capabilities"].__setitem__(
                "drop", []), "followup: capabilities"),
            (lambda d: container(d, "roster")["resources"].pop("limits"),
             "roster: no cpu and memory limits"),
            (lambda d: pod(d, "booking")["spec"].pop("volumeClaimTemplates"),
             "booking: /var/lib/tandem/booking.db is not on a PersistentVolumeClaim"),
            (lambda d: container(d, "booking")["ports"].pop(), "booking: --metrics_listen"),
            (lambda d: pod(d, "roster")["spec"]["template"]["metadata"].pop("annotations"),
             "roster: --metrics_listen"),
            (lambda d: pod(d, "directory")["spec"].__setitem__("replicas", 2),
             "directory: SQLite needs"),
            (lambda d: pod(d, "roster").__setitem__("kind", "StatefulSet"),
             "roster: not a Deployment"),
            # The gateway is a workload like the others, and stateless.
            (lambda d: container(d, "gateway").pop("readinessProbe"),
             "gateway: readinessProbe"),
            (lambda d: container(d, "gateway").pop("livenessProbe"),
             "gateway: livenessProbe"),
            (lambda d: container(d, "gateway")["securityContext"].__setitem__(
                "allowPrivilegeEscalation", True), "gateway: allowPrivilegeEscalation"),
            (lambda d: container(d, "gateway")["resources"].pop("requests"),
             "gateway: no cpu and memory requests"),
            (lambda d: pod(d, "gateway").__setitem__("kind", "StatefulSet"),
             "gateway: not a stateless Deployment"),
            (lambda d: pod(d, "gateway")["spec"].__setitem__("replicas", 1),
             "gateway: one replica"),
            (lambda d: container(d, "gateway")["args"].append("--web_root=/tmp/dist"),
             "gateway: --web_root=/tmp/dist"),
            (lambda d: container(d, "gateway")["ports"][0].__setitem__("containerPort", 8080),
             "gateway: Service targetPort https is not 8443"),
            (lambda d: d.remove(next(x for x in d if x["kind"] == "Service"
                                     and x["metadata"]["name"] == "gateway")),
             "gateway: Service ports [] != [443]"),
            (lambda d: d.remove(pod(d, "gateway")), "workloads"),
        ]
        for mutate, expected in cases:
            docs = copy.deepcopy(base)
            mutate(docs)
            self.assertFinds(check_k8s(docs), expected)

    def test_network_policy_check_can_fail(self):
        base = load_k8s()

        def policy(docs, name):
            return next(d for d in docs if d["kind"] == "NetworkPolicy"
                        and d["metadata"]["name"] == name)

        extra_caller = {"podSelector": {"matchLabels": {NAME_LABEL: "directory"}}}
        cases = [
            # directory -> booking is not a call the architecture makes.
            (lambda d: policy(d, "booking")["spec"]["ingress"][0]["from"].append(
                extra_caller), "('directory', 'booking', 7002)"),
            # followup may no longer reach the directory.
            (lambda d: policy(d, "directory")["spec"]["ingress"][0]["from"].pop(1),
             "lacks [('followup', 'directory', 7001)]"),
            (lambda d: policy(d, "roster")["spec"]["egress"].pop(0),
             "lacks [('roster', 'directory', 7001)]"),
            (lambda d: policy(d, "roster")["spec"]["ingress"][1]["ports"].append(
                {"protocol": "TCP", "port": 8081}), "(clients, roster, 8081)".replace(
                    "clients", "'clients'").replace("roster", "'roster'")),
            (lambda d: d.remove(policy(d, "tandem-default-deny")), "no default deny"),
            (lambda d: d.remove(policy(d, "tandem-metrics")),
             "lacks [('monitoring', '*', 9090)]"),
            (lambda d: policy(d, "booking")["spec"]["egress"].append(
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}), "unexpected egress booking"),
            # The gateway's edges: to every service, and clients to it.
            (lambda d: policy(d, "gateway")["spec"]["egress"].pop(3),
             "lacks [('gateway', 'roster', 7004)]"),
            (lambda d: policy(d, "booking")["spec"]["ingress"][0]["from"].pop(2),
             "lacks [('gateway', 'booking', 7002)]"),
            (lambda d: policy(d, "roster")["spec"]["ingress"].pop(0),
             "lacks [('gateway', 'roster', 7004)]"),
            (lambda d: policy(d, "gateway")["spec"].pop("ingress"),
             "lacks [('clients', 'gateway', 8443)]"),
            (lambda d: policy(d, "gateway")["spec"]["egress"].append(
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}), "unexpected egress gateway"),
        ]
        for mutate, expected in cases:
            docs = copy.deepcopy(base)
            mutate(docs)
            self.assertFinds(check_network_policy(docs), expected)

    def test_dockerfile_check_can_fail(self):
        with open(os.path.join(DEPLOY, "Dockerfile")) as f:
            text = f.read()
        cases = [
            (text.replace("RUN scripts/install-deps \\\n && ", "RUN "),
             "does not run scripts/install-deps"),
            (text.replace(" && scripts/build \\\n", " \\\n"), "does not run scripts/build"),
            (text.replace("FROM debian:bookworm AS build", "FROM ubuntu:22.04 AS build"),
             "not debian:bookworm"),
            (text.replace("FROM debian:bookworm-slim AS run", "FROM debian:bookworm AS run"),
             "not debian:bookworm-slim"),
            (text.replace("USER 10001:10001", "USER root"), "non-root USER"),
            (text.replace('VOLUME ["/var/lib/tandem"]', ""), "no VOLUME"),
            (text.replace("libjwt0 ", "libjwt-dev "), "-dev packages"),
            (re.sub(r"HEALTHCHECK[^\n]*\\\n[^\n]*\n", "", text), "no HEALTHCHECK"),
            (text.replace("       build/services/gateway/gateway \\\n", ""),
             "lacks build/services/gateway/gateway"),
            (text.replace(" && test -s clients/web/dist/index.html \\\n", ""),
             "does not check and collect clients/web/dist"),
            (re.sub(r"COPY --from=build /console/[^\n]*\n", "", text),
             "does not copy the console"),
        ]
        for broken, expected in cases:
            self.assertNotEqual(broken, text, expected)
            self.assertFinds(check_dockerfile(broken), expected)

    def test_secret_check_can_fail(self):
        with open(os.path.join(DEPLOY, "k8s", "secret-pki.example.yaml")) as f:
            example = list(yaml.safe_load_all(f))
        del example[0]["data"]["tls.key"]
        directory_only = [w for w in load_k8s() if w["metadata"]["name"] == "directory"]
        self.assertFinds(secret_problems(example, directory_only),
                         "--tls_key=/etc/tandem/tls/tls.key not in Secret")
        self.assertFinds(secret_problems(example[1:], directory_only),
                         "Secret tandem-directory-tls missing")


if __name__ == "__main__":
    unittest.main()
