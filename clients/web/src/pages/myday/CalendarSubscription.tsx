// A therapist's calendar subscription (roster CreateCalendarFeed): an
// address their calendar app fetches by itself, served by the gateway at
// /calendar/<token>.ics. The address is a secret (whoever holds it reads
// the calendar), so it is made only on request, shown once, never put in
// this page's own URL, and the page says how it ends.
import { Code } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../../app/contract";
import { longDate, todayIn } from "../../app/dates";
import { isCode } from "../../app/errors";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

interface Props {
  api: PageProps["api"];
  therapistId: string;
  timeZone: string;
  reportError: PageProps["reportError"];
}

interface Made {
  url: string;
  webcal: string;
  expires: Timestamp | undefined;
}

export function CalendarSubscription(props: Props) {
  const { api, therapistId } = props;
  const [made, setMade] = useState<Made | null>(null);
  const [off, setOff] = useState("");
  const [copied, setCopied] = useState(false);

  // Another therapist's page must not show this one's address.
  useEffect(() => {
    setMade(null);
    setCopied(false);
  }, [therapistId]);

  const create = async () => {
    try {
      const r = await api.roster.createCalendarFeed({ therapistId });
      const url = `${window.location.origin}${r.path}`;
      setMade({ url, webcal: url.replace(/^https?:/, "webcal:"), expires: r.expireTime });
      setOff("");
      setCopied(false);
    } catch (err) {
      if (isCode(err, Code.FailedPrecondition)) {
        setOff("Subscriptions are switched off on this server: download the calendar file below instead.");
        return;
      }
      props.reportError(err, { context: "Calendar subscription", retry: create });
    }
  };

  const copy = async () => {
    if (!made) return;
    try {
      await navigator.clipboard.writeText(made.url);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, or refused): the field is
      // selected for the user to copy by hand.
      const field = document.getElementById("calendar-address") as HTMLInputElement | null;
      field?.select();
    }
  };

  return (
    <div data-testid="calendar-subscription">
      <p>
        Subscribe once and your calendar app keeps your roster up to date by itself. Anyone who has the address can read
        this calendar, so keep it to yourself; making a new one does not end the old ones.
      </p>
      {off ? (
        <p class="hint" role="status" data-testid="calendar-subscription-off">
          {off}
        </p>
      ) : null}
      {made ? (
        <div class="field">
          <label for="calendar-address">Subscription address</label>
          <input
            id="calendar-address"
            type="text"
            readOnly
            value={made.url}
            onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
            data-testid="calendar-address"
          />
          <div class="button-row">
            <button type="button" onClick={copy} data-testid="calendar-copy">
              {copied ? "Copied" : "Copy address"}
            </button>
            <a href={made.webcal} data-testid="calendar-webcal">
              Open in calendar app
            </a>
          </div>
          <p class="hint">
            Works until {made.expires ? longDate(todayIn(props.timeZone, timestampDate(made.expires))) : "its expiry"}, or until you leave the clinic's roster; the clinic can
            end every address at once.
          </p>
        </div>
      ) : (
        <div class="button-row">
          <button type="button" onClick={create} data-testid="calendar-subscribe">
            Get subscription address
          </button>
        </div>
      )}
    </div>
  );
}
