// The contract between the app shell and every page in src/pages/.
//
// A page is a Preact component taking PageProps. It renders inside <main>,
// calls the services through props.api, reports failures with
// props.reportError (the shell shows them in the error banner; an
// UNAUTHENTICATED answer signs the user out by itself) and moves between
// pages with props.navigate. Selection (which couple, which intensive) is
// kept in component state or passed in memory with navigate's state
// argument, never in the URL.
import type { ApiClients } from "./api";
import type { ClinicInfo } from "./clinic";
import type { ErrorInfo } from "./errors";
import type { RouteName } from "./router";
import type { Session } from "./session";

export interface PageProps {
  /** One Connect client per service: api.directory, api.booking, api.followup, api.roster. */
  api: ApiClients;
  /** Who is signed in (token, subject, roles, therapistId, expiresAt). */
  session: Session;
  /** The clinic's display name and time zone (for dates and times). */
  clinic: ClinicInfo;
  /** Go to another page; state is handed to that page in memory (routeState). */
  navigate: (to: RouteName, state?: unknown) => void;
  /**
   * Show an error in the banner. Pass the caught error and what the user was
   * doing; with retry, the banner offers "Try again" (reuse the same
   * request_id in it). Returns nothing; the page keeps running.
   */
  reportError: (error: unknown, options?: { context?: string; retry?: () => void }) => void;
  /** Clear the banner (e.g. after a retry succeeded). */
  clearError: () => void;
  /** State passed by the navigate call that opened this page, if any. */
  routeState?: unknown;
}

export type { ErrorInfo };
