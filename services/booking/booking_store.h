// The booking service's storage API: the clients' records (couples,
// referrals), programme templates, intensives with their sessions,
// appointments, the commitments that guard against double booking, and the
// intensives' teams through which a therapist's reads are narrowed
// (TherapistScope). An interface, so that the engine can change without
// touching handlers: SqliteBookingStore (sqlite_booking_store.h) is the
// embedded default; OpenBookingStore picks the implementation from --db.
//
// Couples are personal data: the body holds names and contact details, the
// `search_key` column lower-cased names for ListCouples' name_prefix. Nothing
// from either ever reaches a log line, an error message or a Change.
//
// Not thread-safe: used through common::GuardedStore. Writes run inside the
// transaction the caller opened on backend() and never commit.
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
#include "services/common/store_backend.h"
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
  std::string name_prefix;                // lower-cased; empty matches all
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
  virtual ~BookingStore() = default;

  // The transaction, request log and change log this store writes through.
  virtual common::StoreBackend& backend() = 0;
  // The key that signs proposals (see proposal_token.h): generated on first
  // open and kept in the database, so tokens survive a restart.
  virtual const std::string& proposal_key() const = 0;
  virtual absl::StatusOr<int64_t> Revision() = 0;

  // NOT_FOUND naming the couple when the id is unknown.
  virtual absl::StatusOr<v1::Couple> GetCouple(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::Couple>> ListCouples(
      const CoupleFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  virtual absl::StatusOr<v1::Couple> InsertCouple(v1::Couple couple,
                                                  absl::Time now) = 0;
  // Replaces the stored couple (id from `couple`), keeping create_time.
  virtual absl::StatusOr<v1::Couple> UpdateCouple(int64_t id, v1::Couple couple,
                                                  absl::Time now) = 0;

  virtual absl::StatusOr<v1::Referral> GetReferral(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::Referral>> ListReferrals(
      const ReferralFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  virtual absl::StatusOr<v1::Referral> InsertReferral(v1::Referral referral,
                                                      int64_t couple_id,
                                                      absl::Time now) = 0;
  virtual absl::StatusOr<v1::Referral> UpdateReferral(int64_t id,
                                                      v1::Referral referral,
                                                      absl::Time now) = 0;

  // Programme templates. The shipped ones are inserted by the store's
  // opening (OpenBookingStore) the first time a database sees them (keyed by
  // the planner's template id), so a clinic's database always holds them and
  // their ids never change.
  virtual absl::StatusOr<v1::ProgrammeTemplate> GetTemplate(int64_t id) = 0;
  virtual absl::StatusOr<Page<v1::ProgrammeTemplate>> ListTemplates(
      const TemplateFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  virtual absl::StatusOr<v1::ProgrammeTemplate> InsertTemplate(
      v1::ProgrammeTemplate t, absl::Time now) = 0;
  virtual absl::StatusOr<v1::ProgrammeTemplate> UpdateTemplate(
      int64_t id, v1::ProgrammeTemplate t, absl::Time now) = 0;
  virtual absl::Status DeleteTemplate(int64_t id, absl::Time now) = 0;
  // Whether a HELD, BOOKED, IN_PROGRESS or NEEDS_ATTENTION intensive uses
  // the template.
  virtual absl::StatusOr<bool> TemplateInUse(int64_t template_id) = 0;

  // ---- Intensives and their sessions ----

  // The intensive with its current (not cancelled) sessions, ordered by
  // start time. NOT_FOUND naming it.
  virtual absl::StatusOr<v1::Intensive> GetIntensive(int64_t id) = 0;
  // Ordered by start day, then id (cursor: sort_key = start day number).
  virtual absl::StatusOr<Page<v1::Intensive>> ListIntensives(
      const IntensiveFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  // Ids of the intensives in one of `statuses`, by id.
  virtual absl::StatusOr<std::vector<int64_t>> IntensiveIds(
      const std::vector<v1::IntensiveStatus>& statuses) = 0;
  // Ids of HELD intensives whose expire_time is at or before `now`.
  virtual absl::StatusOr<std::vector<int64_t>> ExpiredHolds(absl::Time now) = 0;
  // How many HELD intensives placed by `holder` (the actor of their HELD
  // history entry, a Caller::subject) have not expired by `now`.
  virtual absl::StatusOr<int64_t> CountLiveHolds(absl::string_view holder,
                                                 absl::Time now) = 0;
  // Ids of BOOKED intensives whose first session started by `now`, and of
  // IN_PROGRESS ones whose last session ended by `now`.
  virtual absl::StatusOr<std::vector<int64_t>> DueToStart(absl::Time now) = 0;
  virtual absl::StatusOr<std::vector<int64_t>> DueToComplete(
      absl::Time now) = 0;

  // Writes an intensive: inserts it when its id is empty, else replaces its
  // record. Sessions without an id are inserted; sessions with one are
  // rewritten; stored sessions missing from intensive.sessions are marked
  // CANCELLED (a reschedule replaced them). The intensive's commitments are
  // then rebuilt from its sessions that block time (TENTATIVE, SCHEDULED,
  // NEEDS_ATTENTION). Appends a Change carrying `event`. Returns the
  // intensive as stored, with ids.
  virtual absl::StatusOr<v1::Intensive> SaveIntensive(v1::Intensive intensive,
                                                      v1::IntensiveEvent event,
                                                      absl::Time now) = 0;

  // Ordered by start time, then id (cursor: sort_key = start micros).
  virtual absl::StatusOr<Page<v1::Session>> ListSessions(
      const SessionFilter& filter, const common::PageCursor& after,
      int limit) = 0;

  // ---- Appointments ----

  virtual absl::StatusOr<v1::Appointment> GetAppointment(int64_t id) = 0;
  // Ordered by start time, then id (cursor: sort_key = start micros).
  virtual absl::StatusOr<Page<v1::Appointment>> ListAppointments(
      const AppointmentFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  // Inserts (empty id) or replaces an appointment, rebuilds its commitments
  // (none unless SCHEDULED or NEEDS_ATTENTION) and appends a Change. `day` is
  // its clinic-local date, for date filters.
  virtual absl::StatusOr<v1::Appointment> SaveAppointment(
      v1::Appointment appointment, absl::CivilDay day, absl::Time now) = 0;
  // Appointments that still block time and end after `after`.
  virtual absl::StatusOr<std::vector<v1::Appointment>> LiveAppointments(
      absl::Time after) = 0;

  // ---- Conflicts ----

  // Commitments of bookings other than `ignore_booking` ("in-N", "ap-N")
  // that overlap a claim, ordered by start time.
  virtual absl::StatusOr<std::vector<v1::Conflict>> FindConflicts(
      const std::vector<Claim>& claims, absl::string_view ignore_booking) = 0;
  // Whether the couple has a live intensive or a scheduled appointment.
  virtual absl::StatusOr<bool> CoupleHasOpenBookings(int64_t couple_id) = 0;

  // ---- What a therapist may see (one indexed query each) ----

  // Whether the couple, intensive or referral is within `scope` (see
  // TherapistScope). False, not NOT_FOUND, for an id that does not exist.
  virtual absl::StatusOr<bool> InScopeCouple(const TherapistScope& scope,
                                             int64_t couple_id) = 0;
  virtual absl::StatusOr<bool> InScopeIntensive(const TherapistScope& scope,
                                                int64_t intensive_id) = 0;
  virtual absl::StatusOr<bool> InScopeReferral(const TherapistScope& scope,
                                               int64_t referral_id) = 0;
};

// The store that `options.path` (--db) names: a SQLite file today. This is
// the one place a `postgresql://` URL would branch to its backend; until
// then any URL is INVALID_ARGUMENT naming --db. `now` stamps the shipped
// templates inserted on first open.
absl::StatusOr<std::unique_ptr<BookingStore>> OpenBookingStore(
    const common::DatabaseOptions& options, absl::Time now);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_
