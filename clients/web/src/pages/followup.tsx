// Follow-up page. To build (issue #9 part 2): follow-up contacts (followup
// ListFollowUpContacts, RescheduleContact, CancelContact, RecordOutcome,
// RebookContact), unscheduled contacts first; therapists see only their own.
import type { PageProps } from "../app/contract";

export function FollowUpPage(_props: PageProps) {
  return (
    <section aria-labelledby="page-title" data-testid="page-followup">
      <h1 id="page-title">Follow-up</h1>
      <p class="placeholder">Not built yet: this page is part of issue #9, part 2.</p>
    </section>
  );
}
