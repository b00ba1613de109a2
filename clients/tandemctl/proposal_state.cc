#include "clients/tandemctl/proposal_state.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace tandem::cli {
namespace {

constexpr char kFileName[] = "last-proposal.json";

}  // namespace

absl::StatusOr<std::string> StateDir(const std::string& flag,
                                     const EnvLookup& env) {
  if (!flag.empty()) return flag;
  if (auto v = env("TANDEM_STATE_DIR"); v.has_value() && !v->empty()) {
    return *v;
  }
  if (auto v = env("XDG_STATE_HOME"); v.has_value() && !v->empty()) {
    return absl::StrCat(*v, "/tandem");
  }
  if (auto v = env("HOME"); v.has_value() && !v->empty()) {
    return absl::StrCat(*v, "/.local/state/tandem");
  }
  return absl::FailedPreconditionError(
      "no state directory: set --state-dir or TANDEM_STATE_DIR");
}

std::string EncodeProposalState(const ProposalState& state) {
  nlohmann::json j;
  j["couple_id"] = state.couple_id;
  j["repair_intensive_id"] = state.repair_intensive_id;
  j["proposed_at"] = absl::FormatTime(state.proposed_at, absl::UTCTimeZone());
  nlohmann::json plans = nlohmann::json::array();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (const auto& plan : state.plans) {
    std::string text;
    (void)google::protobuf::util::MessageToJsonString(plan, &text, options);
    plans.push_back(nlohmann::json::parse(text));
  }
  j["plans"] = std::move(plans);
  return j.dump(2) + "\n";
}

absl::StatusOr<ProposalState> DecodeProposalState(const std::string& text) {
  const auto bad = absl::DataLossError(
      "the saved proposal is unreadable: run tandemctl propose again");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("plans") ||
      !j["plans"].is_array()) {
    return bad;
  }
  ProposalState state;
  state.couple_id = j.value("couple_id", "");
  state.repair_intensive_id = j.value("repair_intensive_id", "");
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, j.value("proposed_at", ""),
                       &state.proposed_at, &error)) {
    return bad;
  }
  for (const auto& p : j["plans"]) {
    if (!google::protobuf::util::JsonStringToMessage(p.dump(),
                                                     state.plans.Add())
             .ok()) {
      return bad;
    }
  }
  return state;
}

absl::Status SaveProposalState(const std::string& dir,
                               const ProposalState& state) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create state directory ", dir, ": ",
                     ec.message()));
  }
  const std::string path = absl::StrCat(dir, "/", kFileName);
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << EncodeProposalState(state);
    if (!out.good()) {
      return absl::FailedPreconditionError(absl::StrCat("cannot write ", temp));
    }
  }
  ::chmod(temp.c_str(), 0600);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<ProposalState> LoadProposalState(const std::string& dir) {
  std::ifstream in(absl::StrCat(dir, "/", kFileName));
  if (!in) {
    return absl::NotFoundError(
        "no saved proposal: run tandemctl propose first");
  }
  std::stringstream text;
  text << in.rdbuf();
  return DecodeProposalState(text.str());
}

absl::StatusOr<tandem::booking::v1::Plan> PlanNumber(const ProposalState& state,
                                                     int number) {
  if (state.plans.empty()) {
    return absl::FailedPreconditionError(
        "the last proposal has no plans: run tandemctl propose again");
  }
  if (number < 1 || number > state.plans.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plan: ", number, " is not a plan of the last proposal "
                     "(1-", state.plans.size(), ")"));
  }
  return state.plans.Get(number - 1);
}

}  // namespace tandem::cli
