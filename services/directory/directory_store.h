// The directory's storage API: reads and writes of every resource, each
// write appending its change-log entry, behind an interface so that the
// engine can change without touching handlers. SqliteDirectoryStore
// (sqlite_directory_store.h) is the embedded default; OpenDirectoryStore
// picks the implementation from --db.
//
// Not thread-safe: DirectoryHandler serializes access (common::GuardedStore).
// Writes must run inside a transaction opened by the caller on backend()
// (see common::RunIdempotent); they join it and never commit.
#ifndef TANDEM_SERVICES_DIRECTORY_DIRECTORY_STORE_H_
#define TANDEM_SERVICES_DIRECTORY_DIRECTORY_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/list_page.h"
#include "services/common/sqlite.h"
#include "services/common/store_backend.h"
#include "tandem/directory/v1/directory.pb.h"

namespace tandem::directory {

namespace v1 = ::tandem::directory::v1;

using common::Page;

struct AbsenceFilter {
  std::optional<int64_t> therapist_id;
  std::optional<absl::Time> end_after;
  std::optional<absl::Time> start_before;
};

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // The transaction, request log and change log this store writes through.
  virtual common::StoreBackend& backend() = 0;

  // Clinic settings: the stored row, or the documented defaults.
  virtual absl::StatusOr<v1::ClinicSettings> GetClinicSettings() = 0;
  virtual absl::Status PutClinicSettings(const v1::ClinicSettings& settings,
                                         absl::Time now) = 0;

  // Each Get answers NOT_FOUND naming the resource when the id is unknown.
  virtual absl::StatusOr<v1::Therapist> GetTherapist(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::Therapist>> ListTherapists(
      const common::PageCursor& after, int limit, bool include_inactive) = 0;
  virtual absl::StatusOr<v1::Therapist> InsertTherapist(v1::Therapist therapist,
                                                        absl::Time now) = 0;
  virtual absl::Status UpdateTherapist(int64_t id,
                                       const v1::Therapist& therapist,
                                       absl::Time now) = 0;

  virtual absl::StatusOr<v1::Room> GetRoom(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::Room>> ListRooms(
      const common::PageCursor& after, int limit, bool include_inactive) = 0;
  virtual absl::StatusOr<v1::Room> InsertRoom(v1::Room room,
                                              absl::Time now) = 0;
  virtual absl::Status UpdateRoom(int64_t id, const v1::Room& room,
                                  absl::Time now) = 0;

  virtual absl::StatusOr<v1::Team> GetTeam(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::Team>> ListTeams(
      const common::PageCursor& after, int limit) = 0;
  // ALREADY_EXISTS if the pair is already a team.
  virtual absl::StatusOr<v1::Team> InsertTeam(v1::Team team, int64_t male_id,
                                              int64_t female_id,
                                              absl::Time now) = 0;
  virtual absl::Status DeleteTeam(int64_t id, absl::Time now) = 0;

  virtual absl::StatusOr<v1::Absence> GetAbsence(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::Absence>> ListAbsences(
      const AbsenceFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  virtual absl::StatusOr<v1::Absence> InsertAbsence(v1::Absence absence,
                                                    int64_t therapist_id,
                                                    absl::Time start,
                                                    absl::Time end,
                                                    absl::Time now) = 0;
  virtual absl::Status DeleteAbsence(int64_t id, absl::Time now) = 0;

  virtual absl::StatusOr<v1::RoomOutage> GetRoomOutage(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::RoomOutage>> ListRoomOutages(
      std::optional<int64_t> room_id, const common::PageCursor& after,
      int limit) = 0;
  virtual absl::StatusOr<v1::RoomOutage> InsertRoomOutage(v1::RoomOutage outage,
                                                          int64_t room_id,
                                                          absl::Time start,
                                                          absl::Time end,
                                                          absl::Time now) = 0;
  virtual absl::Status DeleteRoomOutage(int64_t id, absl::Time now) = 0;

  virtual absl::StatusOr<v1::Closure> GetClosure(int64_t id) = 0;
  virtual absl::StatusOr<bool> ClosureExists(absl::CivilDay day) = 0;
  virtual absl::StatusOr<Page<v1::Closure>> ListClosures(
      std::optional<absl::CivilDay> first, std::optional<absl::CivilDay> last,
      const common::PageCursor& after, int limit) = 0;
  // ALREADY_EXISTS if the day is already closed.
  virtual absl::StatusOr<v1::Closure> InsertClosure(v1::Closure closure,
                                                    absl::CivilDay day,
                                                    absl::Time now) = 0;
  virtual absl::Status DeleteClosure(int64_t id, absl::Time now) = 0;

  // Newest revision of the change log.
  virtual absl::StatusOr<int64_t> Revision() = 0;
};

// The store that `options.path` (--db) names: a SQLite file today. This is
// the one place a `postgresql://` URL would branch to its backend; until
// then any URL is INVALID_ARGUMENT naming --db.
absl::StatusOr<std::unique_ptr<DirectoryStore>> OpenDirectoryStore(
    const common::DatabaseOptions& options);

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_DIRECTORY_STORE_H_
