// What every page needs to know about the clinic: its name and time zone.
import type { ApiClients } from "./api";

export interface ClinicInfo {
  /** Display name ("Harbour Street Practice"); "" if not set or not readable. */
  displayName: string;
  /** IANA zone; all dates and times in Tandem are in it. "" = the browser's. */
  timeZone: string;
}

export async function loadClinicInfo(api: ApiClients): Promise<ClinicInfo> {
  const { settings } = await api.directory.getClinicSettings({});
  return { displayName: settings?.displayName ?? "", timeZone: settings?.timeZone ?? "" };
}
