// Absences page (issue #9 part 2): therapists' absences (directory
// ListAbsences / CreateAbsence / DeleteAbsence; coordinator or admin) and
// room outages (ListRoomOutages / CreateRoomOutage / DeleteRoomOutage).
// After a change it shows what the booking service did about it: intensives
// repaired without asking (same team, moved in time or room), intensives and
// follow-up contacts that now need attention (booking ListIntensives /
// GetIntensive / ListAppointments / GetAppointment, before and after), with
// the intensive panel to reschedule and a way to the Week page.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { AbsenceReason, type Absence } from "../gen/tandem/directory/v1/directory_pb";
import { useActionIds } from "../app/actions";
import type { PageProps } from "../app/contract";
import { addDays, isoDate, parseIsoDate, todayIn } from "../app/dates";
import { hasRole } from "../app/session";
import { listAll, therapistName, useStaffNames } from "../app/staff";
import { IntensivePanel } from "../components/IntensivePanel";
import { intervalFromInputs, spanText, zonedTimestamp } from "./absences/clinicTime";
import { IntervalFields, type IntervalInput } from "./absences/IntervalFields";
import { OutagesSection } from "./absences/Outages";
import { RepairReport } from "./absences/RepairReport";
import { daysOf, useRepairTracker } from "./absences/useRepairTracker";
import { coupleLabel, useCouples } from "./followup/couples";
import "./pages.css";
import { isRetriable } from "../app/errors";
import { ConfirmedAction } from "../components/ConfirmedAction";

export const ABSENCE_REASON: Record<AbsenceReason, string> = {
  [AbsenceReason.UNSPECIFIED]: "unknown",
  [AbsenceReason.LEAVE]: "leave",
  [AbsenceReason.SICKNESS]: "sickness",
  [AbsenceReason.TRAINING]: "training",
  [AbsenceReason.OTHER]: "other",
};
const REASONS = [AbsenceReason.SICKNESS, AbsenceReason.LEAVE, AbsenceReason.TRAINING, AbsenceReason.OTHER];

export function AbsencesPage(props: PageProps) {
  const { api, session, clinic } = props;
  const tz = clinic.timeZone;
  const today = todayIn(tz);
  const names = useStaffNames(api, (err) => props.reportError(err, { context: "Read staff" }));
  const canWrite = hasRole(session, "coordinator", "admin");
  const seesBookings = hasRole(session, "coordinator");
  const ids = useActionIds();
  const tracker = useRepairTracker(api, seesBookings, props.reportError);
  const couples = useCouples(
    api,
    [...(tracker.report?.items.map((i) => i.before.coupleId) ?? []), ...(tracker.report?.appointments.map((a) => a.before.coupleId) ?? [])],
    seesBookings,
  );

  // The list
  const [filterTherapist, setFilterTherapist] = useState("");
  const [filterFrom, setFilterFrom] = useState(isoDate(today));
  const [filterTo, setFilterTo] = useState("");
  const [absences, setAbsences] = useState<Absence[] | null>(null);
  const [reload, setReload] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  // The form
  const [therapistId, setTherapistId] = useState("");
  const [range, setRange] = useState<IntervalInput>({ fromDate: isoDate(today), fromTime: "", toDate: isoDate(today), toTime: "" });
  const [reason, setReason] = useState<AbsenceReason>(AbsenceReason.SICKNESS);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; label: string } | null>(null);

  // The clinic's zone arrives after the first render.
  useEffect(() => {
    const t = isoDate(todayIn(tz));
    setFilterFrom(t);
    setRange((v) => (v.fromDate ? v : { ...v, fromDate: t, toDate: t }));
  }, [tz]);

  const therapists = [...names.therapists.values()];
  const activeTherapists = therapists.filter((t) => t.active);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const from = parseIsoDate(filterFrom);
      const to = parseIsoDate(filterTo);
      try {
        const list = await listAll(async (pageToken) => {
          const r = await api.directory.listAbsences({
            therapistId: filterTherapist,
            endAfter: from ? zonedTimestamp(from, 0, tz) : undefined,
            startBefore: to ? zonedTimestamp(addDays(to, 1), 0, tz) : undefined,
            pageSize: 1000,
            pageToken,
          });
          return { items: r.absences, nextPageToken: r.nextPageToken };
        });
        if (live) setAbsences(list);
      } catch (err) {
        if (live) props.reportError(err, { context: "List absences", retry: isRetriable(err) ? load : undefined });
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, filterTherapist, filterFrom, filterTo, tz, reload]);

  const record = async () => {
    setNotice(null);
    const iv = intervalFromInputs(range, tz);
    if (!therapistId) {
      props.reportError(new Error("Choose the therapist."), { context: "Record absence" });
      return;
    }
    if (typeof iv === "string") {
      props.reportError(new Error(iv), { context: "Record absence" });
      return;
    }
    const key = `absence:${therapistId}:${iv.startMs}:${iv.endMs}:${reason}`;
    const title = `Absence of ${therapistName(names, therapistId)}: ${spanText(iv.start, iv.end, tz)} (${ABSENCE_REASON[reason]})`;
    setBusy(true);
    setOpen(null);
    try {
      await tracker.run(
        { kind: "absence", action: "create", resourceId: therapistId, startMs: iv.startMs, endMs: iv.endMs, ...daysOf(iv.startMs, iv.endMs, tz) },
        title,
        async () => {
          const r = await api.directory.createAbsence({
            requestId: ids.idFor(key),
            absence: { therapistId, startTime: iv.start, endTime: iv.end, reason },
          });
          ids.done(key);
          props.clearError();
          setNotice(`Recorded: ${r.absence ? spanText(r.absence.startTime, r.absence.endTime, tz) : ""}, ${therapistName(names, therapistId)}.`);
          setReload((k) => k + 1);
          setTherapistId(""); // a second press must not record it twice
        },
      );
    } catch (err) {
      props.reportError(err, { context: "Record absence", retry: isRetriable(err) ? record : undefined });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (a: Absence) => {
    const key = `absence-delete:${a.id}`;
    const startMs = a.startTime ? timestampMs(a.startTime) : 0;
    const endMs = a.endTime ? timestampMs(a.endTime) : 0;
    const title = `Removed absence of ${therapistName(names, a.therapistId)}: ${spanText(a.startTime, a.endTime, tz)}`;
    setBusy(true);
    setOpen(null);
    try {
      await tracker.run(
        { kind: "absence", action: "delete", resourceId: a.therapistId, startMs, endMs, ...daysOf(startMs, endMs, tz) },
        title,
        async () => {
          await api.directory.deleteAbsence({ requestId: ids.idFor(key), id: a.id });
          ids.done(key);
          props.clearError();
          setConfirmDelete(null);
          setNotice("Absence removed.");
          setReload((k) => k + 1);
        },
      );
    } catch (err) {
      props.reportError(err, { context: "Delete absence", retry: isRetriable(err) ? () => remove(a) : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title" data-testid="page-absences" class="tp-page">
      <h1 id="page-title">Absences</h1>
      <p class="hint">
        When a therapist is away or a room is out of service, the booking service repairs the bookings it touches where it can keep the
        team and the day, and marks the others as needing attention.
      </p>
      {notice ? (
        <p class="banner banner-info" role="status" data-testid="absence-notice">
          {notice}
        </p>
      ) : null}

      {tracker.report ? (
        <RepairReport
          report={tracker.report}
          names={names}
          coupleLabel={(id) => coupleLabel(couples, id)}
          timeZone={tz}
          onOpen={(id, label) => setOpen({ id, label })}
          onShowInWeek={(intensiveId, date) => props.navigate("week", { intensiveId, date })}
          onFollowUp={() => props.navigate("followup")}
          onCheckAgain={tracker.checkAgain}
          onDismiss={() => {
            tracker.dismiss();
            setOpen(null);
          }}
        />
      ) : null}
      {open ? (
        <IntensivePanel
          api={api}
          intensiveId={open.id}
          coupleLabel={open.label}
          clinic={clinic}
          names={names}
          reportError={props.reportError}
          clearError={props.clearError}
          onClose={() => setOpen(null)}
          onChanged={() => tracker.checkAgain()}
        />
      ) : null}

      <div class="tp-grid">
        <form
          class="card"
          aria-labelledby="absence-form-heading"
          data-testid="absence-form"
          onSubmit={(e) => {
            e.preventDefault();
            record();
          }}
        >
          <h2 id="absence-form-heading">Record an absence</h2>
          {!canWrite ? <p class="hint">Only coordinators and admins can record absences.</p> : null}
          <fieldset disabled={!canWrite || busy} class="tp-bare">
            <div class="field-row">
              <div class="field">
                <label for="absence-therapist">Therapist</label>
                <select
                  id="absence-therapist"
                  required
                  value={therapistId}
                  onChange={(e) => setTherapistId(e.currentTarget.value)}
                  data-testid="absence-therapist"
                >
                  <option value="">Choose...</option>
                  {activeTherapists.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.displayName} ({t.id})
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="absence-reason">Reason</label>
                <select
                  id="absence-reason"
                  value={reason}
                  onChange={(e) => setReason(Number(e.currentTarget.value) as AbsenceReason)}
                  data-testid="absence-reason"
                >
                  {REASONS.map((r) => (
                    <option key={r} value={r}>
                      {ABSENCE_REASON[r]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <IntervalFields prefix="absence" value={range} onChange={setRange} />
            <p class="hint">The reason is a code only: no free text is stored with an absence.</p>
            <button type="submit" data-testid="absence-submit">
              {busy ? "Recording..." : "Record absence"}
            </button>
          </fieldset>
        </form>

        <div class="card" aria-labelledby="absence-list-heading">
          <h2 id="absence-list-heading">Absences</h2>
          <div class="field-row">
            <div class="field">
              <label for="absence-filter-therapist">Therapist</label>
              <select
                id="absence-filter-therapist"
                value={filterTherapist}
                onChange={(e) => setFilterTherapist(e.currentTarget.value)}
                data-testid="absence-filter-therapist"
              >
                <option value="">All therapists</option>
                {therapists.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.displayName}
                    {t.active ? "" : " (inactive)"}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="absence-filter-from">Ending after</label>
              <input
                id="absence-filter-from"
                type="date"
                value={filterFrom}
                onChange={(e) => setFilterFrom(e.currentTarget.value)}
                data-testid="absence-filter-from"
              />
            </div>
            <div class="field">
              <label for="absence-filter-to">Starting by</label>
              <input
                id="absence-filter-to"
                type="date"
                value={filterTo}
                min={filterFrom}
                onChange={(e) => setFilterTo(e.currentTarget.value)}
                data-testid="absence-filter-to"
              />
            </div>
          </div>
          {absences === null ? (
            <p aria-busy="true">Loading...</p>
          ) : absences.length === 0 ? (
            <p class="muted" data-testid="absence-empty">
              No absences in this range.
            </p>
          ) : (
            <div class="grid-wrap">
              <table class="list" data-testid="absence-list">
                <thead>
                  <tr>
                    <th scope="col">Therapist</th>
                    <th scope="col">When</th>
                    <th scope="col">Reason</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {absences.map((a) => (
                    <tr key={a.id} data-testid="absence-row" data-absence-id={a.id}>
                      <td>{therapistName(names, a.therapistId)}</td>
                      <td>{spanText(a.startTime, a.endTime, tz)}</td>
                      <td>{ABSENCE_REASON[a.reason] ?? ""}</td>
                      <td class="tp-actions">
                        <ConfirmedAction
                          verb="Delete"
                          armed={confirmDelete === a.id}
                          onArm={() => setConfirmDelete(a.id)}
                          onDisarm={() => setConfirmDelete(null)}
                          onConfirm={() => remove(a)}
                          disabled={!canWrite}
                          busy={busy}
                          ariaLabel={`Delete absence ${a.id}`}
                          testId="absence-delete"
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>

      <OutagesSection
        api={api}
        clinic={clinic}
        names={names}
        canWrite={canWrite}
        tracker={tracker}
        reportError={props.reportError}
        clearError={props.clearError}
        onBeforeChange={() => setOpen(null)}
      />
    </section>
  );
}
