#!/usr/bin/python3
"""Reads an iCalendar file with a parser nobody here wrote (Debian's
python3-icalendar) and prints what calendar apps would see, one JSON object:
{"tzids": [...], "events": [{"uid", "status", "sequence", "summary",
"location", "description", "start", "end", "tzid"}]}. Exits non-zero when
the file does not parse or breaks a rule apps rely on (every event has a
UID, DTSTAMP, DTSTART with a TZID that the file defines)."""
import json
import sys

import icalendar


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    calendar = icalendar.Calendar.from_ical(data)
    tzids = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    events = []
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            if required not in event:
                sys.exit(f"event without {required}")
        start = event["DTSTART"]
        tzid = start.params.get("TZID", "")
        if tzid not in tzids:
            sys.exit(f"DTSTART TZID {tzid!r} has no VTIMEZONE")
        events.append({
            "uid": str(event["UID"]),
            "status": str(event.get("STATUS", "")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "summary": str(event.get("SUMMARY", "")),
            "location": str(event.get("LOCATION", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "start": start.dt.isoformat(),
            "end": event["DTEND"].dt.isoformat(),
            "tzid": tzid,
        })
    json.dump({"tzids": tzids, "events": events}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
