// The shell: sign-in, header, navigation, error banner, and the current page.
import type { ComponentType } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { AbsencesPage } from "../pages/absences";
import { BookPage } from "../pages/book";
import { FollowUpPage } from "../pages/followup";
import { MyDayPage } from "../pages/myday";
import { StaffPage } from "../pages/staff";
import { WeekPage } from "../pages/week";
import { createApi } from "./api";
import { loadClinicInfo, type ClinicInfo } from "./clinic";
import type { PageProps } from "./contract";
import { ErrorBanner } from "./ErrorBanner";
import { describeError, type ErrorInfo } from "./errors";
import { homeRoute, hrefFor, routesFor, useHashRoute, type RouteName } from "./router";
import { canRefreshOidc, forgetOidcRefresh, refreshOidcToken } from "./oidc";
import { clearSession, isExpired, loadSession, saveSession, sessionFromToken, type Session } from "./session";
import { SignIn } from "./SignIn";

const PAGES: Record<RouteName, ComponentType<PageProps>> = {
  week: WeekPage,
  book: BookPage,
  absences: AbsencesPage,
  staff: StaffPage,
  followup: FollowUpPage,
  "my-day": MyDayPage,
};

const NO_CLINIC: ClinicInfo = { displayName: "", timeZone: "" };

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [signInMessage, setSignInMessage] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [clinic, setClinic] = useState<ClinicInfo>(NO_CLINIC);
  const route = useHashRoute();
  const sessionRef = useRef(session);
  sessionRef.current = session;
  // State handed over by navigate(), in memory only; the key remounts the page.
  const [routeState, setRouteState] = useState<{ state: unknown; key: number }>({ state: undefined, key: 0 });

  const signOut = useCallback((message: string | null) => {
    clearSession();
    forgetOidcRefresh();
    sessionRef.current = null;
    setSession(null);
    setError(null);
    setClinic(NO_CLINIC);
    setSignInMessage(message);
    window.location.hash = "";
  }, []);

  const api = useMemo(
    () =>
      createApi({
        getToken: () => sessionRef.current?.token ?? null,
        onUnauthenticated: (e) => {
          if (!sessionRef.current) return;
          signOut(`You were signed out: the services did not accept your token (UNAUTHENTICATED: ${e.rawMessage}). Sign in again.`);
        },
      }),
    [signOut],
  );

  // Before the token expires, a new one from the identity provider when this
  // tab signed in there (half its remaining life ahead, at most a minute);
  // otherwise, or when the provider refuses, sign out at expiry.
  useEffect(() => {
    if (!session || session.expiresAt <= 0) return;
    const ms = session.expiresAt - Date.now();
    const expired = () => signOut("Your session expired. Sign in again.");
    if (!canRefreshOidc()) {
      const timer = window.setTimeout(expired, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      return () => window.clearTimeout(timer);
    }
    let live = true;
    const refresh = async () => {
      try {
        const next = sessionFromToken(await refreshOidcToken());
        if (!live) return;
        if (!next || isExpired(next)) return expired();
        saveSession(next);
        sessionRef.current = next;
        setSession(next);
      } catch {
        if (live) expired();
      }
    };
    const ahead = Math.min(60_000, ms / 2);
    const timer = window.setTimeout(refresh, Math.max(0, Math.min(ms - ahead, 2 ** 31 - 1)));
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [session, signOut]);

  // The clinic's name and time zone, once per sign-in.
  useEffect(() => {
    if (!session) return;
    let live = true;
    loadClinicInfo(api)
      .then((info) => live && setClinic(info))
      .catch((err) => live && setError(describeError(err, "Reading the clinic settings")));
    return () => {
      live = false;
    };
  }, [session, api]);

  const allowed = session ? routesFor(session) : [];
  const current = route && allowed.some((r) => r.name === route) ? route : null;

  // Unknown or forbidden route: go to the home page of the roles.
  useEffect(() => {
    if (session && !current) {
      const home = homeRoute(session);
      if (home) window.location.replace(hrefFor(home));
    }
  }, [session, current]);

  useEffect(() => {
    const label = allowed.find((r) => r.name === current)?.label;
    document.title = label ? `${label} · Tandem` : "Tandem console";
  }, [current, allowed]);

  const navigate = useCallback((to: RouteName, state?: unknown) => {
    setRouteState((prev) => ({ state, key: prev.key + 1 }));
    setError(null);
    if (window.location.hash !== hrefFor(to)) window.location.hash = hrefFor(to);
  }, []);

  const reportError = useCallback(
    (err: unknown, options?: { context?: string; retry?: () => void }) => {
      if (!sessionRef.current) return;
      setError({ ...describeError(err, options?.context), retry: options?.retry });
    },
    [],
  );
  const clearError = useCallback(() => setError(null), []);

  if (!session) {
    return (
      <SignIn
        message={signInMessage}
        onSignIn={(s) => {
          saveSession(s);
          sessionRef.current = s;
          setSignInMessage(null);
          setSession(s);
        }}
      />
    );
  }

  const Page = current ? PAGES[current] : null;
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        Skip to content
      </a>
      <header class="app-header">
        <div class="brand">
          <span class="brand-name">Tandem</span>
          {clinic.displayName ? <span class="clinic-name">{clinic.displayName}</span> : null}
        </div>
        <nav aria-label="Pages">
          <ul class="nav-list">
            {allowed.map((r) => (
              <li key={r.name}>
                <a
                  href={hrefFor(r.name)}
                  aria-current={r.name === current ? "page" : undefined}
                  data-testid={`nav-${r.name}`}
                  onClick={() => setError(null)}
                >
                  {r.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who" data-testid="who">
          <span class="who-subject" title="Signed in as" data-testid="signed-in-subject">
            {session.subject || "signed in"}
          </span>
          <span class="who-roles">{session.roles.join(", ")}</span>
          {session.therapistId ? <span class="who-roles">{session.therapistId}</span> : null}
          <button type="button" class="secondary" onClick={() => signOut("You signed out.")} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <ErrorBanner error={error} onDismiss={clearError} />
      <main id="main" tabIndex={-1}>
        {Page ? (
          <Page
            key={`${current}-${routeState.key}`}
            api={api}
            session={session}
            clinic={clinic}
            navigate={navigate}
            reportError={reportError}
            clearError={clearError}
            routeState={routeState.state}
          />
        ) : allowed.length === 0 ? (
          <p>Your token has no role this console serves.</p>
        ) : null}
      </main>
    </div>
  );
}
