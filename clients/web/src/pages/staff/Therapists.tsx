// Therapists: list (ListTherapists, inactive too), add (CreateTherapist),
// change (UpdateTherapist with the changed fields in update_mask). Writes
// are admin-only. Therapists are never deleted, only made inactive.
import { useState } from "preact/hooks";
import { Sex, type Therapist } from "../../gen/tandem/directory/v1/directory_pb";
import { useActionIds } from "../../app/actions";
import { listAll } from "../../app/staff";
import { ADMIN_NOTE, useList, type SectionProps } from "./common";
import { SEX_LABEL, TherapistFields, hoursSummary, therapistDraft, therapistFromDraft, therapistMask, type TherapistDraft } from "./forms";
import { isRetriable } from "../../app/errors";

export function TherapistsSection(props: SectionProps) {
  const { api, canEdit } = props;
  const ids = useActionIds();
  const [therapists, reload] = useList(
    () =>
      listAll(async (pageToken) => {
        const r = await api.directory.listTherapists({ pageSize: 1000, pageToken, includeInactive: true });
        return { items: r.therapists, nextPageToken: r.nextPageToken };
      }),
    [api],
    props.reportError,
    "List therapists",
  );
  const [showInactive, setShowInactive] = useState(true);
  const [editing, setEditing] = useState<{ id: string; draft: TherapistDraft } | null>(null);
  const [adding, setAdding] = useState<TherapistDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const create = async () => {
    if (!adding) return;
    if (adding.sex === Sex.UNSPECIFIED) {
      props.reportError(new Error("Choose male or female: teams are one male and one female therapist."), { context: "Add therapist" });
      return;
    }
    const therapist = therapistFromDraft(adding);
    const key = `therapist-create:${JSON.stringify(therapist)}`;
    setBusy(true);
    try {
      const r = await api.directory.createTherapist({ requestId: ids.idFor(key), therapist });
      ids.done(key);
      props.clearError();
      setAdding(null);
      setNotice(`Added ${r.therapist?.displayName ?? ""} (${r.therapist?.id ?? ""}).`);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Add therapist", retry: isRetriable(err) ? create : undefined });
    } finally {
      setBusy(false);
    }
  };

  const save = async (original: Therapist) => {
    if (!editing) return;
    const paths = therapistMask(original, editing.draft);
    if (!paths.length) {
      setEditing(null);
      return;
    }
    const therapist = { ...therapistFromDraft(editing.draft), id: original.id };
    const key = `therapist-update:${original.id}:${paths.join(",")}:${JSON.stringify(therapist)}`;
    setBusy(true);
    try {
      await api.directory.updateTherapist({ requestId: ids.idFor(key), therapist, updateMask: { paths } });
      ids.done(key);
      props.clearError();
      setEditing(null);
      setNotice(`Saved ${therapist.displayName}.`);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Save therapist", retry: isRetriable(err) ? () => save(original) : undefined });
    } finally {
      setBusy(false);
    }
  };

  const shown = (therapists ?? []).filter((t) => showInactive || t.active);
  return (
    <section class="card" aria-labelledby="therapists-heading" data-testid="therapists">
      <div class="panel-head">
        <h2 id="therapists-heading">Therapists</h2>
        <button
          type="button"
          disabled={!canEdit || !!adding}
          onClick={() => {
            setAdding(therapistDraft());
            setNotice(null);
          }}
          data-testid="therapist-add"
        >
          Add therapist
        </button>
      </div>
      {!canEdit ? <p class="tp-note">{ADMIN_NOTE}</p> : null}
      {notice ? (
        <p class="banner banner-info" role="status">
          {notice}
        </p>
      ) : null}
      {adding ? (
        <form
          class="card"
          aria-label="New therapist"
          data-testid="therapist-form"
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
        >
          <h3>New therapist</h3>
          <fieldset class="tp-bare" disabled={busy}>
            <TherapistFields prefix="therapist-new" value={adding} onChange={setAdding} />
            <div class="button-row">
              <button type="submit" data-testid="therapist-submit">
                Add
              </button>
              <button type="button" class="secondary" onClick={() => setAdding(null)}>
                Cancel
              </button>
            </div>
          </fieldset>
        </form>
      ) : null}
      <label class="check">
        <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} data-testid="therapist-show-inactive" />
        Show inactive therapists
      </label>
      {therapists === null ? (
        <p aria-busy="true">Loading...</p>
      ) : (
        <div class="grid-wrap">
          <table class="list" data-testid="therapist-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Sex</th>
                <th scope="col">Languages</th>
                <th scope="col">Qualifications</th>
                <th scope="col">Working hours</th>
                <th scope="col">Min/day</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => [
                <tr key={t.id} class={t.active ? "" : "tp-inactive"} data-testid="therapist-row" data-therapist-id={t.id}>
                  <td>
                    {t.displayName} <span class="muted">({t.id})</span>
                  </td>
                  <td>{SEX_LABEL[t.sex]}</td>
                  <td>{t.languages.join(", ")}</td>
                  <td>{t.qualifications.join(", ")}</td>
                  <td>{hoursSummary(t.workingHours)}</td>
                  <td>{t.dailySessionMinutesCap}</td>
                  <td>{t.active ? "yes" : "no"}</td>
                  <td class="tp-actions">
                    <button
                      type="button"
                      class="secondary"
                      disabled={!canEdit}
                      aria-expanded={editing?.id === t.id}
                      aria-label={`Edit ${t.displayName}`}
                      onClick={() => setEditing(editing?.id === t.id ? null : { id: t.id, draft: therapistDraft(t) })}
                      data-testid="therapist-edit"
                    >
                      Edit
                    </button>
                  </td>
                </tr>,
                editing?.id === t.id ? (
                  <tr key={`${t.id}-edit`} class="fu-detail">
                    <td colSpan={8}>
                      <form
                        class="card"
                        aria-label={`Edit ${t.displayName}`}
                        data-testid="therapist-edit-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          save(t);
                        }}
                      >
                        <fieldset class="tp-bare" disabled={busy}>
                          <TherapistFields prefix="therapist-edit" value={editing.draft} onChange={(draft) => setEditing({ id: t.id, draft })} />
                          <p class="hint">
                            Making a therapist inactive keeps their history; bookings they are on need attention.
                          </p>
                          <div class="button-row">
                            <button type="submit" data-testid="therapist-save">
                              Save
                            </button>
                            <button type="button" class="secondary" onClick={() => setEditing(null)}>
                              Cancel
                            </button>
                          </div>
                        </fieldset>
                      </form>
                    </td>
                  </tr>
                ) : null,
              ])}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
