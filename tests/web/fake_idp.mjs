// A stand-in for a clinic's identity provider, enough of OpenID Connect's
// authorization code flow with PKCE to sign a user in to the console:
//
//   GET  /authorize  checks client_id, redirect_uri and an S256 challenge,
//                    then sends the browser back with a one-time code (as a
//                    provider does for a user already signed in there);
//   POST /token      exchanges the code once, only with the verifier whose
//                    SHA-256 is the challenge, for an access token (a JWT
//                    signed with the development key, so the services accept
//                    it as they would the provider's) and a refresh token;
//                    a refresh token, once, for new ones of each (rotation,
//                    as providers do for public clients).
//
// What it checks is what the console must get right; a real provider checks
// more (a login page, consent, refresh tokens), none of which the console
// sees.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";

function base64Url(buffer) {
  return Buffer.from(buffer).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** An ES256 JWT over `claims`, signed with the PEM key at `keyFile`. */
function signEs256(claims, keyFile) {
  const header = base64Url(JSON.stringify({ alg: "ES256", typ: "JWT" }));
  const payload = base64Url(JSON.stringify(claims));
  const signature = crypto.sign("sha256", Buffer.from(`${header}.${payload}`), {
    key: fs.readFileSync(keyFile, "utf8"),
    dsaEncoding: "ieee-p1363",
  });
  return `${header}.${payload}.${base64Url(signature)}`;
}

/**
 * Starts the provider on 127.0.0.1:0. `keyFile`: the signing key's PEM file
 * (or a function that names it, for a key made later); `user`: the claims
 * of the signed-in user ({sub, role, therapist_id}); `accessSeconds`: the
 * access tokens' life. Returns {issuer, state: {exchanges, refreshes,
 * refused}, flags(), allow(uri), close()}.
 */
export async function startFakeIdp({ keyFile, clientId = "tandem-console", user, accessSeconds = 3600 }) {
  const codes = new Map(); // code -> {challenge, redirectUri}
  const refreshTokens = new Set();
  const allowed = new Set();
  const state = { exchanges: 0, refreshes: 0, refused: [] };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://idp");
    const origin = req.headers.origin;
    const fail = (status, error) => {
      state.refused.push(error);
      res.writeHead(status, {
        "content-type": "application/json",
        ...(origin ? { "access-control-allow-origin": origin } : {}),
      });
      res.end(JSON.stringify({ error }));
    };
    if (req.method === "GET" && url.pathname === "/authorize") {
      const q = url.searchParams;
      const redirectUri = q.get("redirect_uri") ?? "";
      if (q.get("client_id") !== clientId) return fail(400, "unauthorized_client");
      if (!allowed.has(redirectUri)) return fail(400, "invalid_redirect_uri");
      if (q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
        return fail(400, "invalid_request");
      }
      const code = base64Url(crypto.randomBytes(16));
      codes.set(code, { challenge: q.get("code_challenge"), redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/token") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        if (form.get("client_id") !== clientId) return fail(400, "invalid_client");
        if (form.get("grant_type") === "refresh_token") {
          const known = refreshTokens.delete(form.get("refresh_token") ?? "");
          if (!known) return fail(400, "invalid_grant");
          state.refreshes += 1;
          return issue();
        }
        const pending = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? ""); // one use, even when refused
        if (!pending) return fail(400, "invalid_grant");
        if (form.get("grant_type") !== "authorization_code") return fail(400, "invalid_request");
        if (form.get("redirect_uri") !== pending.redirectUri) return fail(400, "invalid_grant");
        const challenge = base64Url(crypto.createHash("sha256").update(form.get("code_verifier") ?? "").digest());
        if (challenge !== pending.challenge) return fail(400, "invalid_grant");
        state.exchanges += 1;
        issue();
      });
      const issue = () => {
        const now = Math.floor(Date.now() / 1000);
        const token = signEs256(
          { iss: "tandem-dev", aud: "tandem", iat: now, exp: now + accessSeconds, ...user },
          typeof keyFile === "function" ? keyFile() : keyFile,
        );
        const refresh = base64Url(crypto.randomBytes(24));
        refreshTokens.add(refresh);
        res.writeHead(200, {
          "content-type": "application/json",
          "cache-control": "no-store",
          ...(origin ? { "access-control-allow-origin": origin } : {}),
        });
        res.end(
          JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: accessSeconds, refresh_token: refresh }),
        );
      };
      return;
    }
    fail(404, "not_found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    state,
    /** The gateway's flags that name this provider. */
    flags: () => [
      `--oidc_authorization_endpoint=${issuer}/authorize`,
      `--oidc_token_endpoint=${issuer}/token`,
      `--oidc_client_id=${clientId}`,
    ],
    /** Registers the console's redirect URI (known once the gateway runs). */
    allow: (uri) => allowed.add(uri),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
