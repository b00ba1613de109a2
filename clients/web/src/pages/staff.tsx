// Staff & rooms page. To build (issue #9 part 2): therapists (ListTherapists /
// CreateTherapist / UpdateTherapist), standing teams (ListTeams / CreateTeam /
// DeleteTeam), rooms (ListRooms / CreateRoom / UpdateRoom) and closures
// (ListClosures / CreateClosure / DeleteClosure / ImportClosures). Writes are
// admin only; coordinators read.
import type { PageProps } from "../app/contract";

export function StaffPage(_props: PageProps) {
  return (
    <section aria-labelledby="page-title" data-testid="page-staff">
      <h1 id="page-title">Staff &amp; rooms</h1>
      <p class="placeholder">Not built yet: this page is part of issue #9, part 2.</p>
    </section>
  );
}
