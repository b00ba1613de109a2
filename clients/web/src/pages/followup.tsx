// Follow-up page (issue #9 part 2): the follow-up contacts of a week
// (followup ListFollowUpContacts with the week as date_range), those that
// need someone first; couples by their staff label (booking GetCouple,
// cached). Open a contact to record its outcome (RecordOutcome), or, as a
// coordinator, move it / book it again (RescheduleContact / RebookContact),
// cancel it, see its reminders (ListReminders) and the couple's opt-outs
// (ListContactPreferences / SetOptOut). Coordinators also see the week's
// reminder deliveries. Therapists see only their own contacts.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { ContactStatus, type FollowUpContact } from "../gen/tandem/followup/v1/followup_pb";
import type { PageProps } from "../app/contract";
import { addDays, fromPb, isoDate, longDate, mondayOf, parseIsoDate, shortDate, timeRange, toPb, todayIn, type CivilDate } from "../app/dates";
import { hasRole } from "../app/session";
import { listAll, therapistName, useStaffNames } from "../app/staff";
import { localParts, zonedMs } from "./absences/clinicTime";
import { ContactDetail } from "./followup/ContactDetail";
import { coupleLabel, useCouples } from "./followup/couples";
import { CONTACT_KIND, CONTACT_STATUS, CONTACT_TONE, OUTCOME } from "./followup/labels";
import { WeekReminders } from "./followup/Reminders";
import "./pages.css";

const OPEN = [ContactStatus.NEEDS_ATTENTION, ContactStatus.UNSCHEDULED, ContactStatus.SCHEDULED];
const RANK: Record<ContactStatus, number> = {
  [ContactStatus.NEEDS_ATTENTION]: 0,
  [ContactStatus.UNSCHEDULED]: 1,
  [ContactStatus.SCHEDULED]: 2,
  [ContactStatus.CLOSED]: 3,
  [ContactStatus.CANCELLED]: 4,
  [ContactStatus.UNSPECIFIED]: 5,
};

export function FollowUpPage(props: PageProps) {
  const { api, session, clinic } = props;
  const tz = clinic.timeZone;
  const isCoordinator = hasRole(session, "coordinator");
  const ownId = session.therapistId;
  const names = useStaffNames(api, (err) => props.reportError(err, { context: "Read staff" }));
  const initial = (props.routeState as { date?: string } | undefined)?.date;
  const [week, setWeek] = useState<CivilDate>(() => mondayOf(parseIsoDate(initial ?? "") ?? todayIn(tz)));
  const [therapistId, setTherapistId] = useState(isCoordinator ? "" : ownId);
  const [openOnly, setOpenOnly] = useState(false);
  const [contacts, setContacts] = useState<FollowUpContact[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!initial) setWeek(mondayOf(todayIn(tz)));
  }, [tz]);

  const weekEnd = addDays(week, 6);
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const list = await listAll(async (pageToken) => {
          const r = await api.followup.listFollowUpContacts({
            therapistId,
            statuses: openOnly ? OPEN : [],
            dateRange: { startDate: toPb(week), endDate: toPb(weekEnd) },
            pageSize: 1000,
            pageToken,
          });
          return { items: r.followUpContacts, nextPageToken: r.nextPageToken };
        });
        if (live) setContacts(list);
      } catch (err) {
        if (live) props.reportError(err, { context: `Follow-up contacts, week of ${longDate(week)}`, retry: load });
      }
    };
    setContacts(null);
    load();
    return () => {
      live = false;
    };
  }, [api, week.year, week.month, week.day, therapistId, openOnly, tick]);

  const couples = useCouples(api, (contacts ?? []).map((c) => c.coupleId));

  const sorted = [...(contacts ?? [])].sort((a, b) => {
    const r = RANK[a.status] - RANK[b.status];
    if (r) return r;
    const ta = a.scheduledStartTime ? timestampMs(a.scheduledStartTime) : zonedMs(fromPb(a.dueDate) ?? week, 0, tz);
    const tb = b.scheduledStartTime ? timestampMs(b.scheduledStartTime) : zonedMs(fromPb(b.dueDate) ?? week, 0, tz);
    return ta - tb || a.id.localeCompare(b.id);
  });
  const needing = sorted.filter((c) => c.status === ContactStatus.NEEDS_ATTENTION || c.status === ContactStatus.UNSCHEDULED).length;

  const changed = (updated: FollowUpContact[]) => {
    setContacts((prev) => {
      const list = [...(prev ?? [])];
      for (const u of updated) {
        const i = list.findIndex((c) => c.id === u.id);
        if (i >= 0) list[i] = u;
        else list.push(u);
      }
      return list;
    });
  };

  const today = todayIn(tz);
  const thisWeek = mondayOf(today);
  const when = (c: FollowUpContact) => {
    if (c.scheduledStartTime) {
      const p = localParts(c.scheduledStartTime, tz);
      return `${shortDate(p?.date)} ${timeRange(c.scheduledStartTime, c.scheduledEndTime, tz)}`;
    }
    return `due ${shortDate(fromPb(c.dueDate))}`;
  };

  return (
    <section aria-labelledby="page-title" data-testid="page-followup" class="tp-page">
      <div class="tp-toolbar">
        <h1 id="page-title">
          Follow-up: week of {longDate(week)}
        </h1>
        <button type="button" class="secondary" onClick={() => setWeek(addDays(week, -7))} data-testid="followup-prev">
          <span aria-hidden="true">&larr; </span>Previous week
        </button>
        <button type="button" class="secondary" disabled={isoDate(week) === isoDate(thisWeek)} onClick={() => setWeek(thisWeek)} data-testid="followup-this-week">
          This week
        </button>
        <button type="button" class="secondary" onClick={() => setWeek(addDays(week, 7))} data-testid="followup-next">
          Next week<span aria-hidden="true"> &rarr;</span>
        </button>
        <label for="followup-date" class="sr-only">
          Go to the week of
        </label>
        <input
          id="followup-date"
          type="date"
          value={isoDate(week)}
          onChange={(e) => {
            const d = parseIsoDate(e.currentTarget.value);
            if (d) setWeek(mondayOf(d));
          }}
          data-testid="followup-date"
        />
      </div>
      <div class="field-row">
        {isCoordinator ? (
          <div class="field">
            <label for="followup-therapist">Therapist</label>
            <select id="followup-therapist" value={therapistId} onChange={(e) => setTherapistId(e.currentTarget.value)} data-testid="followup-therapist">
              <option value="">All therapists</option>
              {[...names.therapists.values()].map((t) => (
                <option key={t.id} value={t.id}>
                  {t.displayName}
                  {t.active ? "" : " (inactive)"}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p class="muted">Your follow-up contacts ({therapistName(names, ownId) || "therapist"}).</p>
        )}
        <label class="check">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.currentTarget.checked)} data-testid="followup-open-only" />
          Only open contacts
        </label>
        <button type="button" class="secondary" onClick={() => setTick((t) => t + 1)} data-testid="followup-refresh">
          Refresh
        </button>
      </div>

      {contacts === null ? (
        <p aria-busy="true">Loading...</p>
      ) : sorted.length === 0 ? (
        <p class="muted" data-testid="followup-empty">
          No follow-up contacts due this week.
        </p>
      ) : (
        <>
          <p role="status" data-testid="followup-summary">
            {sorted.length} contact{sorted.length === 1 ? "" : "s"}
            {needing ? `; ${needing} need${needing === 1 ? "s" : ""} a time` : ""}.
          </p>
          <div class="grid-wrap">
            <table class="list" data-testid="followup-contacts">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Couple</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Therapist</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="sr-only">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((c) => {
                  const isOpen = selected === c.id;
                  return [
                    <tr
                      key={c.id}
                      class={isOpen ? "tp-selected" : ""}
                      data-testid="followup-contact-row"
                      data-contact-id={c.id}
                      data-status={ContactStatus[c.status]}
                    >
                      <td>{when(c)}</td>
                      <td>{coupleLabel(couples, c.coupleId)}</td>
                      <td>{CONTACT_KIND[c.kind]}</td>
                      <td>{therapistName(names, c.therapistId)}</td>
                      <td>
                        <span class={`status status-${CONTACT_TONE[c.status]}`} data-testid="followup-contact-status">
                          {CONTACT_STATUS[c.status]}
                        </span>
                        {c.outcome ? <span class="muted"> {OUTCOME[c.outcome]}</span> : null}
                      </td>
                      <td class="tp-actions">
                        <button
                          type="button"
                          class={isOpen ? "" : "secondary"}
                          aria-expanded={isOpen}
                          aria-controls={`contact-detail-${c.id}`}
                          onClick={() => setSelected(isOpen ? null : c.id)}
                          data-testid="followup-contact-open"
                        >
                          {isOpen ? "Close" : c.status === ContactStatus.SCHEDULED ? "Open / outcome" : "Open"}
                        </button>
                      </td>
                    </tr>,
                    isOpen ? (
                      <tr key={`${c.id}-detail`} class="fu-detail" id={`contact-detail-${c.id}`}>
                        <td colSpan={6}>
                          <ContactDetail
                            key={`${c.id}-${c.updateTime?.seconds ?? ""}`}
                            api={api}
                            contact={c}
                            couple={couples.get(c.coupleId)}
                            names={names}
                            timeZone={tz}
                            isCoordinator={isCoordinator}
                            isOwn={!!ownId && c.therapistId === ownId}
                            reportError={props.reportError}
                            clearError={props.clearError}
                            onChanged={changed}
                          />
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      {isCoordinator ? (
        <WeekReminders
          api={api}
          names={names}
          timeZone={tz}
          startMs={zonedMs(week, 0, tz)}
          endMs={zonedMs(addDays(week, 7), 0, tz)}
          reportError={props.reportError}
        />
      ) : null}
    </section>
  );
}
