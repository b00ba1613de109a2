// End to end through the web console (issue #9): Debian's headless chromium,
// driven by playwright-core, against the real services and gateway started
// by harness.mjs, seeded with the real `tandemctl demo seed`.
//
//   a. a coordinator signs in (development sign-in), finds an empty week,
//      adds a couple, proposes, sees the plans side by side, holds one,
//      confirms it, and sees the confirmed intensive on the Week page;
//   b. records a whole-day absence for one of its therapists on one of its
//      days (Absences page), sees the repair it caused, and moves the
//      intensive to a repaired plan without that therapist on that day;
//   c. a therapist of the repaired intensive signs in and opens My day on a
//      day with sessions; the calendar file is offered, and a subscription
//      address that serves the calendar without signing in;
//   d. the keyboard reaches the navigation and the Propose button and Enter
//      works; no client name is ever in the URL or title; a token the
//      services refuse (UNAUTHENTICATED) brings back the sign-in page;
//      the Week page at tablet width (768x1024); no log holds a client name;
//   e. sign-in with the clinic's identity provider (fake_idp.mjs), and a
//      token refreshed before it expires;
//   f. an admin adds a room and a closed day, and removes the closed day,
//      on Staff & rooms.
//
// Each step saves a screenshot to $SCREENSHOT_DIR (CTest: the build's
// tests/web/screenshots). Steps depend on one another: when one fails, the
// later ones fail saying so.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startFakeIdp } from "./fake_idp.mjs";
import { binariesFromEnv, startSystem } from "./harness.mjs";
import {
  addDaysIso,
  assertNoSecretsInUrl,
  checkPrerequisites,
  devSignIn,
  instrument,
  launchBrowser,
  longDate,
  mondayOfIso,
  screenshotter,
  settle,
  shortDate,
  showWeek,
  todayIn,
} from "./console.mjs";

const ZONE = "Europe/London"; // the demo clinic's
// The couple this test books. Distinctive names, so that a leak is found.
const COUPLE = { a: { given: "Marisol", family: "Quenbyfield" }, b: { given: "Anselm", family: "Quenbyfield" } };
const SECRETS = [COUPLE.a.given, COUPLE.b.given, COUPLE.a.family];
const LABEL = "M.Q. & A.Q."; // what the booking service makes of the names

const shotDir = process.env.SCREENSHOT_DIR || path.join(process.cwd(), "screenshots");
const shot = screenshotter(shotDir);

let system;
let browser;
let idp; // the fake identity provider (fake_idp.mjs)
let setupError = null; // what kept the system or the browser from starting
let failed = null; // the first failed step, which the later steps depend on
const state = {}; // handed from step to step: week, intensive, therapists

/** A step: fails with the system's logs attached; later steps fail fast. */
function step(name, fn, { independent = false, timeout = 180000 } = {}) {
  it(name, { timeout }, async () => {
    if (setupError) throw setupError;
    if (!independent && failed) throw new Error(`not run: step "${failed}" failed first`);
    try {
      await fn();
    } catch (err) {
      if (!independent) failed ??= name;
      if (system) err.message += `\n\nservice logs (end):\n${system.logTail(15)}`;
      throw err;
    }
  });
}

async function newPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, timezoneId: ZONE, locale: "en-GB" });
  const page = await context.newPage();
  instrument(page);
  page.on("pageerror", (err) => {
    state.pageErrors ??= [];
    state.pageErrors.push(String(err));
  });
  return page;
}

/** The intensive as the booking service has it (tandemctl, the oracle). */
async function intensive(id) {
  return (await system.ctlJson(["intensives", "get", id])).intensive;
}
const iso = (d) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

describe("web console end to end", { concurrency: false }, () => {
  // A missing browser, console build or binary fails every step with the
  // reason (node:test would only cancel them if the hook threw).
  before(async () => {
    try {
      const bin = binariesFromEnv();
      checkPrerequisites(bin.webRoot);
      // The clinic's identity provider (step e); its signing key is the
      // development PKI's, made by startSystem.
      idp = await startFakeIdp({
        keyFile: () => path.join(system.pki, "jwt-dev.key"),
        user: { sub: "idp:staff-7", role: "coordinator" },
        // Short-lived, as providers' access tokens often are: step e sees
        // the console refresh one before it expires.
        accessSeconds: 20,
      });
      system = await startSystem({
        binaries: bin,
        serviceFlags: { booking: ["--hold_duration=1h"] },
        gatewayFlags: idp.flags(),
      });
      idp.allow(system.consoleUrl);
      await system.ctl(["demo", "seed"]);
      browser = await launchBrowser();
    } catch (err) {
      setupError = err;
    }
  });

  after(async () => {
    await browser?.close();
    await idp?.close();
    if (system) {
      const exits = await system.stop();
      const bad = exits.filter((e) => e.code !== 0);
      if (bad.length) console.error(`services that did not exit 0: ${JSON.stringify(bad)}`);
    }
    console.log(`screenshots: ${shot.taken.length} in ${shotDir}`);
  });

  step("a. coordinator: an empty week -> propose -> plans side by side -> hold -> confirm -> on the Week", async () => {
    const page = await newPage();
    state.coordinator = page;
    await page.goto(system.consoleUrl);
    await page.getByTestId("sign-in").waitFor();
    await shot(page, "sign-in");
    await devSignIn(page, system.consoleUrl, { role: "coordinator" });
    await page.getByTestId("page-week").waitFor();
    assert.match(page.url(), /#\/week$/);

    // The week to book in: at least three weeks out, no public holiday in it
    // or the next (a ten-day programme spans two), and nothing on it yet.
    const closures = new Set(((await system.ctlJson(["closures", "list"])).closures ?? []).map((c) => iso(c.date)));
    const today = todayIn(ZONE);
    let monday = addDaysIso(mondayOfIso(today), 21);
    for (let tries = 0; ; tries++) {
      assert.ok(tries < 30, "no empty week without holidays in the next 33 weeks");
      const holiday = Array.from({ length: 14 }, (_, i) => addDaysIso(monday, i)).some((d) => closures.has(d));
      if (!holiday) {
        await showWeek(page, monday);
        if ((await page.getByTestId("week-entry").count()) === 0) break;
      }
      monday = addDaysIso(monday, 7);
    }
    state.monday = monday;
    // The grid is there and empty: rooms and therapists, no entry.
    assert.ok((await page.getByTestId("week-rooms").locator("tbody tr").count()) >= 8, "the rooms of the demo clinic");
    assert.ok((await page.getByTestId("week-therapists").locator("tbody tr").count()) >= 12, "the demo's therapists");
    assert.equal(await page.getByTestId("week-entry").count(), 0);
    await shot(page, "week-empty");

    // Book: a new couple.
    await page.getByRole("link", { name: "Book", exact: true }).click();
    await page.getByTestId("page-book").waitFor();
    await page.getByRole("button", { name: "New couple..." }).click();
    const a = page.getByRole("group", { name: "Partner A" });
    await a.getByLabel("Given name").fill(COUPLE.a.given);
    await a.getByLabel("Family name").fill(COUPLE.a.family);
    await a.getByLabel("Sex").selectOption({ label: "female" });
    const b = page.getByRole("group", { name: "Partner B" });
    await b.getByLabel("Given name").fill(COUPLE.b.given);
    await b.getByLabel("Family name").fill(COUPLE.b.family);
    await b.getByLabel("Sex").selectOption({ label: "male" });
    await shot(page, "book-new-couple");
    await page.getByRole("button", { name: "Add couple" }).click();
    const selected = page.getByTestId("selected-couple");
    await selected.waitFor();
    assert.match(await selected.textContent(), new RegExp(COUPLE.a.family));
    state.coupleId = /\((cp-\d+),/.exec(await selected.textContent())?.[1];
    assert.ok(state.coupleId, "the new couple's id is shown");
    await assertNoSecretsInUrl(page, SECRETS, "after adding the couple");

    // Programme, window: the empty week's Monday to Friday.
    const programme = page.getByLabel("Programme", { exact: true });
    await programme.selectOption("pt-1");
    assert.match(await programme.locator("option:checked").textContent(), /Ten-day intensive/);
    await page.getByLabel("Earliest start").fill(monday);
    await page.getByLabel("Latest start").fill(addDaysIso(monday, 4));
    await page.getByRole("button", { name: "Find plans" }).click();
    await settle(page);
    const cards = page.getByTestId("plan-card");
    await cards.first().waitFor();
    const n = await cards.count();
    assert.ok(n >= 2, `at least two plans to compare, got ${n}`);
    // Side by side: the first two plans share a row at 1280 px.
    const [b1, b2] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
    assert.ok(Math.abs(b1.y - b2.y) < 2 && b2.x > b1.x + b1.width - 1, `plans not side by side: ${JSON.stringify([b1, b2])}`);
    const dates = await cards.nth(0).getByTestId("plan-dates").textContent();
    assert.match(dates, new RegExp(`^${longDate(monday).split(" ")[0]}|${longDate(monday)}`));
    state.planTeam = (await cards.nth(0).getByTestId("plan-team").textContent()).trim();
    await page.getByRole("heading", { name: "3. Plans" }).scrollIntoViewIfNeeded();
    await shot(page, "book-plans");
    await assertNoSecretsInUrl(page, SECRETS, "plans");

    // Hold plan 1 for two hours: the intensive panel, held, with its countdown.
    await page.getByLabel("Hold a plan for").selectOption({ label: "2 hours" });
    const heldAt = Date.now();
    await page.getByRole("button", { name: "Hold plan 1" }).click();
    const panel = page.getByTestId("intensive-panel");
    await panel.waitFor();
    await settle(page);
    await panel.getByTestId("intensive-status").and(page.locator('[data-status="HELD"]')).waitFor();
    await panel.getByTestId("hold-countdown").waitFor();
    state.intensiveId = await panel.getAttribute("data-intensive-id");
    assert.match(state.intensiveId, /^in-\d+$/);
    await shot(page, "book-held");
    const held = await intensive(state.intensiveId);
    assert.equal(held.status, "INTENSIVE_STATUS_HELD");
    const holdMinutes = (Date.parse(held.expire_time) - heldAt) / 60000;
    assert.ok(holdMinutes > 115 && holdMinutes < 125, `held for ${holdMinutes.toFixed(1)} minutes, not 2 hours`);

    // Confirm.
    await panel.getByRole("button", { name: "Confirm booking" }).click();
    await panel.getByTestId("intensive-status").and(page.locator('[data-status="BOOKED"]')).waitFor();
    await settle(page);
    await shot(page, "book-confirmed");
    const booked = await intensive(state.intensiveId);
    assert.equal(booked.status, "INTENSIVE_STATUS_BOOKED");
    assert.equal(iso(booked.start_date), monday, "the intensive starts on the empty week's Monday");
    state.booked = booked;
    await assertNoSecretsInUrl(page, SECRETS, "confirmed");

    // The Week shows it, confirmed, under the couple's label only.
    await showWeek(page, monday);
    const mine = page.locator(`[data-testid="week-entry"][data-intensive-id="${state.intensiveId}"]`);
    assert.ok((await mine.count()) >= 5 * 3, `the week shows the intensive's sessions (rooms and therapists), got ${await mine.count()}`);
    assert.equal(await page.locator(`[data-testid="week-entry"][data-intensive-id="${state.intensiveId}"]:not([data-status="booked"])`).count(), 0);
    assert.match(await mine.first().textContent(), new RegExp(LABEL.replace(/[.&]/g, "\\$&")));
    const weekText = await page.getByTestId("page-week").textContent();
    for (const s of SECRETS) assert.ok(!weekText.includes(s), `the Week page shows a client name (${s.length} chars)`);
    await shot(page, "week-booked");
    await assertNoSecretsInUrl(page, SECRETS, "week with the booking");
  });

  step("d. keyboard: Tab reaches the navigation and the Propose button, Enter activates", async () => {
    assert.ok(state.coupleId && state.monday, "not run: step a did not book");
    const page = state.coordinator;
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await page.locator("body").focus();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName);
    const tabTo = async (testId, max = 80) => {
      const seen = [];
      for (let i = 0; i < max; i++) {
        await page.keyboard.press("Tab");
        const f = await focused();
        seen.push(f);
        if (f === testId) return seen;
      }
      assert.fail(`Tab never reached ${testId}; focus went through ${seen.join(" ")}`);
    };
    const seen = await tabTo("nav-book");
    assert.ok(seen.includes("nav-week"), "Tab passes the Week link on the way");
    await page.keyboard.press("Enter");
    await page.getByTestId("page-book").waitFor();
    assert.match(page.url(), /#\/book$/);
    await settle(page);

    // Pick the couple by name (Enter submits the search), then Tab to "Find plans".
    await page.getByLabel("Name starts with").fill(COUPLE.a.family.slice(0, 6));
    await page.keyboard.press("Enter");
    const result = page.locator(`[data-testid="couple-result"][data-couple-id="${state.coupleId}"]`);
    await result.waitFor();
    await result.focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("selected-couple").waitFor();
    await page.getByLabel("Earliest start").fill(state.monday);
    await page.getByLabel("Latest start").fill(addDaysIso(state.monday, 21));
    await page.getByLabel("Programme", { exact: true }).focus();
    await tabTo("propose-button", 30);
    await page.keyboard.press("Enter");
    await settle(page);
    await page.getByTestId("book-plans").waitFor();
    assert.ok((await page.getByTestId("plan-card").count()) + (await page.getByTestId("no-plans").count()) > 0);
    await shot(page, "keyboard-propose");
    await assertNoSecretsInUrl(page, SECRETS, "keyboard");
  }, { independent: true });

  step("b. absence for one of the intensive's therapists on its third day -> the repair it caused -> repaired plan", async () => {
    const page = state.coordinator;
    const booked = state.booked;
    const absent = booked.team.male_therapist_id;
    const days = [...new Set(booked.sessions.map((s) => iso(s.date)))].sort();
    const day = days[2];
    state.absent = { therapistId: absent, day };

    await page.getByRole("link", { name: "Absences", exact: true }).click();
    await page.getByTestId("page-absences").waitFor();
    await settle(page);
    const form = page.getByTestId("absence-form");
    await form.getByLabel("Therapist").selectOption(absent);
    await form.getByLabel("Reason").selectOption({ label: "sickness" });
    await form.getByLabel("From (day)").fill(day);
    await form.getByLabel("To (day, included)").fill(day);
    await shot(page, "absence-form");
    await form.getByRole("button", { name: "Record absence" }).click();

    // The repair it caused: this intensive, which cannot keep its team that day.
    const report = page.getByTestId("repair-report");
    await report.waitFor();
    await page.locator('[data-testid="repair-report"]:not([data-phase="checking"])').waitFor({ timeout: 30000 });
    const item = report.locator(`[data-testid="repair-item"][data-intensive-id="${state.intensiveId}"]`);
    await item.waitFor();
    const outcome = await item.getAttribute("data-outcome");
    assert.ok(["attention", "moved"].includes(outcome), `repair outcome ${outcome}`);
    await shot(page, "absence-repair-report");
    const afterAbsence = await intensive(state.intensiveId);
    if (outcome === "attention") assert.equal(afterAbsence.status, "INTENSIVE_STATUS_NEEDS_ATTENTION");

    // The coordinator repairs it: new plans for this intensive, then moves it.
    await item.getByTestId("repair-open").click();
    const panel = page.getByTestId("intensive-panel");
    await panel.waitFor();
    await settle(page);
    await panel.getByRole("button", { name: "Reschedule..." }).click();
    await panel.getByRole("button", { name: "Find new plans" }).click();
    await settle(page);
    const cards = panel.getByTestId("plan-card");
    await cards.first().waitFor();
    state.repairTeam = (await cards.nth(0).getByTestId("plan-team").textContent()).trim();
    await cards.first().scrollIntoViewIfNeeded();
    await shot(page, "repair-plans");
    await panel.getByRole("button", { name: "Move to plan 1" }).click();
    await panel.getByTestId("intensive-notice").filter({ hasText: "Moved to the new plan" }).waitFor();
    await settle(page);
    await panel.getByTestId("intensive-sessions").scrollIntoViewIfNeeded();
    await shot(page, "repaired");

    // The repaired plan: the absent therapist has no session on that day.
    const repaired = await intensive(state.intensiveId);
    assert.equal(repaired.status, "INTENSIVE_STATUS_BOOKED");
    const clash = repaired.sessions.filter((s) => iso(s.date) === day && (s.therapist_ids ?? []).includes(absent));
    assert.deepEqual(clash, [], "the repaired plan still has the absent therapist on the day of the absence");
    state.repaired = repaired;
    await assertNoSecretsInUrl(page, SECRETS, "repair");
  });

  step("c. therapist: My day on a day with sessions, calendar file and subscription", async () => {
    const repaired = state.repaired;
    const therapistId = repaired.team.female_therapist_id;
    const firstDay = [...new Set(repaired.sessions.filter((s) => (s.therapist_ids ?? []).includes(therapistId)).map((s) => iso(s.date)))].sort()[0];
    assert.ok(firstDay, "the therapist has sessions in the repaired intensive");
    const page = await newPage();
    await devSignIn(page, system.consoleUrl, { role: "therapist", therapistId });
    await page.getByTestId("page-my-day").waitFor();
    assert.match(page.url(), /#\/my-day$/);
    assert.match(await page.locator("#page-title").textContent(), /^My day/);
    // The therapist's pages only: no Week, no Book.
    await assert.rejects(page.getByTestId("nav-week").waitFor({ timeout: 500 }));
    await page.getByLabel("Go to date").fill(firstDay);
    await page.getByLabel("Go to date").dispatchEvent("change");
    await settle(page);
    await page.locator("#page-title").filter({ hasText: longDate(firstDay) }).waitFor();
    const items = page.getByTestId("my-day-item");
    await items.first().waitFor();
    const texts = await items.allTextContents();
    assert.ok(texts.some((t) => t.includes(LABEL) && /day \d+ of 10/.test(t)), `My day items: ${texts.join(" | ")}`);
    for (const s of SECRETS) assert.ok(!texts.join(" ").includes(s), "a client name on My day");
    await page.getByTestId("calendar-export").click();
    const link = page.getByTestId("calendar-download");
    await link.waitFor();
    assert.match(await link.getAttribute("href"), /^blob:/);
    assert.match(await link.getAttribute("download"), /\.ics$/);
    // The subscription: an address on the console's own origin that a
    // calendar app fetches with no sign-in, holding the therapist's
    // sessions by booking reference and no client's name.
    await page.getByTestId("calendar-subscribe").click();
    const address = await page.getByTestId("calendar-address").inputValue();
    assert.ok(address.startsWith(`${system.consoleUrl}calendar/`) && address.endsWith(".ics"), address);
    assert.match(await page.getByTestId("calendar-webcal").getAttribute("href"), /^webcal:\/\//);
    const feed = await fetch(address);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get("content-type") ?? "", /^text\/calendar/);
    assert.equal(feed.headers.get("cache-control"), "no-store");
    const ics = await feed.text();
    assert.ok(ics.startsWith("BEGIN:VCALENDAR"), ics.slice(0, 80));
    assert.ok(ics.includes(state.intensiveId), "the feed names the booking reference");
    for (const s of SECRETS) assert.ok(!ics.includes(s), "a client name in the calendar feed");
    // One MAC character changed (not the last: its low bits are padding).
    const at = address.length - ".ics".length - 2;
    const forged = await fetch(address.slice(0, at) + (address[at] === "A" ? "B" : "A") + address.slice(at + 1));
    assert.equal(forged.status, 404);
    await shot(page, "my-day");
    await assertNoSecretsInUrl(page, SECRETS, "my day");
    await page.context().close();
  });

  step(
    "e. sign-in with the clinic's identity provider (OpenID Connect, code + PKCE)",
    async () => {
      const page = await newPage();
      await page.goto(system.consoleUrl);
      await page.getByTestId("oidc-sign-in").waitFor();
      await shot(page, "sign-in-oidc");
      await page.getByTestId("oidc-start").click();
      // To the provider and straight back; the code is exchanged once.
      await page.getByTestId("page-week").waitFor();
      assert.equal(idp.state.exchanges, 1, `provider refusals: ${idp.state.refused.join(", ")}`);
      assert.deepEqual(idp.state.refused, []);
      assert.ok(!page.url().includes("code="), `the code stays in the address: ${page.url()}`);
      assert.ok(!page.url().includes("state="), page.url());
      assert.match(await page.getByTestId("signed-in-subject").textContent(), /idp:staff-7/);
      await shot(page, "signed-in-oidc");
      // Half-way through the token's 20 s the console trades the refresh
      // token for a new one, and stays signed in.
      const firstToken = await page.evaluate(() => sessionStorage.getItem("tandem.console.token"));
      await page.waitForFunction(
        (t) => sessionStorage.getItem("tandem.console.token") !== t,
        firstToken,
        { timeout: 25000 },
      );
      assert.equal(idp.state.refreshes, 1, `provider refusals: ${idp.state.refused.join(", ")}`);
      await page.getByTestId("nav-week").click();
      await page.getByTestId("page-week").waitFor();
      assert.equal(await page.getByTestId("sign-in").count(), 0, "signed out instead of refreshed");
      // Coming back with an answer this tab did not ask for is refused.
      const context = page.context();
      const stray = await context.newPage();
      await stray.goto(system.consoleUrl);
      await stray.evaluate(() => sessionStorage.clear());
      await stray.goto(`${system.consoleUrl}?code=stolen&state=nobody`);
      const error = stray.getByTestId("sign-in-error");
      await error.waitFor();
      assert.match(await error.textContent(), /not started here/);
      assert.ok(!stray.url().includes("code="), stray.url());
      assert.equal(idp.state.exchanges, 1);
      await context.close();
    },
    { independent: true },
  );

  step(
    "d. a token the services refuse (UNAUTHENTICATED) brings back the sign-in page",
    async () => {
      const page = await newPage();
      const res = await fetch(`${system.consoleUrl}auth/dev-token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: "coordinator" }),
      });
      const { token } = await res.json();
      // Same header and claims, a signature the services cannot verify.
      const [h, p, sig] = token.split(".");
      const forged = `${h}.${p}.${sig.slice(0, -6)}${sig.slice(-6).split("").reverse().join("")}`;
      assert.notEqual(forged, token);
      await page.goto(system.consoleUrl);
      await page.evaluate((t) => sessionStorage.setItem("tandem.console.token", t), forged);
      await page.reload();
      await page.getByTestId("sign-in").waitFor();
      const message = page.getByTestId("sign-in-message");
      await message.waitFor();
      assert.match(await message.textContent(), /UNAUTHENTICATED/);
      assert.equal(await page.evaluate(() => sessionStorage.getItem("tandem.console.token")), null, "the refused token is dropped");
      await shot(page, "unauthenticated");
      await page.context().close();
    },
    { independent: true },
  );

  step(
    "tablet (768x1024): the Week page fits the width, navigation visible",
    async () => {
      const page = await newPage({ width: 768, height: 1024 });
      await devSignIn(page, system.consoleUrl, { role: "coordinator" });
      await showWeek(page, state.monday ?? mondayOfIso(todayIn(ZONE)));
      for (const id of ["nav-week", "nav-book", "nav-absences", "nav-my-day"]) {
        assert.ok(await page.getByTestId(id).isVisible(), `${id} visible at 768 px`);
      }
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(scrollWidth <= clientWidth, `the page scrolls sideways at 768 px (${scrollWidth} > ${clientWidth})`);
      await shot(page, "tablet-week");
      await page.context().close();
    },
    { independent: true },
  );

  step(
    "f. admin: Staff & rooms: a new room, then a closed day added and removed",
    async () => {
      const page = await newPage();
      await devSignIn(page, system.consoleUrl, { role: "admin" });
      await page.getByTestId("nav-staff").click();
      await page.getByTestId("page-staff").waitFor();
      await page.getByTestId("staff-tab-rooms").click();
      await page.getByTestId("room-add").click();
      await page.getByTestId("room-new-name").fill("Cedar Room");
      await page.getByTestId("room-submit").click();
      await page.getByTestId("room-row").filter({ hasText: "Cedar Room" }).waitFor();
      const rooms = (await system.ctlJson(["rooms", "list"])).rooms ?? [];
      assert.ok(rooms.some((r) => r.display_name === "Cedar Room"), "the directory has the new room");

      // A Sunday a year and a half out: no booking to disturb.
      let day = addDaysIso(todayIn(ZONE), 540);
      while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 0) day = addDaysIso(day, 1);
      await page.getByTestId("staff-tab-closures").click();
      await page.getByTestId("closure-date").fill(day);
      await page.getByTestId("closure-kind").selectOption({ label: "one-off" });
      await page.getByTestId("closure-label").fill("Staff training");
      await page.getByTestId("closure-submit").click();
      await page.getByTestId("closure-notice").waitFor();
      const row = page.getByTestId("closure-row").filter({ hasText: "Staff training" });
      await row.waitFor();
      const closed = async () =>
        ((await system.ctlJson(["closures", "list"])).closures ?? []).some((c) => iso(c.date) === day);
      assert.ok(await closed(), `the directory has the closed day ${day}`);
      await shot(page, "staff-closed-day");
      await row.getByTestId("closure-delete").click();
      await row.getByTestId("closure-delete-confirm").click();
      await row.waitFor({ state: "detached" });
      assert.ok(!(await closed()), `the closed day ${day} is still there`);
      await page.context().close();
    },
    { independent: true },
  );

  step(
    "no client name in any URL the console showed, in the services' logs, or thrown on a page",
    async () => {
      assert.ok(state.coordinator, "the coordinator's page exists");
      await assertNoSecretsInUrl(state.coordinator, SECRETS, "whole run");
      assert.ok(state.coordinator.rpcState.rpcs.length > 20, "the console called the services");
      for (const p of system.processes) {
        const log = fs.readFileSync(p.log, "utf8");
        for (const s of SECRETS) assert.ok(!log.includes(s), `${p.name}'s log holds a client name (${s.length} chars)`);
      }
      assert.deepEqual(state.pageErrors ?? [], [], "uncaught errors on a page");
    },
    { independent: true },
  );
});
