// Starts the real Tandem system for browser tests, the way scripts/start
// does, but hermetic: a development PKI made by deploy/dev-pki in a fresh
// temp dir, directory, booking, followup and roster with TLS, the token key
// and an audit trail each, every one on 127.0.0.1 port 0 with --port_file,
// then the gateway in front of them serving clients/web/dist with
// development sign-in. Only 127.0.0.1: a fresh chroot does not resolve
// localhost.
//
// Where the binaries are comes from the environment, as CTest passes it
// (tests/web/CMakeLists.txt):
//   TANDEM_DIRECTORY_BINARY, TANDEM_BOOKING_BINARY, TANDEM_FOLLOWUP_BINARY,
//   TANDEM_ROSTER_BINARY, TANDEM_GATEWAY_BINARY, TANDEM_TANDEMCTL_BINARY,
//   TANDEM_DEV_PKI (deploy/dev-pki), TANDEM_WEB_ROOT (clients/web/dist).
//
//   const system = await startSystem();
//   try { ... system.consoleUrl ... await system.ctl(["demo", "seed"]) }
//   finally { await system.stop(); }
//
// stop() ends every process this harness started, by PID (SIGTERM, then
// SIGKILL after a grace period); so does the exit of the test process.
// system.logTail() gives the end of every service's log for a failure
// message; the temp dir is kept when TANDEM_KEEP_TMP is set.
import { spawn, execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The environment variable `name`, or a failure that says what is missing. */
export function requiredPath(name, hint) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (${hint}); run through ctest -R web`);
  if (!fs.existsSync(value)) throw new Error(`${name}=${value} does not exist (${hint})`);
  return value;
}

export function binariesFromEnv() {
  const build = "built by ninja (scripts/build)";
  return {
    directory: requiredPath("TANDEM_DIRECTORY_BINARY", build),
    booking: requiredPath("TANDEM_BOOKING_BINARY", build),
    followup: requiredPath("TANDEM_FOLLOWUP_BINARY", build),
    roster: requiredPath("TANDEM_ROSTER_BINARY", build),
    gateway: requiredPath("TANDEM_GATEWAY_BINARY", build),
    tandemctl: requiredPath("TANDEM_TANDEMCTL_BINARY", build),
    devPki: requiredPath("TANDEM_DEV_PKI", "deploy/dev-pki in the source tree"),
    webRoot: requiredPath("TANDEM_WEB_ROOT", "clients/web/dist; scripts/build builds the console"),
  };
}

// Every child of every system in this process, so that a crash of the test
// itself still ends them.
const live = new Set();
process.on("exit", () => {
  for (const child of live) {
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

async function waitForPortFile(file, child, name, logFile, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before listening:\n${tail(logFile)}`);
    }
    try {
      const port = fs.readFileSync(file, "utf8").trim();
      if (port) return Number(port);
    } catch {
      // not there yet
    }
    await sleep(50);
  }
  throw new Error(`${name} wrote no port file within ${timeoutMs} ms:\n${tail(logFile)}`);
}

function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Starts the four services and the gateway. Options: `binaries` (default
 * from the environment), `serviceFlags` ({booking: ["--hold_duration=1h"]}),
 * `gatewayFlags`.
 */
export async function startSystem(options = {}) {
  const bin = options.binaries ?? binariesFromEnv();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-web-"));
  const pki = path.join(tmp, "pki");
  await execFileP(bin.devPki, [pki]);
  const processes = []; // {name, child, log}
  const addresses = {};

  const start = async (name, binary, args) => {
    const log = path.join(tmp, `${name}.log`);
    const portFile = path.join(tmp, `${name}.port`);
    const fd = fs.openSync(log, "a");
    const child = spawn(binary, [`--port_file=${portFile}`, ...args], {
      stdio: ["ignore", fd, fd],
      cwd: tmp,
    });
    fs.closeSync(fd);
    live.add(child);
    child.on("exit", () => live.delete(child));
    processes.push({ name, child, log });
    const port = await waitForPortFile(portFile, child, name, log);
    addresses[name] = `127.0.0.1:${port}`;
  };

  const service = async (name, binary, extra, stateless = false) => {
    const args = [
      "--listen=127.0.0.1:0",
      `--tls_cert=${pki}/${name}.crt`,
      `--tls_key=${pki}/${name}.key`,
      `--tls_ca=${pki}/ca.crt`,
      `--jwt_public_key=${pki}/jwt-dev.pub`,
      `--audit_db=${path.join(tmp, `${name}.audit.db`)}`,
      ...(stateless ? [] : [`--db=${path.join(tmp, `${name}.db`)}`]),
      ...extra,
      ...(options.serviceFlags?.[name] ?? []),
    ];
    await start(name, binary, args);
  };

  const system = {
    tmp,
    pki,
    addresses,
    consoleUrl: "",
    processes,
    /** The end of every process's log, for failure messages. */
    logTail(lines = 25) {
      return processes.map((p) => `--- ${p.name} (${p.log}) ---\n${tail(p.log, lines)}`).join("\n");
    },
    /** Ends every process, by PID: SIGTERM, then SIGKILL after 10 s. */
    async stop() {
      const exits = [];
      for (const { name, child } of [...processes].reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) {
          exits.push({ name, code: child.exitCode, signal: child.signalCode, early: true });
          continue;
        }
        const done = new Promise((r) => child.once("exit", (code, signal) => r({ name, code, signal })));
        child.kill("SIGTERM");
        const result = await Promise.race([done, sleep(10000).then(() => null)]);
        if (result) {
          exits.push(result);
        } else {
          child.kill("SIGKILL");
          exits.push({ name, code: null, signal: "SIGKILL", hung: true });
        }
      }
      if (!process.env.TANDEM_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
      return exits;
    },
    /** tandemctl against this system; resolves {code, stdout, stderr}. */
    async ctl(args, { expect = 0, timeoutMs = 60000 } = {}) {
      const env = {
        ...process.env,
        HOME: tmp,
        XDG_STATE_HOME: path.join(tmp, "state"),
        TANDEM_DIRECTORY: addresses.directory,
        TANDEM_BOOKING: addresses.booking,
        TANDEM_FOLLOWUP: addresses.followup,
        TANDEM_ROSTER: addresses.roster,
        TANDEM_PKI: pki,
      };
      delete env.TANDEMCTL_CONFIG;
      let result;
      try {
        const { stdout, stderr } = await execFileP(bin.tandemctl, args, { env, timeout: timeoutMs });
        result = { code: 0, stdout, stderr };
      } catch (err) {
        result = { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? String(err) };
      }
      if (expect !== null && result.code !== expect) {
        throw new Error(`tandemctl ${args.join(" ")} exited ${result.code}, wanted ${expect}\n${result.stdout}${result.stderr}`);
      }
      return result;
    },
    /** tandemctl --output json ARGS, parsed. */
    async ctlJson(args) {
      return JSON.parse((await system.ctl(["--output", "json", ...args])).stdout);
    },
  };

  try {
    await service("directory", bin.directory, []);
    await service("booking", bin.booking, [`--directory=${addresses.directory}`]);
    await service("followup", bin.followup, [
      `--booking=${addresses.booking}`,
      `--directory=${addresses.directory}`,
      `--outbox_dir=${path.join(tmp, "outbox")}`,
    ]);
    // Calendar subscriptions are signed with this key (as scripts/start does).
    const feedKey = path.join(tmp, "calendar-feed.key");
    fs.writeFileSync(feedKey, crypto.randomBytes(32), { mode: 0o600 });
    await service(
      "roster",
      bin.roster,
      [
        `--directory=${addresses.directory}`,
        `--booking=${addresses.booking}`,
        `--followup=${addresses.followup}`,
        `--calendar_feed_key_file=${feedKey}`,
      ],
      true,
    );
    await start("gateway", bin.gateway, [
      "--listen=127.0.0.1:0",
      `--tls_ca=${pki}/ca.crt`,
      `--directory=${addresses.directory}`,
      `--booking=${addresses.booking}`,
      `--followup=${addresses.followup}`,
      `--roster=${addresses.roster}`,
      `--dev_token_key=${pki}/jwt-dev.key`,
      `--web_root=${bin.webRoot}`,
      ...(options.gatewayFlags ?? []),
    ]);
    system.consoleUrl = `http://${addresses.gateway}/`;
    // Booking answers NOT_SERVING until its directory replica is complete:
    // wait until a call through it works.
    const deadline = Date.now() + 20000;
    for (;;) {
      const r = await system.ctl(["templates", "list"], { expect: null });
      if (r.code === 0) break;
      if (Date.now() > deadline) throw new Error(`booking never answered: ${r.stderr}\n${system.logTail()}`);
      await sleep(100);
    }
  } catch (err) {
    const logs = system.logTail();
    await system.stop();
    err.message += `\n${logs}`;
    throw err;
  }
  return system;
}
