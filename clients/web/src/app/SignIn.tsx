// Sign-in: paste a token (always offered), or, when the gateway allows it,
// get a development token for a role with one click.
import { useEffect, useState } from "preact/hooks";
import { sessionFromToken, isExpired, type Session } from "./session";

interface DevTokenRequest {
  role?: string;
  roles?: string[];
  therapist_id?: string;
}

async function fetchDevSignIn(): Promise<boolean> {
  try {
    const res = await fetch("/auth/config", { headers: { accept: "application/json" } });
    if (!res.ok) return false;
    const body = await res.json();
    return body?.dev_sign_in === true;
  } catch {
    return false;
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
  const [pasted, setPasted] = useState("");
  const [therapistId, setTherapistId] = useState("th-1");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    fetchDevSignIn().then((on) => live && setDevSignIn(on));
    return () => {
      live = false;
    };
  }, []);

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
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          accept(pasted);
        }}
      >
        <h2>With a token</h2>
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
