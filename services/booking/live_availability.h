// The booking service's long-lived availability index: the directory
// replica plus every booking that blocks time, as the planner's bitsets.
//
// Building one costs tens of milliseconds for a large clinic (see
// bench/scheduler/RESULTS.md), so it is built once and then kept in step:
// every committed booking change is applied incrementally (Commit /
// Release), after its SQLite transaction committed. It is rebuilt only when
// the directory revision, the clinic's date or the templates change.
//
// Locking: mutations and rebuilds run under the booking store's lock (so the
// index never runs ahead of or behind the database) and take this object's
// lock exclusively; ProposeIntensive reads under a shared lock without the
// store's lock. Order: store lock, then this lock.
//
// The commitments table stays the authority on double booking; this index
// adds what SQL does not know (absences, closures, hours, outages) and
// makes proposing fast.
#ifndef TANDEM_SERVICES_BOOKING_LIVE_AVAILABILITY_H_
#define TANDEM_SERVICES_BOOKING_LIVE_AVAILABILITY_H_

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "scheduler/availability_index.h"
#include "scheduler/plan.h"
#include "services/booking/directory_replica.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;

// A booked intensive as the planner sees it: booking id = intensive id,
// template id = the booking template id, sessions that block time only.
absl::StatusOr<scheduler::Plan> IntensiveToPlan(const v1::Intensive& intensive,
                                                const v1::Couple& couple,
                                                absl::TimeZone zone);
// A plan as the client sent it back (from ProposeIntensive).
absl::StatusOr<scheduler::Plan> ProposedToPlan(const v1::Plan& plan,
                                               absl::TimeZone zone);
// An appointment as a one-session, template-less plan.
scheduler::Plan AppointmentToPlan(const v1::Appointment& appointment,
                                  absl::TimeZone zone);

// The planner's index of the directory alone on `today`, knowing
// `templates`. FAILED_PRECONDITION when the directory's data cannot be
// planned with (the clinic's to fix, not a caller's error).
absl::StatusOr<scheduler::AvailabilityIndex> BuildPlannerIndex(
    const DirectoryState& directory, absl::CivilDay today,
    const std::vector<v1::ProgrammeTemplate>& templates);

class LiveAvailability {
 public:
  struct Inputs {
    std::shared_ptr<const DirectoryState> directory;  // required
    absl::CivilDay today;
    std::vector<v1::ProgrammeTemplate> templates;  // all, with ids
    std::vector<scheduler::Plan> booked;  // intensives and appointments
  };

  // Replaces the index. FAILED_PRECONDITION if the directory or a booking
  // cannot be planned with (the previous index is kept then).
  absl::Status Rebuild(const Inputs& inputs);

  // Whether the index was built from this directory revision on `today`
  // and not invalidated since.
  bool IsCurrent(int64_t directory_revision, absl::CivilDay today) const;
  // Forces the next IsCurrent() to fail (e.g. a template changed).
  void Invalidate();

  // The directory the index was built from; nullptr before the first build.
  std::shared_ptr<const DirectoryState> directory() const;

  // Runs fn(const AvailabilityIndex&) under the shared lock; a no-op
  // returning false if never built.
  template <typename Fn>
  bool Read(Fn fn) const {
    std::shared_lock lock(mu_);
    if (!index_) return false;
    fn(*index_);
    return true;
  }
  // Runs fn(AvailabilityIndex&) under the exclusive lock; a no-op returning
  // false if never built.
  template <typename Fn>
  bool Write(Fn fn) {
    std::unique_lock lock(mu_);
    if (!index_) return false;
    fn(*index_);
    return true;
  }

 private:
  mutable std::shared_mutex mu_;
  std::optional<scheduler::AvailabilityIndex> index_;
  std::shared_ptr<const DirectoryState> directory_;
  absl::CivilDay today_;
  bool invalidated_ = false;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_LIVE_AVAILABILITY_H_
