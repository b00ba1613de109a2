// Booking an intensive: pick or add a couple, choose the programme, a window
// and preferences, ProposeIntensive, then hold one of the plans shown side by
// side (the hold counts down) and confirm it. Client names appear on this
// page only, never in the URL or the title.
import { useEffect, useState } from "preact/hooks";
import {
  ContactChannel,
  DayPart,
  IntensiveStatus,
  ReferralSpecialty,
  ReferralStatus,
  Sex,
  type Couple,
  type Explanation,
  type Intensive,
  type Plan,
  type ProgrammeTemplate,
  type Referral,
} from "../gen/tandem/booking/v1/booking_pb";
import { useActionIds } from "../app/actions";
import { proposalHint } from "../app/booking";
import type { PageProps } from "../app/contract";
import { addDays, fromPb, isoDate, parseIsoDate, shortDate, toPb, todayIn, type CivilDate } from "../app/dates";
import { INTENSIVE_STATUS, intensiveTone } from "../app/labels";
import { listAll, therapistName, useStaffNames } from "../app/staff";
import { ExplanationView } from "../components/ExplanationView";
import { IntensivePanel } from "../components/IntensivePanel";
import { PlanCard } from "../components/PlanCard";

interface PartnerForm {
  givenName: string;
  familyName: string;
  sex: Sex;
  phone: string;
  email: string;
  preferredChannel: ContactChannel;
  smsConsent: boolean;
  emailConsent: boolean;
}

const EMPTY_PARTNER: PartnerForm = {
  givenName: "",
  familyName: "",
  sex: Sex.UNSPECIFIED,
  phone: "",
  email: "",
  preferredChannel: ContactChannel.NONE,
  smsConsent: false,
  emailConsent: false,
};

const REFERRAL_STATUS: Record<ReferralStatus, string> = {
  [ReferralStatus.UNSPECIFIED]: "unknown",
  [ReferralStatus.SUGGESTED]: "suggested",
  [ReferralStatus.REQUESTED]: "requested",
  [ReferralStatus.SEEN]: "seen, result pending",
  [ReferralStatus.CLEARED]: "cleared",
  [ReferralStatus.NOT_NEEDED]: "not needed",
};

const SPECIALTY: Record<ReferralSpecialty, string> = {
  [ReferralSpecialty.UNSPECIFIED]: "specialist",
  [ReferralSpecialty.UROLOGY]: "urology",
  [ReferralSpecialty.GYNAECOLOGY]: "gynaecology",
  [ReferralSpecialty.ENDOCRINOLOGY]: "endocrinology",
  [ReferralSpecialty.OTHER]: "other specialty",
};

const settled = (r: Referral) => r.status === ReferralStatus.CLEARED || r.status === ReferralStatus.NOT_NEEDED;

function coupleNames(c: Couple): string {
  const name = (p: Couple["partnerA"]) => (p ? `${p.givenName} ${p.familyName}`.trim() : "");
  return [name(c.partnerA), name(c.partnerB)].filter(Boolean).join(" & ");
}

function PartnerFields(props: { prefix: string; legend: string; value: PartnerForm; onChange: (p: PartnerForm) => void }) {
  const { prefix, value } = props;
  const set = (patch: Partial<PartnerForm>) => props.onChange({ ...value, ...patch });
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}-given`}>Given name</label>
          <input id={`${prefix}-given`} value={value.givenName} maxLength={100} required autocomplete="off" onInput={(e) => set({ givenName: e.currentTarget.value })} data-testid={`${prefix}-given`} />
        </div>
        <div class="field">
          <label for={`${prefix}-family`}>Family name</label>
          <input id={`${prefix}-family`} value={value.familyName} maxLength={100} autocomplete="off" onInput={(e) => set({ familyName: e.currentTarget.value })} data-testid={`${prefix}-family`} />
        </div>
        <div class="field">
          <label for={`${prefix}-sex`}>Sex</label>
          <select id={`${prefix}-sex`} value={value.sex} onChange={(e) => set({ sex: Number(e.currentTarget.value) as Sex })} data-testid={`${prefix}-sex`}>
            <option value={Sex.UNSPECIFIED}>not recorded</option>
            <option value={Sex.MALE}>male</option>
            <option value={Sex.FEMALE}>female</option>
          </select>
        </div>
      </div>
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}-phone`}>Mobile (E.164, e.g. +447700900123)</label>
          <input id={`${prefix}-phone`} type="tel" value={value.phone} pattern="\+[1-9][0-9]{6,14}" autocomplete="off" onInput={(e) => set({ phone: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={`${prefix}-email`}>E-mail</label>
          <input id={`${prefix}-email`} type="email" value={value.email} autocomplete="off" onInput={(e) => set({ email: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={`${prefix}-channel`}>Reminders by</label>
          <select id={`${prefix}-channel`} value={value.preferredChannel} onChange={(e) => set({ preferredChannel: Number(e.currentTarget.value) as ContactChannel })}>
            <option value={ContactChannel.NONE}>no reminders</option>
            <option value={ContactChannel.SMS}>text message</option>
            <option value={ContactChannel.EMAIL}>e-mail</option>
          </select>
        </div>
      </div>
      <div class="field-row">
        <label class="check">
          <input type="checkbox" checked={value.smsConsent} onChange={(e) => set({ smsConsent: e.currentTarget.checked })} />
          Agreed to text messages
        </label>
        <label class="check">
          <input type="checkbox" checked={value.emailConsent} onChange={(e) => set({ emailConsent: e.currentTarget.checked })} />
          Agreed to e-mail
        </label>
      </div>
    </fieldset>
  );
}

export function BookPage(props: PageProps) {
  const { api, clinic } = props;
  const tz = clinic.timeZone;
  const names = useStaffNames(api, (err) => props.reportError(err, { context: "Read staff and rooms" }));
  const ids = useActionIds();

  // Couple
  const [couple, setCouple] = useState<Couple | null>(null);
  const [search, setSearch] = useState("");
  const [results, setResults] = useState<Couple[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [partnerA, setPartnerA] = useState<PartnerForm>(EMPTY_PARTNER);
  const [partnerB, setPartnerB] = useState<PartnerForm>(EMPTY_PARTNER);
  const [single, setSingle] = useState(false);
  const [language, setLanguage] = useState("en");
  const [label, setLabel] = useState("");
  const [formVersion, setFormVersion] = useState(0);
  const [coupleIntensives, setCoupleIntensives] = useState<Intensive[]>([]);
  const [referrals, setReferrals] = useState<Referral[]>([]);

  // Request
  const [templates, setTemplates] = useState<ProgrammeTemplate[]>([]);
  const [templateId, setTemplateId] = useState("");
  const today = todayIn(tz);
  const [earliest, setEarliest] = useState(isoDate(addDays(today, 7)));
  const [latest, setLatest] = useState(isoDate(addDays(today, 21)));
  const [dayPart, setDayPart] = useState<DayPart>(DayPart.ANY);
  const [teamId, setTeamId] = useState("");
  const [sameRoom, setSameRoom] = useState(false);
  const [maxPlans, setMaxPlans] = useState(5);
  const [holdMinutes, setHoldMinutes] = useState(0);

  // Result
  const [plans, setPlans] = useState<Plan[]>([]);
  const [explanation, setExplanation] = useState<Explanation | undefined>();
  const [proposed, setProposed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<{ id: string; label: string } | null>(null);

  useEffect(() => {
    listAll(async (pageToken) => {
      const r = await api.booking.listProgrammeTemplates({ pageSize: 1000, pageToken });
      return { items: r.programmeTemplates, nextPageToken: r.nextPageToken };
    })
      .then((t) => {
        setTemplates(t);
        setTemplateId((id) => id || t[0]?.id || "");
      })
      .catch((err) => props.reportError(err, { context: "Read programme templates" }));
  }, [api]);

  // The window defaults follow the clinic's "today" once its zone is known.
  useEffect(() => {
    const t = todayIn(tz);
    setEarliest(isoDate(addDays(t, 7)));
    setLatest(isoDate(addDays(t, 21)));
  }, [tz]);

  const loadCoupleIntensives = async (c: Couple) => {
    try {
      const r = await api.booking.listIntensives({ coupleId: c.id, pageSize: 100 });
      setCoupleIntensives(r.intensives);
    } catch (err) {
      props.reportError(err, { context: "Read the couple's bookings" });
    }
  };

  const loadReferrals = async (c: Couple) => {
    setReferrals([]);
    try {
      const r = await api.booking.listReferrals({ coupleId: c.id, pageSize: 100 });
      setReferrals(r.referrals);
    } catch (err) {
      props.reportError(err, { context: "Read the couple's referrals" });
    }
  };

  const choose = (c: Couple) => {
    setCouple(c);
    loadReferrals(c);
    setPlans([]);
    setExplanation(undefined);
    setProposed(false);
    setOpen(null);
    loadCoupleIntensives(c);
  };

  const find = async () => {
    setBusy(true);
    try {
      const r = await api.booking.listCouples({ namePrefix: search.trim(), pageSize: 25 });
      setResults(r.couples);
      props.clearError();
    } catch (err) {
      props.reportError(err, { context: "Find couple", retry: find });
    } finally {
      setBusy(false);
    }
  };

  const formChanged = () => setFormVersion((v) => v + 1);
  const createCouple = async () => {
    const key = `create-couple:${formVersion}`;
    const partner = (p: PartnerForm) => ({
      givenName: p.givenName.trim(),
      familyName: p.familyName.trim(),
      sex: p.sex,
      phone: p.phone.trim(),
      email: p.email.trim(),
      preferredChannel: p.preferredChannel,
      smsConsent: p.smsConsent,
      emailConsent: p.emailConsent,
    });
    setBusy(true);
    try {
      const r = await api.booking.createCouple({
        requestId: ids.idFor(key),
        couple: {
          partnerA: partner(partnerA),
          partnerB: single ? undefined : partner(partnerB),
          language: language.trim().toLowerCase(),
          displayLabel: label.trim(),
        },
      });
      ids.done(key);
      props.clearError();
      setAdding(false);
      setPartnerA(EMPTY_PARTNER);
      setPartnerB(EMPTY_PARTNER);
      setLabel("");
      if (r.couple) choose(r.couple);
    } catch (err) {
      props.reportError(err, { context: "Add couple", retry: createCouple });
    } finally {
      setBusy(false);
    }
  };

  const propose = async (window?: { from: CivilDate; to: CivilDate }) => {
    if (!couple) return;
    const from = window?.from ?? parseIsoDate(earliest);
    const to = window?.to ?? parseIsoDate(latest);
    if (!from || !to) {
      props.reportError(new Error("Enter the earliest and latest start dates."), { context: "Find plans" });
      return;
    }
    setBusy(true);
    try {
      const r = await api.booking.proposeIntensive({
        coupleId: couple.id,
        templateId,
        earliestStart: toPb(from),
        latestStart: toPb(to),
        preferences: { dayPart, preferredTeamId: teamId, sameRoomEveryDay: sameRoom },
        maxPlans,
      });
      props.clearError();
      setPlans(r.plans);
      setExplanation(r.explanation);
      setProposed(true);
      setOpen(null);
    } catch (err) {
      props.reportError(err, { context: "Find plans", retry: () => propose(window) });
    } finally {
      setBusy(false);
    }
  };

  const hold = async (plan: Plan) => {
    if (!couple) return;
    const key = `hold:${plan.proposalToken}:${holdMinutes}`;
    setBusy(true);
    try {
      const r = await api.booking.holdIntensive({
        requestId: ids.idFor(key),
        coupleId: couple.id,
        plan,
        holdDuration: holdMinutes ? { seconds: BigInt(holdMinutes * 60) } : undefined,
      });
      ids.done(key);
      props.clearError();
      setPlans([]);
      setExplanation(undefined);
      setProposed(false);
      if (r.intensive) {
        setOpen({ id: r.intensive.id, label: couple.displayLabel });
        loadCoupleIntensives(couple);
      }
    } catch (err) {
      const hint = proposalHint(err);
      if (hint) {
        setPlans(hint.plans);
        setExplanation(hint.explanation);
        props.reportError(err, { context: "Hold: that plan's time was taken meanwhile; fresh plans are shown" });
      } else {
        props.reportError(err, { context: "Hold", retry: () => hold(plan) });
      }
    } finally {
      setBusy(false);
    }
  };

  const teams = [...names.teams.values()];

  return (
    <section aria-labelledby="page-title" data-testid="page-book">
      <h1 id="page-title">Book an intensive</h1>
      <div class="book-layout">
        <section class="card" aria-labelledby="couple-heading" data-testid="book-couple">
          <h2 id="couple-heading">1. Couple</h2>
          {couple ? (
            <div class="button-row">
              <span data-testid="selected-couple">
                <strong>{couple.displayLabel}</strong> {coupleNames(couple)} <span class="muted">({couple.id}, {couple.language})</span>
              </span>
              <button type="button" class="secondary" onClick={() => { setCouple(null); setOpen(null); setPlans([]); setProposed(false); }} data-testid="change-couple">
                Choose another couple
              </button>
            </div>
          ) : (
            <>
              <form
                class="inline-form"
                role="search"
                onSubmit={(e) => {
                  e.preventDefault();
                  find();
                }}
              >
                <label for="couple-search">Name starts with</label>
                <input id="couple-search" value={search} autocomplete="off" onInput={(e) => setSearch(e.currentTarget.value)} data-testid="couple-search" />
                <button type="submit" disabled={busy} data-testid="couple-search-button">
                  Find
                </button>
                <button type="button" class="secondary" aria-expanded={adding} onClick={() => setAdding(!adding)} data-testid="new-couple-toggle">
                  New couple...
                </button>
              </form>
              {results ? (
                results.length ? (
                  <ul class="couple-results" aria-label="Couples found" data-testid="couple-results">
                    {results.map((c) => (
                      <li key={c.id}>
                        <button type="button" aria-pressed="false" onClick={() => choose(c)} data-testid="couple-result" data-couple-id={c.id}>
                          <strong>{c.displayLabel}</strong> {coupleNames(c)} <span class="muted">({c.id}{c.archived ? ", archived" : ""})</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p class="muted">No couple found.</p>
                )
              ) : null}
              {adding ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    createCouple();
                  }}
                  onInput={formChanged}
                  onChange={formChanged}
                  data-testid="new-couple-form"
                >
                  <h3>New couple</h3>
                  <PartnerFields prefix="partner-a" legend="Partner A" value={partnerA} onChange={setPartnerA} />
                  <label class="check">
                    <input type="checkbox" checked={single} onChange={(e) => setSingle(e.currentTarget.checked)} data-testid="single-client" />
                    Single client (no partner B)
                  </label>
                  {single ? null : <PartnerFields prefix="partner-b" legend="Partner B" value={partnerB} onChange={setPartnerB} />}
                  <div class="field-row">
                    <div class="field">
                      <label for="couple-language">Language (e.g. en)</label>
                      <input id="couple-language" value={language} required pattern="[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*" onInput={(e) => setLanguage(e.currentTarget.value)} data-testid="couple-language" />
                    </div>
                    <div class="field">
                      <label for="couple-label">Staff label (initials; empty: filled in)</label>
                      <input id="couple-label" value={label} maxLength={40} onInput={(e) => setLabel(e.currentTarget.value)} />
                    </div>
                  </div>
                  <button type="submit" disabled={busy} data-testid="create-couple">
                    Add couple
                  </button>
                </form>
              ) : null}
            </>
          )}
          {couple && referrals.length ? (
            <p data-testid="couple-referrals">
              Referrals:{" "}
              {referrals.map((r, i) => (
                <span key={r.id} class={`status status-${settled(r) ? "booked" : "held"}`}>
                  {i ? " " : ""}
                  {r.id} {SPECIALTY[r.specialty]}: {REFERRAL_STATUS[r.status]}
                </span>
              ))}
              {referrals.some((r) => !settled(r)) ? (
                <span class="hint"> Programmes that need settled referrals can be held but not confirmed until they are.</span>
              ) : null}
            </p>
          ) : null}
          {couple && coupleIntensives.length ? (
            <details>
              <summary>Bookings of this couple ({coupleIntensives.length})</summary>
              <ul>
                {coupleIntensives.map((i) => (
                  <li key={i.id}>
                    <span class={`status status-${intensiveTone(i.status)}`}>{INTENSIVE_STATUS[i.status]}</span> {i.templateDisplayName},{" "}
                    {shortDate(fromPb(i.startDate))} to {shortDate(fromPb(i.endDate))}{" "}
                    <button type="button" class="secondary" onClick={() => setOpen({ id: i.id, label: couple.displayLabel })} data-testid="couple-intensive-open">
                      Open {i.id}
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>

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
            onChanged={(i) => {
              if (couple) loadCoupleIntensives(couple);
              if (i.status === IntensiveStatus.CANCELLED) setProposed(false);
            }}
          />
        ) : null}

        {couple ? (
          <form
            class="card"
            aria-labelledby="request-heading"
            onSubmit={(e) => {
              e.preventDefault();
              propose();
            }}
            data-testid="book-request"
          >
            <h2 id="request-heading">2. Programme, window and preferences</h2>
            <div class="field-row">
              <div class="field">
                <label for="template">Programme</label>
                <select id="template" value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)} required data-testid="template-select">
                  {templates.map((t) => (
                    <option value={t.id} key={t.id}>
                      {t.displayName} ({t.days.length} days{t.referralClearanceRequired ? ", needs settled referrals" : ""})
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="earliest">Earliest start</label>
                <input id="earliest" type="date" value={earliest} min={isoDate(today)} required onInput={(e) => setEarliest(e.currentTarget.value)} data-testid="earliest-start" />
              </div>
              <div class="field">
                <label for="latest">Latest start</label>
                <input id="latest" type="date" value={latest} min={earliest} required onInput={(e) => setLatest(e.currentTarget.value)} data-testid="latest-start" />
              </div>
            </div>
            <div class="field-row">
              <div class="field">
                <label for="day-part">Part of the day</label>
                <select id="day-part" value={dayPart} onChange={(e) => setDayPart(Number(e.currentTarget.value) as DayPart)} data-testid="day-part">
                  <option value={DayPart.ANY}>any</option>
                  <option value={DayPart.MORNING}>mornings</option>
                  <option value={DayPart.AFTERNOON}>afternoons</option>
                </select>
              </div>
              <div class="field">
                <label for="team">Preferred team</label>
                <select id="team" value={teamId} onChange={(e) => setTeamId(e.currentTarget.value)} data-testid="preferred-team">
                  <option value="">no preference</option>
                  {teams.map((t) => (
                    <option value={t.id} key={t.id}>
                      {therapistName(names, t.maleTherapistId)} + {therapistName(names, t.femaleTherapistId)}
                      {t.label ? ` (${t.label})` : ""}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="max-plans">Plans to show</label>
                <input id="max-plans" type="number" min={1} max={20} value={maxPlans} onInput={(e) => setMaxPlans(Number(e.currentTarget.value) || 5)} />
              </div>
              <div class="field">
                <label for="hold-for">Hold a plan for</label>
                <select id="hold-for" value={holdMinutes} onChange={(e) => setHoldMinutes(Number(e.currentTarget.value))} data-testid="hold-duration">
                  <option value={0}>the service's default (usually 30 minutes)</option>
                  <option value={120}>2 hours</option>
                  <option value={1440}>1 day</option>
                  <option value={4320}>3 days</option>
                  <option value={10080}>7 days</option>
                </select>
              </div>
              <label class="check">
                <input type="checkbox" checked={sameRoom} onChange={(e) => setSameRoom(e.currentTarget.checked)} data-testid="same-room" />
                Same room for every joint session
              </label>
            </div>
            <p class="hint">Preferences rank the plans; they never rule one out.</p>
            <button type="submit" disabled={busy || !templateId} data-testid="propose-button">
              Find plans
            </button>
            {busy ? <span role="status"> Working...</span> : null}
          </form>
        ) : null}

        {couple && proposed ? (
          <section aria-labelledby="plans-heading" data-testid="book-plans">
            <h2 id="plans-heading">3. Plans</h2>
            {plans.length === 0 ? <p data-testid="no-plans">No plan fits this window.</p> : null}
            {explanation ? (
              <ExplanationView
                explanation={explanation}
                onSearchFrom={(d) => {
                  const to = addDays(d, 14);
                  setEarliest(isoDate(d));
                  setLatest(isoDate(to));
                  propose({ from: d, to });
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
                  actionLabel="Hold"
                  actionTestId="hold-button"
                  onAction={hold}
                  busy={busy}
                />
              ))}
            </div>
            {plans.length ? <p class="hint">Best first. A held plan blocks its time until it is confirmed or the hold expires.</p> : null}
          </section>
        ) : null}
      </div>
    </section>
  );
}
