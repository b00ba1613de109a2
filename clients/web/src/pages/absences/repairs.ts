// What an absence or a room outage did to the bookings.
//
// CreateAbsence / CreateRoomOutage answer with the stored record only; the
// booking service hears of the change on the directory's change stream a
// moment later and, in one transaction, either repairs each intensive it
// breaks without asking anyone (same team, same day: a session moves to
// another time and/or room; status history gets RESCHEDULED by "system") or
// puts it in NEEDS_ATTENTION (attention_reason says why) for a coordinator
// to reschedule. Follow-up appointments it breaks become NEEDS_ATTENTION.
// Deleting the record lets flagged bookings go back (ATTENTION_RESOLVED).
//
// So the page reads the bookings the change can touch before the call, and
// reads them again afterwards until booking has reacted (or a few seconds
// have passed), and compares.
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import {
  AppointmentStatus,
  IntensiveEvent,
  IntensiveStatus,
  SessionStatus,
  type Appointment,
  type Intensive,
  type Session,
} from "../../gen/tandem/booking/v1/booking_pb";
import type { ApiClients } from "../../app/api";
import { toPb, type CivilDate } from "../../app/dates";
import { listAll } from "../../app/staff";

export interface Disruption {
  kind: "absence" | "outage";
  action: "create" | "delete";
  /** Therapist id (absence) or room id (outage). */
  resourceId: string;
  startMs: number;
  endMs: number;
  /** Clinic-local days the interval touches. */
  fromDay: CivilDate;
  toDay: CivilDate;
}

export interface Snapshot {
  intensives: Intensive[];
  appointments: Appointment[];
}

export type RepairOutcome = "moved" | "attention" | "resolved" | "cancelled" | "unchanged" | "changed";

export interface SessionDiff {
  before: Session | null;
  after: Session | null;
  moved: boolean;
  broken: boolean;
  /** It needed attention before and no longer does. */
  mended: boolean;
}

export interface RepairItem {
  before: Intensive;
  after: Intensive | null;
  outcome: RepairOutcome;
  sessions: SessionDiff[];
}

export interface AppointmentItem {
  before: Appointment;
  after: Appointment | null;
  outcome: "attention" | "resolved" | "unchanged" | "changed";
}

const ms = (t: Timestamp | undefined) => (t ? timestampMs(t) : 0);

const LIVE = [IntensiveStatus.HELD, IntensiveStatus.BOOKED, IntensiveStatus.IN_PROGRESS, IntensiveStatus.NEEDS_ATTENTION];

function touches(d: Disruption, ids: string[], start: Timestamp | undefined, end: Timestamp | undefined): boolean {
  return ids.includes(d.resourceId) && ms(start) < d.endMs && ms(end) > d.startMs;
}

/** The live bookings the change can affect, read before the change is made. */
export async function snapshot(api: ApiClients, d: Disruption): Promise<Snapshot> {
  const dateRange = { startDate: toPb(d.fromDay), endDate: toPb(d.toDay) };
  const [intensives, appointments] = await Promise.all([
    listAll(async (pageToken) => {
      const r = await api.booking.listIntensives({ statuses: LIVE, dateRange, pageSize: 1000, pageToken });
      return { items: r.intensives, nextPageToken: r.nextPageToken };
    }),
    listAll(async (pageToken) => {
      const r = await api.booking.listAppointments({
        ...(d.kind === "absence" ? { therapistId: d.resourceId } : { roomId: d.resourceId }),
        dateRange,
        pageSize: 1000,
        pageToken,
      });
      return { items: r.appointments, nextPageToken: r.nextPageToken };
    }),
  ]);
  const sessionIds = (s: Session) => (d.kind === "absence" ? s.therapistIds : s.roomIds);
  const aIds = (a: Appointment) => (d.kind === "absence" ? [a.therapistId] : [a.roomId]);
  return {
    intensives: intensives.filter((i) =>
      i.sessions.some(
        (s) =>
          touches(d, sessionIds(s), s.startTime, s.endTime) &&
          (d.action === "create" || s.status === SessionStatus.NEEDS_ATTENTION || i.status === IntensiveStatus.NEEDS_ATTENTION),
      ),
    ),
    appointments: appointments.filter(
      (a) =>
        touches(d, aIds(a), a.startTime, a.endTime) &&
        (d.action === "create"
          ? a.status === AppointmentStatus.SCHEDULED
          : a.status === AppointmentStatus.NEEDS_ATTENTION),
    ),
  };
}

async function readAgain(api: ApiClients, before: Snapshot): Promise<Snapshot> {
  const [intensives, appointments] = await Promise.all([
    Promise.all(before.intensives.map((i) => api.booking.getIntensive({ id: i.id }).then((r) => r.intensive))),
    Promise.all(before.appointments.map((a) => api.booking.getAppointment({ id: a.id }).then((r) => r.appointment))),
  ]);
  return {
    intensives: intensives.filter((i): i is Intensive => !!i),
    appointments: appointments.filter((a): a is Appointment => !!a),
  };
}

function changedSince(before: { updateTime?: Timestamp }, after: { updateTime?: Timestamp } | undefined): boolean {
  return !!after && ms(after.updateTime) !== ms(before.updateTime);
}

/**
 * Reads the snapshot's bookings again until booking has reacted to the
 * change (it handles one directory change in one transaction, so the first
 * changed booking means all are done) or until timeoutMs.
 */
export async function waitForRepairs(
  api: ApiClients,
  before: Snapshot,
  options: { timeoutMs?: number; intervalMs?: number; isLive?: () => boolean } = {},
): Promise<{ after: Snapshot; settled: boolean }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 800;
  const deadline = Date.now() + timeoutMs;
  let after = before;
  for (;;) {
    await new Promise((r) => window.setTimeout(r, intervalMs));
    if (options.isLive && !options.isLive()) return { after, settled: false };
    after = await readAgain(api, before);
    const any =
      before.intensives.some((b) => changedSince(b, after.intensives.find((a) => a.id === b.id))) ||
      before.appointments.some((b) => changedSince(b, after.appointments.find((a) => a.id === b.id)));
    if (any) {
      // One more read, in case a second directory change was still on its way.
      await new Promise((r) => window.setTimeout(r, intervalMs));
      after = await readAgain(api, before);
      return { after, settled: true };
    }
    if (Date.now() >= deadline) return { after, settled: false };
  }
}

function sameSession(a: Session, b: Session): boolean {
  return a.id === b.id || (a.dayNumber === b.dayNumber && a.templateSessionKey === b.templateSessionKey);
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function sessionDiffs(before: Intensive, after: Intensive): SessionDiff[] {
  const out: SessionDiff[] = [];
  for (const b of before.sessions) {
    const a = after.sessions.find((s) => sameSession(s, b)) ?? null;
    const moved =
      !!a &&
      (ms(a.startTime) !== ms(b.startTime) ||
        ms(a.endTime) !== ms(b.endTime) ||
        !sameList(a.roomIds, b.roomIds) ||
        !sameList(a.therapistIds, b.therapistIds));
    const broken = !!a && a.status === SessionStatus.NEEDS_ATTENTION && b.status !== SessionStatus.NEEDS_ATTENTION;
    const mended = !!a && b.status === SessionStatus.NEEDS_ATTENTION && a.status !== SessionStatus.NEEDS_ATTENTION;
    if (!a || moved || broken || mended) out.push({ before: b, after: a, moved, broken, mended });
  }
  for (const a of after.sessions) {
    if (!before.sessions.some((b) => sameSession(a, b))) out.push({ before: null, after: a, moved: true, broken: false, mended: false });
  }
  return out;
}

export function compareIntensives(before: Snapshot, after: Snapshot): RepairItem[] {
  return before.intensives.map((b) => {
    const a = after.intensives.find((i) => i.id === b.id) ?? null;
    if (!a || !changedSince(b, a)) return { before: b, after: a, outcome: "unchanged" as const, sessions: [] };
    const sessions = sessionDiffs(b, a);
    let outcome: RepairOutcome = "changed";
    const events = a.statusHistory.slice(b.statusHistory.length).map((h) => h.event);
    if (a.status === IntensiveStatus.NEEDS_ATTENTION) outcome = "attention";
    else if (a.status === IntensiveStatus.CANCELLED) outcome = "cancelled";
    else if (b.status === IntensiveStatus.NEEDS_ATTENTION) outcome = "resolved";
    else if (events.includes(IntensiveEvent.RESCHEDULED) || sessions.some((s) => s.moved)) outcome = "moved";
    return { before: b, after: a, outcome, sessions };
  });
}

export function compareAppointments(before: Snapshot, after: Snapshot): AppointmentItem[] {
  return before.appointments.map((b) => {
    const a = after.appointments.find((x) => x.id === b.id) ?? null;
    if (!a || !changedSince(b, a)) return { before: b, after: a, outcome: "unchanged" as const };
    if (a.status === AppointmentStatus.NEEDS_ATTENTION) return { before: b, after: a, outcome: "attention" as const };
    if (b.status === AppointmentStatus.NEEDS_ATTENTION) return { before: b, after: a, outcome: "resolved" as const };
    return { before: b, after: a, outcome: "changed" as const };
  });
}
