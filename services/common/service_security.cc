#include "services/common/service_security.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/jwks.h"
#include "services/common/jwt_verifier.h"
#include "services/common/logging.h"
#include "services/common/server_flags.h"
#include "services/common/service_authenticator.h"
#include "services/common/status_macros.h"
#include "services/common/tls_credentials.h"

ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate of this service (CN = the service's name); with "
          "--tls_key and --tls_ca turns on TLS and mutual TLS to peers");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA that signs the services' certificates (verifies peers)");
ABSL_FLAG(std::string, jwt_public_key, "",
          "PEM public key that verifies end users' bearer tokens; without "
          "it only peer services can call");
ABSL_FLAG(std::string, jwt_jwks, "",
          "JWKS file (RFC 7517) of the keys that verify end users' bearer "
          "tokens, picked by the token's kid; instead of --jwt_public_key");
ABSL_FLAG(std::string, jwt_algorithm, "ES256",
          "the tokens' signature algorithm: ES256 or RS256");
ABSL_FLAG(std::string, jwt_issuer, "tandem-dev",
          "required 'iss' of user tokens");
ABSL_FLAG(std::string, jwt_audience, "tandem",
          "required 'aud' of user tokens");
ABSL_FLAG(std::string, peer_services, "",
          "services allowed to call this one with their certificate, comma "
          "separated; 'none' for none; empty: this binary's default");
ABSL_FLAG(std::string, audit_db, "",
          "SQLite file of the audit trail (default: beside --db)");

namespace tandem::common {
namespace {

absl::StatusOr<std::optional<JwtVerifier>> VerifierFromFlags() {
  const std::string key_file = absl::GetFlag(FLAGS_jwt_public_key);
  const std::string jwks_file = absl::GetFlag(FLAGS_jwt_jwks);
  if (!key_file.empty() && !jwks_file.empty()) {
    return absl::InvalidArgumentError(
        "--jwt_public_key and --jwt_jwks: give one, not both");
  }
  if (key_file.empty() && jwks_file.empty()) {
    return std::optional<JwtVerifier>();
  }
  JwtOptions options;
  options.algorithm = absl::GetFlag(FLAGS_jwt_algorithm);
  if (!key_file.empty()) {
    ASSIGN_OR_RETURN(options.public_key_pem,
                     ReadPemFile(key_file, "--jwt_public_key"));
  } else {
    ASSIGN_OR_RETURN(JwksKeys jwks,
                     ReadJwksFile(jwks_file, options.algorithm, "--jwt_jwks"));
    spdlog::info(R"("event":"jwks","path":"{}","keys":{},"skipped":{})",
                 JsonEscape(jwks_file), jwks.pem_by_kid.size(),
                 jwks.skipped.size());
    for (const std::string& skipped : jwks.skipped) {
      spdlog::warn(R"("event":"jwks_key_skipped","detail":"{}")",
                   JsonEscape(skipped));
    }
    options.keys_by_kid = std::move(jwks.pem_by_kid);
  }
  options.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  options.audience = absl::GetFlag(FLAGS_jwt_audience);
  ASSIGN_OR_RETURN(JwtVerifier verifier, JwtVerifier::Create(options));
  return std::optional<JwtVerifier>(std::move(verifier));
}

absl::StatusOr<std::unique_ptr<audit::AuditLog>> AuditFromFlags(
    const SecuritySetup& setup) {
  std::string path = absl::GetFlag(FLAGS_audit_db);
  if (path.empty()) path = setup.default_audit_db;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  absl::StatusOr<std::unique_ptr<audit::AuditLog>> log =
      audit::AuditLog::Open(path);
  if (!log.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--audit_db: cannot open ", path, ": ",
                     log.status().message()));
  }
  return log;
}

}  // namespace

ServerOptions ServerOptionsFromFlags(std::string service_name,
                                     const ServiceSecurity& security) {
  ServerOptions options = ServerOptionsFromFlags(std::move(service_name));
  options.credentials = security.server_credentials;
  return options;
}

std::string DefaultAuditDb(const DatabaseOptions& database,
                           absl::string_view service_name) {
  const std::filesystem::path dir =
      std::filesystem::path(database.path).parent_path();
  return (dir / absl::StrCat(service_name, ".audit.db")).string();
}

std::vector<std::string> ParsePeerList(
    const std::string& flag, const std::vector<std::string>& defaults) {
  if (flag.empty()) return defaults;
  if (flag == "none") return {};
  std::vector<std::string> peers;
  for (absl::string_view part : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
    peers.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return peers;
}

absl::StatusOr<std::unique_ptr<ServiceSecurity>> ServiceSecurityFromFlags(
    const SecuritySetup& setup) {
  auto security = std::make_unique<ServiceSecurity>();
  const TlsFiles files{absl::GetFlag(FLAGS_tls_cert),
                       absl::GetFlag(FLAGS_tls_key),
                       absl::GetFlag(FLAGS_tls_ca)};
  ASSIGN_OR_RETURN(security->server_credentials,
                   MakeServerCredentials(files, setup.listen_address));
  ASSIGN_OR_RETURN(security->peer_credentials, MakeChannelCredentials(files));
  ASSIGN_OR_RETURN(std::optional<JwtVerifier> verifier, VerifierFromFlags());
  const std::vector<std::string> peers =
      ParsePeerList(absl::GetFlag(FLAGS_peer_services), setup.default_peers);
  const bool tokens = verifier.has_value();
  security->authenticator = std::make_unique<ServiceAuthenticator>(
      setup.service_name, std::move(verifier), peers);
  ASSIGN_OR_RETURN(security->audit, AuditFromFlags(setup));
  security->gate = std::make_unique<CallGate>(
      setup.service_name, security->authenticator.get(), setup.policy,
      security->audit.get());
  security->audit_service = std::make_unique<audit::AuditService>(
      setup.service_name, security->audit.get(),
      security->authenticator.get());
  spdlog::info(
      R"("event":"security","tls":{},"user_tokens":{},"peer_services":"{}")",
      files.enabled(), tokens, JsonEscape(absl::StrJoin(peers, ",")));
  if (!files.enabled() && !peers.empty()) {
    spdlog::warn(R"("event":"plaintext","detail":"without TLS no peer service can identify itself; loopback development only")");
  }
  return security;
}

}  // namespace tandem::common
