// DirectoryHandler: rooms and their out-of-service intervals.
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/directory/directory_handler.h"
#include "services/directory/ids.h"
#include "services/directory/validation.h"

namespace tandem::directory {

namespace {
constexpr absl::string_view kRoomsScope = "rooms";
constexpr absl::string_view kRoomOutagesScope = "room_outages";
}  // namespace

absl::Status DirectoryHandler::GetRoom(const Caller&,
                                       const v1::GetRoomRequest& request,
                                       v1::GetRoomResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kRoomPrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_room(), store->GetRoom(id));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ListRooms(const Caller&,
                                         const v1::ListRoomsRequest& request,
                                         v1::ListRoomsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(kRoomsScope, request.page_token()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page,
                   store->ListRooms(after, limit, request.include_inactive()));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kRoomsScope, revision,
                           response->mutable_rooms(), response);
  return absl::OkStatus();
}

absl::Status DirectoryHandler::CreateRoom(const Caller&,
                                          const v1::CreateRoomRequest& request,
                                          v1::CreateRoomResponse* response) {
  RETURN_IF_ERROR(ValidateRoom(request.room()));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateRoomResponse>(
          "CreateRoom", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateRoomResponse> {
            v1::CreateRoomResponse out;
            ASSIGN_OR_RETURN(*out.mutable_room(),
                             store->InsertRoom(request.room(), now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::UpdateRoom(const Caller&,
                                          const v1::UpdateRoomRequest& request,
                                          v1::UpdateRoomResponse* response) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(kRoomPrefix, request.room().id(), "room.id"));
  RETURN_IF_ERROR(common::ValidateUpdateMask(
      request.update_mask(), request.room(), {"id", "update_time"}));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateRoomResponse>(
          "UpdateRoom", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::UpdateRoomResponse> {
            ASSIGN_OR_RETURN(v1::Room room, store->GetRoom(id));
            common::ApplyUpdateMask(request.room(), request.update_mask(),
                                    &room);
            RETURN_IF_ERROR(ValidateRoom(room));
            RETURN_IF_ERROR(store->UpdateRoom(id, room, now));
            v1::UpdateRoomResponse out;
            ASSIGN_OR_RETURN(*out.mutable_room(), store->GetRoom(id));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ListRoomOutages(
    const Caller&, const v1::ListRoomOutagesRequest& request,
    v1::ListRoomOutagesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kRoomOutagesScope, request.page_token()));
  std::optional<int64_t> room_id;
  if (!request.room_id().empty()) {
    ASSIGN_OR_RETURN(room_id,
                     ParseId(kRoomPrefix, request.room_id(), "room_id"));
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListRoomOutages(room_id, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kRoomOutagesScope, revision,
                           response->mutable_room_outages(), response);
  return absl::OkStatus();
}

absl::Status DirectoryHandler::CreateRoomOutage(
    const Caller&, const v1::CreateRoomOutageRequest& request,
    v1::CreateRoomOutageResponse* response) {
  const v1::RoomOutage& outage = request.room_outage();
  ASSIGN_OR_RETURN(int64_t room_id, ParseId(kRoomPrefix, outage.room_id(),
                                            "room_outage.room_id"));
  ASSIGN_OR_RETURN(
      Interval interval,
      ValidateInterval(outage.start_time(), outage.end_time(), "room_outage"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateRoomOutageResponse>(
          "CreateRoomOutage", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateRoomOutageResponse> {
            RETURN_IF_ERROR(store->GetRoom(room_id).status());
            v1::CreateRoomOutageResponse out;
            ASSIGN_OR_RETURN(
                *out.mutable_room_outage(),
                store->InsertRoomOutage(outage, room_id, interval.start,
                                        interval.end, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::DeleteRoomOutage(
    const Caller&, const v1::DeleteRoomOutageRequest& request,
    v1::DeleteRoomOutageResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kRoomOutagePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::DeleteRoomOutageResponse>(
          "DeleteRoomOutage", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::DeleteRoomOutageResponse> {
            RETURN_IF_ERROR(store->DeleteRoomOutage(id, now));
            return v1::DeleteRoomOutageResponse();
          }));
  return absl::OkStatus();
}

}  // namespace tandem::directory
