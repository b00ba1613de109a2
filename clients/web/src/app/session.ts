// The signed-in user's token and what the console reads from it.
//
// The token lives in sessionStorage only (gone when the tab closes): never in
// localStorage, never in the URL. Its payload is decoded for display and for
// choosing which pages to offer; the services verify the signature and
// decide what is allowed, so nothing here is a security check.

export type Role = "coordinator" | "therapist" | "admin";

export interface Session {
  /** The bearer token sent on every call. */
  token: string;
  /** The token's subject (a user id, never a name). */
  subject: string;
  /** Roles the token claims (unknown roles are dropped). */
  roles: Role[];
  /** The therapist's own id ("th-3") for therapist tokens; "" otherwise. */
  therapistId: string;
  /** When the token expires, ms since the epoch; 0 if it does not say. */
  expiresAt: number;
}

const STORAGE_KEY = "tandem.console.token";
const KNOWN_ROLES: Role[] = ["coordinator", "therapist", "admin"];

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a JWT's payload without verifying it (display only). Returns null if
 * the text is not shaped like a JWT.
 */
export function sessionFromToken(token: string): Session | null {
  const trimmed = token.trim().replace(/^Bearer\s+/i, "");
  const parts = trimmed.split(".");
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return null;
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return null;
  }
  if (payload === null || typeof payload !== "object") return null;
  const rawRoles = payload["role"] ?? payload["roles"];
  const roleList = Array.isArray(rawRoles) ? rawRoles : [rawRoles];
  const roles = KNOWN_ROLES.filter((r) => roleList.includes(r));
  const exp = typeof payload["exp"] === "number" ? payload["exp"] : 0;
  return {
    token: trimmed,
    subject: typeof payload["sub"] === "string" ? payload["sub"] : "",
    roles,
    therapistId:
      typeof payload["therapist_id"] === "string" ? payload["therapist_id"] : "",
    expiresAt: exp * 1000,
  };
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.expiresAt > 0 && session.expiresAt <= now;
}

export function hasRole(session: Session | null, ...roles: Role[]): boolean {
  return !!session && roles.some((r) => session.roles.includes(r));
}

/** The stored session, if any and not expired. */
export function loadSession(): Session | null {
  let token: string | null = null;
  try {
    token = sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (!token) return null;
  const session = sessionFromToken(token);
  if (!session || isExpired(session)) {
    clearSession();
    return null;
  }
  return session;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, session.token);
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: nothing was stored.
  }
}
