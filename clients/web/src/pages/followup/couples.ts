// Couples as staff see them outside the Book page: the staff label (e.g.
// initials) and, for reminder settings, which partners there are and what
// they consented to. Read with booking GetCouple, cached in memory per sign-in
// for a few minutes. Names, phone numbers and e-mail addresses are not kept
// here: the one place that shows a phone number asks for it when needed.
import { useEffect, useState } from "preact/hooks";
import { ContactChannel, type Partner } from "../../gen/tandem/booking/v1/booking_pb";
import type { ApiClients } from "../../app/api";

export interface PartnerSummary {
  smsConsent: boolean;
  emailConsent: boolean;
  preferredChannel: ContactChannel;
}

export interface CoupleSummary {
  id: string;
  /** Staff label ("A.K. & B.K."); the id when the couple could not be read. */
  label: string;
  partnerA: PartnerSummary | null;
  partnerB: PartnerSummary | null;
  /** false when GetCouple failed (e.g. PERMISSION_DENIED for a therapist). */
  readable: boolean;
}

const TTL_MS = 5 * 60_000;
const caches = new WeakMap<ApiClients, Map<string, { at: number; value: Promise<CoupleSummary> }>>();

function summary(p: Partner | undefined): PartnerSummary | null {
  return p ? { smsConsent: p.smsConsent, emailConsent: p.emailConsent, preferredChannel: p.preferredChannel } : null;
}

export function loadCouple(api: ApiClients, id: string): Promise<CoupleSummary> {
  let cache = caches.get(api);
  if (!cache) {
    cache = new Map();
    caches.set(api, cache);
  }
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = api.booking
    .getCouple({ id })
    .then(({ couple }) => ({
      id,
      label: couple?.displayLabel || id,
      partnerA: summary(couple?.partnerA),
      partnerB: summary(couple?.partnerB),
      readable: true,
    }))
    .catch(() => ({ id, label: id, partnerA: null, partnerB: null, readable: false }));
  cache.set(id, { at: Date.now(), value });
  return value;
}

/** Forget a couple (e.g. after its consent may have changed). */
export function forgetCouple(api: ApiClients, id: string): void {
  caches.get(api)?.delete(id);
}

/**
 * Summaries of the given couples, filled in as they arrive (the id is shown
 * meanwhile). Failures are not reported: a label is never worth a banner.
 */
export function useCouples(api: ApiClients, ids: string[], enabled = true): Map<string, CoupleSummary> {
  const [couples, setCouples] = useState<Map<string, CoupleSummary>>(new Map());
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    if (!enabled || !key) return;
    let live = true;
    const wanted = key.split(",");
    Promise.all(wanted.map((id) => loadCouple(api, id))).then((list) => {
      if (!live) return;
      setCouples((prev) => {
        const next = new Map(prev);
        for (const c of list) next.set(c.id, c);
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [api, key, enabled]);
  return couples;
}

export function coupleLabel(couples: Map<string, CoupleSummary>, id: string): string {
  return couples.get(id)?.label || id;
}
