// The booking service's RPC logic, independent of gRPC's server machinery:
// clients' records (couples, referrals), programme templates, the booking
// flow (propose, hold, confirm, cancel, reschedule), appointments, and the
// service's own reactions to the clock (hold expiry, start, completion) and
// to the directory (repair, needs attention).
//
// Each method reads: validate, read or write through the GuardedStore (one
// transaction per mutation, replayed for a repeated request_id), return.
// After a committed mutation the live availability index is brought in step
// (see live_availability.h), still under the store's lock.
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "services/booking/booking_store.h"
#include "services/booking/directory_replica.h"
#include "services/booking/live_availability.h"
#include "services/booking/proposal.h"
#include "services/booking/proposal_token.h"
#include "services/common/caller.h"
#include "services/common/guarded_store.h"
#include "tandem/booking/v1/booking_service.pb.h"

namespace tandem::booking {

// The directory as the booking service currently knows it; null until the
// replica holds a complete snapshot.
using DirectoryAccess = std::function<std::shared_ptr<const DirectoryState>()>;

struct BookingOptions {
  // HoldIntensive's default hold and the bounds a request may ask for.
  absl::Duration default_hold = absl::Minutes(30);
  absl::Duration min_hold = absl::Minutes(1);
  absl::Duration max_hold = absl::Hours(24 * 14);
  // HoldIntensive refuses (RESOURCE_EXHAUSTED) a caller (Caller::subject)
  // who already has this many live holds: HELD and not expired. At least 1.
  int max_holds_per_caller = 20;
};

// What a committed change means for the live index; filled by a mutation's
// body, applied after its commit.
struct IndexEffects {
  std::vector<std::string> release;        // booking ids
  std::vector<scheduler::Plan> commit;     // after the releases
  bool invalidate = false;                 // templates changed: rebuild
};

class BookingHandler {
 public:
  BookingHandler(std::unique_ptr<BookingStore> store, common::Clock clock,
                 DirectoryAccess directory, BookingOptions options = {});

  using Caller = common::Caller;

  absl::Status GetCouple(const Caller&, const v1::GetCoupleRequest&,
                         v1::GetCoupleResponse*);
  absl::Status ListCouples(const Caller&, const v1::ListCouplesRequest&,
                           v1::ListCouplesResponse*);
  absl::Status CreateCouple(const Caller&, const v1::CreateCoupleRequest&,
                            v1::CreateCoupleResponse*);
  absl::Status UpdateCouple(const Caller&, const v1::UpdateCoupleRequest&,
                            v1::UpdateCoupleResponse*);
  absl::Status ArchiveCouple(const Caller&, const v1::ArchiveCoupleRequest&,
                             v1::ArchiveCoupleResponse*);

  absl::Status GetReferral(const Caller&, const v1::GetReferralRequest&,
                           v1::GetReferralResponse*);
  absl::Status ListReferrals(const Caller&, const v1::ListReferralsRequest&,
                             v1::ListReferralsResponse*);
  absl::Status CreateReferral(const Caller&, const v1::CreateReferralRequest&,
                              v1::CreateReferralResponse*);
  absl::Status UpdateReferral(const Caller&, const v1::UpdateReferralRequest&,
                              v1::UpdateReferralResponse*);

  absl::Status GetProgrammeTemplate(const Caller&,
                                    const v1::GetProgrammeTemplateRequest&,
                                    v1::GetProgrammeTemplateResponse*);
  absl::Status ListProgrammeTemplates(const Caller&,
                                      const v1::ListProgrammeTemplatesRequest&,
                                      v1::ListProgrammeTemplatesResponse*);
  absl::Status CreateProgrammeTemplate(
      const Caller&, const v1::CreateProgrammeTemplateRequest&,
      v1::CreateProgrammeTemplateResponse*);
  absl::Status UpdateProgrammeTemplate(
      const Caller&, const v1::UpdateProgrammeTemplateRequest&,
      v1::UpdateProgrammeTemplateResponse*);
  absl::Status DeleteProgrammeTemplate(
      const Caller&, const v1::DeleteProgrammeTemplateRequest&,
      v1::DeleteProgrammeTemplateResponse*);

  // Plans are computed outside the store's lock, from the directory replica.
  absl::Status ProposeIntensive(const Caller&,
                                const v1::ProposeIntensiveRequest&,
                                v1::ProposeIntensiveResponse*);

  absl::Status HoldIntensive(const Caller&, const v1::HoldIntensiveRequest&,
                             v1::HoldIntensiveResponse*);
  absl::Status ConfirmIntensive(const Caller&,
                                const v1::ConfirmIntensiveRequest&,
                                v1::ConfirmIntensiveResponse*);
  absl::Status CancelIntensive(const Caller&, const v1::CancelIntensiveRequest&,
                               v1::CancelIntensiveResponse*);
  absl::Status RescheduleIntensive(const Caller&,
                                   const v1::RescheduleIntensiveRequest&,
                                   v1::RescheduleIntensiveResponse*);
  absl::Status GetIntensive(const Caller&, const v1::GetIntensiveRequest&,
                            v1::GetIntensiveResponse*);
  absl::Status ListIntensives(const Caller&, const v1::ListIntensivesRequest&,
                              v1::ListIntensivesResponse*);
  absl::Status ListSessions(const Caller&, const v1::ListSessionsRequest&,
                            v1::ListSessionsResponse*);

  absl::Status GetAppointment(const Caller&, const v1::GetAppointmentRequest&,
                              v1::GetAppointmentResponse*);
  absl::Status ListAppointments(const Caller&,
                                const v1::ListAppointmentsRequest&,
                                v1::ListAppointmentsResponse*);
  absl::Status CreateAppointment(const Caller&,
                                 const v1::CreateAppointmentRequest&,
                                 v1::CreateAppointmentResponse*);
  absl::Status UpdateAppointment(const Caller&,
                                 const v1::UpdateAppointmentRequest&,
                                 v1::UpdateAppointmentResponse*);
  absl::Status CancelAppointment(const Caller&,
                                 const v1::CancelAppointmentRequest&,
                                 v1::CancelAppointmentResponse*);

  // Clock-driven transitions: expired holds are cancelled (HOLD_EXPIRED),
  // booked intensives whose first session started go IN_PROGRESS, and those
  // whose last session ended COMPLETED. Run periodically by main.
  absl::Status Sweep();

  // Reacts to one directory change (called by the replica, in revision
  // order): repairs the intensives a new absence or outage breaks where the
  // team and the day can be kept, puts the bookings it cannot fix (and any
  // other that the new directory state breaks) into NEEDS_ATTENTION, and
  // resolves those that are fine again.
  absl::Status OnDirectoryChange(const tandem::directory::v1::Change& change);

  // For WatchChanges streams and housekeeping.
  common::GuardedStore<BookingStore>& store() { return store_; }

 private:
  // A mutation whose committed result also changes the live index.
  template <typename Response, typename Body>
  absl::StatusOr<Response> MutateBooking(absl::string_view method,
                                         const google::protobuf::Message& req,
                                         absl::string_view request_id,
                                         Body body);
  void Apply(const IndexEffects& effects);

  // The replicated directory; UNAVAILABLE until there is one.
  absl::StatusOr<std::shared_ptr<const DirectoryState>> Directory() const;
  // Under the store's lock: rebuilds the live index if the directory, the
  // clinic's date or the templates changed since it was built.
  absl::Status EnsureLive(BookingStore& store, absl::Time now);
  // Under the store's lock, in the caller's transaction: cancels the holds
  // that expired by `now` and records their release in `effects`.
  absl::Status ExpireHolds(BookingStore& store, absl::Time now,
                           IndexEffects& effects);
  // Conflicts of `plan` (a verified plan, or an appointment as a plan) with
  // other bookings (SQL) and with the directory (live index), ignoring
  // `own_booking` (a reschedule's own sessions) and what this transaction
  // already released (`pending`: e.g. holds it found expired), which the
  // index only forgets after the commit.
  absl::StatusOr<std::vector<v1::Conflict>> Conflicts(
      BookingStore& store, const std::vector<Claim>& claims,
      const scheduler::Plan& plan, absl::string_view own_booking,
      const IndexEffects& pending);
  // ABORTED with a ProposalHint: fresh plans near `plan` and the conflicts.
  absl::Status PlanTaken(absl::string_view message, const std::string& couple_id,
                         const v1::Plan& plan,
                         const std::vector<v1::Conflict>& conflicts);
  // After a directory change, in its transaction: bookings the new
  // directory breaks go NEEDS_ATTENTION, flagged ones that are fine again
  // are resolved.
  absl::Status ReviewBookings(BookingStore& store,
                              const DirectoryState& directory,
                              absl::TimeZone zone, absl::Time now);
  absl::Status ReviewAppointments(BookingStore& store,
                                  const DirectoryState& directory,
                                  absl::Time now);
  // Reads what ProposeIntensive needs (couple, template, referrals); the
  // couple's other live intensives (all but `except_intensive`) become
  // blackout dates.
  absl::Status ReadProposalInputs(int64_t couple_id, int64_t template_id,
                                  absl::string_view except_intensive,
                                  ProposalInputs& inputs);

  const BookingOptions options_;
  const ProposalSigner signer_;
  common::GuardedStore<BookingStore> store_;
  const DirectoryAccess directory_;
  LiveAvailability live_;
};

template <typename Response, typename Body>
absl::StatusOr<Response> BookingHandler::MutateBooking(
    absl::string_view method, const google::protobuf::Message& req,
    absl::string_view request_id, Body body) {
  IndexEffects effects;  // recorded by this call's body only
  return store_.template Mutate<Response>(
      method, req, request_id,
      [&](BookingStore* store, absl::Time now) -> absl::StatusOr<Response> {
        return body(*store, now, effects);
      },
      [&] { Apply(effects); });
}

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_
