import { useEffect, useRef } from "preact/hooks";
import type { ErrorInfo } from "./errors";

/** The one error banner: gRPC code, message, optional retry. Focused when it appears. */
export function ErrorBanner(props: { error: ErrorInfo | null; onDismiss: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.error) ref.current?.focus();
  }, [props.error]);
  if (!props.error) return null;
  const { code, message, context, retry } = props.error;
  return (
    <div class="banner banner-error" role="alert" tabIndex={-1} ref={ref} data-testid="error-banner">
      <p>
        {context ? <span class="banner-context">{context}: </span> : null}
        <code class="banner-code" data-testid="error-code">
          {code}
        </code>{" "}
        <span data-testid="error-message">{message}</span>
      </p>
      <div class="banner-actions">
        {retry ? (
          <button type="button" onClick={retry} data-testid="error-retry">
            Try again
          </button>
        ) : null}
        <button type="button" class="secondary" onClick={props.onDismiss} data-testid="error-dismiss">
          Dismiss
        </button>
      </div>
    </div>
  );
}
