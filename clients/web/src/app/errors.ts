// Turning failed calls into something a coordinator can read: the gRPC code
// (as the services and tandemctl name it, e.g. FAILED_PRECONDITION) and the
// server's message (which never holds client data). Nothing is logged.
import { Code, ConnectError } from "@connectrpc/connect";

export interface ErrorInfo {
  /** gRPC status name, e.g. "FAILED_PRECONDITION"; "ERROR" for local failures. */
  code: string;
  /** The message, without Connect's "[code]" prefix. */
  message: string;
  /** What the user was doing, e.g. "Hold plan 2". */
  context?: string;
  /** Offered as a "Try again" button; repeats the same action (same request_id). */
  retry?: () => void;
}

export function grpcCodeName(code: Code): string {
  const name = Code[code] ?? "UNKNOWN";
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

export function describeError(err: unknown, context?: string): ErrorInfo {
  if (err instanceof ConnectError || (err instanceof Error && err.name === "ConnectError")) {
    const e = ConnectError.from(err);
    let message = e.rawMessage || "(no message)";
    if (e.code === Code.Unavailable) {
      message += " (the service or the gateway could not be reached; try again shortly)";
    }
    return { code: grpcCodeName(e.code), message, context };
  }
  if (err instanceof Error) return { code: "ERROR", message: err.message, context };
  return { code: "ERROR", message: String(err), context };
}

export function isCode(err: unknown, code: Code): boolean {
  return err instanceof ConnectError && err.code === code;
}

/** Failures where repeating the same request (same request_id) may succeed. */
export function isRetriable(err: unknown): boolean {
  if (!(err instanceof ConnectError)) return true;
  return [Code.Unavailable, Code.DeadlineExceeded, Code.Unknown, Code.Internal, Code.Canceled].includes(
    err.code,
  );
}
