// One proposed plan: team, dates, and every session by day, with the action
// that takes it (Hold on the Book page, Move on the intensive panel).
import type { Plan } from "../gen/tandem/booking/v1/booking_pb";
import { planDays, planRoomIds } from "../app/booking";
import { fromPb, longDate, shortDate, timeRange } from "../app/dates";
import { roomName, teamLabel, therapistName, type StaffNames } from "../app/staff";

export interface PlanCardProps {
  plan: Plan;
  /** 1-based position among the proposed plans. */
  index: number;
  names: StaffNames;
  timeZone: string;
  /** The button's label, e.g. "Hold"; its accessible name adds "plan N". */
  actionLabel: string;
  actionTestId: string;
  onAction: (plan: Plan) => void;
  busy: boolean;
  /** Repair mode: show how many sessions change. */
  showChanges?: boolean;
}

export function PlanCard(props: PlanCardProps) {
  const { plan, index, names, timeZone } = props;
  const headingId = `plan-${index}-heading`;
  return (
    <article class="plan-card" aria-labelledby={headingId} data-testid="plan-card" data-plan-index={index}>
      <h3 id={headingId}>Plan {index}</h3>
      <dl class="facts">
        <dt>Team</dt>
        <dd data-testid="plan-team">{teamLabel(names, plan.team)}</dd>
        <dt>Dates</dt>
        <dd data-testid="plan-dates">
          {longDate(fromPb(plan.startDate))} to {longDate(fromPb(plan.endDate))}
        </dd>
        <dt>Rooms</dt>
        <dd>{planRoomIds(plan).map((id) => roomName(names, id)).join(", ")}</dd>
        <dt>Sessions</dt>
        <dd>{plan.sessions.length}</dd>
        {props.showChanges ? (
          <>
            <dt>Changes</dt>
            <dd data-testid="plan-changes">{plan.changedSessionCount} sessions move</dd>
          </>
        ) : null}
        <dt>Score</dt>
        <dd>{Math.round(plan.score)}</dd>
      </dl>
      <button
        type="button"
        onClick={() => props.onAction(plan)}
        disabled={props.busy}
        aria-label={`${props.actionLabel} plan ${index}`}
        data-testid={props.actionTestId}
      >
        {props.actionLabel} plan {index}
      </button>
      <details open>
        <summary>Times per day</summary>
        <div class="plan-days">
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Time</th>
                <th scope="col">Room</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {planDays(plan).map(({ dayNumber, sessions }) =>
                sessions.map((s, i) => (
                  <tr key={`${dayNumber}-${i}`}>
                    <td>{i === 0 ? `${dayNumber}: ${shortDate(fromPb(s.date))}` : ""}</td>
                    <td>{timeRange(s.startTime, s.endTime, timeZone)}</td>
                    <td>{s.roomIds.map((id) => roomName(names, id)).join(", ")}</td>
                    <td>{s.therapistIds.map((id) => therapistName(names, id)).join(", ")}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </article>
  );
}
