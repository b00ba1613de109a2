// Staff & rooms page (issue #9 part 2): therapists (ListTherapists /
// CreateTherapist / UpdateTherapist), standing teams (ListTeams / CreateTeam /
// DeleteTeam), rooms (ListRooms / CreateRoom / UpdateRoom) and closed days
// (ListClosures / CreateClosure / DeleteClosure / ImportClosures). Every
// write is admin-only in the directory's access policy; coordinators read,
// and see the write controls disabled with a note.
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app/contract";
import { hasRole } from "../app/session";
import { NO_STAFF, loadStaffNames, type StaffNames } from "../app/staff";
import "./pages.css";
import { ClosuresSection } from "./staff/Closures";
import { RoomsSection } from "./staff/Rooms";
import { TeamsSection } from "./staff/Teams";
import { TherapistsSection } from "./staff/Therapists";

type Tab = "therapists" | "teams" | "rooms" | "closures";
const TABS: { id: Tab; label: string }[] = [
  { id: "therapists", label: "Therapists" },
  { id: "teams", label: "Teams" },
  { id: "rooms", label: "Rooms" },
  { id: "closures", label: "Closed days" },
];

export function StaffPage(props: PageProps) {
  const { api, session, clinic } = props;
  const canEdit = hasRole(session, "admin");
  const [names, setNames] = useState<StaffNames>(NO_STAFF);
  const [tab, setTab] = useState<Tab>("therapists");

  const refresh = (maxAgeMs?: number) =>
    loadStaffNames(api, maxAgeMs)
      .then(setNames)
      .catch((err) => props.reportError(err, { context: "Read staff" }));
  useEffect(() => {
    refresh();
  }, [api]);

  const common = {
    api,
    clinic,
    canEdit,
    reportError: props.reportError,
    clearError: props.clearError,
    onChanged: () => refresh(0),
  };

  return (
    <section aria-labelledby="page-title" data-testid="page-staff" class="tp-page">
      <h1 id="page-title">Staff &amp; rooms</h1>
      {!canEdit ? (
        <p class="banner banner-info" data-testid="staff-readonly">
          You are signed in without the admin role: you can look at staff, teams, rooms and closed days, but only an admin can change
          them. Absences and room outages are on the Absences page.
        </p>
      ) : null}
      <div class="tp-tabs" role="tablist" aria-label="Sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`staff-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`staff-panel-${t.id}`}
            onClick={() => setTab(t.id)}
            data-testid={`staff-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`staff-panel-${tab}`} aria-labelledby={`staff-tab-${tab}`}>
        {tab === "therapists" ? <TherapistsSection {...common} /> : null}
        {tab === "teams" ? <TeamsSection {...common} therapists={[...names.therapists.values()]} /> : null}
        {tab === "rooms" ? <RoomsSection {...common} /> : null}
        {tab === "closures" ? <ClosuresSection {...common} /> : null}
      </div>
    </section>
  );
}
