// A therapist's day: sessions and follow-up contacts in time order (roster
// service GetTherapistRoster), day by day, with the calls due today, a
// calendar subscription (CreateCalendarFeed) and the calendar file
// (ExportTherapistCalendar) to download. Coordinators can look
// at any therapist's day.
import { useEffect, useRef, useState } from "preact/hooks";
import type { TherapistRosterDay } from "../gen/tandem/roster/v1/roster_pb";
import type { PageProps } from "../app/contract";
import { addDays, isoDate, longDate, parseIsoDate, sameDate, spanLabel, timeRange, toPb, todayIn, type CivilDate } from "../app/dates";
import { ROSTER_ITEM_KIND } from "../app/labels";
import { hasRole } from "../app/session";
import { useStaffNames } from "../app/staff";
import { CalendarSubscription } from "./myday/CalendarSubscription";

const CALENDAR_DAYS_BACK = 7;
const CALENDAR_DAYS_AHEAD = 180;

export function MyDayPage(props: PageProps) {
  const { api, clinic, session } = props;
  const tz = clinic.timeZone;
  const isCoordinator = hasRole(session, "coordinator");
  const names = useStaffNames(api, (err) => props.reportError(err, { context: "Read staff" }));
  const [therapistId, setTherapistId] = useState(session.therapistId);
  const [date, setDate] = useState<CivilDate>(() => todayIn(tz));
  const [day, setDay] = useState<TherapistRosterDay | null>(null);
  const [therapistName, setTherapistName] = useState("");
  const [loading, setLoading] = useState(false);
  const [download, setDownload] = useState<{ url: string; filename: string; bytes: number } | null>(null);
  const urlRef = useRef<string | null>(null);
  const today = todayIn(tz);

  useEffect(() => setDate(todayIn(tz)), [tz]);

  // Coordinators without a therapist id of their own start with the first therapist.
  useEffect(() => {
    if (!therapistId && names.therapists.size) setTherapistId([...names.therapists.keys()][0]);
  }, [names]);

  useEffect(() => {
    if (!therapistId) return;
    let live = true;
    const load = async () => {
      setLoading(true);
      try {
        const r = await api.roster.getTherapistRoster({
          therapistId,
          dateRange: { startDate: toPb(date), endDate: toPb(date) },
        });
        if (!live) return;
        setDay(r.roster?.days[0] ?? null);
        setTherapistName(r.roster?.therapistName ?? "");
        props.clearError();
      } catch (err) {
        if (live) props.reportError(err, { context: `Roster for ${longDate(date)}`, retry: load });
      } finally {
        if (live) setLoading(false);
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, therapistId, date]);

  // Revoke the calendar's Blob URL when it is replaced or the page closes.
  useEffect(() => () => {
    if (urlRef.current) URL.revokeObjectURL(urlRef.current);
  }, []);

  const exportCalendar = async () => {
    try {
      const r = await api.roster.exportTherapistCalendar({
        therapistId,
        dateRange: { startDate: toPb(addDays(today, -CALENDAR_DAYS_BACK)), endDate: toPb(addDays(today, CALENDAR_DAYS_AHEAD)) },
      });
      const blob = new Blob([r.content as BlobPart], { type: r.contentType || "text/calendar; charset=utf-8" });
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
      const url = URL.createObjectURL(blob);
      urlRef.current = url;
      setDownload({ url, filename: r.filename || `${therapistId}.ics`, bytes: r.content.length });
    } catch (err) {
      props.reportError(err, { context: "Calendar file", retry: exportCalendar });
    }
  };

  const items = day?.items ?? [];
  return (
    <section aria-labelledby="page-title" data-testid="page-my-day">
      <div class="toolbar">
        <h1 id="page-title">
          {session.therapistId && therapistId === session.therapistId ? "My day" : "Day"}: {longDate(date)}
        </h1>
        <button type="button" class="secondary" onClick={() => setDate(addDays(date, -1))} data-testid="day-prev">
          <span aria-hidden="true">&larr; </span>Previous day
        </button>
        <button type="button" class="secondary" onClick={() => setDate(todayIn(tz))} data-testid="day-today">
          Today
        </button>
        <button type="button" class="secondary" onClick={() => setDate(addDays(date, 1))} data-testid="day-next">
          Next day<span aria-hidden="true"> &rarr;</span>
        </button>
        <label for="day-date" class="sr-only">
          Go to date
        </label>
        <input
          id="day-date"
          type="date"
          value={isoDate(date)}
          onChange={(e) => {
            const d = parseIsoDate(e.currentTarget.value);
            if (d) setDate(d);
          }}
          data-testid="day-date"
        />
        {loading ? <span role="status">Loading...</span> : null}
      </div>

      {isCoordinator ? (
        <div class="inline-form">
          <label for="day-therapist">Therapist</label>
          <select id="day-therapist" value={therapistId} onChange={(e) => setTherapistId(e.currentTarget.value)} data-testid="day-therapist">
            {session.therapistId && !names.therapists.has(session.therapistId) ? (
              <option value={session.therapistId}>{session.therapistId}</option>
            ) : null}
            {[...names.therapists.values()].map((t) => (
              <option value={t.id} key={t.id}>
                {t.displayName} ({t.id}){t.active ? "" : ", inactive"}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {!therapistId ? <p>Your token names no therapist, so there is no roster to show.</p> : null}
      {therapistName ? <p class="muted" data-testid="day-therapist-name">{therapistName} ({therapistId})</p> : null}

      {day?.clinicClosed ? (
        <p class="banner banner-info" data-testid="day-closed">
          The clinic is closed{day.closureLabel ? `: ${day.closureLabel}` : ""}.
        </p>
      ) : null}
      {day?.absences.length ? (
        <p class="banner banner-info" data-testid="day-absent">
          Away {day.absences.map((a) => spanLabel(a.startTime, a.endTime, tz)).join(", ")}.
        </p>
      ) : null}

      <h2>Sessions and contacts</h2>
      {day && items.length === 0 ? <p class="muted" data-testid="day-empty">Nothing booked.</p> : null}
      <ul class="day-list" data-testid="my-day-list">
        {items.map((item, i) => (
          <li
            key={item.sessionId || item.appointmentId || i}
            class={item.needsAttention ? "attention" : item.tentative ? "tentative" : ""}
            data-testid="my-day-item"
          >
            <span class="time">{timeRange(item.startTime, item.endTime, tz)}</span>
            <span>
              <strong>{ROSTER_ITEM_KIND[item.kind]}</strong>
              {item.roomName ? ` in ${item.roomName}` : ""}
              {item.coTherapistName ? ` with ${item.coTherapistName}` : ""}
              {item.coupleLabel ? `, ${item.coupleLabel}` : ""}
              {item.dayCount ? `, day ${item.dayNumber} of ${item.dayCount}` : ""}
              {item.templateName ? <span class="muted"> ({item.templateName})</span> : null}
              {item.tentative ? <span class="status status-held"> held, not confirmed</span> : null}
              {item.needsAttention ? <span class="status status-attention"> needs attention</span> : null}
            </span>
          </li>
        ))}
      </ul>

      {day?.callsDue.length ? (
        <>
          <h2>Calls due today</h2>
          <table class="list" data-testid="calls-due">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Couple</th>
                <th scope="col">Ring</th>
              </tr>
            </thead>
            <tbody>
              {day.callsDue.map((c) => (
                <tr key={c.followUpContactId}>
                  <td>{c.startTime ? timeRange(c.startTime, c.endTime, tz) : "not booked to a time"}</td>
                  <td>{c.coupleLabel}</td>
                  <td>
                    {c.phones.map((p) => (
                      <span key={p.phone}>
                        {p.label} <a href={`tel:${p.phone}`}>{p.phone}</a>{" "}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : sameDate(date, today) ? null : (
        <p class="hint">Numbers to ring are shown on the day of the call only.</p>
      )}

      {therapistId ? (
        <section class="card" aria-labelledby="calendar-heading" data-testid="calendar-feed">
          <h2 id="calendar-heading">Calendar feed</h2>
          <CalendarSubscription api={api} therapistId={therapistId} timeZone={tz} reportError={props.reportError} />
          <h3>Or a file, once</h3>
          <p>
            Your roster as a calendar file (iCalendar, {CALENDAR_DAYS_BACK} days back to {CALENDAR_DAYS_AHEAD} days ahead) to import.
            Entries say only the room, the co-therapist and a booking reference. Import it again after changes:
            entries keep their identity, so moved sessions update in place and cancelled ones are marked cancelled.
          </p>
          <div class="button-row">
            <button type="button" onClick={exportCalendar} data-testid="calendar-export">
              Prepare calendar file
            </button>
            {download ? (
              <a href={download.url} download={download.filename} data-testid="calendar-download">
                Download {download.filename} ({Math.ceil(download.bytes / 1024)} KB)
              </a>
            ) : null}
          </div>
        </section>
      ) : null}
    </section>
  );
}
