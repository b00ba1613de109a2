// Clinic-local calendar dates ({year, month, day}, as tandem.common.v1.Date)
// and times shown in the clinic's time zone.
import { create } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { DateSchema, type Date as PbDate } from "../gen/tandem/common/v1/types_pb";

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function toPb(d: CivilDate): PbDate {
  return create(DateSchema, { year: d.year, month: d.month, day: d.day });
}

export function fromPb(d: PbDate | undefined): CivilDate | null {
  return d && d.year ? { year: d.year, month: d.month, day: d.day } : null;
}

function toUtc(d: CivilDate): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

function fromUtc(t: Date): CivilDate {
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function addDays(d: CivilDate, n: number): CivilDate {
  const t = toUtc(d);
  t.setUTCDate(t.getUTCDate() + n);
  return fromUtc(t);
}

/** ISO weekday, 1 = Monday ... 7 = Sunday. */
export function isoWeekday(d: CivilDate): number {
  return ((toUtc(d).getUTCDay() + 6) % 7) + 1;
}

export function mondayOf(d: CivilDate): CivilDate {
  return addDays(d, 1 - isoWeekday(d));
}

export function sameDate(a: CivilDate | null | undefined, b: CivilDate | null | undefined): boolean {
  return !!a && !!b && a.year === b.year && a.month === b.month && a.day === b.day;
}

export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-23" (also the value of <input type="date">). */
export function isoDate(d: CivilDate | null | undefined): string {
  return d ? `${d.year}-${pad(d.month)}-${pad(d.day)}` : "";
}

export function parseIsoDate(s: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = { year: +m[1], month: +m[2], day: +m[3] };
  return sameDate(fromUtc(toUtc(d)), d) ? d : null;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mon 23 Nov". */
export function shortDate(d: CivilDate | null | undefined): string {
  if (!d) return "";
  return `${WEEKDAYS[isoWeekday(d) - 1]} ${d.day} ${MONTHS[d.month - 1]}`;
}

/** "Mon 23 Nov 2026". */
export function longDate(d: CivilDate | null | undefined): string {
  return d ? `${shortDate(d)} ${d.year}` : "";
}

/** Today in the given IANA zone (the clinic's). */
export function todayIn(timeZone: string, now = new Date()): CivilDate {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timeZone || undefined,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** "09:30" in the clinic's zone. */
export function clockTime(ts: Timestamp | undefined, timeZone: string): string {
  if (!ts) return "";
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timeZone || undefined,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(timestampDate(ts));
}

/** "09:30-11:00". */
export function timeRange(start: Timestamp | undefined, end: Timestamp | undefined, timeZone: string): string {
  return `${clockTime(start, timeZone)}-${clockTime(end, timeZone)}`;
}

/** Like timeRange, but "all day" for a span from midnight to midnight. */
export function spanLabel(start: Timestamp | undefined, end: Timestamp | undefined, timeZone: string): string {
  const range = timeRange(start, end, timeZone);
  return range === "00:00-00:00" ? "all day" : range;
}

/** "Mon 23 Nov, 14:05" in the clinic's zone. */
export function dateTime(ts: Timestamp | undefined, timeZone: string): string {
  if (!ts) return "";
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timeZone || undefined,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(timestampDate(ts));
}
