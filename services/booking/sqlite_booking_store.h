// BookingStore on SQLite, the embedded default (see booking_store.h for the
// contract of each method). All of the booking service's SQL: the schema
// with the commitments table that guards against double booking (see
// kSchemaV4 in sqlite_booking_store.cc) and the intensives' teams through
// which a therapist's reads are narrowed (kSchemaV6). The methods are split
// over sqlite_booking_store.cc, sqlite_intensive_store.cc and
// sqlite_appointment_store.cc.
//
// Couples are personal data: the body holds names and contact details, the
// `search_key` column lower-cased names for ListCouples' name_prefix. Nothing
// from either ever reaches a log line, an error message or a Change.
#ifndef TANDEM_SERVICES_BOOKING_SQLITE_BOOKING_STORE_H_
#define TANDEM_SERVICES_BOOKING_SQLITE_BOOKING_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/booking/booking_store.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_store_backend.h"

namespace tandem::booking {

class SqliteBookingStore final : public BookingStore {
 public:
  // Opens (creating and migrating) the SQLite file `options.path`; `now`
  // stamps the shipped templates inserted on first open.
  static absl::StatusOr<std::unique_ptr<SqliteBookingStore>> Open(
      const common::DatabaseOptions& options, absl::Time now);

  // The connection, for tests that rewrite the schema; not on the interface.
  common::Database& db() { return *db_; }

  common::StoreBackend& backend() override { return *backend_; }
  // BookingStore:
  const std::string& proposal_key() const override { return proposal_key_; }
  absl::StatusOr<int64_t> Revision() override;

  absl::StatusOr<v1::Couple> GetCouple(int64_t id) override;
  absl::StatusOr<Page<v1::Couple>> ListCouples(const CoupleFilter& filter,
                                               const common::PageCursor& after,
                                               int limit) override;
  absl::StatusOr<v1::Couple> InsertCouple(v1::Couple couple,
                                          absl::Time now) override;
  absl::StatusOr<v1::Couple> UpdateCouple(int64_t id, v1::Couple couple,
                                          absl::Time now) override;

  absl::StatusOr<v1::Referral> GetReferral(int64_t id) override;
  absl::StatusOr<Page<v1::Referral>> ListReferrals(
      const ReferralFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<v1::Referral> InsertReferral(v1::Referral referral,
                                              int64_t couple_id,
                                              absl::Time now) override;
  absl::StatusOr<v1::Referral> UpdateReferral(int64_t id, v1::Referral referral,
                                              absl::Time now) override;

  absl::StatusOr<v1::ProgrammeTemplate> GetTemplate(int64_t id) override;
  absl::StatusOr<Page<v1::ProgrammeTemplate>> ListTemplates(
      const TemplateFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<v1::ProgrammeTemplate> InsertTemplate(v1::ProgrammeTemplate t,
                                                       absl::Time now) override;
  absl::StatusOr<v1::ProgrammeTemplate> UpdateTemplate(int64_t id,
                                                       v1::ProgrammeTemplate t,
                                                       absl::Time now) override;
  absl::Status DeleteTemplate(int64_t id, absl::Time now) override;
  absl::StatusOr<bool> TemplateInUse(int64_t template_id) override;

  absl::StatusOr<v1::Intensive> GetIntensive(int64_t id) override;
  absl::StatusOr<Page<v1::Intensive>> ListIntensives(
      const IntensiveFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<std::vector<int64_t>> IntensiveIds(
      const std::vector<v1::IntensiveStatus>& statuses) override;
  absl::StatusOr<std::vector<int64_t>> ExpiredHolds(absl::Time now) override;
  absl::StatusOr<int64_t> CountLiveHolds(absl::string_view holder,
                                         absl::Time now) override;
  absl::StatusOr<std::vector<int64_t>> DueToStart(absl::Time now) override;
  absl::StatusOr<std::vector<int64_t>> DueToComplete(absl::Time now) override;

  absl::StatusOr<v1::Intensive> SaveIntensive(v1::Intensive intensive,
                                              v1::IntensiveEvent event,
                                              absl::Time now) override;

  absl::StatusOr<Page<v1::Session>> ListSessions(
      const SessionFilter& filter, const common::PageCursor& after,
      int limit) override;

  absl::StatusOr<v1::Appointment> GetAppointment(int64_t id) override;
  absl::StatusOr<Page<v1::Appointment>> ListAppointments(
      const AppointmentFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<v1::Appointment> SaveAppointment(v1::Appointment appointment,
                                                  absl::CivilDay day,
                                                  absl::Time now) override;
  absl::StatusOr<std::vector<v1::Appointment>> LiveAppointments(
      absl::Time after) override;

  absl::StatusOr<std::vector<v1::Conflict>> FindConflicts(
      const std::vector<Claim>& claims,
      absl::string_view ignore_booking) override;
  absl::StatusOr<bool> CoupleHasOpenBookings(int64_t couple_id) override;

  absl::StatusOr<bool> InScopeCouple(const TherapistScope& scope,
                                     int64_t couple_id) override;
  absl::StatusOr<bool> InScopeIntensive(const TherapistScope& scope,
                                        int64_t intensive_id) override;
  absl::StatusOr<bool> InScopeReferral(const TherapistScope& scope,
                                       int64_t referral_id) override;

 private:
  explicit SqliteBookingStore(
      std::unique_ptr<common::SqliteStoreBackend> backend)
      : backend_(std::move(backend)), db_(&backend_->db()) {}

  // A couple change on the stream carries only the id: followers (follow-up)
  // fetch what they need, so names never spread through change logs.
  absl::Status AppendCoupleChange(const std::string& couple_id, absl::Time now);

  absl::Status InsertShippedTemplates(absl::Time now);
  absl::StatusOr<std::string> LoadOrCreateKey(absl::string_view name);
  absl::Status ReplaceCommitments(absl::string_view booking,
                                  const std::vector<Claim>& claims,
                                  const std::vector<std::string>& blocking);
  absl::StatusOr<std::vector<v1::Session>> SessionsOf(int64_t intensive_id,
                                                      bool include_cancelled);
  absl::Status SaveSession(v1::Session& session, int64_t intensive_id);
  // Rewrites the intensive's rows in intensive_therapists from its team.
  absl::Status ReplaceTeam(int64_t intensive_id,
                           const v1::TeamAssignment& team);
  absl::Status AppendTemplateChange(v1::ChangeKind kind,
                                    const v1::ProgrammeTemplate& t,
                                    absl::Time now);

  const std::unique_ptr<common::SqliteStoreBackend> backend_;
  common::Database* const db_;  // backend_'s connection
  std::string proposal_key_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_SQLITE_BOOKING_STORE_H_
