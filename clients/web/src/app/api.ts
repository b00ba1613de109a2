// The API clients every page uses: one Connect client per Tandem service,
// over gRPC-Web (binary) to the page's own origin, where the gateway
// forwards /<package.Service>/<Method> to the service.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { BookingService } from "../gen/tandem/booking/v1/booking_service_pb";
import { DirectoryService } from "../gen/tandem/directory/v1/directory_service_pb";
import { FollowUpService } from "../gen/tandem/followup/v1/followup_service_pb";
import { RosterService } from "../gen/tandem/roster/v1/roster_service_pb";

export interface ApiClients {
  directory: Client<typeof DirectoryService>;
  booking: Client<typeof BookingService>;
  followup: Client<typeof FollowUpService>;
  roster: Client<typeof RosterService>;
}

export interface ApiOptions {
  /** The current bearer token, or null when signed out. */
  getToken: () => string | null;
  /** Called when a call comes back UNAUTHENTICATED (expired or revoked token). */
  onUnauthenticated: (error: ConnectError) => void;
  /** Default: the page's own origin. */
  baseUrl?: string;
  /** Deadline per call in ms (default 15 s). */
  timeoutMs?: number;
}

export function createApi(options: ApiOptions): ApiClients {
  const auth: Interceptor = (next) => async (req) => {
    const token = options.getToken();
    if (token) req.header.set("authorization", `Bearer ${token}`);
    try {
      return await next(req);
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.Unauthenticated) options.onUnauthenticated(e);
      throw err;
    }
  };
  const transport = createGrpcWebTransport({
    baseUrl: options.baseUrl ?? window.location.origin,
    useBinaryFormat: true,
    interceptors: [auth],
    defaultTimeoutMs: options.timeoutMs ?? 15000,
  });
  return {
    directory: createClient(DirectoryService, transport),
    booking: createClient(BookingService, transport),
    followup: createClient(FollowUpService, transport),
    roster: createClient(RosterService, transport),
  };
}
