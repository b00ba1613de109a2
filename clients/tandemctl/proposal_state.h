// The last proposal, kept between invocations so that `tandemctl hold --plan
// 1` can hold plan 1 of what `tandemctl propose` printed. One small JSON file
// (last-proposal.json) in the state directory; nothing else is stored.
#ifndef TANDEM_CLIENTS_TANDEMCTL_PROPOSAL_STATE_H_
#define TANDEM_CLIENTS_TANDEMCTL_PROPOSAL_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/tandemctl/config.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::cli {

struct ProposalState {
  // The couple the plans are for (ids only: no client data is stored).
  std::string couple_id;
  // Set when the plans repair an existing intensive (for `reschedule`).
  std::string repair_intensive_id;
  // When the plans were proposed.
  absl::Time proposed_at;
  // The plans exactly as the server returned them, with their tokens.
  google::protobuf::RepeatedPtrField<tandem::booking::v1::Plan> plans;
};

// The state directory: `flag` if given, else $TANDEM_STATE_DIR, else
// $XDG_STATE_HOME/tandem, else $HOME/.local/state/tandem.
// FAILED_PRECONDITION if none can be found.
absl::StatusOr<std::string> StateDir(const std::string& flag,
                                     const EnvLookup& env);

// Serialization, separate from the file system so that tests need none.
std::string EncodeProposalState(const ProposalState& state);
absl::StatusOr<ProposalState> DecodeProposalState(const std::string& text);

// Writes <dir>/last-proposal.json (creating dir, private to the user) by
// rename, so a reader never sees half a file.
absl::Status SaveProposalState(const std::string& dir,
                               const ProposalState& state);
// NOT_FOUND ("no saved proposal: run tandemctl propose first") if absent.
absl::StatusOr<ProposalState> LoadProposalState(const std::string& dir);

// Plan `number` (1-based) of the state; INVALID_ARGUMENT naming --plan when
// out of range.
absl::StatusOr<tandem::booking::v1::Plan> PlanNumber(const ProposalState& state,
                                                     int number);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_PROPOSAL_STATE_H_
