// Key pairs for tests that sign and verify tokens: generated with OpenSSL
// in the test process (nothing secret is checked in), returned as PEM.
#ifndef TANDEM_SERVICES_COMMON_TEST_KEYS_H_
#define TANDEM_SERVICES_COMMON_TEST_KEYS_H_

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

namespace tandem::common {

struct TestKeyPair {
  std::string private_pem, public_pem;
};

// `key`'s private (PKCS#8) or public (SubjectPublicKeyInfo) PEM.
inline std::string PemOf(EVP_PKEY* key, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (is_private) {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                             nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio.get(), key);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// Both halves of `key`, which it frees.
inline TestKeyPair TakeTestKeys(EVP_PKEY* key) {
  TestKeyPair pair{PemOf(key, true), PemOf(key, false)};
  EVP_PKEY_free(key);
  return pair;
}

// A fresh EC P-256 pair (ES256).
inline TestKeyPair NewEcTestKeys() { return TakeTestKeys(EVP_EC_gen("P-256")); }

// A fresh RSA 2048 pair (RS256).
inline TestKeyPair NewRsaTestKeys() { return TakeTestKeys(EVP_RSA_gen(2048)); }

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_TEST_KEYS_H_
