#include "services/booking/booking_service.h"

#include "services/common/watch_reactor.h"

namespace tandem::booking {

grpc::ServerWriteReactor<v1::WatchChangesResponse>*
BookingService::WatchChanges(grpc::CallbackServerContext* context,
                             const v1::WatchChangesRequest* request) {
  return common::StartWatch<v1::WatchChangesResponse>(
      context, *request, *gate_, handler_->store());
}

}  // namespace tandem::booking
