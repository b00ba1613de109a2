#include "clients/tandemctl/context.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/tandemctl/output.h"

namespace tandem::cli {

namespace dir = tandem::directory::v1;

std::shared_ptr<grpc::Channel> Context::Channel(const std::string& address) {
  auto& channel = channels_[address];
  if (!channel) {
    channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
  return channel;
}

DirectoryStub& Context::Directory() {
  if (!directory_) {
    directory_ = dir::DirectoryService::NewStub(Channel(settings.directory));
  }
  return *directory_;
}
BookingStub& Context::Booking() {
  if (!booking_) {
    booking_ = tandem::booking::v1::BookingService::NewStub(
        Channel(settings.booking));
  }
  return *booking_;
}
FollowUpStub& Context::FollowUp() {
  if (!followup_) {
    followup_ = tandem::followup::v1::FollowUpService::NewStub(
        Channel(settings.followup));
  }
  return *followup_;
}
RosterStub& Context::Roster() {
  if (!roster_) {
    roster_ =
        tandem::roster::v1::RosterService::NewStub(Channel(settings.roster));
  }
  return *roster_;
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

absl::StatusOr<std::string> Context::CallerTherapistId() const {
  if (!settings.therapist.empty()) return settings.therapist;
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
