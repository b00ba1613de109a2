// Helpers for driving the web console with playwright-core: Debian's
// chromium, screenshots, waiting for the console's gRPC-Web calls to settle,
// clinic-local dates as the console writes them, dev sign-in.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

export const CHROMIUM = process.env.TANDEM_CHROMIUM || "/usr/bin/chromium";

/** Fails (never skips) when the browser or the built console is missing. */
export function checkPrerequisites(webRoot) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/install-deps does)`);
  }
  if (!fs.existsSync(path.join(webRoot, "index.html"))) {
    throw new Error(`${webRoot}/index.html is missing: build the console (scripts/build, or cd clients/web && npm run build)`);
  }
}

export async function launchBrowser() {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (err) {
    throw new Error(`playwright-core is not installed in tests/web: run scripts/build (or npm ci there) (${err.message})`);
  }
  // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** Numbered screenshots: NN-name.png in `dir`, emptied of old PNGs first. */
export function screenshotter(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.endsWith(".png")) fs.rmSync(path.join(dir, f));
  let n = 0;
  const taken = [];
  const shot = async (page, name) => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file });
    taken.push(file);
    return file;
  };
  shot.taken = taken;
  return shot;
}

/**
 * Counts the console's gRPC-Web calls in flight on `page`, and every URL
 * the page's main frame showed (for the privacy check).
 */
export function instrument(page) {
  const state = { inflight: 0, rpcs: [], urls: [] };
  const isRpc = (req) => /\/tandem\.[a-z]+\.v1\.[A-Za-z]+\/[A-Za-z]+$/.test(new URL(req.url()).pathname);
  page.on("request", (req) => {
    if (!isRpc(req)) return;
    state.inflight += 1;
    state.rpcs.push(new URL(req.url()).pathname);
  });
  const done = (req) => {
    if (isRpc(req)) state.inflight -= 1;
  };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) state.urls.push(frame.url());
  });
  page.setDefaultTimeout(15000);
  page.rpcState = state;
  return state;
}

/** Waits until no gRPC-Web call has been in flight for 300 ms. */
export async function settle(page, timeoutMs = 20000) {
  const state = page.rpcState;
  const deadline = Date.now() + timeoutMs;
  let quietSince = 0;
  while (Date.now() < deadline) {
    if (state.inflight === 0) {
      if (!quietSince) quietSince = Date.now();
      if (Date.now() - quietSince >= 300) return;
    } else {
      quietSince = 0;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gRPC-Web calls still in flight after ${timeoutMs} ms (${state.inflight})`);
}

// Clinic-local calendar days as ISO strings ("2026-12-07").
export function addDaysIso(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
export function mondayOfIso(iso) {
  const wd = (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  return addDaysIso(iso, -wd);
}
export function todayIn(timeZone) {
  // From the parts: what "en-CA" formats as differs with the ICU a Node has
  // (Debian's Node 18 writes 11/24/2026).
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date());
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "Mon 7 Dec 2026", as the console's longDate(). */
export function longDate(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return `${WEEKDAYS[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
/** "Mon 7 Dec", as the console's shortDate(). */
export function shortDate(iso) {
  return longDate(iso).replace(/ \d{4}$/, "");
}

/** Development sign-in from the sign-in page; waits for the first page. */
export async function devSignIn(page, consoleUrl, { role, therapistId } = {}) {
  await page.goto(consoleUrl);
  const dev = page.getByTestId("dev-sign-in");
  await dev.waitFor();
  if (role === "therapist") {
    await page.getByLabel("Therapist id").fill(therapistId);
    await dev.getByRole("button", { name: "Therapist", exact: true }).click();
  } else {
    const name = role === "admin" ? "Admin" : "Coordinator";
    await dev.getByRole("button", { name, exact: true }).click();
  }
  await page.getByRole("navigation", { name: "Pages" }).waitFor();
  await settle(page);
}

/**
 * Clicks the element with data-testid `testId` (the Week link, "Next week",
 * ...) and resolves, in milliseconds measured inside the page, once the Week
 * page has shown "Loading..." and then the grid without it (one animation
 * frame later, so it is painted). The Week page has no "loaded" marker of
 * its own: its status line is the signal.
 */
export async function clickAndWaitForWeek(page, testId, timeoutMs = 30000) {
  return page.evaluate(
    ({ testId, timeoutMs }) =>
      new Promise((resolve, reject) => {
        let saw = false;
        const t0 = performance.now();
        window.__tandemWeekClickAt = t0; // for bench/web/week_load.mjs
        const check = () => {
          const loading = [...document.querySelectorAll('[data-testid="page-week"] [role="status"]')].some((e) =>
            e.textContent.includes("Loading"),
          );
          if (loading) saw = true;
          else if (saw && document.querySelectorAll('[data-testid="week-therapists"] tbody tr').length > 0) {
            obs.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => resolve(performance.now() - t0));
          }
        };
        const obs = new MutationObserver(check);
        const timer = setTimeout(() => {
          obs.disconnect();
          reject(new Error(`the Week page did not load within ${timeoutMs} ms of clicking ${testId} (Loading seen: ${saw})`));
        }, timeoutMs);
        obs.observe(document.body, { subtree: true, childList: true, characterData: true });
        document.querySelector(`[data-testid="${testId}"]`).click();
      }),
    { testId, timeoutMs },
  );
}

/** Opens the Week page on the week starting `mondayIso`, fully loaded. */
export async function showWeek(page, mondayIso, { maxSteps = 60 } = {}) {
  const title = page.locator('[data-testid="page-week"] #page-title');
  if (!/#\/week$/.test(page.url())) {
    await clickAndWaitForWeek(page, "nav-week");
  } else {
    // Landed here (after sign-in): the first load has filled the grid.
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="week-therapists"] tbody tr').length > 0 &&
        ![...document.querySelectorAll('[data-testid="page-week"] [role="status"]')].some((e) => e.textContent.includes("Loading")),
    );
  }
  await settle(page);
  const want = `Week of ${longDate(mondayIso)}`;
  for (let i = 0; i < maxSteps; i++) {
    const text = (await title.textContent()).trim();
    if (text === want) break;
    const shown = text.replace(/^Week of /, "");
    const forward = new Date(`${mondayIso}T00:00:00Z`) > new Date(`${shown} UTC`);
    await clickAndWaitForWeek(page, forward ? "week-next" : "week-prev");
  }
  assert.equal((await title.textContent()).trim(), want, "the Week page did not reach the wanted week");
  await settle(page);
}

/** Fails if any of `secrets` is in the page's URL (or ever was) or title. */
export async function assertNoSecretsInUrl(page, secrets, step) {
  const seen = [...(page.rpcState?.urls ?? []), page.url()];
  const title = await page.title();
  for (const s of secrets) {
    const needle = s.toLowerCase();
    for (const url of seen) {
      assert.ok(!decodeURIComponent(url).toLowerCase().includes(needle), `${step}: a client name is in the URL ${url}`);
    }
    assert.ok(!title.toLowerCase().includes(needle), `${step}: a client name is in the title "${title}"`);
  }
}
