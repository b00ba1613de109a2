// What the sections of the Staff & rooms page share.
import { useEffect, useState } from "preact/hooks";
import type { ApiClients } from "../../app/api";
import type { ClinicInfo } from "../../app/clinic";

export interface SectionProps {
  api: ApiClients;
  clinic: ClinicInfo;
  /** Admin sign-in: directory writes are admin-only (directory_access_policy.cc). */
  canEdit: boolean;
  reportError: (err: unknown, options?: { context?: string; retry?: () => void }) => void;
  clearError: () => void;
  /** Called after a change, so the names other pages show are read again. */
  onChanged: () => void;
}

/** A list read with load(); reload() reads it again. null while loading. */
export function useList<T>(
  load: () => Promise<T[]>,
  deps: unknown[],
  reportError: SectionProps["reportError"],
  context: string,
): [T[] | null, () => void] {
  const [items, setItems] = useState<T[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const run = async () => {
      try {
        const list = await load();
        if (live) setItems(list);
      } catch (err) {
        if (live) reportError(err, { context, retry: run });
      }
    };
    run();
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [items, () => setTick((t) => t + 1)];
}

export const ADMIN_NOTE = "Changes need an admin sign-in; you can look.";
