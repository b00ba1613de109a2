#include "clients/tandemctl/channel.h"

#include <grpcpp/grpcpp.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"

namespace tandem::cli {
namespace {

namespace bk = tandem::booking::v1;

TEST(IsLoopbackAddress, ThisMachineOnly) {
  for (const char* address :
       {"127.0.0.1:7001", "127.8.9.10:1", "localhost:7001", "LOCALHOST:1",
        "localhost", "[::1]:7001", "::1", "[::ffff:127.0.0.1]:1",
        "dns:///localhost:7001", "dns:localhost:1", "dns:///127.0.0.1:7001",
        "ipv4:127.0.0.1:1,127.0.0.2:2", "ipv6:[::1]:1", "unix:/run/t.sock",
        "unix-abstract:tandem"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address :
       {"10.0.0.1:7001", "128.0.0.1:1", "0.0.0.0:7001", "[::]:7001",
        "clinic.example.org:7002", "localhost.example.org:1",
        "127.0.0.1.example.org:1", "myhost:7001", "[::2]:1",
        "dns://8.8.8.8/clinic:1", "ipv4:127.0.0.1:1,10.0.0.1:2", "ipv4:", ""}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(ChooseTransport, TlsWithACaPlaintextOnlyToLoopback) {
  EXPECT_EQ(*ChooseTransport("127.0.0.1:7001", "pki/ca.crt", true),
            Transport::kTls);
  EXPECT_EQ(*ChooseTransport("clinic:7001", "pki/ca.crt", true),
            Transport::kTls);
  EXPECT_EQ(*ChooseTransport("127.0.0.1:7001", "pki/ca.crt", false),
            Transport::kPlaintextLoopback);
  absl::StatusOr<Transport> remote =
      ChooseTransport("clinic:7002", "pki/ca.crt", false);
  ASSERT_EQ(remote.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(remote.status().message().find("CA file pki/ca.crt is missing"),
            std::string::npos)
      << remote.status();
}

// --- against real servers on port 0 ----------------------------------------

std::string TempDir() {
  std::string pattern = absl::StrCat(::testing::TempDir(), "/channelXXXXXX");
  const char* dir = mkdtemp(pattern.data());
  EXPECT_NE(dir, nullptr);
  return pattern;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, PkeyFree>;

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext =
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, const_cast<char*>(value));
  ASSERT_NE(ext, nullptr) << value;
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by `issuer` (null: itself).
Cert MakeCert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key,
              long serial) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn), -1, -1,
                             0);
  X509* signer = issuer == nullptr ? cert.get() : issuer;
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (issuer == nullptr) {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), signer, NID_key_usage,
                 "critical,keyCertSign,cRLSign");
    AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    AddExtension(cert.get(), signer, NID_basic_constraints,
                 "critical,CA:FALSE");
    AddExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    AddExtension(cert.get(), signer, NID_subject_alt_name,
                 "DNS:localhost,IP:127.0.0.1");
  }
  X509_sign(cert.get(), issuer_key == nullptr ? key : issuer_key, EVP_sha256());
  return cert;
}

std::string CertPem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                           nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// Like deploy/dev-pki: a CA and a server certificate for localhost and
// 127.0.0.1 that it signed.
struct TestPki {
  std::string ca_pem, server_cert_pem, server_key_pem;
};
TestPki MakePki() {
  Key ca_key(EVP_EC_gen("P-256"));
  Key server_key(EVP_EC_gen("P-256"));
  Cert ca = MakeCert(ca_key.get(), "Test CA", nullptr, nullptr, 1);
  Cert server =
      MakeCert(server_key.get(), "booking", ca.get(), ca_key.get(), 2);
  return {CertPem(ca.get()), CertPem(server.get()), KeyPem(server_key.get())};
}

// Answers GetCouple, remembering the authorization header it got.
class RecordingBooking final : public bk::BookingService::Service {
 public:
  grpc::Status GetCouple(grpc::ServerContext* context,
                         const bk::GetCoupleRequest* /*request*/,
                         bk::GetCoupleResponse* /*response*/) override {
    absl::MutexLock lock(&mu_);
    auto it = context->client_metadata().find("authorization");
    authorization_ = it == context->client_metadata().end()
                         ? "(none)"
                         : std::string(it->second.data(), it->second.size());
    return grpc::Status::OK;
  }
  std::string authorization() {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }

 private:
  absl::Mutex mu_;
  std::string authorization_ ABSL_GUARDED_BY(mu_);
};

class ServerFixture {
 public:
  explicit ServerFixture(std::shared_ptr<grpc::ServerCredentials> creds) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", std::move(creds), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~ServerFixture() { server_->Shutdown(); }
  int port() const { return port_; }
  RecordingBooking& service() { return service_; }

 private:
  RecordingBooking service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

grpc::Status GetCouple(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  bk::GetCoupleResponse response;
  return bk::BookingService::NewStub(channel)->GetCouple(
      &context, bk::GetCoupleRequest(), &response);
}

// 127.0.0.1, and localhost where the machine resolves it: a fresh
// container may have no /etc/hosts entry for it (and no DNS to ask).
std::vector<std::string> LoopbackHosts() {
  std::vector<std::string> hosts = {"127.0.0.1"};
  addrinfo* found = nullptr;
  if (getaddrinfo("localhost", nullptr, nullptr, &found) == 0) {
    hosts.push_back("localhost");
    freeaddrinfo(found);
  } else {
    std::cerr
        << "note: localhost does not resolve here; testing 127.0.0.1 only\n";
  }
  return hosts;
}

TEST(MakeChannel, TlsVerifiedByTheCaForIpAndName) {
  const TestPki pki = MakePki();
  const std::string dir = TempDir();
  WriteFile(dir + "/ca.crt", pki.ca_pem);
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back(
      {pki.server_key_pem, pki.server_cert_pem});
  ServerFixture server(grpc::SslServerCredentials(options));
  ASSERT_NE(server.port(), 0);

  for (const std::string& host : LoopbackHosts()) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(
        absl::StrCat(host, ":", server.port()), dir + "/ca.crt", "tok-1");
    ASSERT_TRUE(channel.ok()) << channel.status();
    grpc::Status status = GetCouple(*channel);
    EXPECT_TRUE(status.ok()) << host << ": " << status.error_message();
    EXPECT_EQ(server.service().authorization(), "Bearer tok-1");
  }

  // Another CA does not vouch for this server.
  WriteFile(dir + "/other.crt", MakePki().ca_pem);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> other = MakeChannel(
      absl::StrCat("127.0.0.1:", server.port()), dir + "/other.crt");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(GetCouple(*other).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(MakeChannel, PlaintextToLoopbackWithoutACa) {
  ServerFixture server(grpc::InsecureServerCredentials());
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(
      absl::StrCat("127.0.0.1:", server.port()), TempDir() + "/no-such-ca.crt");
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_TRUE(GetCouple(*channel).ok());
  EXPECT_EQ(server.service().authorization(), "(none)");

  channel =
      MakeChannel(absl::StrCat(LoopbackHosts().back(), ":", server.port()),
                  "/nonexistent/ca.crt", "tok-2");
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_TRUE(GetCouple(*channel).ok());
  EXPECT_EQ(server.service().authorization(), "Bearer tok-2");
}

TEST(MakeChannel, RefusesPlaintextToARemoteServerAndAnUnreadableCa) {
  EXPECT_EQ(MakeChannel("clinic.example.org:7002", "/nonexistent/ca.crt")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  const std::string dir = TempDir();  // a directory is not a CA file
  EXPECT_EQ(MakeChannel("127.0.0.1:7002", dir).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tandem::cli
