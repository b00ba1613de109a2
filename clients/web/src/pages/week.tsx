// The clinic's week (Monday to Sunday): what needs attention first, then
// rooms x days and therapists x days, built from the roster service's
// GetClinicDay for each day (in parallel) plus the directory's closures,
// absences and room outages, booking's open holds and follow-up's contacts
// that have no time. Clicking a booking opens the intensive panel.
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { IntensiveStatus, type Intensive } from "../gen/tandem/booking/v1/booking_pb";
import { AbsenceReason, type Absence, type Closure, type RoomOutage } from "../gen/tandem/directory/v1/directory_pb";
import { ContactStatus, type FollowUpContact } from "../gen/tandem/followup/v1/followup_pb";
import { RosterItemKind, type ClinicDay, type RosterItem, type UnavailableSpan } from "../gen/tandem/roster/v1/roster_pb";
import type { PageProps } from "../app/contract";
import {
  addDays,
  compareDates,
  dateTime,
  fromPb,
  isoDate,
  longDate,
  mondayOf,
  parseIsoDate,
  sameDate,
  shortDate,
  spanLabel,
  timeRange,
  toPb,
  todayIn,
  type CivilDate,
} from "../app/dates";
import { ATTENTION_REASON, ROSTER_ITEM_KIND } from "../app/labels";
import { listAll, therapistName, roomName, useStaffNames } from "../app/staff";
import { IntensivePanel } from "../components/IntensivePanel";

interface WeekData {
  monday: CivilDate;
  days: ClinicDay[];
  closures: Closure[];
  absences: Absence[];
  outages: RoomOutage[];
  holds: Intensive[];
  unscheduled: FollowUpContact[];
}

interface Selection {
  intensiveId: string;
  coupleLabel: string;
}

const ABSENCE_REASON: Record<AbsenceReason, string> = {
  [AbsenceReason.UNSPECIFIED]: "away",
  [AbsenceReason.LEAVE]: "leave",
  [AbsenceReason.SICKNESS]: "sickness",
  [AbsenceReason.TRAINING]: "training",
  [AbsenceReason.OTHER]: "other",
};

function itemTone(item: RosterItem): string {
  if (item.needsAttention) return "attention";
  if (item.tentative) return "held";
  if (item.kind === RosterItemKind.FOLLOW_UP_CALL || item.kind === RosterItemKind.OFFICE_VISIT) return "other";
  return "booked";
}

function itemStatusWord(item: RosterItem): string {
  if (item.needsAttention) return "needs attention";
  if (item.tentative) return "held";
  return "confirmed";
}

function byIdNumber(a: string, b: string): number {
  const na = Number(a.replace(/\D/g, "")), nb = Number(b.replace(/\D/g, ""));
  return na - nb || a.localeCompare(b);
}

function spanText(spans: UnavailableSpan[], tz: string): string {
  return spans.map((s) => spanLabel(s.startTime, s.endTime, tz)).join(", ");
}

/** Overlap of an interval with the week (clinic days, approximated with a day's margin on each side). */
function overlapsWeek(start: number, end: number, monday: CivilDate): boolean {
  const from = Date.UTC(monday.year, monday.month - 1, monday.day) - 86_400_000;
  const to = from + 9 * 86_400_000;
  return start < to && end > from;
}

/** The state other pages pass to open the Week on an intensive. */
function weekRouteState(state: unknown): { intensiveId: string; date: CivilDate } | null {
  if (typeof state !== "object" || state === null) return null;
  const { intensiveId, date } = state as { intensiveId?: unknown; date?: unknown };
  if (typeof intensiveId !== "string" || typeof date !== "string") return null;
  const parsed = parseIsoDate(date);
  return parsed ? { intensiveId, date: parsed } : null;
}

export function WeekPage(props: PageProps) {
  const { api, clinic } = props;
  const tz = clinic.timeZone;
  const today = todayIn(tz);
  // Another page may open the Week on an intensive ({intensiveId, date}, in
  // memory: never in the URL): show that week with the intensive's panel.
  const opened = weekRouteState(props.routeState);
  const [monday, setMonday] = useState<CivilDate>(() => mondayOf(opened?.date ?? today));
  const [data, setData] = useState<WeekData | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<Selection | null>(() =>
    opened ? { intensiveId: opened.intensiveId, coupleLabel: "" } : null,
  );
  const [reloadKey, setReloadKey] = useState(0);
  const names = useStaffNames(api, (err) => props.reportError(err, { context: "Read staff and rooms" }));

  // The clinic's zone arrives after sign-in: re-anchor "this week" once it does.
  useEffect(() => {
    setMonday(mondayOf(opened?.date ?? todayIn(tz)));
  }, [tz]);

  useEffect(() => {
    let live = true;
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const sunday = days[6];
    const weekRange = { startDate: toPb(monday), endDate: toPb(sunday) };
    const from = Date.UTC(monday.year, monday.month - 1, monday.day) - 86_400_000;
    const load = async () => {
      setLoading(true);
      try {
        const clinicDays = await Promise.all(days.map((d) => api.roster.getClinicDay({ date: toPb(d) })));
        const [closures, absences, outages, holds, unscheduled] = await Promise.allSettled([
          listAll(async (pageToken) => {
            const r = await api.directory.listClosures({ dateRange: weekRange, pageSize: 1000, pageToken });
            return { items: r.closures, nextPageToken: r.nextPageToken };
          }),
          listAll(async (pageToken) => {
            const r = await api.directory.listAbsences({
              endAfter: timestampFromMs(from),
              startBefore: timestampFromMs(from + 9 * 86_400_000),
              pageSize: 1000,
              pageToken,
            });
            return { items: r.absences, nextPageToken: r.nextPageToken };
          }),
          listAll(async (pageToken) => {
            const r = await api.directory.listRoomOutages({ pageSize: 1000, pageToken });
            return { items: r.roomOutages, nextPageToken: r.nextPageToken };
          }),
          listAll(async (pageToken) => {
            const r = await api.booking.listIntensives({
              statuses: [IntensiveStatus.HELD],
              pageSize: 1000,
              pageToken,
            });
            return { items: r.intensives, nextPageToken: r.nextPageToken };
          }),
          listAll(async (pageToken) => {
            const r = await api.followup.listFollowUpContacts({
              statuses: [ContactStatus.UNSCHEDULED, ContactStatus.NEEDS_ATTENTION],
              pageSize: 1000,
              pageToken,
            });
            return { items: r.followUpContacts, nextPageToken: r.nextPageToken };
          }),
        ]);
        if (!live) return;
        const failed = [closures, absences, outages, holds, unscheduled].find((r) => r.status === "rejected");
        if (failed && failed.status === "rejected") {
          props.reportError(failed.reason, { context: "Week: some details could not be read" });
        }
        const value = <T,>(r: PromiseSettledResult<T[]>): T[] => (r.status === "fulfilled" ? r.value : []);
        setData({
          monday,
          days: clinicDays.map((r) => r.clinicDay!).filter(Boolean),
          closures: value(closures),
          absences: value(absences).filter((a) =>
            overlapsWeek(timestampMs(a.startTime!), timestampMs(a.endTime!), monday),
          ),
          outages: value(outages).filter(
            (o) => o.startTime && o.endTime && overlapsWeek(timestampMs(o.startTime), timestampMs(o.endTime), monday),
          ),
          holds: value(holds),
          unscheduled: value(unscheduled),
        });
      } catch (err) {
        if (live) props.reportError(err, { context: `Week of ${longDate(monday)}`, retry: () => setReloadKey((k) => k + 1) });
      } finally {
        if (live) setLoading(false);
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, monday, reloadKey]);

  const open = (intensiveId: string, coupleLabel: string) => {
    if (intensiveId) setSelected({ intensiveId, coupleLabel });
  };

  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  // Couples' staff labels as the roster gives them (holds carry only ids).
  const coupleLabels = new Map<string, string>();
  for (const cd of data?.days ?? []) {
    for (const col of [...cd.rooms, ...cd.therapists]) {
      for (const item of col.items) if (item.coupleLabel) coupleLabels.set(item.coupleId, item.coupleLabel);
    }
    for (const a of cd.needsAttention) if (a.coupleLabel) coupleLabels.set(a.coupleId, a.coupleLabel);
  }
  const dayData = (d: CivilDate) => data?.days.find((cd) => sameDate(fromPb(cd.date), d));
  const attention = data?.days[0]?.needsAttention ?? [];

  // Rows: every room and therapist seen on any day, by id.
  const roomRows = new Map<string, string>();
  const therapistRows = new Map<string, string>();
  for (const cd of data?.days ?? []) {
    for (const r of cd.rooms) roomRows.set(r.roomId, r.roomName + (r.inactive ? " (inactive)" : ""));
    for (const t of cd.therapists) therapistRows.set(t.therapistId, t.therapistName);
  }

  const entry = (item: RosterItem, key: string) => {
    const tone = itemTone(item);
    const isFollowUp = item.kind === RosterItemKind.FOLLOW_UP_CALL || item.kind === RosterItemKind.OFFICE_VISIT;
    const text = (
      <>
        <strong>{timeRange(item.startTime, item.endTime, tz)}</strong> {item.coupleLabel}
        <span class="cell-note">
          {ROSTER_ITEM_KIND[item.kind]}
          {item.dayCount ? `, day ${item.dayNumber}/${item.dayCount}` : ""}
          {isFollowUp ? "" : `, ${itemStatusWord(item)}`}
        </span>
      </>
    );
    if (isFollowUp || !item.intensiveId) {
      return (
        <span key={key} class={`entry status-${tone}`} data-testid="week-entry">
          {text}
        </span>
      );
    }
    return (
      <button
        key={key}
        type="button"
        class={`entry status-${tone}`}
        onClick={() => open(item.intensiveId, item.coupleLabel)}
        data-testid="week-entry"
        data-intensive-id={item.intensiveId}
        data-status={tone}
      >
        {text}
      </button>
    );
  };

  const header = (
    <thead>
      <tr>
        <td></td>
        {days.map((d) => {
          const cd = dayData(d);
          const closed = cd?.clinicClosed || (cd && !cd.openingHours);
          return (
            <th
              scope="col"
              key={isoDate(d)}
              class={`${closed ? "closed" : ""} ${sameDate(d, today) ? "today" : ""}`}
              aria-current={sameDate(d, today) ? "date" : undefined}
            >
              {shortDate(d)}
              {cd?.clinicClosed ? <span class="cell-note">closed{cd.closureLabel ? `: ${cd.closureLabel}` : ""}</span> : null}
              {cd && !cd.clinicClosed && !cd.openingHours ? <span class="cell-note">not open</span> : null}
            </th>
          );
        })}
      </tr>
    </thead>
  );

  return (
    <section aria-labelledby="page-title" data-testid="page-week">
      <div class="toolbar">
        <h1 id="page-title">Week of {longDate(monday)}</h1>
        <button type="button" class="secondary" onClick={() => setMonday(addDays(monday, -7))} data-testid="week-prev">
          <span aria-hidden="true">&larr; </span>Previous week
        </button>
        <button type="button" class="secondary" onClick={() => setMonday(mondayOf(todayIn(tz)))} data-testid="week-today">
          This week
        </button>
        <button type="button" class="secondary" onClick={() => setMonday(addDays(monday, 7))} data-testid="week-next">
          Next week<span aria-hidden="true"> &rarr;</span>
        </button>
        <button type="button" class="secondary" onClick={() => setReloadKey((k) => k + 1)} data-testid="week-refresh">
          Refresh
        </button>
        {loading ? <span role="status">Loading...</span> : null}
      </div>

      {selected ? (
        <IntensivePanel
          api={api}
          intensiveId={selected.intensiveId}
          coupleLabel={selected.coupleLabel}
          clinic={clinic}
          names={names}
          reportError={props.reportError}
          clearError={props.clearError}
          onClose={() => setSelected(null)}
          onChanged={() => setReloadKey((k) => k + 1)}
        />
      ) : null}

      <h2 id="attention-heading">Needs attention</h2>
      <div data-testid="needs-attention">
        {data && attention.length === 0 && data.unscheduled.length === 0 && data.holds.length === 0 ? (
          <p class="muted">Nothing needs attention.</p>
        ) : null}
        {attention.length ? (
          <ul class="attention-list" aria-label="Bookings that need attention">
            {attention.map((a) => (
              <li key={a.intensiveId || a.appointmentId} data-testid="attention-item">
                <strong>{a.coupleLabel || a.coupleId}</strong>
                <span>{ATTENTION_REASON[a.reason]}</span>
                <span>from {longDate(fromPb(a.firstAffectedDate))}</span>
                {a.intensiveId ? (
                  <button type="button" class="secondary" onClick={() => open(a.intensiveId, a.coupleLabel)} data-testid="attention-open">
                    Open intensive {a.intensiveId}
                  </button>
                ) : (
                  <span>follow-up appointment {a.appointmentId} (see Follow-up)</span>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {data && data.unscheduled.length ? (
          <>
            <h3>Follow-up contacts without a time</h3>
            <ul class="attention-list">
              {data.unscheduled.map((c) => (
                <li key={c.id} data-testid="unscheduled-contact">
                  <span>{c.id}</span>
                  <span>{c.status === ContactStatus.NEEDS_ATTENTION ? "needs a new time" : "no time found"}</span>
                  <span>due {longDate(fromPb(c.dueDate))}</span>
                  <span>{therapistName(names, c.therapistId)}</span>
                  <span class="muted">couple {c.coupleId}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {data && data.holds.length ? (
          <>
            <h3>Holds waiting for confirmation</h3>
            <ul class="attention-list holds">
              {data.holds.map((h) => (
                <li key={h.id} class="hold" data-testid="hold-item">
                  <span class="status status-held">held</span>
                  <strong>{coupleLabels.get(h.coupleId) || h.coupleId}</strong>
                  <span>{h.templateDisplayName}</span>
                  <span>
                    {shortDate(fromPb(h.startDate))} to {shortDate(fromPb(h.endDate))}
                  </span>
                  <span>expires {dateTime(h.expireTime, tz)}</span>
                  <button type="button" class="secondary" onClick={() => open(h.id, coupleLabels.get(h.coupleId) || "")} data-testid="hold-open">
                    Open intensive {h.id}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>

      <div class="legend" aria-label="Legend">
        <span class="status status-booked">confirmed</span>
        <span class="status status-held">held</span>
        <span class="status status-attention">needs attention</span>
        <span class="status status-other">follow-up</span>
      </div>

      <h2 id="rooms-heading">Rooms</h2>
      <div class="grid-wrap">
        <table class="week-grid" aria-labelledby="rooms-heading" data-testid="week-rooms">
          {header}
          <tbody>
            {[...roomRows.entries()]
              .sort((a, b) => byIdNumber(a[0], b[0]))
              .map(([roomId, name]) => (
                <tr key={roomId}>
                  <th scope="row">{name}</th>
                  {days.map((d) => {
                    const cd = dayData(d);
                    const col = cd?.rooms.find((r) => r.roomId === roomId);
                    return (
                      <td
                        key={isoDate(d)}
                        class={cd?.clinicClosed ? "closed" : ""}
                        data-testid={`week-cell-${roomId}-${isoDate(d)}`}
                      >
                        {col?.outages.length ? (
                          <span class="cell-note status-attention">out of service {spanText(col.outages, tz)}</span>
                        ) : null}
                        {col?.items.map((item, i) => entry(item, `${roomId}-${i}`))}
                      </td>
                    );
                  })}
                </tr>
              ))}
          </tbody>
        </table>
      </div>

      <h2 id="therapists-heading">Therapists</h2>
      <div class="grid-wrap">
        <table class="week-grid" aria-labelledby="therapists-heading" data-testid="week-therapists">
          {header}
          <tbody>
            {[...therapistRows.entries()]
              .sort((a, b) => byIdNumber(a[0], b[0]))
              .map(([therapistId, name]) => (
                <tr key={therapistId}>
                  <th scope="row">{name}</th>
                  {days.map((d) => {
                    const cd = dayData(d);
                    const col = cd?.therapists.find((t) => t.therapistId === therapistId);
                    const off = cd && !cd.clinicClosed && col && !col.workingHours;
                    return (
                      <td
                        key={isoDate(d)}
                        class={cd?.clinicClosed ? "closed" : ""}
                        data-testid={`week-cell-${therapistId}-${isoDate(d)}`}
                      >
                        {off ? <span class="cell-note">not working</span> : null}
                        {col?.absences.length ? (
                          <span class="cell-note status-attention">away {spanText(col.absences, tz)}</span>
                        ) : null}
                        {col?.items.map((item, i) => entry(item, `${therapistId}-${i}`))}
                      </td>
                    );
                  })}
                </tr>
              ))}
          </tbody>
        </table>
      </div>

      {data && (data.closures.length || data.absences.length || data.outages.length) ? (
        <>
          <h2>Closures, absences and outages this week</h2>
          <ul data-testid="week-unavailability">
            {data.closures
              .slice()
              .sort((a, b) => compareDates(fromPb(a.date)!, fromPb(b.date)!))
              .map((c) => (
                <li key={c.id}>
                  Clinic closed {longDate(fromPb(c.date))}
                  {c.label ? `: ${c.label}` : ""}
                </li>
              ))}
            {data.absences.map((a) => (
              <li key={a.id}>
                {therapistName(names, a.therapistId)} away ({ABSENCE_REASON[a.reason]}) {dateTime(a.startTime, tz)} to{" "}
                {dateTime(a.endTime, tz)}
              </li>
            ))}
            {data.outages.map((o) => (
              <li key={o.id}>
                {roomName(names, o.roomId)} out of service {dateTime(o.startTime, tz)} to {dateTime(o.endTime, tz)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
