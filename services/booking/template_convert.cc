#include "services/booking/template_convert.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "scheduler/programme_template.h"

namespace tandem::booking {

namespace {

namespace sch = ::tandem::scheduler;

v1::ProgrammeKind KindOf(const sch::ProgrammeTemplate& t) {
  if (t.id == sch::kWeeklyId || t.id.rfind("weekly-", 0) == 0) {
    return v1::PROGRAMME_KIND_WEEKLY;
  }
  if (t.id == sch::kIndividualId) return v1::PROGRAMME_KIND_INDIVIDUAL;
  return v1::PROGRAMME_KIND_INTENSIVE;
}

v1::SessionParticipants ToProto(sch::Participants p) {
  switch (p) {
    case sch::Participants::kBothPartners:
      return v1::SESSION_PARTICIPANTS_BOTH_PARTNERS;
    case sch::Participants::kPartnerA:
      return v1::SESSION_PARTICIPANTS_PARTNER_A;
    case sch::Participants::kPartnerB:
      return v1::SESSION_PARTICIPANTS_PARTNER_B;
  }
  return v1::SESSION_PARTICIPANTS_UNSPECIFIED;
}

v1::TherapistRule ToProto(sch::TherapistRole role) {
  switch (role) {
    case sch::TherapistRole::kBoth:
      return v1::THERAPIST_RULE_BOTH;
    case sch::TherapistRole::kMale:
      return v1::THERAPIST_RULE_MALE;
    case sch::TherapistRole::kFemale:
      return v1::THERAPIST_RULE_FEMALE;
    case sch::TherapistRole::kEither:
      return v1::THERAPIST_RULE_EITHER;
    case sch::TherapistRole::kSameSexAsPartner:
      return v1::THERAPIST_RULE_SAME_SEX_AS_PARTNER;
    case sch::TherapistRole::kOtherSexThanPartner:
      return v1::THERAPIST_RULE_OTHER_SEX_THAN_PARTNER;
  }
  return v1::THERAPIST_RULE_UNSPECIFIED;
}

v1::SessionRoomKind ToProto(sch::RoomKind kind) {
  return kind == sch::RoomKind::kJoint ? v1::SESSION_ROOM_KIND_JOINT
                                       : v1::SESSION_ROOM_KIND_INDIVIDUAL;
}

v1::SessionKind SessionKindOf(const sch::SessionTemplate& s,
                              v1::ProgrammeKind programme) {
  if (s.participants == sch::Participants::kBothPartners) {
    return s.key == "round-table" ? v1::SESSION_KIND_ROUND_TABLE
                                  : v1::SESSION_KIND_JOINT;
  }
  return programme == v1::PROGRAMME_KIND_INDIVIDUAL
             ? v1::SESSION_KIND_INDIVIDUAL
             : v1::SESSION_KIND_INDIVIDUAL_ASSESSMENT;
}

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

}  // namespace

v1::ProgrammeTemplate ShippedTemplateToProto(
    const sch::ProgrammeTemplate& shipped) {
  v1::ProgrammeTemplate out;
  out.set_display_name(shipped.name);
  out.set_kind(KindOf(shipped));
  out.set_max_span_days(shipped.max_span_days);
  out.set_referral_clearance_required(out.kind() ==
                                      v1::PROGRAMME_KIND_INTENSIVE);
  out.set_shipped(true);
  for (const std::string& q : shipped.required_qualifications) {
    out.add_required_qualifications(q);
  }
  for (size_t d = 0; d < shipped.days.size(); ++d) {
    const sch::DayTemplate& day = shipped.days[d];
    v1::TemplateDay* api_day = out.add_days();
    api_day->set_day_number(static_cast<int32_t>(d + 1));
    if (d > 0)
      api_day->set_min_days_after_previous(day.min_days_after_previous);
    for (const sch::SessionTemplate& s : day.sessions) {
      v1::TemplateSession* api = api_day->add_sessions();
      api->set_key(s.key);
      api->set_kind(SessionKindOf(s, out.kind()));
      api->mutable_duration()->set_seconds(int64_t{s.duration_minutes} * 60);
      api->set_participants(ToProto(s.participants));
      api->set_therapists(ToProto(s.therapists));
      api->set_room_kind(ToProto(s.room_kind));
      api->set_parallel_with(s.parallel_with);
      api->set_preferred_day_part(v1::DAY_PART_ANY);
    }
  }
  if (out.kind() == v1::PROGRAMME_KIND_WEEKLY && !shipped.days.empty()) {
    // Meetings 7 days apart mean one a week; closer ones, two.
    const bool twice =
        shipped.days.size() > 1 && shipped.days[1].min_days_after_previous < 7;
    out.set_sessions_per_week(twice ? 2 : 1);
    out.set_weeks(static_cast<int32_t>(shipped.days.size()) /
                  out.sessions_per_week());
  }
  return out;
}

absl::StatusOr<sch::ProgrammeTemplate> ToPlannerTemplate(
    const v1::ProgrammeTemplate& api) {
  sch::ProgrammeTemplate out;
  out.id = api.id();
  out.name = api.display_name();
  out.max_span_days = api.max_span_days();
  out.required_qualifications.assign(api.required_qualifications().begin(),
                                     api.required_qualifications().end());
  for (int d = 0; d < api.days_size(); ++d) {
    const v1::TemplateDay& api_day = api.days(d);
    sch::DayTemplate day;
    day.min_days_after_previous =
        std::max(1, api_day.min_days_after_previous());
    for (int i = 0; i < api_day.sessions_size(); ++i) {
      const v1::TemplateSession& s = api_day.sessions(i);
      const std::string path =
          absl::StrCat("programme_template.days[", d, "].sessions[", i, "]");
      if (s.duration().nanos() != 0 || s.duration().seconds() % 60 != 0) {
        return Invalid(absl::StrCat(path, ".duration"), "whole minutes only");
      }
      sch::SessionTemplate session;
      session.key = s.key();
      session.duration_minutes = static_cast<int>(s.duration().seconds() / 60);
      switch (s.participants()) {
        case v1::SESSION_PARTICIPANTS_PARTNER_A:
          session.participants = sch::Participants::kPartnerA;
          break;
        case v1::SESSION_PARTICIPANTS_PARTNER_B:
          session.participants = sch::Participants::kPartnerB;
          break;
        default:
          session.participants = sch::Participants::kBothPartners;
      }
      switch (s.therapists()) {
        case v1::THERAPIST_RULE_MALE:
          session.therapists = sch::TherapistRole::kMale;
          break;
        case v1::THERAPIST_RULE_FEMALE:
          session.therapists = sch::TherapistRole::kFemale;
          break;
        case v1::THERAPIST_RULE_EITHER:
          session.therapists = sch::TherapistRole::kEither;
          break;
        case v1::THERAPIST_RULE_SAME_SEX_AS_PARTNER:
          session.therapists = sch::TherapistRole::kSameSexAsPartner;
          break;
        case v1::THERAPIST_RULE_OTHER_SEX_THAN_PARTNER:
          session.therapists = sch::TherapistRole::kOtherSexThanPartner;
          break;
        default:
          session.therapists = sch::TherapistRole::kBoth;
      }
      session.room_kind = s.room_kind() == v1::SESSION_ROOM_KIND_INDIVIDUAL
                              ? sch::RoomKind::kIndividual
                              : sch::RoomKind::kJoint;
      session.parallel_with = s.parallel_with();
      day.sessions.push_back(std::move(session));
    }
    out.days.push_back(std::move(day));
  }
  return out;
}

}  // namespace tandem::booking
