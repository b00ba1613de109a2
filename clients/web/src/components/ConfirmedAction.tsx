// A destructive row action in two steps: "Delete..." arms it, then "Delete"
// does it or "Keep" backs out. Used by every list that deletes (absences,
// room outages, teams, closed days), so they behave and read alike.
export interface ConfirmedActionProps {
  /** The word for the action: "Delete", "Remove", "Dissolve". */
  verb: string;
  /** Whether this row's action is armed (the page keeps which row is). */
  armed: boolean;
  onArm: () => void;
  onDisarm: () => void;
  onConfirm: () => void;
  /** The role may not do it. */
  disabled: boolean;
  /** A call is in flight. */
  busy: boolean;
  /** What the first button does, for screen readers ("Delete absence ab-3"). */
  ariaLabel: string;
  /** Prefix of the test ids: `<p>`, `<p>-confirm`, `<p>-cancel`. */
  testId: string;
}

export function ConfirmedAction(props: ConfirmedActionProps) {
  if (props.armed) {
    return (
      <span class="button-row tp-tight">
        <button type="button" class="danger" disabled={props.busy} onClick={props.onConfirm} data-testid={`${props.testId}-confirm`}>
          {props.verb}
        </button>
        <button type="button" class="secondary" onClick={props.onDisarm} data-testid={`${props.testId}-cancel`}>
          Keep
        </button>
      </span>
    );
  }
  return (
    <button
      type="button"
      class="secondary"
      disabled={props.disabled || props.busy}
      onClick={props.onArm}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
    >
      {props.verb}...
    </button>
  );
}
