// Sign-in: with the clinic's identity provider when the gateway names one
// (OpenID Connect, oidc.ts), by pasting a token (always offered), or, when
// the gateway allows it, with a development token for a role.
import { useEffect, useState } from "preact/hooks";
import { finishOidcSignIn, hasOidcAnswer, startOidcSignIn, type OidcConfig } from "./oidc";
import { sessionFromToken, isExpired, type Session } from "./session";

interface DevTokenRequest {
  role?: string;
  roles?: string[];
  therapist_id?: string;
}

interface AuthConfig {
  devSignIn: boolean;
  oidc: OidcConfig | null;
}

async function fetchAuthConfig(): Promise<AuthConfig> {
  try {
    const res = await fetch("/auth/config", { headers: { accept: "application/json" } });
    if (!res.ok) return { devSignIn: false, oidc: null };
    const body = await res.json();
    return { devSignIn: body?.dev_sign_in === true, oidc: body?.oidc ?? null };
  } catch {
    return { devSignIn: false, oidc: null };
  }
}

async function fetchDevToken(request: DevTokenRequest): Promise<string> {
  const res = await fetch("/auth/dev-token", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(request),
  });
  let body: { token?: string; error?: string; message?: string } = {};
  try {
    body = await res.json();
  } catch {
    // Not JSON: reported below by status.
  }
  if (!res.ok || !body.token) {
    throw new Error(body.message || body.error || `the gateway answered HTTP ${res.status}`);
  }
  return body.token;
}

export function SignIn(props: { message: string | null; onSignIn: (session: Session) => void }) {
  const [devSignIn, setDevSignIn] = useState(false);
  const [oidc, setOidc] = useState<OidcConfig | null>(null);
  const [pasted, setPasted] = useState("");
  const [therapistId, setTherapistId] = useState("th-1");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    fetchAuthConfig().then(async (config) => {
      if (!live) return;
      setDevSignIn(config.devSignIn);
      setOidc(config.oidc);
      // Back from the identity provider: finish there and then.
      if (config.oidc && hasOidcAnswer()) {
        setBusy(true);
        try {
          const token = await finishOidcSignIn(config.oidc);
          if (live) accept(token);
        } catch (err) {
          if (live) setError(`Sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          if (live) setBusy(false);
        }
      }
    });
    return () => {
      live = false;
    };
  }, []);

  const signInWithProvider = async () => {
    if (!oidc) return;
    setBusy(true);
    setError(null);
    try {
      await startOidcSignIn(oidc);
    } catch (err) {
      setBusy(false);
      setError(`Sign-in could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const accept = (token: string) => {
    const session = sessionFromToken(token);
    if (!session) {
      setError("That is not a token (expected three dot-separated parts).");
      return;
    }
    if (isExpired(session)) {
      setError("That token has expired. Get a new one.");
      return;
    }
    if (session.roles.length === 0) {
      setError("That token has no role the console knows (coordinator, therapist or admin).");
      return;
    }
    setPasted("");
    props.onSignIn(session);
  };

  const dev = async (request: DevTokenRequest) => {
    setBusy(true);
    setError(null);
    try {
      accept(await fetchDevToken(request));
    } catch (err) {
      setError(`Development sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in" data-testid="sign-in">
      <h1>Sign in to Tandem</h1>
      {props.message ? (
        <div class="banner banner-info" role="status" data-testid="sign-in-message">
          {props.message}
        </div>
      ) : null}
      {error ? (
        <div class="banner banner-error" role="alert" data-testid="sign-in-error">
          {error}
        </div>
      ) : null}
      {oidc ? (
        <section class="card" aria-labelledby="oidc-heading" data-testid="oidc-sign-in">
          <h2 id="oidc-heading">With your clinic account</h2>
          <p class="hint">You sign in on your clinic's sign-in page and come straight back here.</p>
          <button type="button" disabled={busy} onClick={signInWithProvider} data-testid="oidc-start">
            Sign in with your clinic account
          </button>
        </section>
      ) : null}
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          accept(pasted);
        }}
      >
        <h2>{oidc ? "Or with a token" : "With a token"}</h2>
        <label for="token">Paste the token from your clinic's sign-in</label>
        <textarea
          id="token"
          rows={4}
          autocomplete="off"
          spellcheck={false}
          value={pasted}
          onInput={(e) => setPasted(e.currentTarget.value)}
          data-testid="token-input"
        />
        <button type="submit" disabled={!pasted.trim()} data-testid="token-sign-in">
          Sign in
        </button>
      </form>
      {devSignIn ? (
        <section class="card" aria-labelledby="dev-heading" data-testid="dev-sign-in">
          <h2 id="dev-heading">Development sign-in</h2>
          <p class="hint">This gateway hands out development tokens. Never on a clinic's real system.</p>
          <div class="button-row">
            <button type="button" disabled={busy} onClick={() => dev({ role: "coordinator" })} data-testid="dev-coordinator">
              Coordinator
            </button>
            <button type="button" disabled={busy} onClick={() => dev({ role: "admin" })} data-testid="dev-admin">
              Admin
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => dev({ roles: ["admin", "coordinator"] })}
              data-testid="dev-admin-coordinator"
            >
              Admin + coordinator
            </button>
          </div>
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              dev({ role: "therapist", therapist_id: therapistId.trim() });
            }}
          >
            <label for="dev-therapist-id">Therapist id</label>
            <input
              id="dev-therapist-id"
              value={therapistId}
              onInput={(e) => setTherapistId(e.currentTarget.value)}
              pattern="th-[0-9]+"
              required
              data-testid="dev-therapist-id"
            />
            <button type="submit" disabled={busy} data-testid="dev-therapist">
              Therapist
            </button>
          </form>
        </section>
      ) : null}
    </main>
  );
}
