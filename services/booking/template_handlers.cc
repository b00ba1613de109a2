// BookingHandler: programme templates. The shipped ones are read-only;
// coordinators copy them to make their own.
#include "absl/strings/str_cat.h"
#include "services/booking/booking_handler.h"
#include "services/booking/ids.h"
#include "services/booking/template_convert.h"
#include "services/booking/validation.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace tandem::booking {

namespace {
constexpr absl::string_view kTemplatesScope = "templates";

// Everything a client may define is checked here, including that the planner
// can represent it.
absl::Status ValidateForPlanning(const v1::ProgrammeTemplate& t) {
  RETURN_IF_ERROR(ValidateProgrammeTemplate(t));
  return ToPlannerTemplate(t).status();
}

absl::Status RefuseShipped(const v1::ProgrammeTemplate& t) {
  if (!t.shipped()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "programme template: shipped templates cannot be changed or deleted; "
      "create a copy instead");
}
}  // namespace

absl::Status BookingHandler::GetProgrammeTemplate(
    const Caller&, const v1::GetProgrammeTemplateRequest& request,
    v1::GetProgrammeTemplateResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTemplatePrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_programme_template(),
                   store->GetTemplate(id));
  return absl::OkStatus();
}

absl::Status BookingHandler::ListProgrammeTemplates(
    const Caller&, const v1::ListProgrammeTemplatesRequest& request,
    v1::ListProgrammeTemplatesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kTemplatesScope, request.page_token()));
  if (!v1::ProgrammeKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError("kind: unknown programme kind");
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page,
                   store->ListTemplates({request.kind()}, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kTemplatesScope, revision,
                           response->mutable_programme_templates(), response);
  return absl::OkStatus();
}

absl::Status BookingHandler::CreateProgrammeTemplate(
    const Caller&, const v1::CreateProgrammeTemplateRequest& request,
    v1::CreateProgrammeTemplateResponse* response) {
  v1::ProgrammeTemplate t = request.programme_template();
  t.clear_shipped();
  RETURN_IF_ERROR(ValidateForPlanning(t));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateProgrammeTemplateResponse>(
          "CreateProgrammeTemplate", request, request.request_id(),
          [&](BookingStore* store, absl::Time now)
              -> absl::StatusOr<v1::CreateProgrammeTemplateResponse> {
            v1::CreateProgrammeTemplateResponse out;
            ASSIGN_OR_RETURN(*out.mutable_programme_template(),
                             store->InsertTemplate(t, now));
            return out;
          }));
  live_.Invalidate();  // the planner's view includes every template
  return absl::OkStatus();
}

absl::Status BookingHandler::UpdateProgrammeTemplate(
    const Caller&, const v1::UpdateProgrammeTemplateRequest& request,
    v1::UpdateProgrammeTemplateResponse* response) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(kTemplatePrefix, request.programme_template().id(),
                           "programme_template.id"));
  RETURN_IF_ERROR(common::ValidateUpdateMask(request.update_mask(),
                                             request.programme_template(),
                                             {"id", "shipped", "update_time"}));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateProgrammeTemplateResponse>(
          "UpdateProgrammeTemplate", request, request.request_id(),
          [&](BookingStore* store, absl::Time now)
              -> absl::StatusOr<v1::UpdateProgrammeTemplateResponse> {
            ASSIGN_OR_RETURN(v1::ProgrammeTemplate t, store->GetTemplate(id));
            RETURN_IF_ERROR(RefuseShipped(t));
            common::ApplyUpdateMask(request.programme_template(),
                                    request.update_mask(), &t);
            RETURN_IF_ERROR(ValidateForPlanning(t));
            v1::UpdateProgrammeTemplateResponse out;
            ASSIGN_OR_RETURN(*out.mutable_programme_template(),
                             store->UpdateTemplate(id, std::move(t), now));
            return out;
          }));
  live_.Invalidate();  // the planner's view includes every template
  return absl::OkStatus();
}

absl::Status BookingHandler::DeleteProgrammeTemplate(
    const Caller&, const v1::DeleteProgrammeTemplateRequest& request,
    v1::DeleteProgrammeTemplateResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTemplatePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::DeleteProgrammeTemplateResponse>(
          "DeleteProgrammeTemplate", request, request.request_id(),
          [&](BookingStore* store, absl::Time now)
              -> absl::StatusOr<v1::DeleteProgrammeTemplateResponse> {
            ASSIGN_OR_RETURN(v1::ProgrammeTemplate t, store->GetTemplate(id));
            RETURN_IF_ERROR(RefuseShipped(t));
            ASSIGN_OR_RETURN(bool in_use, store->TemplateInUse(id));
            if (in_use) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "programme template ", t.id(),
                  " is used by an intensive that is held, booked, in "
                  "progress or needs attention"));
            }
            RETURN_IF_ERROR(store->DeleteTemplate(id, now));
            return v1::DeleteProgrammeTemplateResponse();
          }));
  live_.Invalidate();  // the planner's view includes every template
  return absl::OkStatus();
}

}  // namespace tandem::booking
