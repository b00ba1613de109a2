// Room outages: a room out of service for an interval (directory
// ListRoomOutages / CreateRoomOutage / DeleteRoomOutage; coordinator or
// admin). Repairs are followed like an absence's.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import type { RoomOutage } from "../../gen/tandem/directory/v1/directory_pb";
import { useActionIds } from "../../app/actions";
import type { ApiClients } from "../../app/api";
import type { ClinicInfo } from "../../app/clinic";
import { isoDate, todayIn } from "../../app/dates";
import { listAll, roomName, type StaffNames } from "../../app/staff";
import { intervalFromInputs, spanText, zonedMs } from "./clinicTime";
import { IntervalFields, type IntervalInput } from "./IntervalFields";
import { daysOf, type RepairTracker } from "./useRepairTracker";
import { isRetriable } from "../../app/errors";
import { ConfirmedAction } from "../../components/ConfirmedAction";

export function OutagesSection(props: {
  api: ApiClients;
  clinic: ClinicInfo;
  names: StaffNames;
  canWrite: boolean;
  tracker: RepairTracker;
  reportError: (err: unknown, options?: { context?: string; retry?: () => void }) => void;
  clearError: () => void;
  onBeforeChange: () => void;
}) {
  const { api, names, tracker } = props;
  const tz = props.clinic.timeZone;
  const ids = useActionIds();
  const [outages, setOutages] = useState<RoomOutage[] | null>(null);
  const [reload, setReload] = useState(0);
  const [showPast, setShowPast] = useState(false);
  const [roomId, setRoomId] = useState("");
  const [range, setRange] = useState<IntervalInput>(() => {
    const t = isoDate(todayIn(tz));
    return { fromDate: t, fromTime: "", toDate: t, toTime: "" };
  });
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const list = await listAll(async (pageToken) => {
          const r = await api.directory.listRoomOutages({ pageSize: 1000, pageToken });
          return { items: r.roomOutages, nextPageToken: r.nextPageToken };
        });
        if (live) setOutages(list);
      } catch (err) {
        if (live) props.reportError(err, { context: "List room outages", retry: isRetriable(err) ? load : undefined });
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [api, reload]);

  const rooms = [...names.rooms.values()];
  const todayStart = zonedMs(todayIn(tz), 0, tz);
  const shown = (outages ?? []).filter((o) => showPast || (o.endTime ? timestampMs(o.endTime) : 0) > todayStart);

  const create = async () => {
    setNotice(null);
    const iv = intervalFromInputs(range, tz);
    if (!roomId) {
      props.reportError(new Error("Choose the room."), { context: "Take a room out of service" });
      return;
    }
    if (typeof iv === "string") {
      props.reportError(new Error(iv), { context: "Take a room out of service" });
      return;
    }
    const key = `outage:${roomId}:${iv.startMs}:${iv.endMs}`;
    setBusy(true);
    props.onBeforeChange();
    try {
      await tracker.run(
        { kind: "outage", action: "create", resourceId: roomId, startMs: iv.startMs, endMs: iv.endMs, ...daysOf(iv.startMs, iv.endMs, tz) },
        `${roomName(names, roomId)} out of service: ${spanText(iv.start, iv.end, tz)}`,
        async () => {
          await api.directory.createRoomOutage({ requestId: ids.idFor(key), roomOutage: { roomId, startTime: iv.start, endTime: iv.end } });
          ids.done(key);
          props.clearError();
          setNotice(`Recorded: ${roomName(names, roomId)} out of service, ${spanText(iv.start, iv.end, tz)}.`);
          setReload((k) => k + 1);
          setRoomId(""); // a second press must not record it twice
        },
      );
    } catch (err) {
      props.reportError(err, { context: "Take a room out of service", retry: isRetriable(err) ? create : undefined });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (o: RoomOutage) => {
    const key = `outage-delete:${o.id}`;
    const startMs = o.startTime ? timestampMs(o.startTime) : 0;
    const endMs = o.endTime ? timestampMs(o.endTime) : 0;
    setBusy(true);
    props.onBeforeChange();
    try {
      await tracker.run(
        { kind: "outage", action: "delete", resourceId: o.roomId, startMs, endMs, ...daysOf(startMs, endMs, tz) },
        `Removed outage of ${roomName(names, o.roomId)}: ${spanText(o.startTime, o.endTime, tz)}`,
        async () => {
          await api.directory.deleteRoomOutage({ requestId: ids.idFor(key), id: o.id });
          ids.done(key);
          props.clearError();
          setConfirmDelete(null);
          setNotice("Outage removed.");
          setReload((k) => k + 1);
        },
      );
    } catch (err) {
      props.reportError(err, { context: "Delete room outage", retry: isRetriable(err) ? () => remove(o) : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="tp-grid tp-section" aria-labelledby="outage-heading">
      <h2 id="outage-heading" class="tp-span">
        Room outages
      </h2>
      {notice ? (
        <p class="banner banner-info tp-span" role="status" data-testid="outage-notice">
          {notice}
        </p>
      ) : null}
      <form
        class="card"
        aria-label="Take a room out of service"
        data-testid="outage-form"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <h3>Take a room out of service</h3>
        {!props.canWrite ? <p class="hint">Only coordinators and admins can record outages.</p> : null}
        <fieldset class="tp-bare" disabled={!props.canWrite || busy}>
          <div class="field">
            <label for="outage-room">Room</label>
            <select id="outage-room" required value={roomId} onChange={(e) => setRoomId(e.currentTarget.value)} data-testid="outage-room">
              <option value="">Choose...</option>
              {rooms
                .filter((r) => r.active)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.displayName} ({r.id})
                  </option>
                ))}
            </select>
          </div>
          <IntervalFields prefix="outage" value={range} onChange={setRange} />
          <button type="submit" data-testid="outage-submit">
            Record outage
          </button>
        </fieldset>
      </form>
      <div class="card">
        <h3>Outages</h3>
        <label class="check">
          <input type="checkbox" checked={showPast} onChange={(e) => setShowPast(e.currentTarget.checked)} data-testid="outage-show-past" />
          Show past outages
        </label>
        {outages === null ? (
          <p aria-busy="true">Loading...</p>
        ) : shown.length === 0 ? (
          <p class="muted">No room outages{showPast ? "" : " from today on"}.</p>
        ) : (
          <div class="grid-wrap">
            <table class="list" data-testid="outage-list">
              <thead>
                <tr>
                  <th scope="col">Room</th>
                  <th scope="col">When</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((o) => (
                  <tr key={o.id} data-testid="outage-row" data-outage-id={o.id}>
                    <td>{roomName(names, o.roomId)}</td>
                    <td>{spanText(o.startTime, o.endTime, tz)}</td>
                    <td class="tp-actions">
                      <ConfirmedAction
                        verb="Delete"
                        armed={confirmDelete === o.id}
                        onArm={() => setConfirmDelete(o.id)}
                        onDisarm={() => setConfirmDelete(null)}
                        onConfirm={() => remove(o)}
                        disabled={!props.canWrite}
                        busy={busy}
                        ariaLabel={`Delete outage ${o.id}`}
                        testId="outage-delete"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
