// Test helper: a fresh SQLite file in a temp directory per test.
#ifndef TANDEM_SERVICES_COMMON_TEST_DB_H_
#define TANDEM_SERVICES_COMMON_TEST_DB_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace tandem::common {

// A unique path under the test's temp dir; the directory is removed at the
// end of the test.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/tandem-test-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_TEST_DB_H_
