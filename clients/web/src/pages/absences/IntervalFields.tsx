// From / to inputs: dates, with optional clinic-local times. A date alone
// means the whole day (the last day included).
export interface IntervalInput {
  fromDate: string;
  fromTime: string;
  toDate: string;
  toTime: string;
}

export function IntervalFields(props: {
  /** Prefix of element ids and data-testids: "absence" -> absence-from, absence-from-time, ... */
  prefix: string;
  value: IntervalInput;
  onChange: (v: IntervalInput) => void;
  min?: string;
}) {
  const { prefix, value } = props;
  const set = (patch: Partial<IntervalInput>) => props.onChange({ ...value, ...patch });
  return (
    <div class="field-row">
      <div class="field">
        <label for={`${prefix}-from`}>From (day)</label>
        <input
          id={`${prefix}-from`}
          type="date"
          required
          min={props.min}
          value={value.fromDate}
          onInput={(e) => {
            const v = e.currentTarget.value;
            set(value.toDate && value.toDate >= v ? { fromDate: v } : { fromDate: v, toDate: v });
          }}
          data-testid={`${prefix}-from`}
        />
      </div>
      <div class="field">
        <label for={`${prefix}-from-time`}>
          From time <span class="muted">(optional)</span>
        </label>
        <input
          id={`${prefix}-from-time`}
          type="time"
          step={300}
          value={value.fromTime}
          onInput={(e) => set({ fromTime: e.currentTarget.value })}
          aria-describedby={`${prefix}-interval-hint`}
          data-testid={`${prefix}-from-time`}
        />
      </div>
      <div class="field">
        <label for={`${prefix}-to`}>To (day, included)</label>
        <input
          id={`${prefix}-to`}
          type="date"
          required
          min={value.fromDate || props.min}
          value={value.toDate}
          onInput={(e) => set({ toDate: e.currentTarget.value })}
          data-testid={`${prefix}-to`}
        />
      </div>
      <div class="field">
        <label for={`${prefix}-to-time`}>
          To time <span class="muted">(optional)</span>
        </label>
        <input
          id={`${prefix}-to-time`}
          type="time"
          step={300}
          value={value.toTime}
          onInput={(e) => set({ toTime: e.currentTarget.value })}
          aria-describedby={`${prefix}-interval-hint`}
          data-testid={`${prefix}-to-time`}
        />
      </div>
      <p class="hint field-hint" id={`${prefix}-interval-hint`}>
        Clinic time. Without times the days are whole days; with a To time the interval ends then (exclusive).
      </p>
    </div>
  );
}
