// DirectoryHandler: therapists, their absences, and standing teams.
#include "absl/strings/str_cat.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/directory/directory_handler.h"
#include "services/directory/ids.h"
#include "services/directory/validation.h"

namespace tandem::directory {

namespace {
constexpr absl::string_view kTherapistsScope = "therapists";
constexpr absl::string_view kAbsencesScope = "absences";
constexpr absl::string_view kTeamsScope = "teams";
}  // namespace

// ---- Therapists ----

absl::Status DirectoryHandler::GetTherapist(
    const Caller&, const v1::GetTherapistRequest& request,
    v1::GetTherapistResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTherapistPrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_therapist(), store->GetTherapist(id));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ListTherapists(
    const Caller&, const v1::ListTherapistsRequest& request,
    v1::ListTherapistsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kTherapistsScope, request.page_token()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListTherapists(
                                  after, limit, request.include_inactive()));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kTherapistsScope, revision,
                           response->mutable_therapists(), response);
  return absl::OkStatus();
}

absl::Status DirectoryHandler::CreateTherapist(
    const Caller&, const v1::CreateTherapistRequest& request,
    v1::CreateTherapistResponse* response) {
  RETURN_IF_ERROR(ValidateTherapist(request.therapist()));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateTherapistResponse>(
          "CreateTherapist", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateTherapistResponse> {
            v1::CreateTherapistResponse out;
            ASSIGN_OR_RETURN(*out.mutable_therapist(),
                             store->InsertTherapist(request.therapist(), now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::UpdateTherapist(
    const Caller&, const v1::UpdateTherapistRequest& request,
    v1::UpdateTherapistResponse* response) {
  ASSIGN_OR_RETURN(
      int64_t id,
      ParseId(kTherapistPrefix, request.therapist().id(), "therapist.id"));
  RETURN_IF_ERROR(common::ValidateUpdateMask(
      request.update_mask(), request.therapist(), {"id", "update_time"}));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateTherapistResponse>(
          "UpdateTherapist", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::UpdateTherapistResponse> {
            ASSIGN_OR_RETURN(v1::Therapist therapist, store->GetTherapist(id));
            common::ApplyUpdateMask(request.therapist(), request.update_mask(),
                                    &therapist);
            RETURN_IF_ERROR(ValidateTherapist(therapist));
            RETURN_IF_ERROR(store->UpdateTherapist(id, therapist, now));
            v1::UpdateTherapistResponse out;
            ASSIGN_OR_RETURN(*out.mutable_therapist(), store->GetTherapist(id));
            return out;
          }));
  return absl::OkStatus();
}

// ---- Absences ----

absl::Status DirectoryHandler::GetAbsence(const Caller&,
                                          const v1::GetAbsenceRequest& request,
                                          v1::GetAbsenceResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kAbsencePrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_absence(), store->GetAbsence(id));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ListAbsences(
    const Caller&, const v1::ListAbsencesRequest& request,
    v1::ListAbsencesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kAbsencesScope, request.page_token()));
  AbsenceFilter filter;
  if (!request.therapist_id().empty()) {
    ASSIGN_OR_RETURN(
        filter.therapist_id,
        ParseId(kTherapistPrefix, request.therapist_id(), "therapist_id"));
  }
  if (request.has_end_after()) {
    ASSIGN_OR_RETURN(filter.end_after,
                     common::TimeFromProto(request.end_after(), "end_after"));
  }
  if (request.has_start_before()) {
    ASSIGN_OR_RETURN(
        filter.start_before,
        common::TimeFromProto(request.start_before(), "start_before"));
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListAbsences(filter, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kAbsencesScope, revision,
                           response->mutable_absences(), response);
  return absl::OkStatus();
}

absl::Status DirectoryHandler::CreateAbsence(
    const Caller&, const v1::CreateAbsenceRequest& request,
    v1::CreateAbsenceResponse* response) {
  const v1::Absence& absence = request.absence();
  ASSIGN_OR_RETURN(int64_t therapist_id,
                   ParseId(kTherapistPrefix, absence.therapist_id(),
                           "absence.therapist_id"));
  ASSIGN_OR_RETURN(
      Interval interval,
      ValidateInterval(absence.start_time(), absence.end_time(), "absence"));
  RETURN_IF_ERROR(ValidateAbsenceReason(absence.reason()));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateAbsenceResponse>(
          "CreateAbsence", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateAbsenceResponse> {
            // NOT_FOUND names the therapist rather than a constraint.
            RETURN_IF_ERROR(store->GetTherapist(therapist_id).status());
            v1::CreateAbsenceResponse out;
            ASSIGN_OR_RETURN(
                *out.mutable_absence(),
                store->InsertAbsence(absence, therapist_id, interval.start,
                                     interval.end, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::DeleteAbsence(
    const Caller&, const v1::DeleteAbsenceRequest& request,
    v1::DeleteAbsenceResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kAbsencePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::DeleteAbsenceResponse>(
          "DeleteAbsence", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::DeleteAbsenceResponse> {
            RETURN_IF_ERROR(store->DeleteAbsence(id, now));
            return v1::DeleteAbsenceResponse();
          }));
  return absl::OkStatus();
}

// ---- Teams ----

absl::Status DirectoryHandler::GetTeam(const Caller&,
                                       const v1::GetTeamRequest& request,
                                       v1::GetTeamResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTeamPrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_team(), store->GetTeam(id));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::ListTeams(const Caller&,
                                         const v1::ListTeamsRequest& request,
                                         v1::ListTeamsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(kTeamsScope, request.page_token()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListTeams(after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kTeamsScope, revision,
                           response->mutable_teams(), response);
  return absl::OkStatus();
}

absl::Status DirectoryHandler::CreateTeam(const Caller&,
                                          const v1::CreateTeamRequest& request,
                                          v1::CreateTeamResponse* response) {
  const v1::Team& team = request.team();
  ASSIGN_OR_RETURN(int64_t male_id,
                   ParseId(kTherapistPrefix, team.male_therapist_id(),
                           "team.male_therapist_id"));
  ASSIGN_OR_RETURN(int64_t female_id,
                   ParseId(kTherapistPrefix, team.female_therapist_id(),
                           "team.female_therapist_id"));
  if (team.label().size() > 100) {
    return absl::InvalidArgumentError("team.label: at most 100 characters");
  }
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateTeamResponse>(
          "CreateTeam", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateTeamResponse> {
            ASSIGN_OR_RETURN(v1::Therapist male, store->GetTherapist(male_id));
            ASSIGN_OR_RETURN(v1::Therapist female,
                             store->GetTherapist(female_id));
            RETURN_IF_ERROR(ValidateTeamMembers(male, female));
            v1::CreateTeamResponse out;
            ASSIGN_OR_RETURN(*out.mutable_team(),
                             store->InsertTeam(team, male_id, female_id, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status DirectoryHandler::DeleteTeam(const Caller&,
                                          const v1::DeleteTeamRequest& request,
                                          v1::DeleteTeamResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTeamPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::DeleteTeamResponse>(
          "DeleteTeam", request, request.request_id(),
          [&](DirectoryStore* store,
              absl::Time now) -> absl::StatusOr<v1::DeleteTeamResponse> {
            RETURN_IF_ERROR(store->DeleteTeam(id, now));
            return v1::DeleteTeamResponse();
          }));
  return absl::OkStatus();
}

}  // namespace tandem::directory
