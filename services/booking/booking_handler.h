// The booking service's RPC logic, independent of gRPC's server machinery.
// Implemented so far: the clients' records (couples and referrals) and
// programme templates; the booking flow (propose, hold, confirm, ...) is
// added beside them.
//
// Each method reads: validate, read or write through the GuardedStore (one
// transaction per mutation, replayed for a repeated request_id), return.
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_

#include <memory>

#include "absl/status/status.h"
#include "services/booking/booking_store.h"
#include "services/common/caller.h"
#include "services/common/guarded_store.h"
#include "tandem/booking/v1/booking_service.pb.h"

namespace tandem::booking {

class BookingHandler {
 public:
  BookingHandler(std::unique_ptr<BookingStore> store, common::Clock clock);

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

  // For WatchChanges streams and housekeeping.
  common::GuardedStore<BookingStore>& store() { return store_; }

 private:
  common::GuardedStore<BookingStore> store_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_
