// Clinic-local wall-clock times <-> instants, for the forms of the Absences,
// Staff and Follow-up pages (absences, outages and contacts are instants in
// the API; people type clinic-local dates and times). The shell's dates.ts
// goes one way (instant -> clinic-local text); this goes both.
import { timestampDate, timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { addDays, parseIsoDate, type CivilDate } from "../../app/dates";

/** Offset of the zone from UTC at the instant ms, in ms (east positive). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timeZone || undefined,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of a clinic-local date and time (minutes after midnight). */
export function zonedMs(d: CivilDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day) + minutes * 60_000;
  let ms = wall - zoneOffsetMs(wall, timeZone);
  // Once more, for instants near a daylight-saving change.
  const again = wall - zoneOffsetMs(ms, timeZone);
  if (again !== ms) ms = again;
  return ms;
}

export function zonedTimestamp(d: CivilDate, minutes: number, timeZone: string): Timestamp {
  return timestampFromMs(zonedMs(d, minutes, timeZone));
}

/** "09:30" -> 570; "" or malformed -> null. */
export function parseClock(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const h = +m[1];
  const min = +m[2];
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** The clinic-local date and "HH:MM" of an instant. */
export function localParts(ts: Timestamp | undefined, timeZone: string): { date: CivilDate; clock: string } | null {
  if (!ts) return null;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timeZone || undefined,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(timestampDate(ts));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: { year: +get("year"), month: +get("month"), day: +get("day") },
    clock: `${get("hour").padStart(2, "0")}:${get("minute")}`,
  };
}

/**
 * An interval typed as dates with optional times. A date alone means the
 * whole day: the start at 00:00, the end date inclusive (the interval ends at
 * 00:00 of the next day). Returns an error text instead when it is not valid.
 */
export function intervalFromInputs(
  input: { fromDate: string; fromTime: string; toDate: string; toTime: string },
  timeZone: string,
): { start: Timestamp; end: Timestamp; startMs: number; endMs: number; fromDay: CivilDate; toDay: CivilDate } | string {
  const fromDay = parseIsoDate(input.fromDate);
  const toDay = parseIsoDate(input.toDate || input.fromDate);
  if (!fromDay) return "Enter the first day.";
  if (!toDay) return "Enter the last day.";
  const fromMin = input.fromTime ? parseClock(input.fromTime) : 0;
  if (fromMin === null) return "The start time is not a time (HH:MM).";
  let endMs: number;
  if (input.toTime) {
    const toMin = parseClock(input.toTime);
    if (toMin === null) return "The end time is not a time (HH:MM).";
    endMs = zonedMs(toDay, toMin, timeZone);
  } else {
    endMs = zonedMs(addDays(toDay, 1), 0, timeZone);
  }
  const startMs = zonedMs(fromDay, fromMin, timeZone);
  if (endMs <= startMs) return "The end must be after the start.";
  return {
    start: timestampFromMs(startMs),
    end: timestampFromMs(endMs),
    startMs,
    endMs,
    fromDay,
    toDay,
  };
}

/** "Mon 23 Nov 2026, 09:00 - Wed 25 Nov 2026, 17:00" or whole days. */
export function spanText(start: Timestamp | undefined, end: Timestamp | undefined, timeZone: string): string {
  const a = localParts(start, timeZone);
  const b = localParts(end, timeZone);
  if (!a || !b) return "";
  const fmt = (d: CivilDate) => {
    const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
    return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(t);
  };
  if (a.clock === "00:00" && b.clock === "00:00") {
    const last = addDays(b.date, -1);
    const same = last.year === a.date.year && last.month === a.date.month && last.day === a.date.day;
    return same ? `${fmt(a.date)} (whole day)` : `${fmt(a.date)} to ${fmt(last)} (whole days)`;
  }
  const sameDay = a.date.year === b.date.year && a.date.month === b.date.month && a.date.day === b.date.day;
  return sameDay ? `${fmt(a.date)}, ${a.clock}-${b.clock}` : `${fmt(a.date)}, ${a.clock} to ${fmt(b.date)}, ${b.clock}`;
}
