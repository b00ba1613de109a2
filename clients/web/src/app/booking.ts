// Helpers for the booking flow shared by Book and the intensive panel.
import { ConnectError } from "@connectrpc/connect";
import { ProposalHintSchema, type Plan, type ProposalHint } from "../gen/tandem/booking/v1/booking_pb";

/** The fresh plans booking sends with ABORTED when a plan's time was taken. */
export function proposalHint(err: unknown): ProposalHint | null {
  if (!(err instanceof ConnectError)) return null;
  const [hint] = err.findDetails(ProposalHintSchema);
  return hint ?? null;
}

/** Sessions of a plan grouped by treatment day, in order. */
export function planDays(plan: Plan): { dayNumber: number; sessions: Plan["sessions"] }[] {
  const days = new Map<number, Plan["sessions"]>();
  for (const s of plan.sessions) {
    const list = days.get(s.dayNumber) ?? [];
    list.push(s);
    days.set(s.dayNumber, list);
  }
  return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([dayNumber, sessions]) => ({ dayNumber, sessions }));
}

/** Distinct room ids of a plan, in order of first use. */
export function planRoomIds(plan: Plan): string[] {
  return [...new Set(plan.sessions.flatMap((s) => s.roomIds))];
}
