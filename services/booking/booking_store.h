// All of the booking service's SQL: the clients' records (couples,
// referrals), programme templates, intensives with their sessions,
// appointments, the commitments table that guards against double booking
// (see kSchemaV4 in booking_store.cc), and the intensives' teams through
// which a therapist's reads are narrowed (TherapistScope, kSchemaV6).
//
// Couples are personal data: the body holds names and contact details, the
// `search_key` column lower-cased names for ListCouples' name_prefix. Nothing
// from either ever reaches a log line, an error message or a Change.
//
// Not thread-safe: used through common::GuardedStore. Writes run inside the
// caller's transaction.
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/list_page.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_store_backend.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;
using common::Page;

// Narrows a read to what one therapist may see: the intensives whose team
// includes them, unless CANCELLED or a hold that lapsed by `now` (the sweep
// may not have cancelled it yet), and those intensives' couples, referrals
// and sessions. An empty therapist_id matches nothing.
struct TherapistScope {
  std::string therapist_id;  // "th-N"
  absl::Time now;
};

struct CoupleFilter {
  bool include_archived = false;
  std::string name_prefix;  // lower-cased; empty matches all
  std::optional<TherapistScope> seen_by;  // unset: every couple
};

struct TemplateFilter {
  v1::ProgrammeKind kind = v1::PROGRAMME_KIND_UNSPECIFIED;  // all kinds
};

struct ReferralFilter {
  std::optional<int64_t> couple_id;
  std::vector<v1::ReferralStatus> statuses;  // empty matches all
  std::optional<TherapistScope> seen_by;     // unset: every referral
};

struct IntensiveFilter {
  std::optional<int64_t> couple_id;
  std::vector<v1::IntensiveStatus> statuses;  // empty matches all
  // Clinic-local days the intensive must overlap; unset: no bound.
  std::optional<absl::CivilDay> first_day, last_day;
  std::optional<TherapistScope> seen_by;  // unset: every intensive
};

// ListSessions: sessions involving `party` ("th-N", "rm-N" or "cp-N") on
// clinic-local days first_day..last_day.
struct SessionFilter {
  std::string party;
  absl::CivilDay first_day, last_day;
  bool include_cancelled = false;
  // Only sessions of the intensives the therapist may see; unset: all.
  std::optional<TherapistScope> seen_by;
};

struct AppointmentFilter {
  std::string therapist_id, room_id, external_ref;
  std::optional<int64_t> couple_id;
  std::optional<absl::CivilDay> first_day, last_day;
  bool include_cancelled = false;
};

// Time that a booking wants on one resource ("th-N", "rm-N", "cp-N/a").
struct Claim {
  std::string resource;
  absl::Time start;
  absl::Time end;
};

class BookingStore {
 public:
  // `now` stamps the shipped templates inserted on first open.
  static absl::StatusOr<std::unique_ptr<BookingStore>> Open(
      const common::DatabaseOptions& options, absl::Time now);

  common::Database& db() { return *db_; }
  // The transaction, request log and change log (for common::GuardedStore).
  common::StoreBackend& backend() { return *backend_; }
  // The key that signs proposals (see proposal_token.h): generated on first
  // open and kept in the database, so tokens survive a restart.
  const std::string& proposal_key() const { return proposal_key_; }
  absl::StatusOr<int64_t> Revision();

  // NOT_FOUND naming the couple when the id is unknown.
  absl::StatusOr<v1::Couple> GetCouple(int64_t id);
  absl::StatusOr<Page<v1::Couple>> ListCouples(const CoupleFilter& filter,
                                               const common::PageCursor& after,
                                               int limit);
  absl::StatusOr<v1::Couple> InsertCouple(v1::Couple couple, absl::Time now);
  // Replaces the stored couple (id from `couple`), keeping create_time.
  absl::StatusOr<v1::Couple> UpdateCouple(int64_t id, v1::Couple couple,
                                          absl::Time now);

  absl::StatusOr<v1::Referral> GetReferral(int64_t id);
  absl::StatusOr<Page<v1::Referral>> ListReferrals(
      const ReferralFilter& filter, const common::PageCursor& after, int limit);
  absl::StatusOr<v1::Referral> InsertReferral(v1::Referral referral,
                                              int64_t couple_id,
                                              absl::Time now);
  absl::StatusOr<v1::Referral> UpdateReferral(int64_t id, v1::Referral referral,
                                              absl::Time now);

  // Programme templates. The shipped ones are inserted by Open() the first
  // time a database sees them (keyed by the planner's template id), so a
  // clinic's database always holds them and their ids never change.
  absl::StatusOr<v1::ProgrammeTemplate> GetTemplate(int64_t id);
  absl::StatusOr<Page<v1::ProgrammeTemplate>> ListTemplates(
      const TemplateFilter& filter, const common::PageCursor& after, int limit);
  absl::StatusOr<v1::ProgrammeTemplate> InsertTemplate(v1::ProgrammeTemplate t,
                                                       absl::Time now);
  absl::StatusOr<v1::ProgrammeTemplate> UpdateTemplate(int64_t id,
                                                       v1::ProgrammeTemplate t,
                                                       absl::Time now);
  absl::Status DeleteTemplate(int64_t id, absl::Time now);
  // Whether a HELD, BOOKED, IN_PROGRESS or NEEDS_ATTENTION intensive uses
  // the template.
  absl::StatusOr<bool> TemplateInUse(int64_t template_id);

  // ---- Intensives and their sessions (intensive_store.cc) ----

  // The intensive with its current (not cancelled) sessions, ordered by
  // start time. NOT_FOUND naming it.
  absl::StatusOr<v1::Intensive> GetIntensive(int64_t id);
  // Ordered by start day, then id (cursor: sort_key = start day number).
  absl::StatusOr<Page<v1::Intensive>> ListIntensives(
      const IntensiveFilter& filter, const common::PageCursor& after,
      int limit);
  // Ids of the intensives in one of `statuses`, by id.
  absl::StatusOr<std::vector<int64_t>> IntensiveIds(
      const std::vector<v1::IntensiveStatus>& statuses);
  // Ids of HELD intensives whose expire_time is at or before `now`.
  absl::StatusOr<std::vector<int64_t>> ExpiredHolds(absl::Time now);
  // How many HELD intensives placed by `holder` (the actor of their HELD
  // history entry, a Caller::subject) have not expired by `now`.
  absl::StatusOr<int64_t> CountLiveHolds(absl::string_view holder,
                                         absl::Time now);
  // Ids of BOOKED intensives whose first session started by `now`, and of
  // IN_PROGRESS ones whose last session ended by `now`.
  absl::StatusOr<std::vector<int64_t>> DueToStart(absl::Time now);
  absl::StatusOr<std::vector<int64_t>> DueToComplete(absl::Time now);

  // Writes an intensive: inserts it when its id is empty, else replaces its
  // record. Sessions without an id are inserted; sessions with one are
  // rewritten; stored sessions missing from intensive.sessions are marked
  // CANCELLED (a reschedule replaced them). The intensive's commitments are
  // then rebuilt from its sessions that block time (TENTATIVE, SCHEDULED,
  // NEEDS_ATTENTION). Appends a Change carrying `event`. Returns the
  // intensive as stored, with ids.
  absl::StatusOr<v1::Intensive> SaveIntensive(v1::Intensive intensive,
                                              v1::IntensiveEvent event,
                                              absl::Time now);

  // Ordered by start time, then id (cursor: sort_key = start micros).
  absl::StatusOr<Page<v1::Session>> ListSessions(
      const SessionFilter& filter, const common::PageCursor& after, int limit);

  // ---- Appointments (appointment_store.cc) ----

  absl::StatusOr<v1::Appointment> GetAppointment(int64_t id);
  // Ordered by start time, then id (cursor: sort_key = start micros).
  absl::StatusOr<Page<v1::Appointment>> ListAppointments(
      const AppointmentFilter& filter, const common::PageCursor& after,
      int limit);
  // Inserts (empty id) or replaces an appointment, rebuilds its commitments
  // (none unless SCHEDULED or NEEDS_ATTENTION) and appends a Change. `day` is
  // its clinic-local date, for date filters.
  absl::StatusOr<v1::Appointment> SaveAppointment(v1::Appointment appointment,
                                                  absl::CivilDay day,
                                                  absl::Time now);
  // Appointments that still block time and end after `after`.
  absl::StatusOr<std::vector<v1::Appointment>> LiveAppointments(
      absl::Time after);

  // ---- Conflicts ----

  // Commitments of bookings other than `ignore_booking` ("in-N", "ap-N")
  // that overlap a claim, ordered by start time.
  absl::StatusOr<std::vector<v1::Conflict>> FindConflicts(
      const std::vector<Claim>& claims, absl::string_view ignore_booking);
  // Whether the couple has a live intensive or a scheduled appointment.
  absl::StatusOr<bool> CoupleHasOpenBookings(int64_t couple_id);

  // ---- What a therapist may see (one indexed query each) ----

  // Whether the couple, intensive or referral is within `scope` (see
  // TherapistScope). False, not NOT_FOUND, for an id that does not exist.
  absl::StatusOr<bool> InScopeCouple(const TherapistScope& scope,
                                     int64_t couple_id);
  absl::StatusOr<bool> InScopeIntensive(const TherapistScope& scope,
                                        int64_t intensive_id);
  absl::StatusOr<bool> InScopeReferral(const TherapistScope& scope,
                                       int64_t referral_id);

 private:
  explicit BookingStore(std::unique_ptr<common::SqliteStoreBackend> backend)
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
  absl::Status ReplaceTeam(int64_t intensive_id, const v1::TeamAssignment& team);
  absl::Status AppendTemplateChange(v1::ChangeKind kind,
                                    const v1::ProgrammeTemplate& t,
                                    absl::Time now);

  const std::unique_ptr<common::SqliteStoreBackend> backend_;
  common::Database* const db_;  // backend_'s connection
  std::string proposal_key_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_
