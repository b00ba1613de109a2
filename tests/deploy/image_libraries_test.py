#!/usr/bin/python3
"""Checks that deploy/Dockerfile's run stage installs every shared library
the built binaries load.

Usage: image_libraries_test.py DOCKERFILE BINARY...

Without a Docker daemon the image is never started here, so a missing
runtime package would only show when a clinic starts it ("error while
loading shared libraries"). This test asks the build machine instead: ldd
names each binary's libraries, dpkg -S the Debian packages that ship them,
and apt-cache what the run stage's `apt-get install` list pulls in (with
the packages every bookworm-slim image has). The build machine is bookworm,
like both stages, so the names agree. The Mutations test drops a package
from the list to show that the check can fail. Exits 77 (skipped) when the
machine cannot answer: no ldd, dpkg or apt-cache, or no package lists.
"""
import os
import re
import shutil
import subprocess
import sys
import unittest

DOCKERFILE = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else "deploy/Dockerfile")
BINARIES = []
while len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
    BINARIES.append(os.path.abspath(sys.argv.pop(1)))

# What debian:bookworm-slim already holds, as far as libraries go: apt and
# what it depends on (libc6, libstdc++6, libgcc-s1, zlib1g, ...).
BASE = ["apt"]


def run_stage_packages(text):
    """The packages the last stage's `apt-get install` names."""
    stages = re.split(r"^FROM\s", re.sub(r"\\\n", " ", text), flags=re.M)
    packages = []
    for line in stages[-1].splitlines():
        if not line.strip().upper().startswith("RUN"):
            continue
        for command in re.split(r"&&|;", line):
            words = command.split()
            if "apt-get" in words and "install" in words:
                after = words[words.index("install") + 1:]
                packages += [w for w in after if not w.startswith("-")]
    return packages


def libraries_of(binaries):
    """{binary name: [library paths]} as ldd resolves them."""
    found = {}
    for binary in binaries:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True,
                             check=True).stdout
        found[os.path.basename(binary)] = re.findall(r"=>\s+(/\S+)", out)
    return found


def package_owners(paths):
    """{path: Debian package or None}, from one dpkg -S call: dpkg knows a
    library by the path its package installed, the resolved one or not."""
    candidates = sorted({c for p in paths for c in (p, os.path.realpath(p))})
    out = subprocess.run(["dpkg", "-S"] + candidates, capture_output=True, text=True).stdout
    owners = {}
    for line in out.splitlines():
        package, _, path = line.partition(": ")
        owners[path.strip()] = package.split(":")[0]  # drop ":amd64"
    return {p: owners.get(p) or owners.get(os.path.realpath(p)) for p in paths}


def closure(packages):
    """`packages` and everything they depend on (no recommends)."""
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
         "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + packages,
        capture_output=True, text=True).stdout
    return {line.split(":")[0] for line in out.splitlines()
            if line and not line.startswith(" ") and not line.startswith("<")}


def check_libraries(available, needed):
    """Problems: libraries whose package is not among `available` (what the
    run stage's list and the base image bring). `needed` maps binary ->
    {library: package}."""
    problems = []
    for binary, libraries in sorted(needed.items()):
        for library, package in sorted(libraries.items()):
            if package is None:
                problems.append(f"{binary}: {library} belongs to no Debian package")
            elif package not in available:
                problems.append(f"{binary}: {library} needs {package}, which the "
                                "run stage does not install")
    return problems


def machine_can_answer():
    if not all(shutil.which(t) for t in ("ldd", "dpkg", "apt-cache")):
        return False
    policy = subprocess.run(["apt-cache", "policy", "libc6"], capture_output=True, text=True)
    return "Candidate:" in policy.stdout and "(none)" not in policy.stdout


def needed_libraries():
    libraries = libraries_of(BINARIES)
    owners = package_owners([p for paths in libraries.values() for p in paths])
    return {binary: {p: owners[p] for p in paths} for binary, paths in libraries.items()}


class ImageLibraries(unittest.TestCase):
    def test_run_stage_installs_every_library(self):
        self.assertTrue(BINARIES, "pass the built binaries")
        with open(DOCKERFILE) as f:
            installed = run_stage_packages(f.read())
        self.assertIn("libgrpc++1.51", installed)  # the parser found the list
        self.assertEqual(check_libraries(closure(installed + BASE), needed_libraries()), [])


class Mutations(unittest.TestCase):
    def test_check_can_fail(self):
        with open(DOCKERFILE) as f:
            installed = run_stage_packages(f.read())
        needed = needed_libraries()
        for package in ("libcpp-httplib0.11", "libgrpc++1.51"):
            self.assertIn(package, installed)
            fewer = closure([p for p in installed if p != package] + BASE)
            problems = check_libraries(fewer, needed)
            self.assertTrue(any(f"needs {package}" in p for p in problems), problems)


if __name__ == "__main__":
    if not machine_can_answer():
        print("SKIP: needs ldd, dpkg and apt-cache with package lists", file=sys.stderr)
        sys.exit(77)
    unittest.main()
