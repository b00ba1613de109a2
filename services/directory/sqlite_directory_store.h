// DirectoryStore on SQLite, the embedded default (see directory_store.h for
// the contract of each method). All of the directory's SQL: schema
// migrations, reads and writes of every resource, and the change log entry
// that each write appends.
//
// Resources are stored as serialized protos (the `body` column, with the id
// cleared) beside the columns that queries filter or order on. The directory
// is small (hundreds of staff, thousands of absences) and read whole by
// replicas, so this keeps every field round-trippable without a column per
// field, while constraints (uniqueness, foreign keys, intervals) stay in SQL.
//
// Not thread-safe: DirectoryHandler serializes access. Writes must run inside
// a transaction opened by the caller on backend() (see common::RunIdempotent).
#ifndef TANDEM_SERVICES_DIRECTORY_SQLITE_DIRECTORY_STORE_H_
#define TANDEM_SERVICES_DIRECTORY_SQLITE_DIRECTORY_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/list_page.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_store_backend.h"
#include "services/directory/directory_store.h"
#include "tandem/directory/v1/directory.pb.h"

namespace tandem::directory {

class SqliteDirectoryStore final : public DirectoryStore {
 public:
  // Opens (creating and migrating) the SQLite file `options.path`.
  static absl::StatusOr<std::unique_ptr<SqliteDirectoryStore>> Open(
      const common::DatabaseOptions& options);

  common::StoreBackend& backend() override { return *backend_; }
  // DirectoryStore:
  absl::StatusOr<v1::ClinicSettings> GetClinicSettings() override;
  absl::Status PutClinicSettings(const v1::ClinicSettings& settings,
                                 absl::Time now) override;

  absl::StatusOr<v1::Therapist> GetTherapist(int64_t id) override;
  absl::StatusOr<Page<v1::Therapist>> ListTherapists(
      const common::PageCursor& after, int limit,
      bool include_inactive) override;
  absl::StatusOr<v1::Therapist> InsertTherapist(v1::Therapist therapist,
                                                absl::Time now) override;
  absl::Status UpdateTherapist(int64_t id, const v1::Therapist& therapist,
                               absl::Time now) override;

  absl::StatusOr<v1::Room> GetRoom(int64_t id) override;
  absl::StatusOr<Page<v1::Room>> ListRooms(const common::PageCursor& after,
                                           int limit,
                                           bool include_inactive) override;
  absl::StatusOr<v1::Room> InsertRoom(v1::Room room, absl::Time now) override;
  absl::Status UpdateRoom(int64_t id, const v1::Room& room,
                          absl::Time now) override;

  absl::StatusOr<v1::Team> GetTeam(int64_t id) override;
  absl::StatusOr<Page<v1::Team>> ListTeams(const common::PageCursor& after,
                                           int limit) override;
  absl::StatusOr<v1::Team> InsertTeam(v1::Team team, int64_t male_id,
                                      int64_t female_id,
                                      absl::Time now) override;
  absl::Status DeleteTeam(int64_t id, absl::Time now) override;

  absl::StatusOr<v1::Absence> GetAbsence(int64_t id) override;
  absl::StatusOr<Page<v1::Absence>> ListAbsences(
      const AbsenceFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<v1::Absence> InsertAbsence(v1::Absence absence,
                                            int64_t therapist_id,
                                            absl::Time start, absl::Time end,
                                            absl::Time now) override;
  absl::Status DeleteAbsence(int64_t id, absl::Time now) override;

  absl::StatusOr<v1::RoomOutage> GetRoomOutage(int64_t id) override;
  absl::StatusOr<Page<v1::RoomOutage>> ListRoomOutages(
      std::optional<int64_t> room_id, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<v1::RoomOutage> InsertRoomOutage(v1::RoomOutage outage,
                                                  int64_t room_id,
                                                  absl::Time start,
                                                  absl::Time end,
                                                  absl::Time now) override;
  absl::Status DeleteRoomOutage(int64_t id, absl::Time now) override;

  absl::StatusOr<v1::Closure> GetClosure(int64_t id) override;
  absl::StatusOr<bool> ClosureExists(absl::CivilDay day) override;
  absl::StatusOr<Page<v1::Closure>> ListClosures(
      std::optional<absl::CivilDay> first, std::optional<absl::CivilDay> last,
      const common::PageCursor& after, int limit) override;
  absl::StatusOr<v1::Closure> InsertClosure(v1::Closure closure,
                                            absl::CivilDay day,
                                            absl::Time now) override;
  absl::Status DeleteClosure(int64_t id, absl::Time now) override;

  absl::StatusOr<int64_t> Revision() override;

 private:
  explicit SqliteDirectoryStore(
      std::unique_ptr<common::SqliteStoreBackend> backend)
      : backend_(std::move(backend)), db_(&backend_->db()) {}

  absl::Status AppendChange(v1::ChangeKind kind, v1::Change change,
                            absl::Time now);

  // Where a resource goes in a Change, e.g. &v1::Change::mutable_absence.
  template <typename T>
  using ChangeField = T* (v1::Change::*)();

  // After an INSERT: gives `resource` the new row's id, appends the UPSERT
  // change, returns the stored resource.
  template <typename T>
  absl::StatusOr<T> Inserted(T resource, absl::string_view prefix,
                             ChangeField<T> field, absl::Time now);

  // Deletes row `id` with `delete_sql` and appends a DELETE change carrying
  // `last_state`, so replicas learn whose time was freed.
  template <typename T>
  absl::Status Deleted(T last_state, absl::string_view delete_sql, int64_t id,
                       ChangeField<T> field, absl::Time now);

 public:
  // How therapists and rooms (the never-deleted, deactivatable resources)
  // are stored; defined in the .cc.
  template <typename T>
  struct ActiveTable;

 private:
  template <typename T>
  absl::StatusOr<Page<T>> ListActive(const ActiveTable<T>& table,
                                     const common::PageCursor& after, int limit,
                                     bool include_inactive);
  template <typename T>
  absl::StatusOr<T> InsertActive(const ActiveTable<T>& table, T resource,
                                 absl::Time now);
  template <typename T>
  absl::Status UpdateActive(const ActiveTable<T>& table, int64_t id, T resource,
                            absl::Time now);

  const std::unique_ptr<common::SqliteStoreBackend> backend_;
  common::Database* const db_;  // backend_'s connection
};

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_SQLITE_DIRECTORY_STORE_H_
