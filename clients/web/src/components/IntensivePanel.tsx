// One intensive: status, team, dates, sessions and history, with what a
// coordinator can do next: confirm a hold (with its countdown), reschedule
// (ProposeIntensive in repair mode, then RescheduleIntensive), cancel.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  CancelReason,
  IntensiveStatus,
  type Explanation,
  type Intensive,
  type Plan,
} from "../gen/tandem/booking/v1/booking_pb";
import { useActionIds } from "../app/actions";
import type { ApiClients } from "../app/api";
import { proposalHint } from "../app/booking";
import type { ClinicInfo } from "../app/clinic";
import { addDays, compareDates, dateTime, fromPb, isoDate, longDate, parseIsoDate, shortDate, timeRange, toPb, todayIn } from "../app/dates";
import { isCode } from "../app/errors";
import { ATTENTION_REASON, CANCEL_REASON, INTENSIVE_STATUS, SESSION_KIND, intensiveTone } from "../app/labels";
import { roomName, teamLabel, therapistName, type StaffNames } from "../app/staff";
import { formatRemaining, useNow } from "../app/useNow";
import { ExplanationView } from "./ExplanationView";
import { PlanCard } from "./PlanCard";

export interface IntensivePanelProps {
  api: ApiClients;
  intensiveId: string;
  /** The couple's staff label, if the opener knows it. */
  coupleLabel?: string;
  clinic: ClinicInfo;
  names: StaffNames;
  reportError: (error: unknown, options?: { context?: string; retry?: () => void }) => void;
  clearError: () => void;
  onClose: () => void;
  /** Called after the intensive changed (confirmed, moved, cancelled). */
  onChanged?: (intensive: Intensive) => void;
}

const CANCEL_CHOICES: CancelReason[] = [
  CancelReason.COUPLE_REQUEST,
  CancelReason.CLINIC_REQUEST,
  CancelReason.DISCONTINUED,
  CancelReason.REFERRAL_NOT_SETTLED,
  CancelReason.NOT_REPAIRABLE,
  CancelReason.OTHER,
];

export function StatusBadge(props: { status: IntensiveStatus }) {
  return (
    <span class={`status status-${intensiveTone(props.status)}`} data-testid="intensive-status" data-status={IntensiveStatus[props.status]}>
      {INTENSIVE_STATUS[props.status]}
    </span>
  );
}

export function IntensivePanel(props: IntensivePanelProps) {
  const { api, intensiveId, clinic, names } = props;
  const tz = clinic.timeZone;
  const [intensive, setIntensive] = useState<Intensive | null>(null);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<"none" | "cancel" | "reschedule">("none");
  const [cancelReason, setCancelReason] = useState<CancelReason>(CancelReason.COUPLE_REQUEST);
  const [plans, setPlans] = useState<Plan[]>([]);
  const [explanation, setExplanation] = useState<Explanation | undefined>();
  const [proposed, setProposed] = useState(false);
  const today = todayIn(tz);
  const [earliest, setEarliest] = useState("");
  const [latest, setLatest] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const ids = useActionIds();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const held = intensive?.status === IntensiveStatus.HELD;
  const now = useNow(1000, held);
  const expireMs = intensive?.expireTime ? timestampMs(intensive.expireTime) : 0;
  const remaining = held && expireMs ? expireMs - now : 0;

  const load = async () => {
    try {
      const { intensive } = await api.booking.getIntensive({ id: intensiveId });
      setIntensive(intensive ?? null);
      if (intensive) {
        const start = fromPb(intensive.startDate);
        const from = start && compareDates(start, today) > 0 ? start : today;
        setEarliest((e) => e || isoDate(from));
        setLatest((l) => l || isoDate(addDays(from, 28)));
      }
    } catch (err) {
      props.reportError(err, { context: "Open intensive", retry: load });
    }
  };

  useEffect(() => {
    setIntensive(null);
    setMode("none");
    setPlans([]);
    setProposed(false);
    setNotice(null);
    load();
    headingRef.current?.focus();
  }, [intensiveId]);

  // When the hold lapses the server cancels it by itself (on its next sweep):
  // read it again every few seconds until it no longer says HELD.
  const lapsed = held && expireMs > 0 && remaining <= 0;
  useEffect(() => {
    if (!lapsed) return;
    setNotice("The hold expired: its time is released. Nothing else to do; propose again to book.");
    load();
    const timer = window.setInterval(load, 5000);
    return () => window.clearInterval(timer);
  }, [lapsed, intensiveId]);

  const changed = (i: Intensive | undefined) => {
    if (!i) return;
    setIntensive(i);
    props.onChanged?.(i);
  };

  const confirm = async () => {
    const key = `confirm:${intensiveId}`;
    setBusy(true);
    try {
      const { intensive } = await api.booking.confirmIntensive({ requestId: ids.idFor(key), id: intensiveId });
      ids.done(key);
      props.clearError();
      setNotice("Confirmed.");
      changed(intensive);
    } catch (err) {
      props.reportError(err, { context: "Confirm", retry: confirm });
      if (isCode(err, Code.FailedPrecondition)) load();
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    const key = `cancel:${intensiveId}:${cancelReason}`;
    setBusy(true);
    try {
      const { intensive } = await api.booking.cancelIntensive({
        requestId: ids.idFor(key),
        id: intensiveId,
        reason: cancelReason,
      });
      ids.done(key);
      props.clearError();
      setMode("none");
      setNotice("Cancelled: its sessions are released.");
      changed(intensive);
    } catch (err) {
      props.reportError(err, { context: "Cancel intensive", retry: cancel });
    } finally {
      setBusy(false);
    }
  };

  const propose = async () => {
    if (!intensive) return;
    const from = parseIsoDate(earliest);
    const to = parseIsoDate(latest);
    if (!from || !to) {
      props.reportError(new Error("Enter both dates of the window."), { context: "Find new plans" });
      return;
    }
    setBusy(true);
    try {
      const res = await api.booking.proposeIntensive({
        coupleId: intensive.coupleId,
        templateId: intensive.templateId,
        earliestStart: toPb(from),
        latestStart: toPb(to),
        repairIntensiveId: intensive.id,
        maxPlans: 5,
      });
      props.clearError();
      setPlans(res.plans);
      setExplanation(res.explanation);
      setProposed(true);
    } catch (err) {
      props.reportError(err, { context: "Find new plans", retry: propose });
    } finally {
      setBusy(false);
    }
  };

  const reschedule = async (plan: Plan) => {
    const key = `reschedule:${intensiveId}:${plan.proposalToken}`;
    setBusy(true);
    try {
      const { intensive } = await api.booking.rescheduleIntensive({ requestId: ids.idFor(key), id: intensiveId, plan });
      ids.done(key);
      props.clearError();
      setPlans([]);
      setProposed(false);
      setMode("none");
      setNotice("Moved to the new plan.");
      changed(intensive);
    } catch (err) {
      const hint = proposalHint(err);
      if (hint) {
        setPlans(hint.plans);
        setExplanation(hint.explanation);
        props.reportError(err, { context: "Reschedule: that plan's time was taken; fresh plans are shown" });
      } else {
        props.reportError(err, { context: "Reschedule", retry: () => reschedule(plan) });
      }
    } finally {
      setBusy(false);
    }
  };

  const open =
    intensive &&
    [IntensiveStatus.HELD, IntensiveStatus.BOOKED, IntensiveStatus.IN_PROGRESS, IntensiveStatus.NEEDS_ATTENTION].includes(
      intensive.status,
    );
  const label = props.coupleLabel ? `${props.coupleLabel}, ${intensiveId}` : intensiveId;

  return (
    <section class="panel" aria-labelledby="intensive-heading" data-testid="intensive-panel" data-intensive-id={intensiveId}>
      <div class="panel-head">
        <h2 id="intensive-heading" tabIndex={-1} ref={headingRef}>
          Intensive {label}
        </h2>
        <button type="button" class="secondary" onClick={props.onClose} data-testid="intensive-close">
          Close
        </button>
      </div>
      {notice ? (
        <p class="banner banner-info" role="status" data-testid="intensive-notice">
          {notice}
        </p>
      ) : null}
      {!intensive ? (
        <p aria-busy="true">Loading...</p>
      ) : (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={intensive.status} />
              {intensive.status === IntensiveStatus.NEEDS_ATTENTION
                ? ` (${ATTENTION_REASON[intensive.attentionReason]})`
                : ""}
              {intensive.status === IntensiveStatus.CANCELLED && intensive.cancelReason
                ? ` (${CANCEL_REASON[intensive.cancelReason]})`
                : ""}
            </dd>
            {held && expireMs ? (
              <>
                <dt>Hold expires</dt>
                <dd>
                  {dateTime(intensive.expireTime, tz)}{" "}
                  {remaining > 0 ? (
                    <span class="countdown" role="timer" aria-live="off" data-testid="hold-countdown">
                      ({formatRemaining(remaining)} left)
                    </span>
                  ) : (
                    <span data-testid="hold-expired">(expired)</span>
                  )}
                </dd>
              </>
            ) : null}
            <dt>Programme</dt>
            <dd>{intensive.templateDisplayName || intensive.templateId}</dd>
            <dt>Couple</dt>
            <dd>{props.coupleLabel || intensive.coupleId}</dd>
            <dt>Team</dt>
            <dd>{teamLabel(names, intensive.team)}</dd>
            <dt>Dates</dt>
            <dd>
              {longDate(fromPb(intensive.startDate))} to {longDate(fromPb(intensive.endDate))}
            </dd>
          </dl>
          <div class="button-row">
            {held ? (
              <button type="button" onClick={confirm} disabled={busy || remaining <= 0} data-testid="confirm-button">
                Confirm booking
              </button>
            ) : null}
            {open ? (
              <>
                <button
                  type="button"
                  class="secondary"
                  aria-expanded={mode === "reschedule"}
                  onClick={() => setMode(mode === "reschedule" ? "none" : "reschedule")}
                  data-testid="reschedule-toggle"
                >
                  Reschedule...
                </button>
                <button
                  type="button"
                  class="secondary"
                  aria-expanded={mode === "cancel"}
                  onClick={() => setMode(mode === "cancel" ? "none" : "cancel")}
                  data-testid="cancel-toggle"
                >
                  Cancel intensive...
                </button>
              </>
            ) : null}
          </div>
          {mode === "cancel" && open ? (
            <form
              class="card"
              onSubmit={(e) => {
                e.preventDefault();
                cancel();
              }}
            >
              <div class="field">
                <label for="cancel-reason">Why</label>
                <select
                  id="cancel-reason"
                  value={cancelReason}
                  onChange={(e) => setCancelReason(Number(e.currentTarget.value) as CancelReason)}
                  data-testid="cancel-reason"
                >
                  {CANCEL_CHOICES.map((r) => (
                    <option value={r} key={r}>
                      {CANCEL_REASON[r]}
                    </option>
                  ))}
                </select>
              </div>
              <p class="hint">Its future sessions are released. This cannot be undone.</p>
              <button type="submit" class="danger" disabled={busy} data-testid="cancel-confirm">
                Cancel this intensive
              </button>
            </form>
          ) : null}
          {mode === "reschedule" && open ? (
            <div class="card">
              <form
                class="field-row"
                onSubmit={(e) => {
                  e.preventDefault();
                  propose();
                }}
              >
                <div class="field">
                  <label for="repair-earliest">Earliest start</label>
                  <input id="repair-earliest" type="date" value={earliest} min={isoDate(today)} onInput={(e) => setEarliest(e.currentTarget.value)} required />
                </div>
                <div class="field">
                  <label for="repair-latest">Latest start</label>
                  <input id="repair-latest" type="date" value={latest} min={earliest} onInput={(e) => setLatest(e.currentTarget.value)} required />
                </div>
                <div class="field">
                  <button type="submit" disabled={busy} data-testid="repair-propose">
                    Find new plans
                  </button>
                </div>
              </form>
              <p class="hint">Plans that keep the team and change fewer sessions come first; sessions already held stay.</p>
              {proposed && plans.length === 0 && !explanation ? <p>No plan found.</p> : null}
              {explanation ? (
                <ExplanationView
                  explanation={explanation}
                  onSearchFrom={(d) => {
                    setEarliest(isoDate(d));
                    setLatest(isoDate(addDays(d, 14)));
                  }}
                />
              ) : null}
              <div class="plans">
                {plans.map((p, i) => (
                  <PlanCard
                    key={p.proposalToken}
                    plan={p}
                    index={i + 1}
                    names={names}
                    timeZone={tz}
                    actionLabel="Move to"
                    actionTestId="reschedule-plan"
                    onAction={reschedule}
                    busy={busy}
                    showChanges
                  />
                ))}
              </div>
            </div>
          ) : null}
          <h3>Sessions</h3>
          <div class="grid-wrap">
            <table class="list" data-testid="intensive-sessions">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Time</th>
                  <th scope="col">Day</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Rooms</th>
                  <th scope="col">Therapists</th>
                </tr>
              </thead>
              <tbody>
                {intensive.sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{shortDate(fromPb(s.date))}</td>
                    <td>{timeRange(s.startTime, s.endTime, tz)}</td>
                    <td>
                      {s.dayNumber}/{s.dayCount}
                    </td>
                    <td>{SESSION_KIND[s.kind]}</td>
                    <td>{s.roomIds.map((id) => roomName(names, id)).join(", ")}</td>
                    <td>{s.therapistIds.map((id) => therapistName(names, id)).join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>History</summary>
            <ul>
              {intensive.statusHistory.map((h, i) => (
                <li key={i}>
                  {dateTime(h.changeTime, tz)}: {INTENSIVE_STATUS[h.status]} by {h.actor || "?"}
                  {h.cancelReason ? ` (${CANCEL_REASON[h.cancelReason]})` : ""}
                  {h.attentionReason ? ` (${ATTENTION_REASON[h.attentionReason]})` : ""}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
}
