// A channel that writes each message as one file into a directory: for
// local runs, a clinic's own gateway that picks files up, or printing.
//
// The file is named after the idempotency key ("<key>.eml"), written under
// a temporary name and renamed into place, so a reader never sees half a
// message, and sending the same key again replaces the file: never two
// copies. Content:
//   To: <address>
//   Subject: <subject>
//   X-Tandem-Idempotency-Key: <key>
//   <empty line>
//   <body>
// Results: sent, or temporary "file-io"; a key that is not a safe file name
// is permanent "file-bad-key".
//
// Example:
//   ASSIGN_OR_RETURN(auto files,
//   FileChannel::Create("/var/lib/tandem/outbox"));
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_FILE_CHANNEL_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_FILE_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/followup/delivery/channel.h"

namespace tandem::followup::delivery {

class FileChannel final : public Channel {
 public:
  // Creates `directory` (and parents) if needed; INTERNAL if it cannot.
  static absl::StatusOr<std::unique_ptr<FileChannel>> Create(
      std::string directory);

  SendResult Send(const OutgoingMessage& message) override;

  // Where the message with `idempotency_key` is (or would be) written.
  std::string PathFor(const std::string& idempotency_key) const;

 private:
  explicit FileChannel(std::string directory)
      : directory_(std::move(directory)) {}

  const std::string directory_;
};

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_FILE_CHANNEL_H_
