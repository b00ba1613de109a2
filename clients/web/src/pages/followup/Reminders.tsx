// Reminder delivery records (followup ListReminders; coordinators only): who
// (by staff label or therapist name, never an address), what, channel,
// status, attempts. Reminders hold no address and no text.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { ReminderStatus, type Reminder } from "../../gen/tandem/followup/v1/followup_pb";
import type { ApiClients } from "../../app/api";
import { dateTime } from "../../app/dates";
import { listAll, therapistName, type StaffNames } from "../../app/staff";
import { coupleLabel, useCouples } from "./couples";
import { CHANNEL, PARTNER, REMINDER_EVENT, REMINDER_STATUS, REMINDER_TONE, SUPPRESS_REASON } from "./labels";
import { isRetriable } from "../../app/errors";

export function recipientText(r: Reminder, names: StaffNames, label: (coupleId: string) => string): string {
  const rec = r.recipient?.recipient;
  if (rec?.case === "partner") return `${label(rec.value.coupleId)}, ${PARTNER[rec.value.partner]}`;
  if (rec?.case === "therapistId") return therapistName(names, rec.value);
  return "";
}

function subjectText(r: Reminder): string {
  return r.subjectRef;
}

export function RemindersTable(props: {
  reminders: Reminder[];
  names: StaffNames;
  coupleLabel: (id: string) => string;
  timeZone: string;
  showSubject?: boolean;
}) {
  const { names, timeZone: tz } = props;
  if (!props.reminders.length) return <p class="muted" data-testid="reminder-empty">No reminders.</p>;
  return (
    <div class="grid-wrap">
      <table class="list" data-testid="reminder-list">
        <thead>
          <tr>
            <th scope="col">Due</th>
            <th scope="col">For</th>
            <th scope="col">About</th>
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {props.reminders.map((r) => (
            <tr key={r.id} data-testid="reminder-row" data-reminder-id={r.id} data-status={ReminderStatus[r.status]}>
              <td>{dateTime(r.dueTime, tz)}</td>
              <td>{recipientText(r, names, props.coupleLabel)}</td>
              <td>
                {REMINDER_EVENT[r.event]}
                {props.showSubject ? <span class="muted"> ({subjectText(r)})</span> : null}
              </td>
              <td>{CHANNEL[r.channel]}</td>
              <td>
                <span class={`status status-${REMINDER_TONE[r.status]}`}>{REMINDER_STATUS[r.status]}</span>
                {r.status === ReminderStatus.SUPPRESSED && r.suppressReason ? ` (${SUPPRESS_REASON[r.suppressReason]})` : ""}
                {r.status === ReminderStatus.SENT && r.sendTime ? <span class="muted"> {dateTime(r.sendTime, tz)}</span> : null}
                {r.status === ReminderStatus.FAILED && r.nextAttemptTime ? (
                  <span class="muted"> next try {dateTime(r.nextAttemptTime, tz)}</span>
                ) : null}
              </td>
              <td>
                {r.attemptCount}
                {r.lastErrorCode ? (
                  <>
                    {" "}
                    <code>{r.lastErrorCode}</code>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The week's reminders (due in [startMs, endMs)), with a "problems only" filter. */
export function WeekReminders(props: {
  api: ApiClients;
  names: StaffNames;
  timeZone: string;
  startMs: number;
  endMs: number;
  reportError: (err: unknown, options?: { context?: string; retry?: () => void }) => void;
}) {
  const { api } = props;
  const [reminders, setReminders] = useState<Reminder[] | null>(null);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const list = await listAll(async (pageToken) => {
          const r = await api.followup.listReminders({
            dueAfter: timestampFromMs(props.startMs),
            dueBefore: timestampFromMs(props.endMs),
            statuses: problemsOnly ? [ReminderStatus.FAILED, ReminderStatus.DEAD, ReminderStatus.SUPPRESSED] : [],
            pageSize: 1000,
            pageToken,
          });
          return { items: r.reminders, nextPageToken: r.nextPageToken };
        });
        if (live) setReminders(list);
      } catch (err) {
        if (live) props.reportError(err, { context: "List reminders", retry: isRetriable(err) ? load : undefined });
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, props.startMs, props.endMs, problemsOnly, tick]);
  const coupleIds = (reminders ?? []).flatMap((r) => (r.recipient?.recipient.case === "partner" ? [r.recipient.recipient.value.coupleId] : []));
  const couples = useCouples(api, coupleIds);
  const dead = (reminders ?? []).filter((r) => r.status === ReminderStatus.DEAD).length;
  return (
    <section class="card tp-section" aria-labelledby="week-reminders-heading" data-testid="week-reminders">
      <div class="panel-head">
        <h2 id="week-reminders-heading">Reminders due this week</h2>
        <button type="button" class="secondary" onClick={() => setTick((t) => t + 1)} data-testid="reminders-refresh">
          Refresh
        </button>
      </div>
      <label class="check">
        <input type="checkbox" checked={problemsOnly} onChange={(e) => setProblemsOnly(e.currentTarget.checked)} data-testid="reminders-problems" />
        Only failed, undelivered and not sent
      </label>
      {dead ? (
        <p class="banner banner-error" data-testid="reminders-dead">
          {dead} reminder{dead === 1 ? " was" : "s were"} not delivered after every retry: tell the client another way.
        </p>
      ) : null}
      {reminders === null ? (
        <p aria-busy="true">Loading...</p>
      ) : (
        <RemindersTable reminders={reminders} names={props.names} coupleLabel={(id) => coupleLabel(couples, id)} timeZone={props.timeZone} showSubject />
      )}
    </section>
  );
}
