// Clinic closures: list (ListClosures, from today on unless past ones are
// asked for), add (CreateClosure), remove (DeleteClosure), import an
// iCalendar file's all-day events (ImportClosures). Writes are admin-only.
import { useState } from "preact/hooks";
import { ClosureKind, type Closure } from "../../gen/tandem/directory/v1/directory_pb";
import { useActionIds } from "../../app/actions";
import { addDays, fromPb, isoDate, longDate, parseIsoDate, toPb, todayIn } from "../../app/dates";
import { listAll } from "../../app/staff";
import { ADMIN_NOTE, useList, type SectionProps } from "./common";
import { isRetriable } from "../../app/errors";
import { ConfirmedAction } from "../../components/ConfirmedAction";

const KIND_LABEL: Record<ClosureKind, string> = {
  [ClosureKind.UNSPECIFIED]: "?",
  [ClosureKind.PUBLIC_HOLIDAY]: "public holiday",
  [ClosureKind.ONE_OFF]: "one-off",
};
const MAX_ICS_BYTES = 1024 * 1024;

export function ClosuresSection(props: SectionProps) {
  const { api, canEdit } = props;
  const tz = props.clinic.timeZone;
  const ids = useActionIds();
  const [showPast, setShowPast] = useState(false);
  const [closures, reload] = useList(
    () =>
      listAll(async (pageToken) => {
        const today = todayIn(tz);
        const r = await api.directory.listClosures({
          dateRange: showPast ? undefined : { startDate: toPb(today), endDate: toPb(addDays(today, 5 * 366)) },
          pageSize: 1000,
          pageToken,
        });
        return { items: r.closures, nextPageToken: r.nextPageToken };
      }),
    [api, showPast, tz],
    props.reportError,
    "List closures",
  );
  const [date, setDate] = useState("");
  const [kind, setKind] = useState<ClosureKind>(ClosureKind.PUBLIC_HOLIDAY);
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [importKind, setImportKind] = useState<ClosureKind>(ClosureKind.PUBLIC_HOLIDAY);
  const [notice, setNotice] = useState<string | null>(null);
  const [fileKey, setFileKey] = useState(0);

  const create = async () => {
    const d = parseIsoDate(date);
    if (!d) {
      props.reportError(new Error("Enter the day."), { context: "Add closure" });
      return;
    }
    const key = `closure:${date}:${kind}:${label.trim()}`;
    setBusy(true);
    try {
      await api.directory.createClosure({ requestId: ids.idFor(key), closure: { date: toPb(d), kind, label: label.trim() } });
      ids.done(key);
      props.clearError();
      setNotice(`Closed on ${longDate(d)}. Bookings on that day need attention.`);
      setDate("");
      setLabel("");
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Add closure", retry: isRetriable(err) ? create : undefined });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (c: Closure) => {
    const key = `closure-delete:${c.id}`;
    setBusy(true);
    try {
      await api.directory.deleteClosure({ requestId: ids.idFor(key), id: c.id });
      ids.done(key);
      props.clearError();
      setConfirmDelete(null);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Remove closure", retry: isRetriable(err) ? () => remove(c) : undefined });
    } finally {
      setBusy(false);
    }
  };

  const importFile = async () => {
    if (!file) return;
    if (file.size > MAX_ICS_BYTES) {
      props.reportError(new Error("The file is larger than 1 MiB."), { context: "Import closures" });
      return;
    }
    const content = new Uint8Array(await file.arrayBuffer());
    // Same file, same kind: the same action.
    const key = `closure-import:${file.name}:${file.size}:${file.lastModified}:${importKind}`;
    setBusy(true);
    try {
      const r = await api.directory.importClosures({ requestId: ids.idFor(key), icsContent: content, kind: importKind });
      ids.done(key);
      props.clearError();
      setNotice(
        `Imported ${r.created.length} closed day${r.created.length === 1 ? "" : "s"}` +
          (r.skippedExisting ? `; ${r.skippedExisting} already closed.` : "."),
      );
      setFile(null);
      setFileKey((k) => k + 1);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Import closures", retry: isRetriable(err) ? importFile : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="closures-heading" data-testid="closures">
      <h2 id="closures-heading">Closed days</h2>
      {!canEdit ? <p class="tp-note">{ADMIN_NOTE}</p> : null}
      {notice ? (
        <p class="banner banner-info" role="status" data-testid="closure-notice">
          {notice}
        </p>
      ) : null}
      <label class="check">
        <input type="checkbox" checked={showPast} onChange={(e) => setShowPast(e.currentTarget.checked)} data-testid="closure-show-past" />
        Show past closed days
      </label>
      {closures === null ? (
        <p aria-busy="true">Loading...</p>
      ) : closures.length === 0 ? (
        <p class="muted">No closed days{showPast ? "" : " from today on"}.</p>
      ) : (
        <div class="grid-wrap">
          <table class="list" data-testid="closure-list">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Kind</th>
                <th scope="col">Label</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {closures.map((c) => (
                <tr key={c.id} data-testid="closure-row" data-closure-id={c.id} data-date={isoDate(fromPb(c.date))}>
                  <td>{longDate(fromPb(c.date))}</td>
                  <td>{KIND_LABEL[c.kind]}</td>
                  <td>{c.label}</td>
                  <td class="tp-actions">
                    <ConfirmedAction
                      verb="Remove"
                      armed={confirmDelete === c.id}
                      onArm={() => setConfirmDelete(c.id)}
                      onDisarm={() => setConfirmDelete(null)}
                      onConfirm={() => remove(c)}
                      disabled={!canEdit}
                      busy={busy}
                      ariaLabel={`Remove closed day ${isoDate(fromPb(c.date))}`}
                      testId="closure-delete"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Add a closed day</h3>
      <form
        aria-label="Add a closed day"
        data-testid="closure-form"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <fieldset class="tp-bare tp-inline-edit" disabled={!canEdit || busy}>
          <div class="field">
            <label for="closure-date">Day</label>
            <input id="closure-date" type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} data-testid="closure-date" />
          </div>
          <div class="field">
            <label for="closure-kind">Kind</label>
            <select id="closure-kind" value={kind} onChange={(e) => setKind(Number(e.currentTarget.value) as ClosureKind)} data-testid="closure-kind">
              <option value={ClosureKind.PUBLIC_HOLIDAY}>public holiday</option>
              <option value={ClosureKind.ONE_OFF}>one-off</option>
            </select>
          </div>
          <div class="field">
            <label for="closure-label">Label</label>
            <input id="closure-label" maxLength={200} value={label} onInput={(e) => setLabel(e.currentTarget.value)} data-testid="closure-label" />
          </div>
          <div class="field">
            <button type="submit" data-testid="closure-submit">
              Add closed day
            </button>
          </div>
        </fieldset>
      </form>
      <h3>Import closed days from a calendar file</h3>
      <form
        aria-label="Import closed days"
        data-testid="closure-import-form"
        onSubmit={(e) => {
          e.preventDefault();
          importFile();
        }}
      >
        <fieldset class="tp-bare tp-inline-edit" disabled={!canEdit || busy}>
          <div class="field">
            <label for="closure-import-file">iCalendar file (.ics)</label>
            <input
              key={fileKey}
              id="closure-import-file"
              type="file"
              accept=".ics,text/calendar"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              data-testid="closure-import-file"
            />
          </div>
          <div class="field">
            <label for="closure-import-kind">Kind</label>
            <select
              id="closure-import-kind"
              value={importKind}
              onChange={(e) => setImportKind(Number(e.currentTarget.value) as ClosureKind)}
              data-testid="closure-import-kind"
            >
              <option value={ClosureKind.PUBLIC_HOLIDAY}>public holiday</option>
              <option value={ClosureKind.ONE_OFF}>one-off</option>
            </select>
          </div>
          <div class="field">
            <button type="submit" disabled={!file} data-testid="closure-import-submit">
              Import
            </button>
          </div>
        </fieldset>
      </form>
      <p class="hint">All-day events of the file become closed days (all or none); days already closed are skipped.</p>
    </section>
  );
}
