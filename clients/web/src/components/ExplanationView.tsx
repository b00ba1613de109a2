// Why ProposeIntensive found fewer plans than asked, and the earliest start
// that would work, with a button to search from there.
import type { Explanation } from "../gen/tandem/booking/v1/booking_pb";
import { fromPb, longDate, type CivilDate } from "../app/dates";
import { PROPOSAL_REASON } from "../app/labels";

export function ExplanationView(props: { explanation: Explanation; onSearchFrom: (d: CivilDate) => void }) {
  const alt = fromPb(props.explanation.earliestAlternativeStart);
  return (
    <div class="card" data-testid="proposal-explanation">
      <h3>Why not more plans</h3>
      <ul>
        {props.explanation.reasons.map((r, i) => (
          <li key={i} data-testid="proposal-reason">
            {r.message || PROPOSAL_REASON[r.code]}
            {r.message && PROPOSAL_REASON[r.code] ? <span class="muted"> ({PROPOSAL_REASON[r.code]})</span> : null}
          </li>
        ))}
      </ul>
      {alt ? (
        <p>
          Earliest start that would work: <strong data-testid="earliest-alternative">{longDate(alt)}</strong>{" "}
          <button type="button" class="secondary" onClick={() => props.onSearchFrom(alt)} data-testid="search-alternative">
            Search from {longDate(alt)}
          </button>
        </p>
      ) : (
        <p class="muted">No start within a year after the window would work either.</p>
      )}
    </div>
  );
}
