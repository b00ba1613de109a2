// Hash routes: "#/week", "#/book", ... Only page names ever appear in the
// URL: no client data, no ids. What a page is showing (a couple, an
// intensive) stays in memory.
import { useEffect, useState } from "preact/hooks";
import type { Role, Session } from "./session";

export type RouteName = "week" | "book" | "absences" | "staff" | "followup" | "my-day";

export interface RouteInfo {
  name: RouteName;
  /** Navigation label. */
  label: string;
  /** Roles that can use the page (any of them). */
  roles: Role[];
}

/** In navigation order. */
export const ROUTES: RouteInfo[] = [
  { name: "week", label: "Week", roles: ["coordinator"] },
  { name: "book", label: "Book", roles: ["coordinator"] },
  { name: "absences", label: "Absences", roles: ["coordinator", "admin"] },
  { name: "staff", label: "Staff & rooms", roles: ["admin", "coordinator"] },
  { name: "followup", label: "Follow-up", roles: ["coordinator", "therapist"] },
  { name: "my-day", label: "My day", roles: ["therapist", "coordinator"] },
];

export function routesFor(session: Session): RouteInfo[] {
  return ROUTES.filter((r) => r.roles.some((role) => session.roles.includes(role)));
}

/** The page to open after sign-in: a therapist's day, else the first allowed. */
export function homeRoute(session: Session): RouteName | null {
  if (session.roles.includes("therapist") && !session.roles.includes("coordinator")) return "my-day";
  return routesFor(session)[0]?.name ?? null;
}

export function parseHash(hash: string): RouteName | null {
  const name = hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return ROUTES.some((r) => r.name === name) ? (name as RouteName) : null;
}

export function hrefFor(name: RouteName): string {
  return `#/${name}`;
}

/** The route in the address bar, following hash changes. */
export function useHashRoute(): RouteName | null {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
