// The booking service's DirectoryReplica against the real `directory` binary:
// list-then-watch, live changes, directory restarts, a directory that is down
// when the replica starts, and the OUT_OF_RANGE path (the directory pruned
// the changes the replica needs, so it lists again).
//
// The directory listens on a fixed loopback port picked per test (bound to 0
// first), so the replica's one channel finds it again after every restart.
// Every wait is bounded; nothing sleeps for correctness.
#include "services/booking/directory_replica.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/booking/planner_snapshot.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/integration/test_security.h"
#include "services/common/grpc_client.h"

namespace {

namespace v1 = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;
using ::google::protobuf::util::MessageDifferencer;
using ::tandem::booking::DirectoryReplica;
using ::tandem::booking::DirectoryState;
using ::tandem::testing::ExitInfo;
using ::tandem::testing::ServiceProcess;
using Stub = v1::DirectoryService::Stub;

constexpr absl::Duration kRpcDeadline = absl::Seconds(5);
// How long the replica may take to catch up; generous, only a hang hits it.
constexpr absl::Duration kCatchUp = absl::Seconds(20);

google::protobuf::Timestamp Utc(int year, int month, int day, int hour) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilHour(year, month, day, hour), absl::UTCTimeZone())));
  return timestamp;
}

cv1::WeeklyHours Hours(cv1::Weekday weekday, int start_hour, int end_hour) {
  cv1::WeeklyHours hours;
  hours.set_weekday(weekday);
  hours.mutable_start_time()->set_hours(start_hour);
  hours.mutable_end_time()->set_hours(end_hour);
  return hours;
}

// Records what the replica's callbacks saw.
class Recorder {
 public:
  void Ready() {
    absl::MutexLock lock(&mu_);
    ++ready_calls_;
  }
  void Change(const v1::Change& change) {
    absl::MutexLock lock(&mu_);
    changes_.push_back(change);
  }
  int ready_calls() const {
    absl::MutexLock lock(&mu_);
    return ready_calls_;
  }
  // on_ready runs just after the first state is published: wait for it.
  int WaitForReadyCall() const {
    auto called = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ready_calls_ > 0;
    };
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&called), kCatchUp);
    return ready_calls_;
  }
  // Waits for a change of `kind` to the absence `id`.
  bool WaitForAbsenceChange(const std::string& id, v1::ChangeKind kind,
                            v1::Change* found = nullptr) const {
    auto seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (const v1::Change& change : changes_) {
        if (change.has_absence() && change.absence().id() == id &&
            change.kind() == kind) {
          if (found != nullptr) *found = change;
          return true;
        }
      }
      return false;
    };
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&seen), kCatchUp);
  }

 private:
  mutable absl::Mutex mu_;
  int ready_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::Change> changes_ ABSL_GUARDED_BY(mu_);
};

class DirectoryReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<int> port = tandem::testing::PickUnusedPort();
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
  }

  void TearDown() override {
    if (replica_ != nullptr) replica_->Stop();
    stub_.reset();
    if (directory_ != nullptr && directory_->running()) {
      absl::StatusOr<ExitInfo> exit = directory_->Stop();
      ASSERT_TRUE(exit.ok()) << exit.status();
      EXPECT_EQ(exit->exit_code, 0) << "signal " << exit->term_signal;
    }
  }

  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }
  std::vector<std::string> FixedPortArgs() const {
    return {absl::StrCat("--listen=", target()), "--synchronous=NORMAL"};
  }

  void StartDirectory() {
    absl::StatusOr<std::unique_ptr<ServiceProcess>> directory =
        ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, FixedPortArgs());
    ASSERT_TRUE(directory.ok()) << directory.status();
    directory_ = *std::move(directory);
    ASSERT_EQ(directory_->port(), port_);
    stub_ = v1::DirectoryService::NewStub(directory_->channel());
  }

  void StopDirectory() {
    stub_.reset();
    absl::StatusOr<ExitInfo> exit = directory_->Stop();
    ASSERT_TRUE(exit.ok()) << exit.status();
    ASSERT_EQ(exit->exit_code, 0);
  }

  void RestartDirectory(std::vector<std::string> args) {
    absl::Status restarted = directory_->Restart(std::move(args));
    ASSERT_TRUE(restarted.ok()) << restarted;
    stub_ = v1::DirectoryService::NewStub(directory_->channel());
  }

  // Fast retries for tests; the production defaults are 100 ms and 5 s.
  void StartReplica(int page_size = 1000) {
    DirectoryReplica::Options options;
    options.initial_backoff = absl::Milliseconds(20);
    options.max_backoff = absl::Milliseconds(500);
    options.jitter_seed = 42;
    options.page_size = page_size;
    options.on_ready = [this] { recorder_.Ready(); };
    options.on_change = [this](const v1::Change& c) { recorder_.Change(c); };
    replica_ = std::make_unique<DirectoryReplica>(
        tandem::common::MakeChannel(target(),
                                    tandem::testing::PeerCredentials("booking")),
        std::move(options));
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMilliseconds(kRpcDeadline));
    return (stub_.get()->*method)(&context, request, response);
  }

  std::string NextRequestId() { return absl::StrCat("rt-", ++requests_); }

  v1::Therapist CreateTherapist(v1::Sex sex, bool active = true) {
    v1::CreateTherapistRequest request;
    request.set_request_id(NextRequestId());
    v1::Therapist& therapist = *request.mutable_therapist();
    therapist.set_display_name(sex == v1::SEX_MALE ? "A. Test" : "B. Test");
    therapist.set_sex(sex);
    therapist.add_languages("en");
    *therapist.add_working_hours() = Hours(cv1::WEEKDAY_MONDAY, 9, 17);
    therapist.set_daily_session_minutes_cap(360);
    therapist.set_active(active);
    v1::CreateTherapistResponse response;
    const grpc::Status status =
        Call(&Stub::CreateTherapist, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.therapist();
  }

  v1::Room CreateRoom(v1::RoomKind kind, bool active = true) {
    v1::CreateRoomRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_room()->set_display_name("Room");
    request.mutable_room()->set_capacity(4);
    request.mutable_room()->add_kinds(kind);
    request.mutable_room()->set_active(active);
    v1::CreateRoomResponse response;
    const grpc::Status status = Call(&Stub::CreateRoom, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.room();
  }

  v1::Absence CreateAbsence(const std::string& therapist_id, int day) {
    v1::CreateAbsenceRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_absence()->set_therapist_id(therapist_id);
    *request.mutable_absence()->mutable_start_time() = Utc(2027, 5, day, 8);
    *request.mutable_absence()->mutable_end_time() = Utc(2027, 5, day, 12);
    request.mutable_absence()->set_reason(v1::ABSENCE_REASON_SICKNESS);
    v1::CreateAbsenceResponse response;
    const grpc::Status status = Call(&Stub::CreateAbsence, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.absence();
  }

  void DeleteAbsence(const std::string& id) {
    v1::DeleteAbsenceRequest request;
    request.set_request_id(NextRequestId());
    request.set_id(id);
    v1::DeleteAbsenceResponse response;
    const grpc::Status status = Call(&Stub::DeleteAbsence, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // The directory's current revision, as a List reports it.
  int64_t DirectoryRevision() {
    v1::ListTeamsRequest request;
    request.set_page_size(1);
    v1::ListTeamsResponse response;
    const grpc::Status status = Call(&Stub::ListTeams, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.revision();
  }

  // Waits until the replica has everything the directory has committed.
  ::testing::AssertionResult CaughtUp() {
    const int64_t revision = DirectoryRevision();
    if (replica_->WaitForRevision(revision, kCatchUp)) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "replica at revision " << replica_->revision()
           << ", directory at " << revision;
  }

  int port_ = 0;
  int requests_ = 0;
  std::unique_ptr<ServiceProcess> directory_;
  std::unique_ptr<Stub> stub_;
  Recorder recorder_;
  std::unique_ptr<DirectoryReplica> replica_;
};

TEST_F(DirectoryReplicaTest, BecomesReadyWithEverythingListed) {
  StartDirectory();
  {
    v1::UpdateClinicSettingsRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_settings()->set_time_zone("Europe/London");
    *request.mutable_settings()->add_opening_hours() =
        Hours(cv1::WEEKDAY_MONDAY, 9, 17);
    request.mutable_update_mask()->add_paths("time_zone");
    request.mutable_update_mask()->add_paths("opening_hours");
    v1::UpdateClinicSettingsResponse response;
    const grpc::Status status =
        Call(&Stub::UpdateClinicSettings, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const v1::Therapist male = CreateTherapist(v1::SEX_MALE);
  const v1::Therapist female = CreateTherapist(v1::SEX_FEMALE);
  const v1::Therapist inactive = CreateTherapist(v1::SEX_FEMALE, false);
  const v1::Room joint = CreateRoom(v1::ROOM_KIND_JOINT);
  const v1::Room retired = CreateRoom(v1::ROOM_KIND_INDIVIDUAL, false);
  v1::Team team;
  {
    v1::CreateTeamRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_team()->set_male_therapist_id(male.id());
    request.mutable_team()->set_female_therapist_id(female.id());
    v1::CreateTeamResponse response;
    const grpc::Status status = Call(&Stub::CreateTeam, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    team = response.team();
  }
  v1::Closure closure;
  {
    v1::CreateClosureRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_closure()->mutable_date()->set_year(2027);
    request.mutable_closure()->mutable_date()->set_month(12);
    request.mutable_closure()->mutable_date()->set_day(25);
    request.mutable_closure()->set_kind(v1::CLOSURE_KIND_PUBLIC_HOLIDAY);
    v1::CreateClosureResponse response;
    const grpc::Status status = Call(&Stub::CreateClosure, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    closure = response.closure();
  }
  v1::RoomOutage outage;
  {
    v1::CreateRoomOutageRequest request;
    request.set_request_id(NextRequestId());
    request.mutable_room_outage()->set_room_id(joint.id());
    *request.mutable_room_outage()->mutable_start_time() = Utc(2027, 6, 1, 8);
    *request.mutable_room_outage()->mutable_end_time() = Utc(2027, 6, 2, 8);
    v1::CreateRoomOutageResponse response;
    const grpc::Status status =
        Call(&Stub::CreateRoomOutage, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    outage = response.room_outage();
  }
  std::vector<v1::Absence> absences;
  for (int day = 3; day <= 7; ++day) {
    absences.push_back(CreateAbsence(male.id(), day));
  }

  StartReplica(/*page_size=*/2);  // every List takes several pages
  ASSERT_TRUE(CaughtUp());
  EXPECT_TRUE(replica_->ready());
  EXPECT_EQ(recorder_.WaitForReadyCall(), 1);
  std::shared_ptr<const DirectoryState> state = replica_->state();
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->clinic_settings.time_zone(), "Europe/London");
  ASSERT_EQ(state->therapists.size(), 3u);
  EXPECT_TRUE(MessageDifferencer::Equals(state->therapists.at(inactive.id()),
                                         inactive));
  ASSERT_EQ(state->rooms.size(), 2u);
  EXPECT_TRUE(
      MessageDifferencer::Equals(state->rooms.at(retired.id()), retired));
  ASSERT_EQ(state->teams.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(state->teams.at(team.id()), team));
  ASSERT_EQ(state->closures.size(), 1u);
  EXPECT_TRUE(
      MessageDifferencer::Equals(state->closures.at(closure.id()), closure));
  ASSERT_EQ(state->room_outages.size(), 1u);
  EXPECT_TRUE(
      MessageDifferencer::Equals(state->room_outages.at(outage.id()), outage));
  ASSERT_EQ(state->absences.size(), absences.size());
  for (const v1::Absence& absence : absences) {
    EXPECT_TRUE(
        MessageDifferencer::Equals(state->absences.at(absence.id()), absence));
  }

  // And the planner can use it: 08:00 UTC in May is 09:00 in London.
  absl::StatusOr<tandem::scheduler::Snapshot> snapshot =
      tandem::booking::ToPlannerSnapshot(*state, absl::CivilDay(2027, 5, 1));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  ASSERT_EQ(snapshot->teams.size(), 1u);
  for (const tandem::scheduler::Therapist& therapist : snapshot->therapists) {
    if (therapist.id != male.id()) continue;
    ASSERT_EQ(therapist.absences.size(), absences.size());
    EXPECT_EQ(therapist.absences[0].start, absl::CivilMinute(2027, 5, 3, 9, 0));
  }
}

TEST_F(DirectoryReplicaTest, AppliesLiveChanges) {
  StartDirectory();
  const v1::Therapist therapist = CreateTherapist(v1::SEX_FEMALE);
  StartReplica();
  ASSERT_TRUE(CaughtUp());

  const v1::Absence absence = CreateAbsence(therapist.id(), 10);
  v1::Change change;
  ASSERT_TRUE(recorder_.WaitForAbsenceChange(absence.id(),
                                             v1::CHANGE_KIND_UPSERT, &change));
  // on_change runs after the state that holds the change is published.
  std::shared_ptr<const DirectoryState> state = replica_->state();
  EXPECT_GE(state->revision, change.revision());
  ASSERT_TRUE(state->absences.contains(absence.id()));
  EXPECT_TRUE(
      MessageDifferencer::Equals(state->absences.at(absence.id()), absence));

  DeleteAbsence(absence.id());
  ASSERT_TRUE(recorder_.WaitForAbsenceChange(absence.id(),
                                             v1::CHANGE_KIND_DELETE, &change));
  EXPECT_EQ(change.absence().therapist_id(), therapist.id());  // last state
  EXPECT_FALSE(replica_->state()->absences.contains(absence.id()));
  ASSERT_TRUE(CaughtUp());
}

TEST_F(DirectoryReplicaTest, ReconnectsAfterDirectoryRestart) {
  StartDirectory();
  const v1::Therapist therapist = CreateTherapist(v1::SEX_MALE);
  StartReplica();
  ASSERT_TRUE(CaughtUp());

  StopDirectory();
  // The last state stays readable while the directory is away.
  EXPECT_TRUE(replica_->ready());
  EXPECT_TRUE(replica_->state()->therapists.contains(therapist.id()));
  RestartDirectory(FixedPortArgs());

  const v1::Absence absence = CreateAbsence(therapist.id(), 11);
  ASSERT_TRUE(
      recorder_.WaitForAbsenceChange(absence.id(), v1::CHANGE_KIND_UPSERT));
  ASSERT_TRUE(CaughtUp());
  EXPECT_TRUE(replica_->state()->absences.contains(absence.id()));
  EXPECT_EQ(recorder_.ready_calls(), 1);
}

TEST_F(DirectoryReplicaTest, BecomesReadyOnceTheDirectoryStarts) {
  StartReplica();  // nothing listens on port_ yet
  EXPECT_FALSE(replica_->ready());
  EXPECT_EQ(replica_->state(), nullptr);
  EXPECT_EQ(replica_->revision(), 0);
  // Several retries fit in this bound; none may succeed.
  EXPECT_FALSE(replica_->WaitForRevision(0, absl::Milliseconds(300)));
  EXPECT_EQ(recorder_.ready_calls(), 0);

  StartDirectory();
  const v1::Therapist therapist = CreateTherapist(v1::SEX_MALE);
  ASSERT_TRUE(CaughtUp());
  EXPECT_TRUE(replica_->state()->therapists.contains(therapist.id()));
  EXPECT_EQ(recorder_.WaitForReadyCall(), 1);
}

TEST_F(DirectoryReplicaTest, ListsAgainWhenChangesWereDiscarded) {
  StartDirectory();
  const v1::Therapist therapist = CreateTherapist(v1::SEX_MALE);
  const v1::Absence kept = CreateAbsence(therapist.id(), 3);
  const v1::Absence removed = CreateAbsence(therapist.id(), 4);
  StartReplica();
  ASSERT_TRUE(CaughtUp());
  const int64_t seen = replica_->revision();

  // Changes the replica cannot see: the directory runs on another port.
  StopDirectory();
  RestartDirectory({"--synchronous=NORMAL"});
  ASSERT_NE(directory_->port(), port_);
  DeleteAbsence(removed.id());
  const v1::Absence added = CreateAbsence(therapist.id(), 5);
  const v1::Therapist newcomer = CreateTherapist(v1::SEX_FEMALE);
  const int64_t latest = DirectoryRevision();
  ASSERT_GE(latest, seen + 3);
  StopDirectory();

  // Back on the replica's port, keeping only the last change: watching after
  // `seen` is OUT_OF_RANGE, so the replica must list again.
  RestartDirectory({absl::StrCat("--listen=", target()), "--keep_changes=1"});
  ASSERT_TRUE(replica_->WaitForRevision(latest, kCatchUp))
      << "replica at revision " << replica_->revision();
  std::shared_ptr<const DirectoryState> state = replica_->state();
  EXPECT_TRUE(state->absences.contains(kept.id()));
  EXPECT_FALSE(state->absences.contains(removed.id()));
  EXPECT_TRUE(state->absences.contains(added.id()));
  EXPECT_TRUE(state->therapists.contains(newcomer.id()));
  // on_change heard what the lost changes did.
  v1::Change change;
  ASSERT_TRUE(recorder_.WaitForAbsenceChange(removed.id(),
                                             v1::CHANGE_KIND_DELETE, &change));
  EXPECT_EQ(change.absence().therapist_id(), therapist.id());
  EXPECT_TRUE(
      recorder_.WaitForAbsenceChange(added.id(), v1::CHANGE_KIND_UPSERT));
  EXPECT_EQ(recorder_.ready_calls(), 1);

  // And it watches again from the new list.
  const v1::Absence later = CreateAbsence(therapist.id(), 6);
  EXPECT_TRUE(
      recorder_.WaitForAbsenceChange(later.id(), v1::CHANGE_KIND_UPSERT));
  EXPECT_TRUE(CaughtUp());
}

}  // namespace
