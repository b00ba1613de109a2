// Standing co-therapy teams: list (ListTeams), form (CreateTeam: one active
// male and one active female therapist), dissolve (DeleteTeam; bookings keep
// their therapists). Writes are admin-only.
import { useState } from "preact/hooks";
import { Sex, type Team, type Therapist } from "../../gen/tandem/directory/v1/directory_pb";
import { useActionIds } from "../../app/actions";
import { listAll } from "../../app/staff";
import { ADMIN_NOTE, useList, type SectionProps } from "./common";
import { isRetriable } from "../../app/errors";
import { ConfirmedAction } from "../../components/ConfirmedAction";

export function TeamsSection(props: SectionProps & { therapists: Therapist[] }) {
  const { api, canEdit, therapists } = props;
  const ids = useActionIds();
  const [teams, reload] = useList(
    () =>
      listAll(async (pageToken) => {
        const r = await api.directory.listTeams({ pageSize: 1000, pageToken });
        return { items: r.teams, nextPageToken: r.nextPageToken };
      }),
    [api],
    props.reportError,
    "List teams",
  );
  const [male, setMale] = useState("");
  const [female, setFemale] = useState("");
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const name = (id: string) => therapists.find((t) => t.id === id)?.displayName || id;

  const create = async () => {
    if (!male || !female) {
      props.reportError(new Error("Choose both therapists."), { context: "Form team" });
      return;
    }
    const key = `team:${male}:${female}:${label.trim()}`;
    setBusy(true);
    try {
      await api.directory.createTeam({
        requestId: ids.idFor(key),
        team: { maleTherapistId: male, femaleTherapistId: female, label: label.trim() },
      });
      ids.done(key);
      props.clearError();
      setMale("");
      setFemale("");
      setLabel("");
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Form team", retry: isRetriable(err) ? create : undefined });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (team: Team) => {
    const key = `team-delete:${team.id}`;
    setBusy(true);
    try {
      await api.directory.deleteTeam({ requestId: ids.idFor(key), id: team.id });
      ids.done(key);
      props.clearError();
      setConfirmDelete(null);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Dissolve team", retry: isRetriable(err) ? () => remove(team) : undefined });
    } finally {
      setBusy(false);
    }
  };

  const active = therapists.filter((t) => t.active);
  return (
    <section class="card" aria-labelledby="teams-heading" data-testid="teams">
      <h2 id="teams-heading">Standing teams</h2>
      {!canEdit ? <p class="tp-note">{ADMIN_NOTE}</p> : null}
      {teams === null ? (
        <p aria-busy="true">Loading...</p>
      ) : teams.length === 0 ? (
        <p class="muted">No standing teams.</p>
      ) : (
        <div class="grid-wrap">
          <table class="list" data-testid="team-list">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Male therapist</th>
                <th scope="col">Female therapist</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id} data-testid="team-row" data-team-id={t.id}>
                  <td>
                    {t.label || <span class="muted">no label</span>} <span class="muted">({t.id})</span>
                  </td>
                  <td>{name(t.maleTherapistId)}</td>
                  <td>{name(t.femaleTherapistId)}</td>
                  <td class="tp-actions">
                    <ConfirmedAction
                      verb="Dissolve"
                      armed={confirmDelete === t.id}
                      onArm={() => setConfirmDelete(t.id)}
                      onDisarm={() => setConfirmDelete(null)}
                      onConfirm={() => remove(t)}
                      disabled={!canEdit}
                      busy={busy}
                      ariaLabel={`Dissolve team ${t.label || t.id}`}
                      testId="team-delete"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="inline-form"
        aria-label="Form a standing team"
        data-testid="team-form"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <fieldset class="tp-bare tp-inline-edit" disabled={!canEdit || busy}>
          <div class="field">
            <label for="team-male">Male therapist</label>
            <select id="team-male" required value={male} onChange={(e) => setMale(e.currentTarget.value)} data-testid="team-male">
              <option value="">Choose...</option>
              {active
                .filter((t) => t.sex === Sex.MALE)
                .map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.displayName}
                  </option>
                ))}
            </select>
          </div>
          <div class="field">
            <label for="team-female">Female therapist</label>
            <select id="team-female" required value={female} onChange={(e) => setFemale(e.currentTarget.value)} data-testid="team-female">
              <option value="">Choose...</option>
              {active
                .filter((t) => t.sex === Sex.FEMALE)
                .map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.displayName}
                  </option>
                ))}
            </select>
          </div>
          <div class="field">
            <label for="team-label">
              Label <span class="muted">(optional)</span>
            </label>
            <input id="team-label" maxLength={100} value={label} onInput={(e) => setLabel(e.currentTarget.value)} data-testid="team-label" />
          </div>
          <div class="field">
            <button type="submit" data-testid="team-submit">
              Form team
            </button>
          </div>
        </fieldset>
      </form>
      <p class="hint">Dissolving a team does not change bookings: they keep their therapists.</p>
    </section>
  );
}
