#include "tests/integration/test_security.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/jwt_minter.h"

namespace tandem::testing {
namespace {

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "test security: %s\n", why.c_str());
  std::abort();
}

std::string MakePki() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "tandem-pki-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Die("cannot create a temp dir");
  const std::string command = absl::StrCat(
      "'", TANDEM_DEV_PKI_SCRIPT, "' '", pattern, "' >/dev/null");
  if (std::system(command.c_str()) != 0) Die("deploy/dev-pki failed");
  if (std::getenv("TANDEM_KEEP_TEST_DIRS") == nullptr) {
    static std::string to_remove;
    to_remove = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(to_remove, ignored);
    });
  }
  return pattern;
}

std::string PkiFile(absl::string_view name) {
  return absl::StrCat(TestPkiDir(), "/", name);
}

}  // namespace

const std::string& TestPkiDir() {
  static const std::string* const dir = new std::string(MakePki());
  return *dir;
}

std::vector<std::string> ServiceSecurityFlags(const std::string& service) {
  return {
      absl::StrCat("--tls_cert=", PkiFile(service + ".crt")),
      absl::StrCat("--tls_key=", PkiFile(service + ".key")),
      absl::StrCat("--tls_ca=", PkiFile(common::kCaFile)),
      absl::StrCat("--jwt_public_key=", PkiFile(common::kDevJwtPublicKeyFile)),
  };
}

std::string MintTestToken(common::Roles roles, const std::string& therapist_id,
                          const std::string& subject, absl::Duration ttl) {
  static const std::string* const key =
      new std::string(ReadWhole(PkiFile(common::kDevJwtKeyFile)));
  common::TokenClaims claims;
  claims.subject = subject;
  claims.roles = roles;
  claims.therapist_id = therapist_id;
  claims.ttl = ttl;
  absl::StatusOr<std::string> token =
      common::MintToken(*key, common::kDevAlgorithm, claims, absl::Now());
  if (!token.ok()) Die(std::string(token.status().message()));
  return *token;
}

std::string OperatorToken() {
  static const std::string* const token = new std::string(MintTestToken(
      {common::Role::kAdmin, common::Role::kCoordinator}, "", "test:operator",
      absl::Hours(24)));
  return *token;
}

std::shared_ptr<grpc::ChannelCredentials> AnonymousTlsCredentials() {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadWhole(PkiFile(common::kCaFile));
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> UserCredentials(
    const std::string& token) {
  if (token.empty()) return AnonymousTlsCredentials();
  return grpc::CompositeChannelCredentials(
      AnonymousTlsCredentials(), grpc::AccessTokenCredentials(token));
}

std::shared_ptr<grpc::ChannelCredentials> PeerCredentials(
    const std::string& service) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadWhole(PkiFile(common::kCaFile));
  options.pem_cert_chain = ReadWhole(PkiFile(service + ".crt"));
  options.pem_private_key = ReadWhole(PkiFile(service + ".key"));
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::Channel> SecureChannel(
    const std::string& target,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  return grpc::CreateChannel(target, std::move(credentials));
}

}  // namespace tandem::testing
