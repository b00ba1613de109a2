// DirectoryHandler: clinic settings and the clinic calendar (closures).
#include "absl/strings/str_cat.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/directory/directory_handler.h"
#include "services/directory/ics_import.h"
#include "services/directory/ids.h"
#include "services/directory/validation.h"

namespace tandem::directory {

namespace {
constexpr absl::string_view kClosuresScope = "closures";
}  // namespace

DirectoryHandler::DirectoryHandler(std::unique_ptr<DirectoryStore> store,
                                   common::Clock clock)
    : store_(std::move(store), std::move(clock)) {}

absl::Status DirectoryHandler::GetClinicSettings(
    const Caller&, const v1::GetClinicSettingsRequest&,
    v1::GetClinicSettingsResponse* response) {
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_settings(), store->GetClinicSettings());
  return absl::OkStatus();
}

absl::Status DirectoryHandler::UpdateClinicSettings(
    const Caller&, const v1::UpdateClinicSettingsRequest& request,
    v1::UpdateClinicSettingsResponse* response) {
  RETURN_IF_ERROR(common::ValidateUpdateMask(
      request.update_mask(), request.settings(), {"id", "update_time"}));
  ASSIGN_OR_RETURN(
      *response, store_.Mutate<v1::UpdateClinicSettingsResponse>(
                     "UpdateClinicSettings", request, request.request_id(),
                     [&](DirectoryStore* store, absl::Time now)
                         -> absl::StatusOr<v1::UpdateClinicSettingsResponse> {
                       ASSIGN_OR_RETURN(v1::ClinicSettings settings,
                                        store->GetClinicSettings());
                       common::ApplyUpdateMask(request.settings(),
                                               request.update_mask(),
                                               &settings);
                       RETURN_IF_ERROR(ValidateClinicSettings(settings));
                       RETURN_IF_ERROR(store->PutClinicSettings(settings, now));
                       v1::UpdateClinicSettingsResponse out;
                       ASSIGN_OR_RETURN(*out.mutable_settings(),
                                        store->GetClinicSettings());
                       return out;
                     }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ListClosures(
    const Caller&, const v1::ListClosuresRequest& request,
    v1::ListClosuresResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kClosuresScope, request.page_token()));
  std::optional<absl::CivilDay> first, last;
  if (request.has_date_range()) {
    ASSIGN_OR_RETURN(first,
                     common::DayFromProto(request.date_range().start_date(),
                                          "date_range.start_date"));
    ASSIGN_OR_RETURN(last, common::DayFromProto(request.date_range().end_date(),
                                                "date_range.end_date"));
    if (*last < *first) {
      return absl::InvalidArgumentError(
          "date_range.end_date: must not be before start_date");
    }
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListClosures(first, last, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kClosuresScope, revision,
                           response->mutable_closures(), response);
  return absl::OkStatus();
}

absl::Status DirectoryHandler::CreateClosure(
    const Caller&, const v1::CreateClosureRequest& request,
    v1::CreateClosureResponse* response) {
  ASSIGN_OR_RETURN(absl::CivilDay day, ValidateClosure(request.closure()));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateClosureResponse>(
          "CreateClosure", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateClosureResponse> {
            v1::CreateClosureResponse out;
            ASSIGN_OR_RETURN(*out.mutable_closure(),
                             store->InsertClosure(request.closure(), day, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::DeleteClosure(
    const Caller&, const v1::DeleteClosureRequest& request,
    v1::DeleteClosureResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kClosurePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::DeleteClosureResponse>(
          "DeleteClosure", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::DeleteClosureResponse> {
            RETURN_IF_ERROR(store->DeleteClosure(id, now));
            return v1::DeleteClosureResponse();
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ImportClosures(
    const Caller&, const v1::ImportClosuresRequest& request,
    v1::ImportClosuresResponse* response) {
  ASSIGN_OR_RETURN(std::vector<HolidayDay> days,
                   ParseHolidayCalendar(request.ics_content()));
  v1::ClosureKind kind = request.kind();
  if (kind == v1::CLOSURE_KIND_UNSPECIFIED)
    kind = v1::CLOSURE_KIND_PUBLIC_HOLIDAY;
  if (!v1::ClosureKind_IsValid(kind)) {
    return absl::InvalidArgumentError(
        "kind: must be PUBLIC_HOLIDAY or ONE_OFF");
  }
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::ImportClosuresResponse>(
          "ImportClosures", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::ImportClosuresResponse> {
            v1::ImportClosuresResponse out;
            for (const HolidayDay& holiday : days) {
              ASSIGN_OR_RETURN(bool exists, store->ClosureExists(holiday.day));
              if (exists) {
                out.set_skipped_existing(out.skipped_existing() + 1);
                continue;
              }
              v1::Closure closure;
              *closure.mutable_date() = common::DayToProto(holiday.day);
              closure.set_kind(kind);
              closure.set_label(holiday.label);
              ASSIGN_OR_RETURN(*out.add_created(),
                               store->InsertClosure(closure, holiday.day, now));
            }
            return out;
          }));
  return absl::OkStatus();
}

}  // namespace tandem::directory
