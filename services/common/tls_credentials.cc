#include "services/common/tls_credentials.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/loopback_address.h"
#include "services/common/status_macros.h"

namespace tandem::common {
namespace {

absl::Status CheckFilesComplete(const TlsFiles& files) {
  if (files.cert.empty() || files.key.empty() || files.ca.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert, --tls_key and --tls_ca: give all three or none");
  }
  return absl::OkStatus();
}

struct Pems {
  std::string cert, key, ca;
};

absl::StatusOr<Pems> ReadAll(const TlsFiles& files) {
  RETURN_IF_ERROR(CheckFilesComplete(files));
  Pems pems;
  ASSIGN_OR_RETURN(pems.cert, ReadPemFile(files.cert, "--tls_cert"));
  ASSIGN_OR_RETURN(pems.key, ReadPemFile(files.key, "--tls_key"));
  ASSIGN_OR_RETURN(pems.ca, ReadPemFile(files.ca, "--tls_ca"));
  return pems;
}

}  // namespace

absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(what, ": cannot read ", path));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (!absl::StrContains(content.str(), "-----BEGIN ")) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": ", path, " is not a PEM file"));
  }
  return content.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
MakeServerCredentials(const TlsFiles& files, absl::string_view listen_address) {
  if (!files.enabled()) {
    if (!IsLoopbackAddress(listen_address)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", listen_address,
          " without TLS: only loopback addresses may be plaintext. Give "
          "--tls_cert, --tls_key and --tls_ca (deploy/dev-pki makes a "
          "development set)"));
    }
    return grpc::InsecureServerCredentials();
  }
  ASSIGN_OR_RETURN(Pems pems, ReadAll(files));
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = pems.ca;
  options.pem_key_cert_pairs.push_back({pems.key, pems.cert});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const TlsFiles& files) {
  if (!files.enabled()) return grpc::InsecureChannelCredentials();
  ASSIGN_OR_RETURN(Pems pems, ReadAll(files));
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pems.ca;
  options.pem_private_key = pems.key;
  options.pem_cert_chain = pems.cert;
  return grpc::SslCredentials(options);
}

}  // namespace tandem::common
