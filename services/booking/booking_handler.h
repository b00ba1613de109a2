// The booking service's RPC logic, independent of gRPC's server machinery.
// Implemented so far: the clients' records (couples and referrals) and
// programme templates; the booking flow (propose, hold, confirm, ...) is
// added beside them.
//
// Each method reads: validate, read or write through the GuardedStore (one
// transaction per mutation, replayed for a repeated request_id), return.
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "services/booking/booking_store.h"
#include "services/booking/directory_replica.h"
#include "services/booking/proposal_token.h"
#include "services/common/caller.h"
#include "services/common/guarded_store.h"
#include "tandem/booking/v1/booking_service.pb.h"

namespace tandem::booking {

// The directory as the booking service currently knows it; null until the
// replica holds a complete snapshot.
using DirectoryAccess = std::function<std::shared_ptr<const DirectoryState>()>;

class BookingHandler {
 public:
  BookingHandler(std::unique_ptr<BookingStore> store, common::Clock clock,
                 DirectoryAccess directory);

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

  // For WatchChanges streams and housekeeping.
  common::GuardedStore<BookingStore>& store() { return store_; }

 private:
  const ProposalSigner signer_;
  common::GuardedStore<BookingStore> store_;
  const DirectoryAccess directory_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_HANDLER_H_
