// Absences page. To build (issue #9 part 2): therapists' absences (directory
// ListAbsences / CreateAbsence / DeleteAbsence; coordinator or admin) and room
// outages (ListRoomOutages / CreateRoomOutage / DeleteRoomOutage). Creating
// one may put bookings into NEEDS_ATTENTION: link to the Week page's list.
import type { PageProps } from "../app/contract";

export function AbsencesPage(_props: PageProps) {
  return (
    <section aria-labelledby="page-title" data-testid="page-absences">
      <h1 id="page-title">Absences</h1>
      <p class="placeholder">Not built yet: this page is part of issue #9, part 2.</p>
    </section>
  );
}
