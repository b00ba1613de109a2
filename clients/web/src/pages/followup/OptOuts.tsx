// A couple's reminder opt-outs per partner and channel (followup
// ListContactPreferences / SetOptOut; coordinators only). Consent itself is
// recorded in booking's couple (Book page); an opt-out wins over consent.
import { useEffect, useState } from "preact/hooks";
import { ContactChannel } from "../../gen/tandem/booking/v1/booking_pb";
import { PartnerRole, ReminderChannel, type ContactPreference } from "../../gen/tandem/followup/v1/followup_pb";
import { useActionIds } from "../../app/actions";
import type { ApiClients } from "../../app/api";
import { dateTime } from "../../app/dates";
import type { CoupleSummary, PartnerSummary } from "./couples";
import { CHANNEL, PARTNER } from "./labels";
import { isRetriable } from "../../app/errors";

const CHANNELS = [ReminderChannel.SMS, ReminderChannel.EMAIL, ReminderChannel.FILE];
const PREFERRED: Record<ContactChannel, string> = {
  [ContactChannel.UNSPECIFIED]: "not set",
  [ContactChannel.SMS]: "text message",
  [ContactChannel.EMAIL]: "e-mail",
  [ContactChannel.NONE]: "no reminders",
};

function consentFor(p: PartnerSummary | null, channel: ReminderChannel): string {
  if (!p) return "";
  if (channel === ReminderChannel.SMS) return p.smsConsent ? "consented" : "no consent";
  if (channel === ReminderChannel.EMAIL) return p.emailConsent ? "consented" : "no consent";
  return "";
}

export function OptOuts(props: {
  api: ApiClients;
  couple: CoupleSummary;
  timeZone: string;
  reportError: (err: unknown, options?: { context?: string; retry?: () => void }) => void;
  clearError: () => void;
}) {
  const { api, couple } = props;
  const ids = useActionIds();
  const [prefs, setPrefs] = useState<ContactPreference[] | null>(null);
  const [busy, setBusy] = useState(false);
  // The state asked for while SetOptOut is on its way (the box shows it at once).
  const [pending, setPending] = useState<Record<string, boolean>>({});

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const r = await api.followup.listContactPreferences({ coupleId: couple.id, pageSize: 100 });
        if (live) setPrefs(r.contactPreferences);
      } catch (err) {
        if (live) props.reportError(err, { context: "Read reminder preferences", retry: isRetriable(err) ? load : undefined });
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, couple.id]);

  const prefOf = (partner: PartnerRole) =>
    prefs?.find((p) => p.recipient?.recipient.case === "partner" && p.recipient.recipient.value.partner === partner);

  const toggle = async (partner: PartnerRole, channel: ReminderChannel, optedOut: boolean) => {
    const key = `optout:${couple.id}:${partner}:${channel}:${optedOut}`;
    const box = `${partner}-${channel}`;
    setPending((p) => ({ ...p, [box]: optedOut }));
    setBusy(true);
    try {
      const r = await api.followup.setOptOut({
        requestId: ids.idFor(key),
        recipient: { recipient: { case: "partner", value: { coupleId: couple.id, partner } } },
        channel,
        optedOut,
      });
      ids.done(key);
      props.clearError();
      const updated = r.contactPreference;
      setPrefs((prev) => {
        const rest = (prev ?? []).filter(
          (p) => !(p.recipient?.recipient.case === "partner" && p.recipient.recipient.value.partner === partner),
        );
        return updated ? [...rest, updated] : rest;
      });
    } catch (err) {
      props.reportError(err, { context: "Change reminder opt-out", retry: isRetriable(err) ? () => toggle(partner, channel, optedOut) : undefined });
    } finally {
      setBusy(false);
      setPending((p) => {
        const next = { ...p };
        delete next[box];
        return next;
      });
    }
  };

  const partners: { role: PartnerRole; summary: PartnerSummary | null }[] = [
    { role: PartnerRole.A, summary: couple.partnerA },
    ...(couple.partnerB ? [{ role: PartnerRole.B, summary: couple.partnerB }] : []),
  ];

  return (
    <div class="card" data-testid="optouts">
      <h3>Reminder opt-outs for {couple.label}</h3>
      {prefs === null ? (
        <p aria-busy="true">Loading...</p>
      ) : (
        <table class="fu-optouts">
          <thead>
            <tr>
              <th scope="col">Who</th>
              {CHANNELS.map((c) => (
                <th scope="col" key={c}>
                  {CHANNEL[c]}
                </th>
              ))}
              <th scope="col">Prefers</th>
            </tr>
          </thead>
          <tbody>
            {partners.map(({ role, summary }) => {
              const pref = prefOf(role);
              return (
                <tr key={role} data-testid="optout-row" data-partner={PartnerRole[role]}>
                  <th scope="row">{PARTNER[role]}</th>
                  {CHANNELS.map((c) => {
                    const out = pending[`${role}-${c}`] ?? !!pref?.optedOutChannels.includes(c);
                    const id = `optout-${role}-${c}`;
                    return (
                      <td key={c}>
                        <label class="check" for={id}>
                          <input
                            id={id}
                            type="checkbox"
                            checked={out}
                            disabled={busy}
                            onChange={(e) => toggle(role, c, e.currentTarget.checked)}
                            data-testid="optout-toggle"
                            data-partner={PartnerRole[role]}
                            data-channel={ReminderChannel[c]}
                          />
                          opted out
                        </label>
                        <span class="muted">{consentFor(summary, c)}</span>
                      </td>
                    );
                  })}
                  <td>
                    {summary ? PREFERRED[summary.preferredChannel] : ""}
                    {pref?.updateTime ? <div class="muted">changed {dateTime(pref.updateTime, props.timeZone)}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p class="hint">Ticking "opted out" stops reminders on that channel. Unticking does not give consent: consent is recorded with the couple (Book page).</p>
    </div>
  );
}
