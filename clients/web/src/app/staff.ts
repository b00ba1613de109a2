// Names of therapists, rooms and teams for display, read from the directory
// once and shared by the pages of one sign-in for a minute at a time.
import { useEffect, useState } from "preact/hooks";
import type { TeamAssignment } from "../gen/tandem/booking/v1/booking_pb";
import type { Room, Team, Therapist } from "../gen/tandem/directory/v1/directory_pb";
import type { ApiClients } from "./api";

export interface StaffNames {
  therapists: Map<string, Therapist>;
  rooms: Map<string, Room>;
  teams: Map<string, Team>;
}

export const NO_STAFF: StaffNames = { therapists: new Map(), rooms: new Map(), teams: new Map() };

/** Every page of a List call. */
export async function listAll<T>(
  page: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>,
  maxPages = 50,
): Promise<T[]> {
  const all: T[] = [];
  let token = "";
  for (let i = 0; i < maxPages; i++) {
    const { items, nextPageToken } = await page(token);
    all.push(...items);
    if (!nextPageToken) break;
    token = nextPageToken;
  }
  return all;
}

const cache = new WeakMap<ApiClients, { at: number; names: Promise<StaffNames> }>();

export function loadStaffNames(api: ApiClients, maxAgeMs = 60_000): Promise<StaffNames> {
  const hit = cache.get(api);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.names;
  const names = (async () => {
    const [therapists, rooms, teams] = await Promise.all([
      listAll(async (pageToken) => {
        const r = await api.directory.listTherapists({ pageSize: 1000, pageToken, includeInactive: true });
        return { items: r.therapists, nextPageToken: r.nextPageToken };
      }),
      listAll(async (pageToken) => {
        const r = await api.directory.listRooms({ pageSize: 1000, pageToken, includeInactive: true });
        return { items: r.rooms, nextPageToken: r.nextPageToken };
      }),
      listAll(async (pageToken) => {
        const r = await api.directory.listTeams({ pageSize: 1000, pageToken });
        return { items: r.teams, nextPageToken: r.nextPageToken };
      }),
    ]);
    return {
      therapists: new Map(therapists.map((t) => [t.id, t])),
      rooms: new Map(rooms.map((r) => [r.id, r])),
      teams: new Map(teams.map((t) => [t.id, t])),
    };
  })();
  cache.set(api, { at: Date.now(), names });
  names.catch(() => cache.delete(api));
  return names;
}

/** Staff names for a page; NO_STAFF until loaded (ids are shown meanwhile). */
export function useStaffNames(api: ApiClients, onError: (err: unknown) => void): StaffNames {
  const [names, setNames] = useState<StaffNames>(NO_STAFF);
  useEffect(() => {
    let live = true;
    loadStaffNames(api)
      .then((n) => live && setNames(n))
      .catch((err) => live && onError(err));
    return () => {
      live = false;
    };
  }, [api]);
  return names;
}

export function therapistName(names: StaffNames, id: string): string {
  return names.therapists.get(id)?.displayName || id;
}

export function roomName(names: StaffNames, id: string): string {
  return names.rooms.get(id)?.displayName || id;
}

/** "D. Okafor + A. Whitfield (Team Blue)". */
export function teamLabel(names: StaffNames, team: TeamAssignment | undefined): string {
  if (!team) return "";
  const pair = `${therapistName(names, team.maleTherapistId)} + ${therapistName(names, team.femaleTherapistId)}`;
  if (!team.teamId) return pair;
  const label = names.teams.get(team.teamId)?.label;
  return `${pair} (${label || team.teamId})`;
}
