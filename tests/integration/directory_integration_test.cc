// The directory binary, end to end: every test starts its own `directory`
// process (fresh temp dir and database, port 0) and talks to it over gRPC
// through the generated stubs, each call with a deadline. After every test
// the service is stopped with SIGTERM (it must exit 0) and its log is scanned
// for the display names the test used: the log carries ids only.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/health_check.h"
#include "tests/integration/service_process.h"
#include "tests/integration/test_security.h"

namespace {

namespace v1 = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;
using ::google::protobuf::util::MessageDifferencer;
using ::tandem::testing::CheckHealth;
using ::tandem::testing::ExitInfo;
using ::tandem::testing::PeerCredentials;
using ::tandem::testing::SecureChannel;
using ::tandem::testing::ServiceProcess;
using Stub = v1::DirectoryService::Stub;

constexpr absl::Duration kRpcDeadline = absl::Seconds(5);
// Bounds every Read() of a WatchChanges stream.
constexpr absl::Duration kStreamDeadline = absl::Seconds(15);
// SIGTERM must end the process within this, even with a stream open.
constexpr absl::Duration kMaxStopTime = absl::Seconds(2);

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(timeout));
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ",
                      status.error_message());
}

::testing::AssertionResult IsOk(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << Describe(status);
}

// The call failed with `code` and its message contains `text` (a field path).
::testing::AssertionResult FailsWith(const grpc::Status& status,
                                     grpc::StatusCode code,
                                     const std::string& text) {
  if (status.error_code() == code &&
      absl::StrContains(status.error_message(), text)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected code " << code << " with a message containing '" << text
         << "', got " << Describe(status);
}

google::protobuf::Timestamp Utc(int year, int month, int day, int hour) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilHour(year, month, day, hour), absl::UTCTimeZone())));
  return timestamp;
}

cv1::Date DateOf(int year, int month, int day) {
  cv1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

cv1::WeeklyHours Hours(cv1::Weekday weekday, int start_hour, int end_hour) {
  cv1::WeeklyHours hours;
  hours.set_weekday(weekday);
  hours.mutable_start_time()->set_hours(start_hour);
  hours.mutable_end_time()->set_hours(end_hour);
  return hours;
}

v1::Therapist TherapistProto(const std::string& name, v1::Sex sex) {
  v1::Therapist therapist;
  therapist.set_display_name(name);
  therapist.set_sex(sex);
  therapist.add_languages("en");
  therapist.add_qualifications("couples");
  *therapist.add_working_hours() = Hours(cv1::WEEKDAY_MONDAY, 9, 17);
  therapist.set_daily_session_minutes_cap(360);
  therapist.set_active(true);
  return therapist;
}

v1::Room RoomProto(const std::string& name, int capacity) {
  v1::Room room;
  room.set_display_name(name);
  room.set_capacity(capacity);
  room.add_kinds(v1::ROOM_KIND_JOINT);
  room.set_active(true);
  return room;
}

std::vector<std::string> Ids(const auto& resources) {
  std::vector<std::string> ids;
  for (const auto& resource : resources) ids.push_back(resource.id());
  return ids;
}

// An open WatchChanges stream. Every Read() is bounded by kStreamDeadline.
struct Watch {
  grpc::ClientContext context;
  std::unique_ptr<v1::DirectoryService::Stub> stub;
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader;
};

class DirectoryIntegrationTest : public ::testing::Test {
 protected:
  // Debug level: the access log lines of every call, health probes too, are
  // written and scanned.
  const std::vector<std::string> kDefaultArgs = {"--log_level=debug",
                                                 "--synchronous=NORMAL"};

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ServiceProcess>> service =
        ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, kDefaultArgs);
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = *std::move(service);
    Reconnect();
  }

  void TearDown() override {
    if (service_ == nullptr) return;
    // Without a client connection the server need not wait for it to drain.
    stub_.reset();
    if (service_->running()) {
      absl::StatusOr<ExitInfo> exit = service_->Stop();
      ASSERT_TRUE(exit.ok()) << exit.status();
      EXPECT_EQ(exit->exit_code, 0) << "signal " << exit->term_signal;
    }
    const std::string log = service_->ReadLog();
    EXPECT_TRUE(absl::StrContains(log, R"("event":"listening")"))
        << "not the service's log:\n"
        << log;
    for (const std::string& name : names_) {
      EXPECT_FALSE(absl::StrContains(log, name))
          << "the service log contains '" << name << "':\n"
          << log;
    }
  }

  // After a restart the port changes: a new channel and stub.
  void Reconnect() {
    stub_ = v1::DirectoryService::NewStub(service_->channel());
  }

  void StopAndRestart(std::optional<std::vector<std::string>> args = {}) {
    stub_.reset();
    absl::StatusOr<ExitInfo> exit = service_->Stop();
    ASSERT_TRUE(exit.ok()) << exit.status();
    ASSERT_EQ(exit->exit_code, 0);
    absl::Status restarted = service_->Restart(std::move(args));
    ASSERT_TRUE(restarted.ok()) << restarted;
    Reconnect();
  }

  std::string NextRequestId() { return absl::StrCat("it-", ++requests_); }

  // A display name (or other client text) that must never reach the log.
  std::string Name(std::string name) {
    names_.push_back(name);
    return name;
  }

  // Calls a unary method of the stub with a deadline.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    SetDeadline(context, kRpcDeadline);
    return (stub_.get()->*method)(&context, request, response);
  }

  v1::Therapist CreateTherapist(const std::string& name, v1::Sex sex) {
    v1::CreateTherapistRequest request;
    request.set_request_id(NextRequestId());
    *request.mutable_therapist() = TherapistProto(Name(name), sex);
    v1::CreateTherapistResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::CreateTherapist, request, &response)));
    EXPECT_TRUE(absl::StartsWith(response.therapist().id(), "th-"))
        << response.therapist().id();
    return response.therapist();
  }

  v1::Room CreateRoom(const std::string& name) {
    v1::CreateRoomRequest request;
    request.set_request_id(NextRequestId());
    *request.mutable_room() = RoomProto(Name(name), 4);
    v1::CreateRoomResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::CreateRoom, request, &response)));
    EXPECT_FALSE(response.room().id().empty());
    return response.room();
  }

  grpc::Status CreateTeam(const std::string& male_id,
                          const std::string& female_id, v1::Team* team) {
    v1::CreateTeamRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_team()->set_male_therapist_id(male_id);
    request.mutable_team()->set_female_therapist_id(female_id);
    request.mutable_team()->set_label(Name("Team Kestrel"));
    v1::CreateTeamResponse response;
    grpc::Status status = Call(&Stub::CreateTeam, request, &response);
    *team = response.team();
    return status;
  }

  grpc::Status CreateAbsence(const std::string& therapist_id,
                             google::protobuf::Timestamp start,
                             google::protobuf::Timestamp end,
                             v1::Absence* absence) {
    v1::CreateAbsenceRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_absence()->set_therapist_id(therapist_id);
    *request.mutable_absence()->mutable_start_time() = start;
    *request.mutable_absence()->mutable_end_time() = end;
    request.mutable_absence()->set_reason(v1::ABSENCE_REASON_LEAVE);
    v1::CreateAbsenceResponse response;
    grpc::Status status = Call(&Stub::CreateAbsence, request, &response);
    *absence = response.absence();
    return status;
  }

  grpc::Status CreateClosure(cv1::Date date, const std::string& label,
                             v1::Closure* closure) {
    v1::CreateClosureRequest request;
    request.set_request_id(NextRequestId());
    *request.mutable_closure()->mutable_date() = date;
    request.mutable_closure()->set_kind(v1::CLOSURE_KIND_ONE_OFF);
    request.mutable_closure()->set_label(Name(label));
    v1::CreateClosureResponse response;
    grpc::Status status = Call(&Stub::CreateClosure, request, &response);
    *closure = response.closure();
    return status;
  }

  v1::ListTherapistsResponse ListTherapists() {
    v1::ListTherapistsRequest request;
    request.set_include_inactive(true);
    v1::ListTherapistsResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::ListTherapists, request, &response)));
    return response;
  }

  std::vector<std::string> ListAbsenceIds(v1::ListAbsencesRequest request) {
    v1::ListAbsencesResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::ListAbsences, request, &response)));
    return Ids(response.absences());
  }

  std::vector<std::string> ListClosureIds(cv1::Date first, cv1::Date last) {
    v1::ListClosuresRequest request;
    *request.mutable_date_range()->mutable_start_date() = first;
    *request.mutable_date_range()->mutable_end_date() = last;
    v1::ListClosuresResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::ListClosures, request, &response)));
    return Ids(response.closures());
  }

  std::unique_ptr<Watch> OpenWatch(int64_t after_revision) {
    auto watch = std::make_unique<Watch>();
    SetDeadline(watch->context, kStreamDeadline);
    v1::WatchChangesRequest request;
    request.set_after_revision(after_revision);
    // The stream is internal: watch as the booking service does.
    watch->stub = v1::DirectoryService::NewStub(
        SecureChannel(service_->target(), PeerCredentials("booking")));
    watch->reader = watch->stub->WatchChanges(&watch->context, request);
    return watch;
  }

  // The next change of `watch`; fails the test if the stream ended.
  v1::Change NextChange(Watch& watch) {
    v1::WatchChangesResponse response;
    if (!watch.reader->Read(&response)) {
      ADD_FAILURE() << "stream ended: " << Describe(watch.reader->Finish());
    }
    return response.change();
  }

  std::unique_ptr<ServiceProcess> service_;
  std::unique_ptr<Stub> stub_;
  std::vector<std::string> names_;
  int requests_ = 0;
};

// ---- Health ----

TEST_F(DirectoryIntegrationTest, HealthCheckSaysServing) {
  std::string reply;
  ASSERT_TRUE(IsOk(CheckHealth(service_->channel(), "", &reply)));
  EXPECT_EQ(reply, std::string("\x08\x01", 2)) << "status is not SERVING";

  // The health service answers for the server as a whole only.
  EXPECT_EQ(
      CheckHealth(service_->channel(), "no.such.Service", &reply).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

// ---- CRUD ----

TEST_F(DirectoryIntegrationTest, ClinicSettingsGetAndUpdateWithMask) {
  v1::GetClinicSettingsResponse before;
  ASSERT_TRUE(IsOk(
      Call(&Stub::GetClinicSettings, v1::GetClinicSettingsRequest(), &before)));
  ASSERT_TRUE(before.settings().booking_grid_minutes() > 0);

  v1::UpdateClinicSettingsRequest update;
  update.set_request_id(NextRequestId());
  update.mutable_settings()->set_display_name(Name("Harbourside Practice"));
  update.mutable_settings()->set_time_zone("Europe/London");
  *update.mutable_settings()->add_opening_hours() =
      Hours(cv1::WEEKDAY_TUESDAY, 9, 17);
  update.mutable_settings()->set_booking_grid_minutes(60);  // not in the mask
  update.mutable_update_mask()->add_paths("display_name");
  update.mutable_update_mask()->add_paths("time_zone");
  update.mutable_update_mask()->add_paths("opening_hours");
  v1::UpdateClinicSettingsResponse updated;
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateClinicSettings, update, &updated)));
  EXPECT_EQ(updated.settings().display_name(), "Harbourside Practice");
  EXPECT_EQ(updated.settings().time_zone(), "Europe/London");
  ASSERT_EQ(updated.settings().opening_hours_size(),
            1);  // replaced, not merged
  EXPECT_TRUE(MessageDifferencer::Equals(updated.settings().opening_hours(0),
                                         Hours(cv1::WEEKDAY_TUESDAY, 9, 17)));
  EXPECT_EQ(updated.settings().booking_grid_minutes(),
            before.settings().booking_grid_minutes());
  EXPECT_TRUE(updated.settings().has_update_time());

  v1::GetClinicSettingsResponse after;
  ASSERT_TRUE(IsOk(
      Call(&Stub::GetClinicSettings, v1::GetClinicSettingsRequest(), &after)));
  EXPECT_TRUE(MessageDifferencer::Equals(after.settings(), updated.settings()))
      << after.DebugString();

  // Only contact_phone changes; the time zone in the message is ignored.
  v1::UpdateClinicSettingsRequest phone;
  phone.set_request_id(NextRequestId());
  phone.mutable_settings()->set_contact_phone(Name("+44 20 7946 0381"));
  phone.mutable_settings()->set_time_zone("Asia/Tokyo");
  phone.mutable_update_mask()->add_paths("contact_phone");
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateClinicSettings, phone, &updated)));
  EXPECT_EQ(updated.settings().contact_phone(), "+44 20 7946 0381");
  EXPECT_EQ(updated.settings().time_zone(), "Europe/London");
  EXPECT_EQ(updated.settings().display_name(), "Harbourside Practice");
}

TEST_F(DirectoryIntegrationTest, TherapistsCreateGetListPagesAndUpdate) {
  const std::vector<std::string> names = {"Imogen Alder", "Rafael Birch",
                                          "Sunita Cedar", "Tomasz Dogwood",
                                          "Wren Elmsworth"};
  std::vector<v1::Therapist> created;
  for (size_t i = 0; i < names.size(); ++i) {
    created.push_back(
        CreateTherapist(names[i], i % 2 == 0 ? v1::SEX_FEMALE : v1::SEX_MALE));
  }
  ASSERT_FALSE(HasFailure());

  v1::GetTherapistRequest get;
  get.set_id(created[2].id());
  v1::GetTherapistResponse got;
  ASSERT_TRUE(IsOk(Call(&Stub::GetTherapist, get, &got)));
  EXPECT_TRUE(MessageDifferencer::Equals(got.therapist(), created[2]))
      << got.DebugString();

  // Five therapists in pages of two: 2, 2, 1, in id (= creation) order.
  std::vector<std::string> listed;
  std::vector<int> page_sizes;
  v1::ListTherapistsRequest list;
  list.set_page_size(2);
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListTherapistsResponse page;
    ASSERT_TRUE(IsOk(Call(&Stub::ListTherapists, list, &page)));
    page_sizes.push_back(page.therapists_size());
    for (const v1::Therapist& therapist : page.therapists()) {
      listed.push_back(therapist.id());
    }
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(listed, Ids(created));

  // A foreign or damaged token is rejected, naming the field.
  list.set_page_token("not-a-token");
  v1::ListTherapistsResponse rejected;
  EXPECT_TRUE(FailsWith(Call(&Stub::ListTherapists, list, &rejected),
                        grpc::StatusCode::INVALID_ARGUMENT, "page_token"));

  // Update with a mask: only the cap changes, the new name is ignored.
  v1::UpdateTherapistRequest update;
  update.set_request_id(NextRequestId());
  update.mutable_therapist()->set_id(created[0].id());
  update.mutable_therapist()->set_daily_session_minutes_cap(240);
  update.mutable_therapist()->set_display_name(Name("Ignored Newname"));
  update.mutable_update_mask()->add_paths("daily_session_minutes_cap");
  v1::UpdateTherapistResponse updated;
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateTherapist, update, &updated)));
  EXPECT_EQ(updated.therapist().daily_session_minutes_cap(), 240);
  EXPECT_EQ(updated.therapist().display_name(), names[0]);
  EXPECT_EQ(updated.therapist().languages_size(), 1);
  get.set_id(created[0].id());
  ASSERT_TRUE(IsOk(Call(&Stub::GetTherapist, get, &got)));
  EXPECT_TRUE(MessageDifferencer::Equals(got.therapist(), updated.therapist()));

  // Deactivated therapists are listed only on request.
  update.set_request_id(NextRequestId());
  update.mutable_therapist()->set_active(false);
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("active");
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateTherapist, update, &updated)));
  v1::ListTherapistsResponse active_only;
  ASSERT_TRUE(IsOk(
      Call(&Stub::ListTherapists, v1::ListTherapistsRequest(), &active_only)));
  EXPECT_EQ(active_only.therapists_size(), 4);
  EXPECT_EQ(ListTherapists().therapists_size(), 5);

  // Unknown ids are NOT_FOUND.
  get.set_id("th-999");
  EXPECT_EQ(Call(&Stub::GetTherapist, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(DirectoryIntegrationTest, RoomsCreateGetUpdateList) {
  const v1::Room room = CreateRoom("Garden Room");
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(absl::StartsWith(room.id(), "rm-")) << room.id();
  EXPECT_EQ(room.capacity(), 4);

  v1::GetRoomRequest get;
  get.set_id(room.id());
  v1::GetRoomResponse got;
  ASSERT_TRUE(IsOk(Call(&Stub::GetRoom, get, &got)));
  EXPECT_TRUE(MessageDifferencer::Equals(got.room(), room));

  v1::UpdateRoomRequest update;
  update.set_request_id(NextRequestId());
  update.mutable_room()->set_id(room.id());
  update.mutable_room()->set_capacity(8);
  update.mutable_update_mask()->add_paths("capacity");
  v1::UpdateRoomResponse updated;
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateRoom, update, &updated)));
  EXPECT_EQ(updated.room().capacity(), 8);
  EXPECT_EQ(updated.room().display_name(), "Garden Room");

  update.set_request_id(NextRequestId());
  update.mutable_room()->set_active(false);
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("active");
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateRoom, update, &updated)));
  EXPECT_FALSE(updated.room().active());

  v1::ListRoomsRequest list;
  v1::ListRoomsResponse listed;
  ASSERT_TRUE(IsOk(Call(&Stub::ListRooms, list, &listed)));
  EXPECT_EQ(listed.rooms_size(), 0);
  list.set_include_inactive(true);
  ASSERT_TRUE(IsOk(Call(&Stub::ListRooms, list, &listed)));
  ASSERT_EQ(listed.rooms_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(listed.rooms(0), updated.room()));
}

TEST_F(DirectoryIntegrationTest, TeamsNeedOneMaleAndOneFemaleAndAreUnique) {
  const v1::Therapist male = CreateTherapist("Oskar Fenwick", v1::SEX_MALE);
  const v1::Therapist other_male =
      CreateTherapist("Dev Hartigan", v1::SEX_MALE);
  const v1::Therapist female = CreateTherapist("Maud Linley", v1::SEX_FEMALE);
  ASSERT_FALSE(HasFailure());

  v1::Team team;
  ASSERT_TRUE(IsOk(CreateTeam(male.id(), female.id(), &team)));
  EXPECT_TRUE(absl::StartsWith(team.id(), "tm-")) << team.id();
  EXPECT_EQ(team.male_therapist_id(), male.id());
  EXPECT_EQ(team.female_therapist_id(), female.id());
  v1::GetTeamRequest get;
  get.set_id(team.id());
  v1::GetTeamResponse got;
  ASSERT_TRUE(IsOk(Call(&Stub::GetTeam, get, &got)));
  EXPECT_TRUE(MessageDifferencer::Equals(got.team(), team));

  v1::Team rejected;
  EXPECT_TRUE(FailsWith(CreateTeam(male.id(), other_male.id(), &rejected),
                        grpc::StatusCode::INVALID_ARGUMENT,
                        "team.female_therapist_id"));
  EXPECT_TRUE(FailsWith(CreateTeam(male.id(), female.id(), &rejected),
                        grpc::StatusCode::ALREADY_EXISTS, ""));

  v1::ListTeamsResponse teams;
  ASSERT_TRUE(IsOk(Call(&Stub::ListTeams, v1::ListTeamsRequest(), &teams)));
  ASSERT_EQ(teams.teams_size(), 1);
  EXPECT_EQ(teams.teams(0).id(), team.id());

  v1::DeleteTeamRequest remove;
  remove.set_request_id(NextRequestId());
  remove.set_id(team.id());
  v1::DeleteTeamResponse removed;
  ASSERT_TRUE(IsOk(Call(&Stub::DeleteTeam, remove, &removed)));
  ASSERT_TRUE(IsOk(Call(&Stub::ListTeams, v1::ListTeamsRequest(), &teams)));
  EXPECT_EQ(teams.teams_size(), 0);
}

TEST_F(DirectoryIntegrationTest, AbsencesListByTherapistAndByWindow) {
  const v1::Therapist first = CreateTherapist("Nell Quarrie", v1::SEX_FEMALE);
  const v1::Therapist second = CreateTherapist("Piet Rosewarne", v1::SEX_MALE);
  ASSERT_FALSE(HasFailure());
  v1::Absence march1, march10, march5;
  ASSERT_TRUE(IsOk(CreateAbsence(first.id(), Utc(2027, 3, 1, 9),
                                 Utc(2027, 3, 1, 17), &march1)));
  ASSERT_TRUE(IsOk(CreateAbsence(first.id(), Utc(2027, 3, 10, 0),
                                 Utc(2027, 3, 11, 0), &march10)));
  ASSERT_TRUE(IsOk(CreateAbsence(second.id(), Utc(2027, 3, 5, 9),
                                 Utc(2027, 3, 5, 12), &march5)));
  EXPECT_TRUE(absl::StartsWith(march1.id(), "ab-")) << march1.id();

  v1::ListAbsencesRequest by_therapist;
  by_therapist.set_therapist_id(first.id());
  EXPECT_EQ(ListAbsenceIds(by_therapist),
            (std::vector<std::string>{march1.id(), march10.id()}));
  by_therapist.set_therapist_id(second.id());
  EXPECT_EQ(ListAbsenceIds(by_therapist),
            (std::vector<std::string>{march5.id()}));

  // Overlapping [Mar 1 12:00, Mar 5 10:00): the first ends after its start,
  // the third starts before its end; Mar 10 is outside.
  v1::ListAbsencesRequest window;
  *window.mutable_end_after() = Utc(2027, 3, 1, 12);
  *window.mutable_start_before() = Utc(2027, 3, 5, 10);
  EXPECT_EQ(ListAbsenceIds(window),
            (std::vector<std::string>{march1.id(), march5.id()}));
  *window.mutable_end_after() = Utc(2027, 3, 1, 17);  // end is exclusive
  EXPECT_EQ(ListAbsenceIds(window), (std::vector<std::string>{march5.id()}));

  v1::GetAbsenceRequest get;
  get.set_id(march10.id());
  v1::GetAbsenceResponse got;
  ASSERT_TRUE(IsOk(Call(&Stub::GetAbsence, get, &got)));
  EXPECT_TRUE(MessageDifferencer::Equals(got.absence(), march10));

  v1::DeleteAbsenceRequest remove;
  remove.set_request_id(NextRequestId());
  remove.set_id(march10.id());
  v1::DeleteAbsenceResponse removed;
  ASSERT_TRUE(IsOk(Call(&Stub::DeleteAbsence, remove, &removed)));
  by_therapist.set_therapist_id(first.id());
  EXPECT_EQ(ListAbsenceIds(by_therapist),
            (std::vector<std::string>{march1.id()}));
  EXPECT_EQ(Call(&Stub::GetAbsence, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // An absence of an unknown therapist is NOT_FOUND.
  v1::Absence orphan;
  EXPECT_EQ(
      CreateAbsence("th-999", Utc(2027, 4, 1, 9), Utc(2027, 4, 1, 10), &orphan)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(DirectoryIntegrationTest, RoomOutagesCreateListDelete) {
  const v1::Room north = CreateRoom("North Room");
  const v1::Room south = CreateRoom("South Room");
  ASSERT_FALSE(HasFailure());

  auto create = [&](const std::string& room_id, int day) {
    v1::CreateRoomOutageRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_room_outage()->set_room_id(room_id);
    *request.mutable_room_outage()->mutable_start_time() = Utc(2027, 5, day, 8);
    *request.mutable_room_outage()->mutable_end_time() = Utc(2027, 5, day, 18);
    v1::CreateRoomOutageResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::CreateRoomOutage, request, &response)));
    return response.room_outage();
  };
  const v1::RoomOutage south_outage = create(south.id(), 7);
  const v1::RoomOutage north_outage = create(north.id(), 3);
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(north_outage.room_id(), north.id());

  auto list = [&](const std::string& room_id) {
    v1::ListRoomOutagesRequest request;
    request.set_room_id(room_id);
    v1::ListRoomOutagesResponse response;
    EXPECT_TRUE(IsOk(Call(&Stub::ListRoomOutages, request, &response)));
    return Ids(response.room_outages());
  };
  EXPECT_EQ(list(north.id()), (std::vector<std::string>{north_outage.id()}));
  // All rooms, by start time.
  EXPECT_EQ(list(""),
            (std::vector<std::string>{north_outage.id(), south_outage.id()}));

  v1::DeleteRoomOutageRequest remove;
  remove.set_request_id(NextRequestId());
  remove.set_id(north_outage.id());
  v1::DeleteRoomOutageResponse removed;
  ASSERT_TRUE(IsOk(Call(&Stub::DeleteRoomOutage, remove, &removed)));
  EXPECT_EQ(list(north.id()), std::vector<std::string>{});
  EXPECT_EQ(list(""), (std::vector<std::string>{south_outage.id()}));
}

TEST_F(DirectoryIntegrationTest, ClosuresCreateDuplicateListDelete) {
  v1::Closure christmas_eve, new_year, june;
  ASSERT_TRUE(IsOk(CreateClosure(DateOf(2027, 12, 24), "Staff Training Day",
                                 &christmas_eve)));
  ASSERT_TRUE(
      IsOk(CreateClosure(DateOf(2028, 1, 3), "Building Works", &new_year)));
  ASSERT_TRUE(IsOk(CreateClosure(DateOf(2027, 6, 1), "Audit Day", &june)));
  EXPECT_TRUE(absl::StartsWith(june.id(), "cl-")) << june.id();

  v1::Closure duplicate;
  EXPECT_TRUE(
      FailsWith(CreateClosure(DateOf(2027, 12, 24), "Again", &duplicate),
                grpc::StatusCode::ALREADY_EXISTS, ""));

  EXPECT_EQ(ListClosureIds(DateOf(2027, 12, 1), DateOf(2028, 1, 31)),
            (std::vector<std::string>{christmas_eve.id(), new_year.id()}));
  EXPECT_EQ(
      ListClosureIds(DateOf(2027, 1, 1), DateOf(2028, 12, 31)),
      (std::vector<std::string>{june.id(), christmas_eve.id(), new_year.id()}));

  v1::DeleteClosureRequest remove;
  remove.set_request_id(NextRequestId());
  remove.set_id(christmas_eve.id());
  v1::DeleteClosureResponse removed;
  ASSERT_TRUE(IsOk(Call(&Stub::DeleteClosure, remove, &removed)));
  EXPECT_EQ(ListClosureIds(DateOf(2027, 12, 1), DateOf(2028, 1, 31)),
            (std::vector<std::string>{new_year.id()}));
  remove.set_request_id(NextRequestId());
  EXPECT_EQ(Call(&Stub::DeleteClosure, remove, &removed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The day can be closed again once it is free.
  EXPECT_TRUE(
      IsOk(CreateClosure(DateOf(2027, 12, 24), "Reclosed", &duplicate)));
}

// ---- Validation ----

TEST_F(DirectoryIntegrationTest, InvalidInputNamesTheFieldAndWritesNothing) {
  const v1::Therapist therapist =
      CreateTherapist("Edda Sorrel", v1::SEX_FEMALE);
  ASSERT_FALSE(HasFailure());
  v1::GetClinicSettingsResponse settings_before;
  ASSERT_TRUE(IsOk(Call(&Stub::GetClinicSettings,
                        v1::GetClinicSettingsRequest(), &settings_before)));
  const int64_t revision_before = ListTherapists().revision();
  ASSERT_GT(revision_before, 0);

  v1::UpdateClinicSettingsRequest zone;
  zone.set_request_id(NextRequestId());
  zone.mutable_settings()->set_time_zone("Mars/Olympus_Mons");
  zone.mutable_update_mask()->add_paths("time_zone");
  v1::UpdateClinicSettingsResponse settings_reply;
  EXPECT_TRUE(
      FailsWith(Call(&Stub::UpdateClinicSettings, zone, &settings_reply),
                grpc::StatusCode::INVALID_ARGUMENT, "settings.time_zone"));

  v1::UpdateClinicSettingsRequest hours;
  hours.set_request_id(NextRequestId());
  *hours.mutable_settings()->add_opening_hours() =
      Hours(cv1::WEEKDAY_MONDAY, 17, 8);
  hours.mutable_update_mask()->add_paths("opening_hours");
  EXPECT_TRUE(
      FailsWith(Call(&Stub::UpdateClinicSettings, hours, &settings_reply),
                grpc::StatusCode::INVALID_ARGUMENT,
                "settings.opening_hours[0].end_time"));

  v1::Absence absence;
  EXPECT_TRUE(FailsWith(CreateAbsence(therapist.id(), Utc(2027, 3, 2, 17),
                                      Utc(2027, 3, 2, 9), &absence),
                        grpc::StatusCode::INVALID_ARGUMENT,
                        "absence.end_time"));

  v1::CreateRoomRequest room;
  room.set_request_id(NextRequestId());
  *room.mutable_room() = RoomProto(Name("Attic Room"), 0);
  v1::CreateRoomResponse room_reply;
  EXPECT_TRUE(FailsWith(Call(&Stub::CreateRoom, room, &room_reply),
                        grpc::StatusCode::INVALID_ARGUMENT, "room.capacity"));

  // Nothing was written: same settings, no absence, no room, same revision.
  v1::GetClinicSettingsResponse settings_after;
  ASSERT_TRUE(IsOk(Call(&Stub::GetClinicSettings,
                        v1::GetClinicSettingsRequest(), &settings_after)));
  EXPECT_TRUE(MessageDifferencer::Equals(settings_after, settings_before))
      << settings_after.DebugString();
  EXPECT_EQ(ListAbsenceIds(v1::ListAbsencesRequest()),
            std::vector<std::string>{});
  v1::ListRoomsRequest rooms_request;
  rooms_request.set_include_inactive(true);
  v1::ListRoomsResponse rooms;
  ASSERT_TRUE(IsOk(Call(&Stub::ListRooms, rooms_request, &rooms)));
  EXPECT_EQ(rooms.rooms_size(), 0);
  EXPECT_EQ(rooms.revision(), revision_before);
}

// ---- Idempotency ----

TEST_F(DirectoryIntegrationTest, RequestIdMakesCreateIdempotent) {
  v1::CreateTherapistRequest request;
  request.set_request_id("retry-me-7f3a");
  *request.mutable_therapist() =
      TherapistProto(Name("Greta Vantongeren"), v1::SEX_FEMALE);
  v1::CreateTherapistResponse first, second;
  ASSERT_TRUE(IsOk(Call(&Stub::CreateTherapist, request, &first)));
  ASSERT_TRUE(IsOk(Call(&Stub::CreateTherapist, request, &second)));
  EXPECT_FALSE(first.therapist().id().empty());
  EXPECT_TRUE(MessageDifferencer::Equals(first, second))
      << second.DebugString();
  EXPECT_EQ(ListTherapists().therapists_size(), 1);

  // The same id for a different body is a client bug.
  v1::CreateTherapistRequest changed = request;
  changed.mutable_therapist()->set_display_name(Name("Greta Vantongeren-Hale"));
  v1::CreateTherapistResponse rejected;
  EXPECT_TRUE(FailsWith(Call(&Stub::CreateTherapist, changed, &rejected),
                        grpc::StatusCode::INVALID_ARGUMENT, ""));

  v1::CreateTherapistRequest anonymous = request;
  anonymous.clear_request_id();
  EXPECT_TRUE(FailsWith(Call(&Stub::CreateTherapist, anonymous, &rejected),
                        grpc::StatusCode::INVALID_ARGUMENT, "request_id"));
  EXPECT_EQ(ListTherapists().therapists_size(), 1);

  // The first answer is durable: a retry after a restart still replays it.
  StopAndRestart();
  v1::CreateTherapistResponse third;
  ASSERT_TRUE(IsOk(Call(&Stub::CreateTherapist, request, &third)));
  EXPECT_EQ(third.therapist().id(), first.therapist().id());
  EXPECT_EQ(ListTherapists().therapists_size(), 1);
}

// ---- iCalendar import ----

constexpr char kHolidayCalendar[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Tandem//Integration Test//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:christmas@test.tandem\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "DTSTART;VALUE=DATE:20271225\r\n"
    "SUMMARY:Christmas Day\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:break@test.tandem\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "DTSTART;VALUE=DATE:20271227\r\n"
    "DTEND;VALUE=DATE:20271229\r\n"
    "SUMMARY:Winter Break\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:meeting@test.tandem\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "DTSTART:20271230T090000Z\r\n"
    "DTEND:20271230T100000Z\r\n"
    "SUMMARY:Timed Staff Meeting\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST_F(DirectoryIntegrationTest, ImportClosuresTakesAllDayEventsOnly) {
  v1::ImportClosuresRequest request;
  request.set_request_id(NextRequestId());
  request.set_ics_content(kHolidayCalendar);
  v1::ImportClosuresResponse imported;
  ASSERT_TRUE(IsOk(Call(&Stub::ImportClosures, request, &imported)));
  EXPECT_EQ(imported.skipped_existing(), 0);
  // Dec 25; Dec 27 and 28 (DTEND is exclusive); not the timed Dec 30 event.
  ASSERT_EQ(imported.created_size(), 3) << imported.DebugString();
  const std::vector<cv1::Date> days = {
      DateOf(2027, 12, 25), DateOf(2027, 12, 27), DateOf(2027, 12, 28)};
  const std::vector<std::string> labels = {"Christmas Day", "Winter Break",
                                           "Winter Break"};
  for (int i = 0; i < imported.created_size(); ++i) {
    const v1::Closure& closure = imported.created(i);
    EXPECT_TRUE(MessageDifferencer::Equals(closure.date(), days[i]))
        << closure.DebugString();
    EXPECT_EQ(closure.kind(), v1::CLOSURE_KIND_PUBLIC_HOLIDAY);
    EXPECT_EQ(closure.label(), labels[i]);
  }
  EXPECT_EQ(ListClosureIds(DateOf(2027, 1, 1), DateOf(2027, 12, 31)),
            Ids(imported.created()));

  // The same file again, as a new request: every day is already closed.
  request.set_request_id(NextRequestId());
  v1::ImportClosuresResponse again;
  ASSERT_TRUE(IsOk(Call(&Stub::ImportClosures, request, &again)));
  EXPECT_EQ(again.created_size(), 0);
  EXPECT_EQ(again.skipped_existing(), 3);
  EXPECT_EQ(ListClosureIds(DateOf(2027, 1, 1), DateOf(2027, 12, 31)),
            Ids(imported.created()));
}

// ---- WatchChanges ----

TEST_F(DirectoryIntegrationTest, WatchReplaysThenFollowsAndSurvivesRestart) {
  v1::Therapist therapist = CreateTherapist("Lorcan Whitby", v1::SEX_MALE);
  ASSERT_FALSE(HasFailure());
  const int64_t listed = ListTherapists().revision();
  ASSERT_GT(listed, 0);

  // Three changes after the listed revision.
  const v1::Room room = CreateRoom("Lantern Room");
  v1::UpdateTherapistRequest update;
  update.set_request_id(NextRequestId());
  update.mutable_therapist()->set_id(therapist.id());
  update.mutable_therapist()->set_daily_session_minutes_cap(300);
  update.mutable_update_mask()->add_paths("daily_session_minutes_cap");
  v1::UpdateTherapistResponse updated;
  ASSERT_TRUE(IsOk(Call(&Stub::UpdateTherapist, update, &updated)));
  v1::Closure closure;
  ASSERT_TRUE(
      IsOk(CreateClosure(DateOf(2027, 8, 2), "Summer Closure", &closure)));

  std::unique_ptr<Watch> watch = OpenWatch(listed);
  v1::Change change = NextChange(*watch);
  EXPECT_EQ(change.revision(), listed + 1);
  EXPECT_EQ(change.kind(), v1::CHANGE_KIND_UPSERT);
  EXPECT_EQ(change.room().id(), room.id());
  EXPECT_TRUE(change.has_commit_time());
  change = NextChange(*watch);
  EXPECT_EQ(change.revision(), listed + 2);
  EXPECT_TRUE(
      MessageDifferencer::Equals(change.therapist(), updated.therapist()))
      << change.DebugString();
  change = NextChange(*watch);
  EXPECT_EQ(change.revision(), listed + 3);
  EXPECT_EQ(change.closure().id(), closure.id());

  // A live change arrives on the open stream.
  v1::Absence absence;
  ASSERT_TRUE(IsOk(CreateAbsence(therapist.id(), Utc(2027, 9, 1, 9),
                                 Utc(2027, 9, 1, 17), &absence)));
  change = NextChange(*watch);
  EXPECT_EQ(change.revision(), listed + 4);
  EXPECT_EQ(change.absence().id(), absence.id());
  const int64_t last_seen = change.revision();
  watch->context.TryCancel();
  EXPECT_EQ(watch->reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  watch.reset();
  ASSERT_FALSE(HasFailure());

  // Restart on the same database: the sequence continues where it stopped.
  StopAndRestart();
  watch = OpenWatch(last_seen);
  v1::DeleteClosureRequest remove;
  remove.set_request_id(NextRequestId());
  remove.set_id(closure.id());
  v1::DeleteClosureResponse removed;
  ASSERT_TRUE(IsOk(Call(&Stub::DeleteClosure, remove, &removed)));
  change = NextChange(*watch);
  EXPECT_EQ(change.revision(), last_seen + 1);
  EXPECT_EQ(change.kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ(change.closure().id(), closure.id());
  // A delete carries the resource's last state (directory.proto, ChangeKind).
  EXPECT_EQ(change.closure().date().day(), closure.date().day());
  EXPECT_EQ(change.closure().label(), closure.label());
  const v1::Therapist next =
      CreateTherapist("Ysolde Brackenbury", v1::SEX_FEMALE);
  change = NextChange(*watch);
  EXPECT_EQ(change.revision(), last_seen + 2);
  EXPECT_EQ(change.therapist().id(), next.id());
  watch->context.TryCancel();
  watch->reader->Finish();
}

TEST_F(DirectoryIntegrationTest, WatchFromPrunedRevisionIsOutOfRange) {
  for (const char* name : {"Anouk Penhallow", "Bram Tregothnan",
                           "Cerys Polglase", "Dorian Trevanion"}) {
    CreateTherapist(name, v1::SEX_FEMALE);
  }
  ASSERT_FALSE(HasFailure());
  const int64_t current = ListTherapists().revision();
  ASSERT_GE(current, 4);

  // Keep only the newest change.
  std::vector<std::string> args = kDefaultArgs;
  args.push_back("--keep_changes=1");
  StopAndRestart(args);

  for (int64_t after : {int64_t{0}, current - 2}) {
    std::unique_ptr<Watch> watch = OpenWatch(after);
    v1::WatchChangesResponse response;
    EXPECT_FALSE(watch->reader->Read(&response)) << response.DebugString();
    EXPECT_TRUE(FailsWith(watch->reader->Finish(),
                          grpc::StatusCode::OUT_OF_RANGE, "after_revision"))
        << "after_revision " << after;
  }
  // The retained change is still served.
  std::unique_ptr<Watch> watch = OpenWatch(current - 1);
  EXPECT_EQ(NextChange(*watch).revision(), current);
  watch->context.TryCancel();
  watch->reader->Finish();
}

// ---- Shutdown ----

TEST_F(DirectoryIntegrationTest, SigtermExitsZeroPromptly) {
  CreateTherapist("Halvard Mossop", v1::SEX_MALE);
  absl::StatusOr<ExitInfo> exit = service_->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->exit_code, 0) << "signal " << exit->term_signal;
  EXPECT_LT(exit->took, kMaxStopTime);
  EXPECT_TRUE(absl::StrContains(service_->ReadLog(), R"("event":"stopped")"));
}

TEST_F(DirectoryIntegrationTest, SigtermExitsZeroPromptlyWithOpenWatchStream) {
  CreateTherapist("Juniper Ashcombe", v1::SEX_FEMALE);
  ASSERT_FALSE(HasFailure());
  std::unique_ptr<Watch> watch = OpenWatch(0);
  ASSERT_EQ(NextChange(*watch).revision(), 1);  // the stream is established

  absl::StatusOr<ExitInfo> exit = service_->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->exit_code, 0) << "signal " << exit->term_signal;
  EXPECT_LT(exit->took, kMaxStopTime);

  v1::WatchChangesResponse response;
  EXPECT_FALSE(watch->reader->Read(&response));
  EXPECT_FALSE(watch->reader->Finish().ok());
  EXPECT_TRUE(absl::StrContains(service_->ReadLog(), R"("event":"stopped")"));
}

// ---- Privacy ----

// Every test scans the log in TearDown; this one also takes the error paths
// (duplicates, validation failures carrying names) and checks the log is
// the access log of those very calls.
TEST_F(DirectoryIntegrationTest, LogCarriesNoDisplayNames) {
  const v1::Therapist male =
      CreateTherapist("Florian Quicksilver", v1::SEX_MALE);
  const v1::Therapist female =
      CreateTherapist("Henrietta Oakhampton", v1::SEX_FEMALE);
  ASSERT_FALSE(HasFailure());
  v1::Team team;
  ASSERT_TRUE(IsOk(CreateTeam(male.id(), female.id(), &team)));
  EXPECT_EQ(CreateTeam(male.id(), female.id(), &team).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::CreateTherapistRequest bad;
  bad.set_request_id(NextRequestId());
  *bad.mutable_therapist() =
      TherapistProto(Name("Bartholomew Invalidsex"), v1::SEX_UNSPECIFIED);
  v1::CreateTherapistResponse rejected;
  EXPECT_TRUE(FailsWith(Call(&Stub::CreateTherapist, bad, &rejected),
                        grpc::StatusCode::INVALID_ARGUMENT, "therapist.sex"));
  EXPECT_FALSE(absl::StrContains(
      Describe(Call(&Stub::CreateTherapist, bad, &rejected)), "Bartholomew"))
      << "the error message echoes client data";

  v1::Closure closure;
  ASSERT_TRUE(IsOk(
      CreateClosure(DateOf(2027, 4, 2), "Founders Memorial Day", &closure)));
  EXPECT_EQ(CreateClosure(DateOf(2027, 4, 2), "Founders Memorial Day", &closure)
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  stub_.reset();
  absl::StatusOr<ExitInfo> exit = service_->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  const std::string log = service_->ReadLog();
  EXPECT_TRUE(absl::StrContains(
      log, R"("method":"/tandem.directory.v1.DirectoryService/CreateTeam")"))
      << log;
  EXPECT_TRUE(absl::StrContains(log, R"("code":6)")) << log;  // ALREADY_EXISTS
  for (const std::string& name : names_) {
    EXPECT_FALSE(absl::StrContains(log, name)) << name;
  }
}

}  // namespace
