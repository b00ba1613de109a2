// Rooms: list (ListRooms, inactive too), add (CreateRoom), change
// (UpdateRoom with the changed fields). Writes are admin-only; rooms are
// never deleted, only made inactive.
import { useState } from "preact/hooks";
import type { Room } from "../../gen/tandem/directory/v1/directory_pb";
import { useActionIds } from "../../app/actions";
import { listAll } from "../../app/staff";
import { ADMIN_NOTE, useList, type SectionProps } from "./common";
import { ROOM_KIND_LABEL, RoomFields, roomDraft, roomFromDraft, roomMask, type RoomDraft } from "./forms";
import { isRetriable } from "../../app/errors";

export function RoomsSection(props: SectionProps) {
  const { api, canEdit } = props;
  const ids = useActionIds();
  const [rooms, reload] = useList(
    () =>
      listAll(async (pageToken) => {
        const r = await api.directory.listRooms({ pageSize: 1000, pageToken, includeInactive: true });
        return { items: r.rooms, nextPageToken: r.nextPageToken };
      }),
    [api],
    props.reportError,
    "List rooms",
  );
  const [adding, setAdding] = useState<RoomDraft | null>(null);
  const [editing, setEditing] = useState<{ id: string; draft: RoomDraft } | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    if (!adding) return;
    const room = roomFromDraft(adding);
    const key = `room-create:${JSON.stringify(room)}`;
    setBusy(true);
    try {
      await api.directory.createRoom({ requestId: ids.idFor(key), room });
      ids.done(key);
      props.clearError();
      setAdding(null);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Add room", retry: isRetriable(err) ? create : undefined });
    } finally {
      setBusy(false);
    }
  };

  const save = async (original: Room) => {
    if (!editing) return;
    const paths = roomMask(original, editing.draft);
    if (!paths.length) {
      setEditing(null);
      return;
    }
    const room = { ...roomFromDraft(editing.draft), id: original.id };
    const key = `room-update:${original.id}:${JSON.stringify(room)}:${paths.join(",")}`;
    setBusy(true);
    try {
      await api.directory.updateRoom({ requestId: ids.idFor(key), room, updateMask: { paths } });
      ids.done(key);
      props.clearError();
      setEditing(null);
      reload();
      props.onChanged();
    } catch (err) {
      props.reportError(err, { context: "Save room", retry: isRetriable(err) ? () => save(original) : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="rooms-heading" data-testid="rooms">
      <div class="panel-head">
        <h2 id="rooms-heading">Rooms</h2>
        <button type="button" disabled={!canEdit || !!adding} onClick={() => setAdding(roomDraft())} data-testid="room-add">
          Add room
        </button>
      </div>
      {!canEdit ? <p class="tp-note">{ADMIN_NOTE}</p> : null}
      {adding ? (
        <form
          class="card"
          aria-label="New room"
          data-testid="room-form"
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
        >
          <h3>New room</h3>
          <fieldset class="tp-bare" disabled={busy}>
            <RoomFields prefix="room-new" value={adding} onChange={setAdding} />
            <div class="button-row">
              <button type="submit" data-testid="room-submit">
                Add
              </button>
              <button type="button" class="secondary" onClick={() => setAdding(null)}>
                Cancel
              </button>
            </div>
          </fieldset>
        </form>
      ) : null}
      {rooms === null ? (
        <p aria-busy="true">Loading...</p>
      ) : (
        <div class="grid-wrap">
          <table class="list" data-testid="room-list">
            <thead>
              <tr>
                <th scope="col">Room</th>
                <th scope="col">Capacity</th>
                <th scope="col">Suits</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rooms.map((r) => [
                <tr key={r.id} class={r.active ? "" : "tp-inactive"} data-testid="room-row" data-room-id={r.id}>
                  <td>
                    {r.displayName} <span class="muted">({r.id})</span>
                  </td>
                  <td>{r.capacity}</td>
                  <td>{r.kinds.map((k) => ROOM_KIND_LABEL[k]).join(", ")}</td>
                  <td>{r.active ? "yes" : "no"}</td>
                  <td class="tp-actions">
                    <button
                      type="button"
                      class="secondary"
                      disabled={!canEdit}
                      aria-expanded={editing?.id === r.id}
                      aria-label={`Edit ${r.displayName}`}
                      onClick={() => setEditing(editing?.id === r.id ? null : { id: r.id, draft: roomDraft(r) })}
                      data-testid="room-edit"
                    >
                      Edit
                    </button>
                  </td>
                </tr>,
                editing?.id === r.id ? (
                  <tr key={`${r.id}-edit`} class="fu-detail">
                    <td colSpan={5}>
                      <form
                        class="card"
                        aria-label={`Edit ${r.displayName}`}
                        data-testid="room-edit-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          save(r);
                        }}
                      >
                        <fieldset class="tp-bare" disabled={busy}>
                          <RoomFields prefix="room-edit" value={editing.draft} onChange={(draft) => setEditing({ id: r.id, draft })} />
                          <p class="hint">A room made inactive (or no longer suiting a session) puts the bookings in it in need of attention.</p>
                          <div class="button-row">
                            <button type="submit" data-testid="room-save">
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
