// The therapist and room forms of the Staff & rooms page (create and edit
// share them), and the weekly hours editor.
import { Weekday, type WeeklyHours } from "../../gen/tandem/common/v1/types_pb";
import { RoomKind, Sex, type Room, type Therapist } from "../../gen/tandem/directory/v1/directory_pb";

export const SEX_LABEL: Record<Sex, string> = {
  [Sex.UNSPECIFIED]: "not set",
  [Sex.MALE]: "male",
  [Sex.FEMALE]: "female",
};

export const ROOM_KIND_LABEL: Record<RoomKind, string> = {
  [RoomKind.UNSPECIFIED]: "?",
  [RoomKind.JOINT]: "joint",
  [RoomKind.INDIVIDUAL]: "individual",
};

const DAYS: { day: Weekday; short: string }[] = [
  { day: Weekday.MONDAY, short: "Mon" },
  { day: Weekday.TUESDAY, short: "Tue" },
  { day: Weekday.WEDNESDAY, short: "Wed" },
  { day: Weekday.THURSDAY, short: "Thu" },
  { day: Weekday.FRIDAY, short: "Fri" },
  { day: Weekday.SATURDAY, short: "Sat" },
  { day: Weekday.SUNDAY, short: "Sun" },
];

const pad = (n: number) => String(n).padStart(2, "0");

export interface DayHours {
  on: boolean;
  start: string;
  end: string;
}

export function hoursFromPb(list: WeeklyHours[]): DayHours[] {
  return DAYS.map(({ day }) => {
    const h = list.find((w) => w.weekday === day);
    return h
      ? {
          on: true,
          start: `${pad(h.startTime?.hours ?? 0)}:${pad(h.startTime?.minutes ?? 0)}`,
          end: `${pad(h.endTime?.hours ?? 0)}:${pad(h.endTime?.minutes ?? 0)}`,
        }
      : { on: false, start: "09:00", end: "17:00" };
  });
}

function clock(s: string) {
  const [h, m] = s.split(":").map(Number);
  return { hours: h || 0, minutes: m || 0 };
}

export function hoursToPb(list: DayHours[]) {
  return list.flatMap((h, i) => (h.on ? [{ weekday: DAYS[i].day, startTime: clock(h.start), endTime: clock(h.end) }] : []));
}

export function hoursSummary(list: WeeklyHours[]): string {
  if (!list.length) return "none";
  // Runs of consecutive days with the same hours: "Mon-Fri 08:00-16:30, Sat 09:00-12:00".
  const days = hoursFromPb(list);
  const parts: string[] = [];
  for (let i = 0; i < days.length; i++) {
    if (!days[i].on) continue;
    let j = i;
    while (j + 1 < days.length && days[j + 1].on && days[j + 1].start === days[i].start && days[j + 1].end === days[i].end) j++;
    parts.push(`${DAYS[i].short}${j > i ? `-${DAYS[j].short}` : ""} ${days[i].start}-${days[i].end}`);
    i = j;
  }
  return parts.join(", ");
}

export function HoursEditor(props: { prefix: string; value: DayHours[]; onChange: (v: DayHours[]) => void; legend: string }) {
  const set = (i: number, patch: Partial<DayHours>) => props.onChange(props.value.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <fieldset data-testid={`${props.prefix}-hours`}>
      <legend>{props.legend}</legend>
      <table class="fu-optouts">
        <tbody>
          {props.value.map((h, i) => (
            <tr key={i}>
              <td>
                <label class="check">
                  <input type="checkbox" checked={h.on} onChange={(e) => set(i, { on: e.currentTarget.checked })} data-testid={`${props.prefix}-day-${i + 1}`} />
                  {DAYS[i].short}
                </label>
              </td>
              <td>
                <label for={`${props.prefix}-start-${i}`} class="sr-only">
                  {DAYS[i].short} from
                </label>
                <input id={`${props.prefix}-start-${i}`} type="time" step={300} value={h.start} disabled={!h.on} onInput={(e) => set(i, { start: e.currentTarget.value })} />
              </td>
              <td>
                <label for={`${props.prefix}-end-${i}`} class="sr-only">
                  {DAYS[i].short} until
                </label>
                <input id={`${props.prefix}-end-${i}`} type="time" step={300} value={h.end} disabled={!h.on} onInput={(e) => set(i, { end: e.currentTarget.value })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

// ------------------------------------------------------------- therapists

export interface TherapistDraft {
  displayName: string;
  sex: Sex;
  languages: string;
  qualifications: string;
  cap: string;
  active: boolean;
  hours: DayHours[];
}

export function therapistDraft(t?: Therapist): TherapistDraft {
  if (!t) {
    return {
      displayName: "",
      sex: Sex.UNSPECIFIED,
      languages: "en",
      qualifications: "couples",
      cap: "360",
      active: true,
      hours: hoursFromPb([]).map((h, i) => ({ ...h, on: i < 5 })),
    };
  }
  return {
    displayName: t.displayName,
    sex: t.sex,
    languages: t.languages.join(", "),
    qualifications: t.qualifications.join(", "),
    cap: String(t.dailySessionMinutesCap),
    active: t.active,
    hours: hoursFromPb(t.workingHours),
  };
}

const words = (s: string) =>
  s
    .split(/[,\s]+/)
    .map((w) => w.trim())
    .filter(Boolean);

export function therapistFromDraft(d: TherapistDraft) {
  return {
    displayName: d.displayName.trim(),
    sex: d.sex,
    languages: words(d.languages).map((w) => w.toLowerCase()),
    qualifications: words(d.qualifications),
    dailySessionMinutesCap: Number(d.cap) || 0,
    active: d.active,
    workingHours: hoursToPb(d.hours),
  };
}

/** The update_mask paths of the fields that differ from the original. */
export function therapistMask(original: Therapist, d: TherapistDraft): string[] {
  const next = therapistFromDraft(d);
  const paths: string[] = [];
  if (next.displayName !== original.displayName) paths.push("display_name");
  if (next.sex !== original.sex) paths.push("sex");
  if (next.languages.join(",") !== original.languages.join(",")) paths.push("languages");
  if (next.qualifications.join(",") !== original.qualifications.join(",")) paths.push("qualifications");
  if (next.dailySessionMinutesCap !== original.dailySessionMinutesCap) paths.push("daily_session_minutes_cap");
  if (next.active !== original.active) paths.push("active");
  if (JSON.stringify(hoursFromPb(original.workingHours).map((h) => (h.on ? h : null))) !== JSON.stringify(d.hours.map((h) => (h.on ? h : null))))
    paths.push("working_hours");
  return paths;
}

export function TherapistFields(props: { prefix: string; value: TherapistDraft; onChange: (v: TherapistDraft) => void }) {
  const { prefix, value } = props;
  const set = (patch: Partial<TherapistDraft>) => props.onChange({ ...value, ...patch });
  return (
    <>
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}-name`}>Name shown to staff</label>
          <input id={`${prefix}-name`} required maxLength={100} value={value.displayName} onInput={(e) => set({ displayName: e.currentTarget.value })} data-testid={`${prefix}-name`} />
        </div>
        <div class="field">
          <label for={`${prefix}-sex`}>Sex</label>
          <select id={`${prefix}-sex`} required value={value.sex} onChange={(e) => set({ sex: Number(e.currentTarget.value) as Sex })} aria-describedby={`${prefix}-sex-hint`} data-testid={`${prefix}-sex`}>
            <option value={Sex.UNSPECIFIED} disabled>
              Choose...
            </option>
            <option value={Sex.MALE}>male</option>
            <option value={Sex.FEMALE}>female</option>
          </select>
        </div>
        <div class="field">
          <label for={`${prefix}-cap`}>Session minutes a day (most)</label>
          <input id={`${prefix}-cap`} class="tp-narrow" type="number" min={1} max={720} required value={value.cap} onInput={(e) => set({ cap: e.currentTarget.value })} data-testid={`${prefix}-cap`} />
        </div>
        <label class="check">
          <input type="checkbox" checked={value.active} onChange={(e) => set({ active: e.currentTarget.checked })} data-testid={`${prefix}-active`} />
          Active (gets new bookings)
        </label>
      </div>
      <p class="field-hint hint" id={`${prefix}-sex-hint`}>
        A co-therapy team is one male and one female therapist.
      </p>
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}-languages`}>Languages</label>
          <input id={`${prefix}-languages`} required value={value.languages} onInput={(e) => set({ languages: e.currentTarget.value })} aria-describedby={`${prefix}-lang-hint`} data-testid={`${prefix}-languages`} />
        </div>
        <div class="field">
          <label for={`${prefix}-qualifications`}>Qualifications</label>
          <input id={`${prefix}-qualifications`} value={value.qualifications} onInput={(e) => set({ qualifications: e.currentTarget.value })} data-testid={`${prefix}-qualifications`} />
        </div>
      </div>
      <p class="field-hint hint" id={`${prefix}-lang-hint`}>
        Separate with commas: language tags such as "en, de"; qualifications such as "couples, assessment".
      </p>
      <HoursEditor prefix={prefix} legend="Working hours" value={value.hours} onChange={(hours) => set({ hours })} />
    </>
  );
}

// ------------------------------------------------------------------ rooms

export interface RoomDraft {
  displayName: string;
  capacity: string;
  joint: boolean;
  individual: boolean;
  active: boolean;
}

export function roomDraft(r?: Room): RoomDraft {
  if (!r) return { displayName: "", capacity: "4", joint: true, individual: false, active: true };
  return {
    displayName: r.displayName,
    capacity: String(r.capacity),
    joint: r.kinds.includes(RoomKind.JOINT),
    individual: r.kinds.includes(RoomKind.INDIVIDUAL),
    active: r.active,
  };
}

export function roomFromDraft(d: RoomDraft) {
  return {
    displayName: d.displayName.trim(),
    capacity: Number(d.capacity) || 0,
    kinds: [...(d.joint ? [RoomKind.JOINT] : []), ...(d.individual ? [RoomKind.INDIVIDUAL] : [])],
    active: d.active,
  };
}

export function roomMask(original: Room, d: RoomDraft): string[] {
  const next = roomFromDraft(d);
  const paths: string[] = [];
  if (next.displayName !== original.displayName) paths.push("display_name");
  if (next.capacity !== original.capacity) paths.push("capacity");
  if ([...next.kinds].sort().join(",") !== [...original.kinds].sort().join(",")) paths.push("kinds");
  if (next.active !== original.active) paths.push("active");
  return paths;
}

export function RoomFields(props: { prefix: string; value: RoomDraft; onChange: (v: RoomDraft) => void }) {
  const { prefix, value } = props;
  const set = (patch: Partial<RoomDraft>) => props.onChange({ ...value, ...patch });
  return (
    <div class="field-row">
      <div class="field">
        <label for={`${prefix}-name`}>Room name</label>
        <input id={`${prefix}-name`} required maxLength={100} value={value.displayName} onInput={(e) => set({ displayName: e.currentTarget.value })} data-testid={`${prefix}-name`} />
      </div>
      <div class="field">
        <label for={`${prefix}-capacity`}>Capacity</label>
        <input id={`${prefix}-capacity`} class="tp-narrow" type="number" min={1} max={50} required value={value.capacity} onInput={(e) => set({ capacity: e.currentTarget.value })} data-testid={`${prefix}-capacity`} />
      </div>
      <fieldset class="tp-bare">
        <legend class="sr-only">Suits</legend>
        <span class="tp-weekdays">
          <label class="check">
            <input type="checkbox" checked={value.joint} onChange={(e) => set({ joint: e.currentTarget.checked })} data-testid={`${prefix}-kind-joint`} />
            Joint sessions
          </label>
          <label class="check">
            <input type="checkbox" checked={value.individual} onChange={(e) => set({ individual: e.currentTarget.checked })} data-testid={`${prefix}-kind-individual`} />
            Individual sessions
          </label>
        </span>
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={value.active} onChange={(e) => set({ active: e.currentTarget.checked })} data-testid={`${prefix}-active`} />
        Active
      </label>
    </div>
  );
}
