// Runs a directory change (absence or outage, created or deleted) and then
// follows what booking did about it, for the RepairReport.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClients } from "../../app/api";
import { localParts } from "./clinicTime";
import type { RepairReportState } from "./RepairReport";
import { compareAppointments, compareIntensives, snapshot, waitForRepairs, type Disruption, type Snapshot } from "./repairs";

export interface RepairTracker {
  report: RepairReportState | null;
  /**
   * Reads the bookings d can touch, runs mutate (which throws on failure;
   * nothing is reported then), then follows booking's reaction in the
   * background.
   */
  run: (d: Disruption, title: string, mutate: () => Promise<void>) => Promise<void>;
  checkAgain: () => void;
  dismiss: () => void;
}

/** The clinic-local days an interval [startMs, endMs) touches. */
export function daysOf(startMs: number, endMs: number, timeZone: string) {
  const from = localParts(timestampFromMs(startMs), timeZone)!.date;
  const to = localParts(timestampFromMs(Math.max(startMs, endMs - 1)), timeZone)!.date;
  return { fromDay: from, toDay: to };
}

export function useRepairTracker(
  api: ApiClients,
  seesBookings: boolean,
  reportError: (err: unknown, options?: { context?: string; retry?: () => void }) => void,
): RepairTracker {
  const [report, setReport] = useState<RepairReportState | null>(null);
  const live = useRef(true);
  const generation = useRef(0);
  const last = useRef<{ d: Disruption; before: Snapshot; title: string } | null>(null);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const follow = async (d: Disruption, before: Snapshot, title: string) => {
    const gen = ++generation.current;
    const isLive = () => live.current && gen === generation.current;
    const base = { title, deleted: d.action === "delete", appointments: [] };
    setReport({ ...base, phase: "checking", items: compareIntensives(before, before), appointments: compareAppointments(before, before) });
    try {
      const { after, settled } = await waitForRepairs(api, before, { isLive });
      if (!isLive()) return;
      setReport({
        ...base,
        phase: settled ? "done" : "timeout",
        items: compareIntensives(before, after),
        appointments: compareAppointments(before, after),
      });
    } catch (err) {
      if (!isLive()) return;
      setReport({ ...base, phase: "timeout", items: compareIntensives(before, before) });
      reportError(err, { context: "Reading the bookings it touched" });
    }
  };

  const run = async (d: Disruption, title: string, mutate: () => Promise<void>) => {
    let before: Snapshot | null = null;
    if (seesBookings) {
      try {
        before = await snapshot(api, d);
      } catch {
        before = null; // Not readable: the change itself still goes ahead.
      }
    }
    await mutate();
    generation.current++;
    if (!before) {
      last.current = null;
      setReport({ title, phase: "unavailable", items: [], appointments: [], deleted: d.action === "delete" });
      return;
    }
    if (!before.intensives.length && !before.appointments.length) {
      last.current = null;
      setReport({ title, phase: "nothing", items: [], appointments: [], deleted: d.action === "delete" });
      return;
    }
    last.current = { d, before, title };
    void follow(d, before, title);
  };

  return {
    report,
    run,
    checkAgain: () => {
      if (last.current) void follow(last.current.d, last.current.before, last.current.title);
    },
    dismiss: () => {
      generation.current++;
      last.current = null;
      setReport(null);
    },
  };
}
