#!/usr/bin/python3
"""End to end through `tandemctl` only: starts the real directory, booking,
follow-up and roster binaries (port 0, SQLite files in a temp dir), then
drives nothing but the command line, as a coordinator and a therapist would:

  demo seed -> couples add -> propose -> hold -> confirm -> the therapist's
  roster for each day of the intensive -> an absence -> the repaired roster
  -> calendar export, read by python3-icalendar -> a follow-up outcome
  -> an opt-out, and the errors a user sees (one line, exit codes 1 and 3).

Security is on as in production (TLS, tokens); tandemctl finds the
development PKI through TANDEM_PKI, as it finds data/pki after
scripts/start, and needs no other step. At the end every log file and
audit trail is scanned for the clients' names and contact details.

Usage: tandemctl_e2e_test.py TANDEMCTL DIRECTORY BOOKING FOLLOWUP ROSTER
       PARSE_CALENDAR DEV_PKI_SCRIPT
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zoneinfo

import tandem_security

LONDON = zoneinfo.ZoneInfo("Europe/London")


def fail(message):
    sys.exit(f"FAIL: {message}")


class System:
    """The four services, each on port 0 with its own database."""

    def __init__(self, tmp, binaries, pki):
        self.tmp = tmp
        self.pki = pki
        self.processes = []
        self.addresses = {}
        directory, booking, followup, roster = binaries
        self.start("directory", directory, [])
        self.start("booking", booking,
                   [f"--directory={self.addresses['directory']}"])
        self.start("followup", followup,
                   [f"--booking={self.addresses['booking']}",
                    f"--directory={self.addresses['directory']}"])
        self.start("roster", roster,
                   [f"--directory={self.addresses['directory']}",
                    f"--booking={self.addresses['booking']}",
                    f"--followup={self.addresses['followup']}"],
                   stateless=True)

    def start(self, name, binary, flags, stateless=False):
        port_file = os.path.join(self.tmp, f"{name}.port")
        args = [binary, "--listen=127.0.0.1:0", f"--port_file={port_file}",
                f"--audit_db={os.path.join(self.tmp, name + '.audit.db')}",
                *tandem_security.service_flags(self.pki, name)]
        if not stateless:
            args.append(f"--db={os.path.join(self.tmp, name + '.db')}")
        log = open(os.path.join(self.tmp, f"{name}.log"), "wb")
        self.processes.append((name, subprocess.Popen(
            args + flags, stdout=log, stderr=subprocess.STDOUT)))
        for _ in range(100):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        else:
            fail(f"{name} did not start")
        self.addresses[name] = f"127.0.0.1:{open(port_file).read().strip()}"

    def stop(self):
        for name, process in reversed(self.processes):
            process.send_signal(signal.SIGTERM)
            if process.wait(timeout=10) != 0:
                fail(f"{name} exited with {process.returncode}")


class Ctl:
    """Runs tandemctl with the system's addresses in its environment (the
    way a user's shell would hold them) and nothing from the user's home."""

    def __init__(self, binary, system, tmp):
        self.binary = binary
        self.env = dict(os.environ)
        self.env.pop("TANDEMCTL_CONFIG", None)
        self.env.update({
            "HOME": tmp,
            "XDG_STATE_HOME": os.path.join(tmp, "state"),
            "TANDEM_DIRECTORY": system.addresses["directory"],
            "TANDEM_BOOKING": system.addresses["booking"],
            "TANDEM_FOLLOWUP": system.addresses["followup"],
            "TANDEM_ROSTER": system.addresses["roster"],
            "TANDEM_PKI": system.pki,
        })

    def run(self, *args, expect=0):
        result = subprocess.run([self.binary, *args], env=self.env,
                                capture_output=True, text=True, timeout=60)
        if expect is not None and result.returncode != expect:
            fail(f"tandemctl {' '.join(args)} exited {result.returncode}, "
                 f"wanted {expect}\n{result.stdout}{result.stderr}")
        return result

    def json(self, *args):
        return json.loads(self.run("--output", "json", *args).stdout)

    def table(self, *args):
        out = self.run(*args).stdout
        print(f"$ tandemctl {' '.join(args)}\n{out}")
        return out


def local(timestamp):
    return datetime.datetime.fromisoformat(
        timestamp.replace("Z", "+00:00")).astimezone(LONDON)


def days_of(intensive):
    start = intensive["start_date"]
    end = intensive["end_date"]
    first = datetime.date(start["year"], start["month"], start["day"])
    last = datetime.date(end["year"], end["month"], end["day"])
    return [first + datetime.timedelta(days=n)
            for n in range((last - first).days + 1)]


def roster_items(ctl, therapist, day, intensive_id):
    roster = ctl.json("roster", "--therapist", therapist,
                      "--date", day.isoformat())["roster"]
    day_entry = roster["days"][0]
    return day_entry, [item for item in day_entry.get("items", [])
                       if item.get("intensive_id") == intensive_id]


def main(tandemctl, directory, booking, followup, roster, parse_calendar,
         dev_pki):
    tmp = tempfile.mkdtemp(prefix="tandemctl-e2e-")
    pki = tandem_security.make_pki(dev_pki, tmp)
    system = System(tmp, (directory, booking, followup, roster), pki)
    ctl = Ctl(tandemctl, system, tmp)
    try:
        run_flow(ctl, tmp, parse_calendar)
        secrets = client_details(ctl)
    finally:
        system.stop()
    scan_for_leaks(tmp, secrets)
    print("ok")


def client_details(ctl):
    """Every client's names, phone and email, as the coordinator sees them."""
    secrets = set()
    for couple in ctl.json("couples", "list")["couples"]:
        for partner in ("partner_a", "partner_b"):
            person = couple.get(partner, {})
            for field in ("given_name", "family_name", "phone", "email"):
                if person.get(field):
                    secrets.add(person[field])
    if len(secrets) < 20:
        fail(f"too few client details to scan for: {len(secrets)}")
    return secrets


def scan_for_leaks(tmp, secrets):
    """No log and no audit trail may carry a client's name or contact."""
    scanned = 0
    for name in sorted(os.listdir(tmp)):
        if not (name.endswith(".log") or name.endswith(".audit.db")):
            continue
        with open(os.path.join(tmp, name), "rb") as f:
            content = f.read()
        scanned += 1
        for secret in secrets:
            if secret.encode() in content:
                fail(f"{name} contains a client's detail ({len(secret)} chars)")
    if scanned < 8:  # four logs and four audit trails
        fail(f"scanned only {scanned} files")
    print(f"ok: {scanned} logs and audit trails carry no client detail "
          f"({len(secrets)} searched)")


def run_flow(ctl, tmp, parse_calendar):
    # The services take a moment to replicate one another.
    for _ in range(100):
        if ctl.run("templates", "list", expect=None).returncode == 0:
            break
        time.sleep(0.1)
    print(ctl.run("demo", "seed").stdout)
    ctl.run("demo", "seed", expect=1)  # refuses a non-empty system

    # A coordinator books a new couple, three weeks out.
    couple = ctl.json(
        "couples", "add", "--language", "en",
        "--a-given", "Testa", "--a-family", "Endtoend", "--a-sex", "female",
        "--a-phone", "+447700900555", "--a-channel", "sms",
        "--a-sms-consent", "true",
        "--b-given", "Testb", "--b-family", "Endtoend", "--b-sex", "male"
        )["couple"]
    # No channel given: what each partner consented to, else none.
    if couple["partner_a"]["preferred_channel"] != "CONTACT_CHANNEL_SMS" or \
            couple["partner_b"]["preferred_channel"] != "CONTACT_CHANNEL_NONE":
        fail(f"default channels: {couple}")
    start = datetime.datetime.now(LONDON).date() + datetime.timedelta(days=21)
    ctl.table("propose", "--couple", couple["id"], "--template", "pt-1",
              "--from", start.isoformat(),
              "--to", (start + datetime.timedelta(days=30)).isoformat())
    held = ctl.json("hold", "--plan", "1", "--duration", "1h")["intensive"]
    if held["status"] != "INTENSIVE_STATUS_HELD":
        fail(f"hold gave {held['status']}")
    booked = ctl.json("confirm", held["id"])["intensive"]
    if booked["status"] != "INTENSIVE_STATUS_BOOKED":
        fail(f"confirm gave {booked['status']}")
    therapist = booked["team"]["male_therapist_id"]

    # The therapist reads the roster of every day of the intensive.
    numbers = set()
    for day in days_of(booked):
        _, items = roster_items(ctl, therapist, day, booked["id"])
        for item in items:
            if item["day_count"] != 10:
                fail(f"day count {item['day_count']}")
            if "Endtoend" in json.dumps(item):
                fail("a client name on the roster")
            numbers.add(item["day_number"])
    if numbers != set(range(1, 11)):
        fail(f"roster shows days {sorted(numbers)}")
    third = [d for d in days_of(booked)
             if roster_items(ctl, therapist, d, booked["id"])[1]
             and roster_items(ctl, therapist, d, booked["id"])[1][0]
             ["day_number"] == 3][0]
    ctl.table("roster", "--therapist", therapist, "--date", third.isoformat())

    # An absence over the first session of day three: booking repairs it
    # (same team, same day) or flags it; the roster shows which.
    _, before = roster_items(ctl, therapist, third, booked["id"])
    session = before[0]
    absent_from = local(session["start_time"])
    absent_to = local(session["end_time"])
    ctl.run("absences", "add", "--therapist", therapist,
            "--start", absent_from.strftime("%Y-%m-%dT%H:%M"),
            "--end", absent_to.strftime("%Y-%m-%dT%H:%M"),
            "--reason", "training")
    for _ in range(100):
        day_entry, after = roster_items(ctl, therapist, third, booked["id"])
        clash = [i for i in after
                 if local(i["start_time"]) < absent_to
                 and local(i["end_time"]) > absent_from
                 and not i.get("needs_attention")]
        if day_entry.get("absences") and not clash:
            break
        time.sleep(0.1)
    else:
        fail(f"roster not repaired: {json.dumps(day_entry)}")
    moved = [i for i in after if i["session_id"] != session["session_id"]
             or i["start_time"] != session["start_time"]]
    flagged = [i for i in after if i.get("needs_attention")]
    print(f"repair: {len(moved)} moved, {len(flagged)} flagged")
    ctl.table("roster", "--therapist", therapist, "--date", third.isoformat())

    # The calendar, read by a parser nobody here wrote.
    ics = os.path.join(tmp, f"{therapist}.ics")
    last = days_of(booked)[-1] + datetime.timedelta(days=60)
    ctl.run("calendar", "export", "--therapist", therapist,
            "--from", days_of(booked)[0].isoformat(),
            "--to", last.isoformat(), "--out", ics)
    parsed = json.loads(subprocess.run(
        [sys.executable, parse_calendar, ics], check=True,
        capture_output=True, text=True).stdout)
    mine = [e for e in parsed["events"] if e["uid"].startswith(booked["id"] + ".")]
    if len(mine) < 10:
        fail(f"{len(mine)} events of the intensive in the calendar")
    if parsed["tzids"] != ["Europe/London"]:
        fail(f"calendar zones {parsed['tzids']}")
    for event in parsed["events"]:
        if "Endtoend" in json.dumps(event) or "T.E." in event["summary"]:
            fail(f"client data in the calendar: {event}")

    # This roster runs without a feed key: a subscription is refused with
    # the reason, and the download above is the way.
    refused = ctl.run("calendar", "subscribe", "--therapist", therapist,
                      expect=1)
    if "FAILED_PRECONDITION" not in refused.stderr or \
            "--calendar_feed_key_file" not in refused.stderr:
        fail(f"calendar subscribe without a key: {refused.stderr}")

    # Follow-up: the first contact's outcome.
    for _ in range(100):
        contacts = ctl.json("contacts", "list", "--couple",
                            couple["id"]).get("follow_up_contacts", [])
        if contacts:
            break
        time.sleep(0.1)
    else:
        fail("no follow-up contacts planned")
    first = contacts[0]["id"]
    ctl.run("contacts", "outcome", first, "done", "--note", "all well")
    closed = ctl.json("contacts", "get", first)["follow_up_contact"]
    if closed["status"] != "CONTACT_STATUS_CLOSED":
        fail(f"contact {first} is {closed['status']}")

    # Partner A asks for no more texts; the coordinator records it.
    ctl.run("reminders", "opt-out", "--couple", couple["id"], "--partner", "a",
            "--channel", "sms")
    prefs = ctl.json("reminders", "opt-outs", "--couple", couple["id"])
    if [p["opted_out_channels"] for p in prefs["contact_preferences"]] != \
            [["REMINDER_CHANNEL_SMS"]]:
        fail(f"opt-outs: {prefs}")

    # A therapist signs in as themselves: their own roster, not a colleague's.
    colleague = booked["team"]["female_therapist_id"]
    as_therapist = ("--as", "therapist", "--therapist", therapist)
    ctl.run(*as_therapist, "roster", "--date", third.isoformat())
    denied = ctl.run(*as_therapist, "roster", "--therapist", colleague,
                     expect=1).stderr
    if "PERMISSION_DENIED" not in denied:
        fail(f"a therapist read a colleague's roster: {denied!r}")

    # The audit trail: who read this couple's data, and intact everywhere.
    records = ctl.json("audit", "list", "--couple", couple["id"],
                       "--limit", "1000")["records"]
    actions = {(r["service"], r["action"]) for r in records}
    for wanted in [("booking", "CreateCouple"), ("booking", "HoldIntensive"),
                   ("booking", "ConfirmIntensive"),
                   ("roster", "GetTherapistRoster")]:
        if wanted not in actions:
            fail(f"audit list --couple misses {wanted}: {sorted(actions)}")
    if any(r["outcome"] == "PERMISSION_DENIED" and r["service"] == "roster"
           for r in ctl.json("audit", "list", "--service", "roster",
                             "--limit", "1000")["records"]) is False:
        fail("the therapist's refused roster read is not audited")
    print(ctl.run("audit", "verify").stdout)

    # Errors: one plain line and an exit code a script can use.
    missing = ctl.run("roster", "--therapist", "th-999", expect=1).stderr
    if not missing.startswith("tandemctl: NOT_FOUND: therapist_id") or \
            missing.count("\n") != 1:
        fail(f"error output: {missing!r}")
    down = ctl.run("--roster", "127.0.0.1:1", "roster", "--therapist",
                   therapist, expect=3).stderr
    if "UNAVAILABLE" not in down:
        fail(f"unreachable roster: {down!r}")


if __name__ == "__main__":
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    main(*sys.argv[1:])
