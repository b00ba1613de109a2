// The web console at size L (not a test): first load size and the time to
// show a week. Starts the real system with tests/web/harness.mjs (TLS,
// tokens, port 0), seeds a size-L clinic with a booked year through the gRPC
// APIs (seed_l.py: 200 therapists, 100 teams, 50 rooms, --bookings ten-day
// intensives from the first Monday after today) and waits until follow-up
// has planned them all and booked their contacts (as bench/roster does, so
// that nothing but the console's reads runs while timed), then in Debian's headless
// chromium:
//   1. first load: every response of a cold load of the console (HTML, JS,
//      CSS; not the API calls), bytes on the wire as served (the gateway
//      does not compress) and what gzip -9 of the same bytes would be;
//   2. the Week page: from the click ("Next week", or "Week" in the
//      navigation) to the grid rendered for the new week (the page's
//      "Loading..." seen and gone, the therapists' rows there, one animation
//      frame later), timed inside the page; median of --runs.
//
// Environment as for tests/web (TANDEM_*_BINARY, TANDEM_DEV_PKI,
// TANDEM_WEB_ROOT) plus TANDEM_PY_GEN_DIR (protoc's Python output for
// proto/, e.g. build/gen_py). Usage:
//   node bench/web/week_load.mjs [--bookings=2600] [--runs=5]
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { startSystem, requiredPath } from "../../tests/web/harness.mjs";
import { addDaysIso, clickAndWaitForWeek, devSignIn, instrument, launchBrowser, longDate, mondayOfIso, settle, todayIn } from "../../tests/web/console.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : def;
};
const bookings = Number(arg("bookings", "2600"));
const runs = Number(arg("runs", "5"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (n) => n.toLocaleString("en-GB");

const genPy = requiredPath("TANDEM_PY_GEN_DIR", "protoc's Python output, e.g. build/gen_py");
const system = await startSystem();
let browser;
try {
  const today = todayIn("Europe/London");
  const firstMonday = addDaysIso(mondayOfIso(today), 7);
  const token = (await system.ctl(["auth", "dev-token", "--role", "admin,coordinator", "--key", `${system.pki}/jwt-dev.key`])).stdout.trim();
  const t0 = Date.now();
  const seeded = await promisify(execFile)(
    "/usr/bin/python3",
    [path.join(here, "seed_l.py"), `--directory=${system.addresses.directory}`, `--booking=${system.addresses.booking}`,
      `--ca=${system.pki}/ca.crt`, `--token=${token}`, `--first-monday=${firstMonday}`, `--bookings=${bookings}`,
      `--followup=${system.addresses.followup}`],
    { env: { ...process.env, PYTHONPATH: genPy }, maxBuffer: 1 << 20, timeout: 3600_000 },
  );
  process.stdout.write(seeded.stdout);
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  browser = await launchBrowser();
  // 1. First load, cold cache.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "Europe/London" });
  const page = await context.newPage();
  instrument(page);
  const assets = [];
  page.on("response", async (res) => {
    const url = new URL(res.url());
    if (res.request().method() !== "GET" || url.pathname.startsWith("/auth/")) return;
    try {
      const body = await res.body();
      const sizes = await res.request().sizes();
      assets.push({
        path: url.pathname,
        type: res.headers()["content-type"],
        encoding: res.headers()["content-encoding"] ?? "none",
        body: body.length,
        wire: sizes.responseBodySize + sizes.responseHeadersSize,
        gzip: zlib.gzipSync(body, { level: 9 }).length,
      });
    } catch {
      // a redirect or an aborted request has no body
    }
  });
  await page.goto(system.consoleUrl, { waitUntil: "load" });
  await page.getByTestId("sign-in").waitFor();
  await settle(page);
  const total = (k) => assets.reduce((s, a) => s + a[k], 0);
  console.log("\nfirst load (cold cache, sign-in page):");
  for (const a of assets) console.log(`  ${a.path}  ${a.type}  ${fmt(a.body)} B, ${fmt(a.wire)} B on the wire (${a.encoding}), gzip -9 ${fmt(a.gzip)} B`);
  console.log(`  total: ${fmt(total("body"))} B raw, ${fmt(total("wire"))} B on the wire, gzip -9 would be ${fmt(total("gzip"))} B`);

  // 2. The Week page.
  await devSignIn(page, system.consoleUrl, { role: "coordinator" });
  await page.getByTestId("page-week").waitFor();
  await settle(page);
  // Total (click to painted grid) and its network part (click to the end of
  // the last API response), both inside the page.
  const network = [];
  const timeTo = async (action) => {
    await page.evaluate(() => performance.clearResourceTimings());
    const ms = await clickAndWaitForWeek(page, action === "next" ? "week-next" : "nav-week", 120000);
    network.push(
      await page.evaluate(() => {
        const t0 = window.__tandemWeekClickAt;
        const ends = performance.getEntriesByType("resource").filter((e) => e.name.includes("/tandem.") && e.startTime >= t0).map((e) => e.responseEnd);
        return Math.max(...ends) - t0;
      }),
    );
    return ms;
  };
  // Next week, into the booked year: its first weeks.
  const nextTimes = [];
  const nextNetwork = [];
  const entries = [];
  for (let i = 0; i < runs + 1; i++) {
    const ms = await timeTo("next");
    await settle(page);
    const count = await page.getByTestId("week-entry").count();
    const title = (await page.locator("#page-title").textContent()).trim();
    if (i > 0) {
      nextTimes.push(ms);
      nextNetwork.push(network.at(-1));
      entries.push(count);
    }
    console.log(`  next week -> ${title}: ${ms.toFixed(0)} ms, ${count} entries${i === 0 ? " (warm-up, not counted)" : ""}`);
  }
  // Opening the Week from another page (it shows this week, which has no
  // bookings of the seeded year: they start on ${firstMonday}).
  const openTimes = [];
  for (let i = 0; i < runs; i++) {
    await page.getByTestId("nav-book").click();
    await page.getByTestId("page-book").waitFor();
    await settle(page);
    const ms = await timeTo("open");
    await settle(page);
    openTimes.push(ms);
    console.log(`  open Week (this week) : ${ms.toFixed(0)} ms`);
  }
  console.log(`\nweek render at size L (${bookings} intensives from ${longDate(firstMonday)}): next week median ${median(nextTimes).toFixed(0)} ms ` +
    `(runs ${nextTimes.map((x) => x.toFixed(0)).join(", ")}; ${median(entries)} entries per week); ` +
    `open Week median ${median(openTimes).toFixed(0)} ms (runs ${openTimes.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`  of which network (click to the last API response): next week median ${median(nextNetwork).toFixed(0)} ms ` +
    `(runs ${nextNetwork.map((x) => x.toFixed(0)).join(", ")})`);
  const clinicDays = fs.readFileSync(path.join(system.tmp, "roster.log"), "utf8").split("\n")
    .filter((l) => l.includes("GetClinicDay")).map((l) => JSON.parse(l).ms);
  console.log(`  roster GetClinicDay as the roster logs it: median ${median(clinicDays).toFixed(1)} ms, max ${Math.max(...clinicDays).toFixed(1)} ms over ${clinicDays.length} calls`);
  console.log(`API calls made by the page in this session: ${page.rpcState.rpcs.length}`);
} finally {
  await browser?.close();
  await system.stop();
}
