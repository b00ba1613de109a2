#include "services/booking/proposal.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scheduler/availability_index.h"
#include "scheduler/planner.h"
#include "services/booking/live_availability.h"
#include "services/booking/planner_snapshot.h"
#include "services/booking/repair_diff.h"
#include "services/booking/referral_rules.h"
#include "services/booking/template_convert.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

namespace sch = ::tandem::scheduler;

v1::ProposeIntensiveResponse Explain(v1::ProposalReasonCode code,
                                     absl::string_view message) {
  v1::ProposeIntensiveResponse response;
  v1::ProposalReason* reason = response.mutable_explanation()->add_reasons();
  reason->set_code(code);
  reason->set_message(std::string(message));
  return response;
}


// Why this couple cannot do this programme at all, if it cannot.
std::optional<v1::ProposeIntensiveResponse> CoupleObstacle(
    const ProposalInputs& in) {
  if (in.couple.archived()) {
    return Explain(v1::PROPOSAL_REASON_CODE_COUPLE_ARCHIVED,
                   "The couple is archived.");
  }
  for (const v1::TemplateDay& day : in.programme.days()) {
    for (const v1::TemplateSession& s : day.sessions()) {
      if (s.participants() == v1::SESSION_PARTICIPANTS_PARTNER_B &&
          !in.couple.has_partner_b()) {
        return Explain(
            v1::PROPOSAL_REASON_CODE_COUPLE_DATA_MISSING,
            "This programme needs two partners; the record has one.");
      }
      const bool by_sex =
          s.therapists() == v1::THERAPIST_RULE_SAME_SEX_AS_PARTNER ||
          s.therapists() == v1::THERAPIST_RULE_OTHER_SEX_THAN_PARTNER;
      const v1::Partner& partner =
          s.participants() == v1::SESSION_PARTICIPANTS_PARTNER_B
              ? in.couple.partner_b()
              : in.couple.partner_a();
      if (by_sex && partner.sex() == v1::SEX_UNSPECIFIED) {
        return Explain(v1::PROPOSAL_REASON_CODE_COUPLE_DATA_MISSING,
                       "This programme pairs partners with therapists by sex; "
                       "record the partners' sex first.");
      }
    }
  }
  return std::nullopt;
}

v1::ProposalReasonCode ToProto(sch::ReasonCode code) {
  switch (code) {
    case sch::ReasonCode::kNoOpenStartDay:
    case sch::ReasonCode::kSpanTooLong:
    case sch::ReasonCode::kBlackoutDates:
      return v1::PROPOSAL_REASON_CODE_NOT_ENOUGH_OPEN_DAYS;
    case sch::ReasonCode::kNoEligibleMale:
    case sch::ReasonCode::kNoEligibleFemale:
      return v1::PROPOSAL_REASON_CODE_NO_LANGUAGE_MATCH;
    case sch::ReasonCode::kNoRoom:
      return v1::PROPOSAL_REASON_CODE_NO_ROOM_AVAILABLE;
    case sch::ReasonCode::kNoFreeMale:
    case sch::ReasonCode::kNoFreeFemale:
    case sch::ReasonCode::kNoCommonTime:
      return v1::PROPOSAL_REASON_CODE_NO_TEAM_AVAILABLE;
  }
  return v1::PROPOSAL_REASON_CODE_UNSPECIFIED;
}

sch::Sex PartnerSex(const v1::Partner& partner, sch::Sex fallback) {
  switch (partner.sex()) {
    case v1::SEX_MALE:
      return sch::Sex::kMale;
    case v1::SEX_FEMALE:
      return sch::Sex::kFemale;
    default:
      return fallback;  // only used by templates that CoupleObstacle allowed
  }
}

absl::StatusOr<sch::Request> ToPlannerRequest(
    const v1::ProposeIntensiveRequest& request, const ProposalInputs& in,
    absl::CivilDay today) {
  sch::Request out;
  out.booking_id = "proposal";
  out.template_id = in.programme.id();
  ASSIGN_OR_RETURN(
      out.earliest_start,
      common::DayFromProto(request.earliest_start(), "earliest_start"));
  ASSIGN_OR_RETURN(
      out.latest_start,
      common::DayFromProto(request.latest_start(), "latest_start"));
  if (out.earliest_start < today) {
    return absl::InvalidArgumentError(
        absl::StrCat("earliest_start: in the past (the clinic's today is ",
                     absl::FormatCivilTime(today), ")"));
  }
  if (out.latest_start < out.earliest_start) {
    return absl::InvalidArgumentError(
        "latest_start: must not be before earliest_start");
  }
  if (out.latest_start - out.earliest_start > kMaxWindowDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("latest_start: at most ", kMaxWindowDays,
                     " days after earliest_start"));
  }
  out.language = in.couple.language();
  out.excluded_therapist_ids.assign(in.couple.excluded_therapist_ids().begin(),
                                    in.couple.excluded_therapist_ids().end());
  for (const tandem::common::v1::DateRange& range :
       in.couple.blackout_dates()) {
    ASSIGN_OR_RETURN(absl::CivilDay first,
                     common::DayFromProto(range.start_date(), "blackout"));
    ASSIGN_OR_RETURN(absl::CivilDay last,
                     common::DayFromProto(range.end_date(), "blackout"));
    // Only days the programme could touch matter.
    if (last < out.earliest_start) continue;
    for (absl::CivilDay d = std::max(first, out.earliest_start);
         d <= last && d <= out.latest_start + in.programme.max_span_days();
         ++d) {
      out.blackout_dates.push_back(d);
    }
  }
  out.partner_a_sex = PartnerSex(in.couple.partner_a(), sch::Sex::kMale);
  out.partner_b_sex = PartnerSex(in.couple.partner_b(), sch::Sex::kFemale);
  switch (request.preferences().day_part()) {
    case v1::DAY_PART_MORNING:
      out.preferences.time_of_day = sch::TimeOfDay::kMorning;
      break;
    case v1::DAY_PART_AFTERNOON:
      out.preferences.time_of_day = sch::TimeOfDay::kAfternoon;
      break;
    default:
      out.preferences.time_of_day = sch::TimeOfDay::kAny;
  }
  const std::string& team_id = request.preferences().preferred_team_id();
  if (!team_id.empty()) {
    auto team = in.directory->teams.find(team_id);
    if (team == in.directory->teams.end()) {
      return absl::InvalidArgumentError(
          "preferences.preferred_team_id: no such standing team");
    }
    out.preferences.standing_team = sch::Team{
        team->second.male_therapist_id(), team->second.female_therapist_id()};
  }
  out.preferences.same_room = request.preferences().same_room_every_day();
  return out;
}

std::string StandingTeamId(const DirectoryState& directory,
                           const sch::Plan& plan) {
  for (const auto& [id, team] : directory.teams) {
    if (team.male_therapist_id() == plan.male_therapist_id &&
        team.female_therapist_id() == plan.female_therapist_id) {
      return id;
    }
  }
  return "";
}

v1::Plan ToProto(const sch::Plan& plan, const DirectoryState& directory,
                 absl::TimeZone zone, absl::Time expire) {
  v1::Plan out;
  v1::TeamAssignment* team = out.mutable_team();
  team->set_team_id(StandingTeamId(directory, plan));
  team->set_male_therapist_id(plan.male_therapist_id);
  team->set_female_therapist_id(plan.female_therapist_id);
  out.set_score(static_cast<double>(plan.score));
  *out.mutable_expire_time() = common::ToProto(expire);
  for (const sch::PlannedSession& s : plan.sessions) {
    v1::PlannedSession* session = out.add_sessions();
    session->set_template_session_key(s.session_key);
    session->set_day_number(s.programme_day);
    *session->mutable_date() = common::DayToProto(s.date);
    const absl::CivilMinute midnight(s.date);
    *session->mutable_start_time() =
        common::ToProto(absl::FromCivil(midnight + s.start_minute, zone));
    *session->mutable_end_time() =
        common::ToProto(absl::FromCivil(midnight + s.end_minute, zone));
    session->add_room_ids(s.room_id);
    for (const std::string& id : s.therapist_ids)
      session->add_therapist_ids(id);
  }
  if (!plan.sessions.empty()) {
    *out.mutable_start_date() = common::DayToProto(plan.sessions.front().date);
    *out.mutable_end_date() = common::DayToProto(plan.sessions.back().date);
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::ProposeIntensiveResponse> ProposeIntensive(
    const v1::ProposeIntensiveRequest& request, const ProposalInputs& in) {
  int max_plans =
      request.max_plans() == 0 ? kDefaultMaxPlans : request.max_plans();
  if (max_plans < 1 || max_plans > kMaxPlans) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_plans: between 1 and ", kMaxPlans));
  }
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*in.directory));
  const absl::CivilDay today = absl::ToCivilDay(in.now, zone);
  ASSIGN_OR_RETURN(sch::Request planner_request,
                   ToPlannerRequest(request, in, today));
  if (auto obstacle = CoupleObstacle(in); obstacle.has_value()) {
    return *std::move(obstacle);
  }

  // A template the planner cannot use is the template's fault: say so
  // (indexes leave such templates out).
  RETURN_IF_ERROR(ToPlannerTemplate(in.programme).status());
  std::optional<sch::AvailabilityIndex> own_index;
  if (in.index == nullptr) {
    ASSIGN_OR_RETURN(own_index,
                     BuildPlannerIndex(*in.directory, today, {in.programme}));
  }
  const sch::AvailabilityIndex& index = in.index ? *in.index : *own_index;
  ASSIGN_OR_RETURN(sch::ProposeResult result,
                   sch::Propose(index, planner_request, max_plans));

  v1::ProposeIntensiveResponse response;
  const absl::Time expire = in.now + kProposalLifetime;
  for (const sch::Plan& plan : result.plans) {
    v1::Plan* out = response.add_plans();
    *out = ToProto(plan, *in.directory, zone, expire);
    out->set_template_id(in.programme.id());
    if (in.repairing != nullptr) {
      out->set_changed_session_count(ChangedSessionCount(*in.repairing, *out));
    }
    in.signer->Sign(in.couple.id(), in.programme, out);
  }
  // Plans may be held while a required referral is pending; confirming
  // waits for it. Say so up front.
  if (std::optional<std::string> open = UnsettledReferral(in.programme,
                                                         in.referrals)) {
    v1::ProposalReason* reason =
        response.mutable_explanation()->add_reasons();
    reason->set_code(v1::PROPOSAL_REASON_CODE_REFERRAL_NOT_SETTLED);
    reason->set_message(absl::StrCat(
        "Referral ", *open,
        " must be cleared or marked not needed before the booking can be "
        "confirmed; plans can be held meanwhile."));
  }
  if (result.explanation.has_value()) {
    v1::Explanation* explanation = response.mutable_explanation();
    for (const sch::Reason& reason : result.explanation->reasons) {
      v1::ProposalReason* out = explanation->add_reasons();
      out->set_code(ToProto(reason.code));
      out->set_message(reason.message);
    }
    if (result.explanation->earliest_start_after_window.has_value()) {
      *explanation->mutable_earliest_alternative_start() =
          common::DayToProto(*result.explanation->earliest_start_after_window);
    }
  }
  return response;
}

}  // namespace tandem::booking
