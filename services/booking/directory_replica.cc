#include "services/booking/directory_replica.h"

#include <grpc/support/time.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/backoff.h"
#include "services/common/grpc_client.h"
#include "services/common/logging.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace v1 = ::tandem::directory::v1;
using ::google::protobuf::util::MessageDifferencer;

namespace {

// Changes applied before a state is published even if the stream has more
// buffered: bounds how stale readers get during a long replay.
constexpr size_t kMaxBatch = 1024;

const char* ResourceName(v1::Change::ResourceCase resource) {
  switch (resource) {
    case v1::Change::kClinicSettings:
      return "clinic_settings";
    case v1::Change::kClosure:
      return "closure";
    case v1::Change::kTherapist:
      return "therapist";
    case v1::Change::kAbsence:
      return "absence";
    case v1::Change::kTeam:
      return "team";
    case v1::Change::kRoom:
      return "room";
    case v1::Change::kRoomOutage:
      return "room_outage";
    case v1::Change::RESOURCE_NOT_SET:
      break;
  }
  return "none";
}

template <typename Resource>
void Upsert(const v1::Change& change, const Resource& resource,
            std::map<std::string, Resource>& map) {
  if (change.kind() == v1::CHANGE_KIND_DELETE) {
    map.erase(resource.id());
  } else {
    map[resource.id()] = resource;
  }
}

// Appends to `changes` what turns `before` into `after` for one kind;
// `set` puts a resource into a Change.
template <typename Resource, typename Set>
void DiffMaps(const std::map<std::string, Resource>& before,
              const std::map<std::string, Resource>& after, int64_t revision,
              Set set, std::vector<v1::Change>& changes) {
  auto emit = [&](v1::ChangeKind kind, const Resource& resource) {
    v1::Change& change = changes.emplace_back();
    change.set_revision(revision);
    change.set_kind(kind);
    set(change, resource);
  };
  for (const auto& [id, resource] : after) {
    auto old = before.find(id);
    if (old == before.end() ||
        !MessageDifferencer::Equals(old->second, resource)) {
      emit(v1::CHANGE_KIND_UPSERT, resource);
    }
  }
  for (const auto& [id, resource] : before) {
    if (!after.contains(id)) emit(v1::CHANGE_KIND_DELETE, resource);
  }
}

}  // namespace

absl::Status ApplyChange(const v1::Change& change, DirectoryState& state) {
  if (change.revision() <= state.revision) return absl::OkStatus();
  if (change.revision() != state.revision + 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("change revision ", change.revision(), " follows ",
                     state.revision, ": changes are missing"));
  }
  if (change.kind() != v1::CHANGE_KIND_UPSERT &&
      change.kind() != v1::CHANGE_KIND_DELETE) {
    state.revision = change.revision();
    return absl::InvalidArgumentError(
        absl::StrCat("change ", change.revision(), " has no kind"));
  }
  switch (change.resource_case()) {
    case v1::Change::kClinicSettings:
      state.clinic_settings = change.clinic_settings();
      break;
    case v1::Change::kClosure:
      Upsert(change, change.closure(), state.closures);
      break;
    case v1::Change::kTherapist:
      Upsert(change, change.therapist(), state.therapists);
      break;
    case v1::Change::kAbsence:
      Upsert(change, change.absence(), state.absences);
      break;
    case v1::Change::kTeam:
      Upsert(change, change.team(), state.teams);
      break;
    case v1::Change::kRoom:
      Upsert(change, change.room(), state.rooms);
      break;
    case v1::Change::kRoomOutage:
      Upsert(change, change.room_outage(), state.room_outages);
      break;
    case v1::Change::RESOURCE_NOT_SET:
      state.revision = change.revision();
      return absl::InvalidArgumentError(
          absl::StrCat("change ", change.revision(), " has no resource"));
  }
  state.revision = change.revision();
  return absl::OkStatus();
}

std::vector<v1::Change> DiffStates(const DirectoryState& before,
                                   const DirectoryState& after) {
  std::vector<v1::Change> changes;
  const int64_t rev = after.revision;
  if (!MessageDifferencer::Equals(before.clinic_settings,
                                  after.clinic_settings)) {
    v1::Change& change = changes.emplace_back();
    change.set_revision(rev);
    change.set_kind(v1::CHANGE_KIND_UPSERT);
    *change.mutable_clinic_settings() = after.clinic_settings;
  }
  DiffMaps(
      before.closures, after.closures, rev,
      [](v1::Change& c, const v1::Closure& r) { *c.mutable_closure() = r; },
      changes);
  DiffMaps(
      before.therapists, after.therapists, rev,
      [](v1::Change& c, const v1::Therapist& r) { *c.mutable_therapist() = r; },
      changes);
  DiffMaps(
      before.absences, after.absences, rev,
      [](v1::Change& c, const v1::Absence& r) { *c.mutable_absence() = r; },
      changes);
  DiffMaps(
      before.teams, after.teams, rev,
      [](v1::Change& c, const v1::Team& r) { *c.mutable_team() = r; }, changes);
  DiffMaps(
      before.rooms, after.rooms, rev,
      [](v1::Change& c, const v1::Room& r) { *c.mutable_room() = r; }, changes);
  DiffMaps(
      before.room_outages, after.room_outages, rev,
      [](v1::Change& c, const v1::RoomOutage& r) {
        *c.mutable_room_outage() = r;
      },
      changes);
  return changes;
}

DirectoryReplica::DirectoryReplica(std::shared_ptr<grpc::Channel> channel,
                                   Options options)
    : channel_(std::move(channel)),
      stub_(v1::DirectoryService::NewStub(channel_)),
      options_(std::move(options)),
      thread_([this] { Run(); }) {}

DirectoryReplica::~DirectoryReplica() { Stop(); }

bool DirectoryReplica::ready() const {
  absl::MutexLock lock(&mu_);
  return state_ != nullptr;
}

std::shared_ptr<const DirectoryState> DirectoryReplica::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

int64_t DirectoryReplica::revision() const {
  absl::MutexLock lock(&mu_);
  return state_ == nullptr ? 0 : state_->revision;
}

bool DirectoryReplica::WaitForRevision(int64_t revision,
                                       absl::Duration timeout) const {
  auto reached = [this, revision]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return state_ != nullptr && state_->revision >= revision;
  };
  auto done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || reached();
  };
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
  return reached();
}

void DirectoryReplica::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (active_context_ != nullptr) active_context_->TryCancel();
  }
  absl::MutexLock lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

bool DirectoryReplica::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

bool DirectoryReplica::Register(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return false;
  active_context_ = context;
  return true;
}

void DirectoryReplica::Unregister() {
  absl::MutexLock lock(&mu_);
  active_context_ = nullptr;
}

bool DirectoryReplica::Sleep(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
  return !stopping_;
}

void DirectoryReplica::Run() {
  common::Backoff backoff(options_.initial_backoff, options_.max_backoff,
                  options_.jitter_seed);
  DirectoryState working;
  bool listed = false;  // `working` holds a complete list
  bool published = false;
  while (!stopping()) {
    const bool just_listed = !listed;
    if (!listed) {
      DirectoryState fresh;
      if (absl::Status status = ListAll(fresh); !status.ok()) {
        if (stopping()) break;
        const absl::Duration delay = backoff.Next();
        spdlog::warn(
            R"("event":"directory_list_failed","code":{},"retry_ms":{})",
            static_cast<int>(status.code()), absl::ToInt64Milliseconds(delay));
        grpc::experimental::ChannelResetConnectionBackoff(channel_.get());
        if (!Sleep(delay)) break;
        continue;
      }
      backoff.Reset();
      spdlog::info(
          R"("event":"directory_listed","revision":{},"therapists":{},"absences":{},"teams":{},"rooms":{},"room_outages":{},"closures":{})",
          fresh.revision, fresh.therapists.size(), fresh.absences.size(),
          fresh.teams.size(), fresh.rooms.size(), fresh.room_outages.size(),
          fresh.closures.size());
      std::vector<v1::Change> changes;
      if (published) changes = DiffStates(working, fresh);
      working = std::move(fresh);
      listed = true;
      Publish(working, changes);
      if (!published) {
        published = true;
        spdlog::info(R"("event":"directory_replica_ready","revision":{})",
                     working.revision);
        if (options_.on_ready) options_.on_ready();
      }
    }
    spdlog::info(R"("event":"directory_watching","after_revision":{})",
                 working.revision);
    bool progressed = false;
    const absl::Status status = Watch(working, progressed);
    if (stopping()) break;
    if (status.code() == absl::StatusCode::kOutOfRange ||
        status.code() == absl::StatusCode::kFailedPrecondition) {
      // The directory no longer has the changes we need (or we saw a gap).
      listed = false;
      // A list followed at once by OUT_OF_RANGE again: do not spin.
      const absl::Duration delay =
          just_listed && !progressed ? backoff.Next() : absl::ZeroDuration();
      spdlog::warn(
          R"("event":"directory_relisting","code":{},"revision":{},"retry_ms":{})",
          static_cast<int>(status.code()), working.revision,
          absl::ToInt64Milliseconds(delay));
      if (!Sleep(delay)) break;
      continue;
    }
    if (progressed) backoff.Reset();
    const absl::Duration delay = backoff.Next();
    spdlog::warn(
        R"("event":"directory_reconnecting","code":{},"revision":{},"retry_ms":{})",
        static_cast<int>(status.code()), working.revision,
        absl::ToInt64Milliseconds(delay));
    grpc::experimental::ChannelResetConnectionBackoff(channel_.get());
    if (!Sleep(delay)) break;
  }
  spdlog::info(R"("event":"directory_replica_stopped","revision":{})",
               working.revision);
}

template <typename Request, typename Response, typename Method>
absl::Status DirectoryReplica::Call(Method method, const Request& request,
                                    Response& response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(options_.rpc_timeout));
  // Waiting (until the deadline) keeps this call polling the connection
  // attempt, so a directory that has just come back is reached at once;
  // a fail-fast call would leave the attempt to gRPC's 5 s backup poller.
  context.set_wait_for_ready(true);
  if (!Register(&context)) return absl::CancelledError("replica stopping");
  const grpc::Status status =
      (stub_.get()->*method)(&context, request, &response);
  Unregister();
  return common::FromGrpc(status);
}

template <typename Request, typename Response, typename Method, typename Sink>
absl::Status DirectoryReplica::ListPages(Method method, Request request,
                                         Sink sink, int64_t* first_revision) {
  request.set_page_size(options_.page_size);
  do {
    Response response;
    RETURN_IF_ERROR(Call(method, request, response));
    if (first_revision != nullptr) {
      *first_revision = response.revision();
      first_revision = nullptr;
    }
    sink(response);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

absl::Status DirectoryReplica::ListAll(DirectoryState& state) {
  using Stub = v1::DirectoryService::Stub;
  // The first call's revision: everything after it will be watched.
  v1::ListTherapistsRequest therapists;
  therapists.set_include_inactive(true);
  RETURN_IF_ERROR(
      (ListPages<v1::ListTherapistsRequest, v1::ListTherapistsResponse>(
          &Stub::ListTherapists, therapists,
          [&](const v1::ListTherapistsResponse& page) {
            for (const auto& t : page.therapists())
              state.therapists[t.id()] = t;
          },
          &state.revision)));
  v1::ListRoomsRequest rooms;
  rooms.set_include_inactive(true);
  RETURN_IF_ERROR((ListPages<v1::ListRoomsRequest, v1::ListRoomsResponse>(
      &Stub::ListRooms, rooms,
      [&](const v1::ListRoomsResponse& page) {
        for (const auto& r : page.rooms()) state.rooms[r.id()] = r;
      },
      nullptr)));
  RETURN_IF_ERROR((ListPages<v1::ListTeamsRequest, v1::ListTeamsResponse>(
      &Stub::ListTeams, v1::ListTeamsRequest(),
      [&](const v1::ListTeamsResponse& page) {
        for (const auto& t : page.teams()) state.teams[t.id()] = t;
      },
      nullptr)));
  RETURN_IF_ERROR((ListPages<v1::ListAbsencesRequest, v1::ListAbsencesResponse>(
      &Stub::ListAbsences, v1::ListAbsencesRequest(),
      [&](const v1::ListAbsencesResponse& page) {
        for (const auto& a : page.absences()) state.absences[a.id()] = a;
      },
      nullptr)));
  RETURN_IF_ERROR(
      (ListPages<v1::ListRoomOutagesRequest, v1::ListRoomOutagesResponse>(
          &Stub::ListRoomOutages, v1::ListRoomOutagesRequest(),
          [&](const v1::ListRoomOutagesResponse& page) {
            for (const auto& o : page.room_outages()) {
              state.room_outages[o.id()] = o;
            }
          },
          nullptr)));
  RETURN_IF_ERROR((ListPages<v1::ListClosuresRequest, v1::ListClosuresResponse>(
      &Stub::ListClosures, v1::ListClosuresRequest(),
      [&](const v1::ListClosuresResponse& page) {
        for (const auto& c : page.closures()) state.closures[c.id()] = c;
      },
      nullptr)));
  v1::GetClinicSettingsResponse settings;
  RETURN_IF_ERROR(
      Call(&Stub::GetClinicSettings, v1::GetClinicSettingsRequest(), settings));
  state.clinic_settings = settings.settings();
  return absl::OkStatus();
}

absl::Status DirectoryReplica::Watch(DirectoryState& state, bool& progressed) {
  enum Tag : intptr_t { kStart = 1, kRead, kFinish };
  auto tag_of = [](Tag tag) { return reinterpret_cast<void*>(tag); };

  const absl::Time started = absl::Now();
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  // No deadline: the stream lives until it fails or Stop() cancels it. While
  // the directory is unreachable it waits for it (see Call()).
  context.set_wait_for_ready(true);
  if (!Register(&context)) return absl::CancelledError("replica stopping");
  absl::Cleanup unregister = [this] { Unregister(); };

  v1::WatchChangesRequest request;
  request.set_after_revision(state.revision);
  std::unique_ptr<grpc::ClientAsyncReader<v1::WatchChangesResponse>> reader =
      stub_->PrepareAsyncWatchChanges(&context, request, &cq);
  reader->StartCall(tag_of(kStart));
  void* tag = nullptr;
  bool ok = false;
  bool open = cq.Next(&tag, &ok) && ok;

  absl::Status gap;  // set if the stream skipped revisions
  std::vector<v1::Change> batch;
  v1::WatchChangesResponse response;
  if (open) reader->Read(&response, tag_of(kRead));
  while (open) {
    bool have_event = false;
    if (!batch.empty() && batch.size() < kMaxBatch) {
      // Anything the stream already holds joins this batch.
      have_event = cq.AsyncNext(&tag, &ok, gpr_time_0(GPR_CLOCK_MONOTONIC)) ==
                   grpc::CompletionQueue::GOT_EVENT;
    }
    if (!have_event) {
      if (!batch.empty()) {
        Publish(state, batch);
        batch.clear();
      }
      if (!cq.Next(&tag, &ok)) break;
    }
    if (!ok) break;  // the stream ended: Finish() says why
    const v1::Change& change = response.change();
    const int64_t before = state.revision;
    if (absl::Status applied = ApplyChange(change, state);
        absl::IsInvalidArgument(applied)) {
      // Skipped (its revision counts as applied): nothing to apply.
      spdlog::warn(R"("event":"directory_bad_change","revision":{})",
                   change.revision());
    } else if (!applied.ok()) {
      gap = std::move(applied);
      context.TryCancel();
      break;
    }
    if (state.revision != before) {
      progressed = true;
      batch.push_back(change);
      spdlog::debug(
          R"("event":"directory_change","revision":{},"kind":{},"resource":"{}")",
          change.revision(), static_cast<int>(change.kind()),
          ResourceName(change.resource_case()));
    }
    reader->Read(&response, tag_of(kRead));
  }
  if (!batch.empty()) Publish(state, batch);

  grpc::Status status;
  reader->Finish(&status, tag_of(kFinish));
  while (cq.Next(&tag, &ok)) {
    if (tag == tag_of(kFinish)) break;
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (absl::Now() - started > options_.max_backoff) progressed = true;
  if (!gap.ok()) {
    spdlog::warn(R"("event":"directory_change_gap","error":"{}")",
                 common::JsonEscape(gap.message()));
    return gap;
  }
  return common::FromGrpc(status);
}

void DirectoryReplica::Publish(const DirectoryState& state,
                               const std::vector<v1::Change>& changes) {
  auto copy = std::make_shared<const DirectoryState>(state);
  {
    absl::MutexLock lock(&mu_);
    state_ = std::move(copy);
  }
  if (options_.on_change) {
    for (const v1::Change& change : changes) options_.on_change(change);
  }
}

}  // namespace tandem::booking
