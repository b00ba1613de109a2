// Idempotency keys for mutations. Every user action that changes something
// gets one request_id (crypto.randomUUID); pressing the button again after a
// failure repeats the same action with the same id, so the server applies it
// at most once. The id changes only when the action does: after a success,
// or when what the action would send changes (its key).
import { useRef } from "preact/hooks";

export function newRequestId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  // crypto.randomUUID needs a secure context; 127.0.0.1 and https are.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ActionIds {
  /** The request_id for the action named by key (same key, same id, until done). */
  idFor(key: string): string;
  /** The action succeeded: the next action with this key gets a fresh id. */
  done(key: string): void;
}

/**
 * Request ids for the actions of one component. Keys are kept in memory only;
 * use ids or opaque tokens as keys, never client names.
 */
export function useActionIds(): ActionIds {
  const ids = useRef(new Map<string, string>());
  return {
    idFor(key) {
      let id = ids.current.get(key);
      if (!id) {
        id = newRequestId();
        ids.current.set(key, id);
      }
      return id;
    },
    done(key) {
      ids.current.delete(key);
    },
  };
}
