// Sign-in with the clinic's identity provider: OpenID Connect's
// authorization code flow with PKCE (RFC 7636), for a public client (the
// console holds no secret). The gateway says where the provider is
// (GET /auth/config, from its --oidc_* flags); the provider's access token,
// a JWT with the claims the services verify (role, therapist_id, iss, aud),
// becomes the session's bearer token like a pasted one.
//
// What survives the round trip to the provider (state and the PKCE
// verifier) waits in sessionStorage; the code the provider returns in the
// address is exchanged at once and removed from the address bar. When the
// provider also gives a refresh token, it waits in sessionStorage too (with
// the token endpoint it is for), and refreshOidcToken() gets a new access
// token before the old one expires, so that providers' short-lived tokens
// (often 5 minutes) do not sign coordinators out in the middle of a booking.

export interface OidcConfig {
  authorization_endpoint: string;
  token_endpoint: string;
  client_id: string;
  scope: string;
}

const PENDING_KEY = "tandem.console.oidc";
const REFRESH_KEY = "tandem.console.oidc.refresh";

interface StoredRefresh {
  token_endpoint: string;
  client_id: string;
  refresh_token: string;
}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  error?: string;
  error_description?: string;
}

/** POSTs a form to the token endpoint; the answer, or an Error saying why not. */
async function tokenRequest(tokenEndpoint: string, form: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form),
  });
  let answer: TokenAnswer = {};
  try {
    answer = await res.json();
  } catch {
    // Not JSON: reported by status below.
  }
  if (!res.ok || !answer.access_token) {
    throw new Error(
      `the identity provider would not give a token (${answer.error_description || answer.error || `HTTP ${res.status}`})`,
    );
  }
  return answer;
}

function keepRefresh(config: { token_endpoint: string; client_id: string }, refreshToken: string | undefined) {
  if (!refreshToken) {
    sessionStorage.removeItem(REFRESH_KEY);
    return;
  }
  const stored: StoredRefresh = {
    token_endpoint: config.token_endpoint,
    client_id: config.client_id,
    refresh_token: refreshToken,
  };
  sessionStorage.setItem(REFRESH_KEY, JSON.stringify(stored));
}

/** Whether this tab holds a refresh token from the provider. */
export function canRefreshOidc(): boolean {
  try {
    return sessionStorage.getItem(REFRESH_KEY) !== null;
  } catch {
    return false;
  }
}

/** Forgets the refresh token (sign-out). */
export function forgetOidcRefresh(): void {
  try {
    sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // Storage unavailable: nothing was stored.
  }
}

/**
 * A new access token for the stored refresh token (which the provider may
 * replace: kept as it answers). Throws, having forgotten the refresh token,
 * when the provider refuses.
 */
export async function refreshOidcToken(): Promise<string> {
  const text = sessionStorage.getItem(REFRESH_KEY);
  if (!text) throw new Error("no refresh token");
  const stored = JSON.parse(text) as StoredRefresh;
  try {
    const answer = await tokenRequest(stored.token_endpoint, {
      grant_type: "refresh_token",
      refresh_token: stored.refresh_token,
      client_id: stored.client_id,
    });
    keepRefresh(stored, answer.refresh_token ?? stored.refresh_token);
    return answer.access_token!;
  } catch (err) {
    forgetOidcRefresh();
    throw err;
  }
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** Where the provider sends the browser back: the console's own root. */
export function redirectUri(): string {
  return `${window.location.origin}/`;
}

/** Leaves for the provider's sign-in page. */
export async function startOidcSignIn(config: OidcConfig): Promise<void> {
  const state = randomString();
  const verifier = randomString();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier }));
  const url = new URL(config.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.client_id);
  url.searchParams.set("redirect_uri", redirectUri());
  url.searchParams.set("scope", config.scope || "openid");
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await challengeOf(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  window.location.assign(url.toString());
}

/** Whether the address holds the provider's answer (?code or ?error). */
export function hasOidcAnswer(): boolean {
  const params = new URLSearchParams(window.location.search);
  return params.has("code") || params.has("error");
}

/**
 * Exchanges the provider's answer in the address for an access token, and
 * clears the address. Throws with a message for the sign-in page.
 */
export async function finishOidcSignIn(config: OidcConfig): Promise<string> {
  const params = new URLSearchParams(window.location.search);
  // Whatever happens next, the code leaves the address bar (and history).
  window.history.replaceState(null, "", window.location.pathname + window.location.hash);
  const pendingText = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (params.has("error")) {
    const why = params.get("error_description") || params.get("error") || "refused";
    throw new Error(`the identity provider said: ${why}`);
  }
  const pending = pendingText ? (JSON.parse(pendingText) as { state: string; verifier: string }) : null;
  if (!pending || pending.state !== params.get("state")) {
    throw new Error("this sign-in was not started here (or was started twice); start again");
  }
  const answer = await tokenRequest(config.token_endpoint, {
    grant_type: "authorization_code",
    code: params.get("code") ?? "",
    redirect_uri: redirectUri(),
    client_id: config.client_id,
    code_verifier: pending.verifier,
  });
  keepRefresh(config, answer.refresh_token);
  return answer.access_token!;
}
