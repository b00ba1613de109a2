#include "services/followup/delivery/file_channel.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tandem::followup::delivery {
namespace {

bool IsSafeName(const std::string& key) {
  return !key.empty() && key.size() <= 200 && key[0] != '.' &&
         std::all_of(key.begin(), key.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                  c == '-' || c == '_' || c == '.';
         });
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileChannel>> FileChannel::Create(
    std::string directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory)) {
    return absl::InternalError("file channel: cannot create its directory");
  }
  return std::unique_ptr<FileChannel>(new FileChannel(std::move(directory)));
}

std::string FileChannel::PathFor(const std::string& idempotency_key) const {
  return absl::StrCat(directory_, "/", idempotency_key, ".eml");
}

SendResult FileChannel::Send(const OutgoingMessage& message) {
  if (!IsSafeName(message.idempotency_key)) {
    return SendResult::Permanent("file-bad-key");
  }
  const std::string content =
      absl::StrCat("To: ", message.to, "\nSubject: ", message.subject,
                   "\nX-Tandem-Idempotency-Key: ", message.idempotency_key,
                   "\n\n", message.body);
  // Hidden, per-process temporary name in the same directory, so rename()
  // is atomic and a gateway scanning for *.eml never picks it up.
  const std::string temp = absl::StrCat(
      directory_, "/.", message.idempotency_key, ".", ::getpid(), ".tmp");
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return SendResult::Temporary("file-io");
  const bool written = WriteAll(fd, content) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed ||
      std::rename(temp.c_str(), PathFor(message.idempotency_key).c_str()) !=
          0) {
    std::remove(temp.c_str());
    return SendResult::Temporary("file-io");
  }
  return SendResult::Sent();
}

}  // namespace tandem::followup::delivery
