#include "clients/tandemctl/context.h"

#include <filesystem>
#include <random>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/tandemctl/channel.h"
#include "clients/tandemctl/output.h"
#include "services/common/status_macros.h"

namespace tandem::cli {

namespace dir = tandem::directory::v1;

absl::StatusOr<std::shared_ptr<grpc::Channel>> Context::Channel(
    const std::string& address) {
  auto& channel = channels_[address];
  if (!channel) {
    ASSIGN_OR_RETURN(channel, MakeChannel(address, settings.ca));
  }
  return channel;
}

absl::StatusOr<DirectoryStub*> Context::Directory() {
  if (!directory_) {
    ASSIGN_OR_RETURN(auto channel, Channel(settings.directory));
    directory_ = dir::DirectoryService::NewStub(channel);
  }
  return directory_.get();
}
absl::StatusOr<BookingStub*> Context::Booking() {
  if (!booking_) {
    ASSIGN_OR_RETURN(auto channel, Channel(settings.booking));
    booking_ = tandem::booking::v1::BookingService::NewStub(channel);
  }
  return booking_.get();
}
absl::StatusOr<FollowUpStub*> Context::FollowUp() {
  if (!followup_) {
    ASSIGN_OR_RETURN(auto channel, Channel(settings.followup));
    followup_ = tandem::followup::v1::FollowUpService::NewStub(channel);
  }
  return followup_.get();
}
absl::StatusOr<RosterStub*> Context::Roster() {
  if (!roster_) {
    ASSIGN_OR_RETURN(auto channel, Channel(settings.roster));
    roster_ = tandem::roster::v1::RosterService::NewStub(channel);
  }
  return roster_.get();
}

absl::StatusOr<const BearerToken*> Context::Token() {
  if (!token_.has_value()) {
    token_ = ResolveBearerToken(settings, env, absl::Now());
  }
  if (!token_->ok()) return token_->status();
  return &**token_;
}

absl::Status Context::PrepareCall(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(settings.timeout));
  const BearerToken* token = nullptr;
  ASSIGN_OR_RETURN(token, Token());
  if (!token->token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", token->token));
  }
  return absl::OkStatus();
}

std::string Context::UnreachableNote() const {
  std::error_code error;
  if (std::filesystem::exists(settings.ca, error)) return "";
  return absl::StrCat("; tandemctl spoke plaintext, as there is no CA file ",
                      settings.ca,
                      ": run it where scripts/start runs, or set TANDEM_DATA, "
                      "--pki or --ca");
}

absl::Status Context::WithHint(absl::Status status) {
  if (status.ok()) return status;
  absl::StatusOr<const BearerToken*> token = Token();
  if (!token.ok()) return status;
  return WithTokenHint(std::move(status), **token, settings);
}

const std::string& Context::RequestId() {
  if (request_id_.empty()) {
    if (!request_id_flag.empty()) {
      request_id_ = request_id_flag;
    } else {
      std::random_device random;
      std::uniform_int_distribution<uint32_t> word;
      request_id_ = absl::StrFormat("tc-%08x%08x%08x", word(random),
                                    word(random), word(random));
    }
  }
  return request_id_;
}

absl::StatusOr<const ClinicTime*> Context::Clinic() {
  if (!clinic_.has_value()) {
    dir::GetClinicSettingsResponse resp;
    if (absl::Status s = Call(&DirectoryStub::GetClinicSettings,
                              dir::GetClinicSettingsRequest(), &resp);
        !s.ok()) {
      return s;
    }
    absl::TimeZone zone = absl::UTCTimeZone();
    if (!resp.settings().time_zone().empty() &&
        !absl::LoadTimeZone(resp.settings().time_zone(), &zone)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the clinic's time zone '", resp.settings().time_zone(),
          "' is not known on this machine (install tzdata)"));
    }
    clinic_.emplace(zone);
  }
  return &*clinic_;
}

absl::StatusOr<absl::CivilDay> Context::Today() {
  absl::StatusOr<const ClinicTime*> clinic = Clinic();
  if (!clinic.ok()) return clinic.status();
  return (*clinic)->Today(absl::Now());
}

absl::StatusOr<absl::CivilDay> Context::Day(const std::string& text,
                                            absl::string_view flag) {
  // An absolute date needs no clinic; anything else is relative to today.
  absl::CivilDay day;
  if (absl::ParseCivilTime(text, &day)) return day;
  absl::StatusOr<absl::CivilDay> today = Today();
  if (!today.ok()) return today.status();
  return ParseDay(text, *today, flag);
}

absl::StatusOr<std::string> Context::CallerTherapistId() {
  if (!settings.therapist.empty()) return settings.therapist;
  // A token from the clinic's identity provider names its therapist.
  if (absl::StatusOr<const BearerToken*> token = Token();
      token.ok() && ((*token)->origin == TokenOrigin::kGiven ||
                     (*token)->origin == TokenOrigin::kFile)) {
    absl::StatusOr<TokenSummary> summary = DecodeUnverified((*token)->token);
    if (summary.ok() && !summary->therapist_id.empty()) {
      return summary->therapist_id;
    }
  }
  return absl::InvalidArgumentError(
      "whose roster? pass --therapist th-N, or set TANDEM_THERAPIST=th-N or "
      "'therapist = th-N' in ~/.config/tandem/tandemctl.conf");
}

void Context::LoadNames() {
  if (names_loaded_) return;
  names_loaded_ = true;
  dir::ListTherapistsRequest treq;
  treq.set_include_inactive(true);
  dir::ListTherapistsResponse therapists;
  if (ListAll(&DirectoryStub::ListTherapists, treq, &therapists).ok()) {
    for (const auto& t : therapists.therapists()) {
      therapist_names_[t.id()] = t.display_name();
    }
  }
  dir::ListRoomsRequest rreq;
  rreq.set_include_inactive(true);
  dir::ListRoomsResponse rooms;
  if (ListAll(&DirectoryStub::ListRooms, rreq, &rooms).ok()) {
    for (const auto& r : rooms.rooms()) room_names_[r.id()] = r.display_name();
  }
}

std::string Context::TherapistName(const std::string& id) {
  if (id.empty()) return "";
  LoadNames();
  auto it = therapist_names_.find(id);
  return it == therapist_names_.end() ? id : it->second;
}

std::string Context::RoomName(const std::string& id) {
  if (id.empty()) return "";
  LoadNames();
  auto it = room_names_.find(id);
  return it == room_names_.end() ? id : it->second;
}

void Context::Print(const google::protobuf::Message& message,
                    const std::function<std::string()>& table) {
  if (json()) {
    out() << ToJson(message);
  } else {
    out() << table();
  }
}

void Context::Say(absl::string_view line) {
  if (!json()) out() << line << "\n";
}

void Context::Hint(absl::string_view line) {
  if (!json()) std::cerr << line << "\n";
}

}  // namespace tandem::cli
