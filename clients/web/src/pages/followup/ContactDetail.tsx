// One follow-up contact, opened from the list: facts, record the outcome
// (RecordOutcome), phone numbers for a call (booking GetCouple, on request
// only, never kept), and for coordinators: move it or book it again
// (RescheduleContact / RebookContact), cancel it (CancelContact), its
// reminders (ListReminders) and the couple's opt-outs.
import { useEffect, useState } from "preact/hooks";
import { ContactKind, ContactOutcome, ContactStatus, type FollowUpContact, type Reminder } from "../../gen/tandem/followup/v1/followup_pb";
import { useActionIds } from "../../app/actions";
import type { ApiClients } from "../../app/api";
import { dateTime, fromPb, isoDate, longDate, parseIsoDate, timeRange } from "../../app/dates";
import { listAll, roomName, therapistName, type StaffNames } from "../../app/staff";
import { localParts, parseClock, zonedTimestamp } from "../absences/clinicTime";
import type { CoupleSummary } from "./couples";
import { CONTACT_KIND, CONTACT_STATUS, OUTCOME } from "./labels";
import { OptOuts } from "./OptOuts";
import { RemindersTable } from "./Reminders";
import { isRetriable } from "../../app/errors";

type Move = "move" | "no-answer" | "asked";

const OUTCOME_CHOICES = [ContactOutcome.DONE, ContactOutcome.NO_ANSWER, ContactOutcome.DECLINED];

export function ContactDetail(props: {
  api: ApiClients;
  contact: FollowUpContact;
  couple: CoupleSummary | undefined;
  names: StaffNames;
  timeZone: string;
  isCoordinator: boolean;
  /** The signed-in therapist takes this contact. */
  isOwn: boolean;
  reportError: (err: unknown, options?: { context?: string; retry?: () => void }) => void;
  clearError: () => void;
  onChanged: (contacts: FollowUpContact[]) => void;
}) {
  const { api, contact: c, names, timeZone: tz, isCoordinator } = props;
  const ids = useActionIds();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ContactOutcome>(ContactOutcome.DONE);
  const [note, setNote] = useState("");
  const [phones, setPhones] = useState<{ who: string; phone: string }[] | null>(null);
  const start = localParts(c.scheduledStartTime, tz);
  const [move, setMove] = useState<Move>("move");
  const [moveDate, setMoveDate] = useState(isoDate(start?.date ?? fromPb(c.dueDate)));
  const [moveTime, setMoveTime] = useState(start?.clock ?? "10:00");
  const [moveTherapist, setMoveTherapist] = useState("");
  const [moveNote, setMoveNote] = useState("");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [reminders, setReminders] = useState<Reminder[] | null>(null);
  const [showOptOuts, setShowOptOuts] = useState(false);

  const scheduled = c.status === ContactStatus.SCHEDULED;
  const open = [ContactStatus.UNSCHEDULED, ContactStatus.SCHEDULED, ContactStatus.NEEDS_ATTENTION].includes(c.status);
  const canRecord = scheduled && (isCoordinator || props.isOwn);
  const label = props.couple?.label || c.coupleId;

  useEffect(() => {
    if (!isCoordinator) return;
    let live = true;
    const load = async () => {
      try {
        const list = await listAll(async (pageToken) => {
          const r = await api.followup.listReminders({ subjectRef: c.id, pageSize: 1000, pageToken });
          return { items: r.reminders, nextPageToken: r.nextPageToken };
        });
        if (live) setReminders(list);
      } catch (err) {
        if (live) props.reportError(err, { context: "List the contact's reminders", retry: isRetriable(err) ? load : undefined });
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, c.id, c.updateTime?.seconds, isCoordinator]);

  const record = async () => {
    const key = `outcome:${c.id}:${outcome}:${note.trim()}`;
    setBusy(true);
    try {
      const r = await api.followup.recordOutcome({ requestId: ids.idFor(key), id: c.id, outcome, note: note.trim() });
      ids.done(key);
      props.clearError();
      setPhones(null);
      if (r.followUpContact) props.onChanged([r.followUpContact]);
    } catch (err) {
      props.reportError(err, { context: "Record outcome", retry: isRetriable(err) ? record : undefined });
    } finally {
      setBusy(false);
    }
  };

  const showPhones = async () => {
    try {
      const { couple } = await api.booking.getCouple({ id: c.coupleId });
      const list: { who: string; phone: string }[] = [];
      if (couple?.partnerA) list.push({ who: couple.partnerB ? "Partner A" : "Client", phone: couple.partnerA.phone });
      if (couple?.partnerB) list.push({ who: "Partner B", phone: couple.partnerB.phone });
      setPhones(list);
    } catch (err) {
      props.reportError(err, { context: "Read phone numbers" });
    }
  };

  const changeTime = async () => {
    const day = parseIsoDate(moveDate);
    const minutes = parseClock(moveTime);
    if (!day || minutes === null) {
      props.reportError(new Error("Enter a day and a time."), { context: "New time" });
      return;
    }
    const startTime = zonedTimestamp(day, minutes, tz);
    const key = `contact-${move}:${c.id}:${moveDate}T${moveTime}:${moveTherapist}:${moveNote.trim()}`;
    setBusy(true);
    try {
      if (move === "move") {
        const r = await api.followup.rescheduleContact({ requestId: ids.idFor(key), id: c.id, startTime, therapistId: moveTherapist });
        ids.done(key);
        if (r.followUpContact) props.onChanged([r.followUpContact]);
      } else {
        const r = await api.followup.rebookContact({
          requestId: ids.idFor(key),
          id: c.id,
          outcome: move === "asked" ? ContactOutcome.RESCHEDULED : ContactOutcome.NO_ANSWER,
          note: moveNote.trim(),
          startTime,
          therapistId: moveTherapist,
        });
        ids.done(key);
        props.onChanged([r.closedContact, r.newContact].filter((x): x is FollowUpContact => !!x));
      }
      props.clearError();
    } catch (err) {
      props.reportError(err, { context: move === "move" ? "Move contact" : "Book the contact again", retry: isRetriable(err) ? changeTime : undefined });
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    const key = `contact-cancel:${c.id}`;
    setBusy(true);
    try {
      const r = await api.followup.cancelContact({ requestId: ids.idFor(key), id: c.id });
      ids.done(key);
      props.clearError();
      setConfirmCancel(false);
      if (r.followUpContact) props.onChanged([r.followUpContact]);
    } catch (err) {
      props.reportError(err, { context: "Cancel contact", retry: isRetriable(err) ? cancel : undefined });
    } finally {
      setBusy(false);
    }
  };

  const activeTherapists = [...names.therapists.values()].filter((t) => t.active);
  const fid = `fc-${c.id}`;

  return (
    <div class="fu-detail-body" data-testid="followup-contact-detail">
      <dl class="facts">
        <dt>Contact</dt>
        <dd>
          {CONTACT_KIND[c.kind]} #{c.sequence} of the follow-up, <span class="muted">{c.id}</span>
        </dd>
        <dt>Due</dt>
        <dd>{longDate(fromPb(c.dueDate))}</dd>
        {c.scheduledStartTime ? (
          <>
            <dt>Booked</dt>
            <dd>
              {longDate(start?.date)}, {timeRange(c.scheduledStartTime, c.scheduledEndTime, tz)}
              {c.roomId ? `, ${roomName(names, c.roomId)}` : ""}
            </dd>
          </>
        ) : null}
        <dt>Therapist</dt>
        <dd>{therapistName(names, c.therapistId)}</dd>
        <dt>Status</dt>
        <dd>{CONTACT_STATUS[c.status]}</dd>
        {c.outcome ? (
          <>
            <dt>Outcome</dt>
            <dd data-testid="contact-outcome">
              {OUTCOME[c.outcome]}
              {c.outcomeNote ? `: "${c.outcomeNote}"` : ""}
              {c.outcomeTime ? <span class="muted"> ({dateTime(c.outcomeTime, tz)}, {c.outcomeActor})</span> : null}
            </dd>
          </>
        ) : null}
        {c.rebookedFromContactId ? (
          <>
            <dt>Replaces</dt>
            <dd>{c.rebookedFromContactId}</dd>
          </>
        ) : null}
      </dl>

      {c.kind === ContactKind.PHONE_CALL && open && (isCoordinator || props.isOwn) ? (
        <div class="button-row">
          {phones ? (
            <>
              <ul class="fu-phone" data-testid="contact-phone" aria-label="Phone numbers">
                {phones.map((p) => (
                  <li key={p.who}>
                    {p.who}: {p.phone ? <a href={`tel:${p.phone}`}>{p.phone}</a> : <span class="muted">no number</span>}
                  </li>
                ))}
              </ul>
              <button type="button" class="secondary" onClick={() => setPhones(null)} data-testid="contact-phone-hide">
                Hide numbers
              </button>
            </>
          ) : (
            <button type="button" class="secondary" onClick={showPhones} data-testid="contact-phone-show">
              Show phone numbers
            </button>
          )}
        </div>
      ) : null}

      {canRecord ? (
        <form
          class="card"
          aria-label="Record outcome"
          onSubmit={(e) => {
            e.preventDefault();
            record();
          }}
        >
          <h3>How did it go?</h3>
          <fieldset class="tp-bare tp-inline-edit" disabled={busy}>
            <div class="field">
              <label for={`${fid}-outcome`}>Outcome</label>
              <select id={`${fid}-outcome`} value={outcome} onChange={(e) => setOutcome(Number(e.currentTarget.value) as ContactOutcome)} data-testid="outcome-select">
                {OUTCOME_CHOICES.map((o) => (
                  <option key={o} value={o}>
                    {OUTCOME[o]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`${fid}-note`}>
                Note <span class="muted">(optional, not clinical)</span>
              </label>
              <input id={`${fid}-note`} maxLength={200} size={40} value={note} onInput={(e) => setNote(e.currentTarget.value)} aria-describedby={`${fid}-note-hint`} data-testid="outcome-note" />
            </div>
            <div class="field">
              <button type="submit" data-testid="outcome-submit">
                Record outcome
              </button>
            </div>
          </fieldset>
          <p class="hint" id={`${fid}-note-hint`}>
            At most 200 characters, e.g. "asked to call after 6 pm". Never clinical details. To book another time, a coordinator uses "Change time".
          </p>
        </form>
      ) : null}

      {isCoordinator && open ? (
        <form
          class="card"
          aria-label="Change time"
          onSubmit={(e) => {
            e.preventDefault();
            changeTime();
          }}
        >
          <h3>{c.status === ContactStatus.UNSCHEDULED ? "Book a time" : "Change time"}</h3>
          <fieldset class="tp-bare tp-inline-edit" disabled={busy}>
            {scheduled ? (
              <div class="field">
                <label for={`${fid}-move`}>What happened</label>
                <select id={`${fid}-move`} value={move} onChange={(e) => setMove(e.currentTarget.value as Move)} data-testid="reschedule-mode">
                  <option value="move">Move it (nothing missed)</option>
                  <option value="no-answer">Missed (no answer): book again</option>
                  <option value="asked">Client asked for another time: book again</option>
                </select>
              </div>
            ) : null}
            <div class="field">
              <label for={`${fid}-date`}>Day</label>
              <input id={`${fid}-date`} type="date" required value={moveDate} onInput={(e) => setMoveDate(e.currentTarget.value)} data-testid="reschedule-date" />
            </div>
            <div class="field">
              <label for={`${fid}-time`}>Start</label>
              <input id={`${fid}-time`} type="time" step={300} required value={moveTime} onInput={(e) => setMoveTime(e.currentTarget.value)} data-testid="reschedule-time" />
            </div>
            <div class="field">
              <label for={`${fid}-therapist`}>Therapist</label>
              <select id={`${fid}-therapist`} value={moveTherapist} onChange={(e) => setMoveTherapist(e.currentTarget.value)} data-testid="reschedule-therapist">
                <option value="">Same ({therapistName(names, c.therapistId)})</option>
                {activeTherapists
                  .filter((t) => t.id !== c.therapistId)
                  .map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.displayName}
                    </option>
                  ))}
              </select>
            </div>
            {scheduled && move !== "move" ? (
              <div class="field">
                <label for={`${fid}-move-note`}>Note</label>
                <input id={`${fid}-move-note`} maxLength={200} value={moveNote} onInput={(e) => setMoveNote(e.currentTarget.value)} data-testid="rebook-note" />
              </div>
            ) : null}
            <div class="field">
              <button type="submit" data-testid="reschedule-submit">
                {scheduled && move !== "move" ? "Close and book again" : c.status === ContactStatus.UNSCHEDULED ? "Book" : "Move"}
              </button>
            </div>
          </fieldset>
          <p class="hint">Clinic time. The length stays the plan's; an office visit keeps its room or gets a free one.</p>
        </form>
      ) : null}

      {isCoordinator && open ? (
        <div class="button-row">
          {confirmCancel ? (
            <>
              <span>Cancel this contact and its booking?</span>
              <button type="button" class="danger" disabled={busy} onClick={cancel} data-testid="contact-cancel-confirm">
                Cancel contact
              </button>
              <button type="button" class="secondary" onClick={() => setConfirmCancel(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirmCancel(true)} data-testid="contact-cancel">
              Cancel contact...
            </button>
          )}
        </div>
      ) : null}

      {isCoordinator ? (
        <>
          <h3>Reminders for this contact</h3>
          {reminders === null ? (
            <p aria-busy="true">Loading...</p>
          ) : (
            <RemindersTable reminders={reminders} names={names} coupleLabel={() => label} timeZone={tz} />
          )}
          {props.couple?.readable ? (
            <>
              <button
                type="button"
                class="secondary"
                aria-expanded={showOptOuts}
                onClick={() => setShowOptOuts(!showOptOuts)}
                data-testid="optout-open"
              >
                {showOptOuts ? "Hide reminder opt-outs" : "Reminder opt-outs..."}
              </button>
              {showOptOuts ? (
                <OptOuts api={api} couple={props.couple} timeZone={tz} reportError={props.reportError} clearError={props.clearError} />
              ) : null}
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
