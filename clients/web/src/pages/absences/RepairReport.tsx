// The bookings an absence or outage touched, before -> after.
import type { Session } from "../../gen/tandem/booking/v1/booking_pb";
import { AppointmentKind } from "../../gen/tandem/booking/v1/booking_pb";
import { dateTime, fromPb, isoDate, longDate, shortDate, timeRange } from "../../app/dates";
import { ATTENTION_REASON, INTENSIVE_STATUS, SESSION_KIND, intensiveTone } from "../../app/labels";
import { roomName, teamLabel, therapistName, type StaffNames } from "../../app/staff";
import type { AppointmentItem, RepairItem } from "./repairs";

export interface RepairReportState {
  /** "Absence of J. Rao, Mon 1 Dec 2026 (whole day)": staff and dates only. */
  title: string;
  phase: "checking" | "done" | "timeout" | "nothing" | "unavailable";
  items: RepairItem[];
  appointments: AppointmentItem[];
  /** The change deleted a record (bookings may be resolved) rather than created one. */
  deleted: boolean;
}

interface Props {
  report: RepairReportState;
  names: StaffNames;
  coupleLabel: (coupleId: string) => string;
  timeZone: string;
  onOpen: (intensiveId: string, coupleLabel: string) => void;
  onShowInWeek: (intensiveId: string, date: string) => void;
  onFollowUp: () => void;
  onCheckAgain: () => void;
  onDismiss: () => void;
}

const OUTCOME_TEXT: Record<RepairItem["outcome"], string> = {
  moved: "repaired: same team, moved",
  attention: "needs attention",
  resolved: "no longer needs attention",
  cancelled: "cancelled",
  unchanged: "no change seen",
  changed: "changed",
};

const OUTCOME_TONE: Record<RepairItem["outcome"], string> = {
  moved: "booked",
  attention: "attention",
  resolved: "booked",
  cancelled: "other",
  unchanged: "other",
  changed: "held",
};

function sessionText(s: Session | null, names: StaffNames, tz: string): string {
  if (!s) return "(removed)";
  const rooms = s.roomIds.map((id) => roomName(names, id)).join(", ") || "no room";
  const people = s.therapistIds.map((id) => therapistName(names, id)).join(" + ");
  return `${shortDate(fromPb(s.date))} ${timeRange(s.startTime, s.endTime, tz)}, ${rooms}, ${people}`;
}

export function RepairReport(props: Props) {
  const { report, names, timeZone: tz } = props;
  const affected = report.items.filter((i) => i.outcome !== "unchanged");
  const unchanged = report.items.filter((i) => i.outcome === "unchanged");
  const appts = report.appointments.filter((a) => a.outcome !== "unchanged");
  return (
    <section class="card repair-report" aria-labelledby="repair-heading" data-testid="repair-report" data-phase={report.phase}>
      <div class="panel-head">
        <h2 id="repair-heading" tabIndex={-1}>
          {report.deleted ? "Bookings after removing it" : "Repairs it caused"}
        </h2>
        <button type="button" class="secondary" onClick={props.onDismiss} data-testid="repair-dismiss">
          Close
        </button>
      </div>
      <p class="muted">{report.title}</p>
      <div role="status" aria-live="polite" data-testid="repair-status">
        {report.phase === "checking" ? <p aria-busy="true">Waiting for the booking service to review the bookings it touches...</p> : null}
        {report.phase === "nothing" ? (
          <p>No live booking or follow-up contact falls in this time: nothing had to be repaired.</p>
        ) : null}
        {report.phase === "unavailable" ? (
          <p>Repairs are shown to coordinators only (bookings cannot be read with this sign-in). Coordinators see the result on the Week page.</p>
        ) : null}
        {report.phase === "timeout" ? (
          <p>
            The booking service has not changed these bookings yet. It may still be working, or nothing needed changing.{" "}
            <button type="button" class="secondary" onClick={props.onCheckAgain} data-testid="repair-check-again">
              Check again
            </button>
          </p>
        ) : null}
        {report.phase === "done" && affected.length === 0 && appts.length === 0 ? <p>No booking changed.</p> : null}
      </div>
      {affected.length ? (
        <ul class="repair-list" data-testid="repair-list">
          {affected.map((item) => {
            const after = item.after ?? item.before;
            const label = props.coupleLabel(item.before.coupleId);
            const firstDate =
              item.sessions.find((s) => s.after || s.before)?.after?.date ?? item.sessions[0]?.before?.date ?? after.startDate;
            const teamBefore = teamLabel(names, item.before.team);
            const teamAfter = teamLabel(names, after.team);
            return (
              <li
                key={item.before.id}
                class={`repair-item repair-${OUTCOME_TONE[item.outcome]}`}
                data-testid="repair-item"
                data-intensive-id={item.before.id}
                data-outcome={item.outcome}
              >
                <div class="repair-head">
                  <strong>{label}</strong>
                  <span class="muted">
                    {item.before.templateDisplayName || "programme"}, {longDate(fromPb(after.startDate))} to {longDate(fromPb(after.endDate))}
                  </span>
                  <span class={`status status-${intensiveTone(after.status)}`} data-testid="repair-outcome">
                    {OUTCOME_TEXT[item.outcome]}
                  </span>
                </div>
                <dl class="facts repair-facts">
                  <dt>Status</dt>
                  <dd>
                    {INTENSIVE_STATUS[item.before.status]} &rarr; {INTENSIVE_STATUS[after.status]}
                    {after.attentionReason ? ` (${ATTENTION_REASON[after.attentionReason]})` : ""}
                  </dd>
                  <dt>Team</dt>
                  <dd data-testid="repair-team">
                    {teamBefore === teamAfter ? (
                      <>
                        {teamAfter} <span class="muted">(kept)</span>
                      </>
                    ) : (
                      <>
                        {teamBefore} &rarr; {teamAfter}
                      </>
                    )}
                  </dd>
                </dl>
                {item.sessions.length ? (
                  <div class="grid-wrap">
                    <table class="list repair-sessions">
                      <caption class="sr-only">Sessions before and after</caption>
                      <thead>
                        <tr>
                          <th scope="col">Session</th>
                          <th scope="col">Before</th>
                          <th scope="col">After</th>
                        </tr>
                      </thead>
                      <tbody>
                        {item.sessions.map((s, i) => {
                          const ref = s.after ?? s.before;
                          return (
                            <tr key={i} data-testid="repair-session">
                              <td>
                                Day {ref?.dayNumber}/{ref?.dayCount} {ref ? SESSION_KIND[ref.kind] : ""}
                              </td>
                              <td>{sessionText(s.before, names, tz)}</td>
                              <td>
                                {s.broken ? (
                                  <span class="status status-attention">cannot take place as planned</span>
                                ) : s.moved ? (
                                  sessionText(s.after, names, tz)
                                ) : s.mended ? (
                                  <span class="status status-booked">can take place as planned again</span>
                                ) : (
                                  <span>unchanged{s.after ? "" : " (removed)"}</span>
                                )}
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                ) : null}
                <div class="button-row">
                  <button
                    type="button"
                    class={item.outcome === "attention" ? "" : "secondary"}
                    onClick={() => props.onOpen(item.before.id, label)}
                    data-testid="repair-open"
                  >
                    {item.outcome === "attention" ? "Open to reschedule" : "Open"}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => props.onShowInWeek(item.before.id, isoDate(fromPb(firstDate)))}
                    data-testid="repair-week"
                  >
                    Show in Week
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {appts.length ? (
        <>
          <h3>Follow-up contacts</h3>
          <ul class="repair-list" data-testid="repair-appointments">
            {appts.map((a) => (
              <li key={a.before.id} class={`repair-item repair-${a.outcome === "attention" ? "attention" : "booked"}`} data-testid="repair-appointment">
                <div class="repair-head">
                  <strong>{props.coupleLabel(a.before.coupleId)}</strong>
                  <span>
                    {a.before.kind === AppointmentKind.OFFICE_VISIT ? "office visit" : "phone call"}, {dateTime(a.before.startTime, tz)},{" "}
                    {therapistName(names, a.before.therapistId)}
                  </span>
                  <span class={`status status-${a.outcome === "attention" ? "attention" : "booked"}`}>
                    {a.outcome === "attention"
                      ? `needs a new time (${ATTENTION_REASON[a.after?.attentionReason ?? 0]})`
                      : a.outcome === "resolved"
                        ? "no longer needs attention"
                        : "changed"}
                  </span>
                  <button type="button" class="secondary" onClick={props.onFollowUp} data-testid="repair-followup">
                    Go to Follow-up
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.phase !== "checking" && unchanged.length ? (
        <p class="muted" data-testid="repair-unchanged">
          {unchanged.length} booking{unchanged.length === 1 ? "" : "s"} in this time kept {unchanged.length === 1 ? "its" : "their"} plan.
        </p>
      ) : null}
    </section>
  );
}
