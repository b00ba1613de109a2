#include "scheduler/programme_template.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tandem::scheduler {
namespace {

SessionTemplate Joint(std::string key, int minutes) {
  return {.key = std::move(key),
          .duration_minutes = minutes,
          .participants = Participants::kBothPartners,
          .therapists = TherapistRole::kBoth,
          .room_kind = RoomKind::kJoint};
}

SessionTemplate Individual(std::string key, int minutes, Participants who,
                           TherapistRole with, std::string parallel_with) {
  return {.key = std::move(key),
          .duration_minutes = minutes,
          .participants = who,
          .therapists = with,
          .room_kind = RoomKind::kIndividual,
          .parallel_with = std::move(parallel_with)};
}

ProgrammeTemplate TenDayIntensive() {
  ProgrammeTemplate t{.id = std::string(kTenDayIntensiveId),
                      .name = "Ten-day intensive",
                      .max_span_days = 14};
  // Day 1: the couple together, then each partner alone with one therapist,
  // both individual sessions at once (two rooms).
  t.days.push_back(
      {.sessions = {
           Joint("joint-assessment", 90),
           Individual("individual-assessment-a", 60, Participants::kPartnerA,
                      TherapistRole::kMale, ""),
           Individual("individual-assessment-b", 60, Participants::kPartnerB,
                      TherapistRole::kFemale, "individual-assessment-a"),
       }});
  for (int day = 2; day <= 10; ++day) {
    t.days.push_back({.sessions = {Joint("joint", 120)}});
  }
  return t;
}

ProgrammeTemplate Classic1970() {
  ProgrammeTemplate t{.id = std::string(kClassic1970Id),
                      .name = "Classic 1970",
                      .max_span_days = 14};
  t.days.push_back(
      {.sessions = {
           Individual("same-sex-a", 90, Participants::kPartnerA,
                      TherapistRole::kSameSexAsPartner, ""),
           Individual("same-sex-b", 90, Participants::kPartnerB,
                      TherapistRole::kSameSexAsPartner, "same-sex-a")}});
  t.days.push_back(
      {.sessions = {
           Individual("other-sex-a", 90, Participants::kPartnerA,
                      TherapistRole::kOtherSexThanPartner, ""),
           Individual("other-sex-b", 90, Participants::kPartnerB,
                      TherapistRole::kOtherSexThanPartner, "other-sex-a")}});
  t.days.push_back({.sessions = {Joint("round-table", 120)}});
  for (int day = 4; day <= 10; ++day) {
    t.days.push_back({.sessions = {Joint("joint", 120)}});
  }
  return t;
}

ProgrammeTemplate IndividualProgramme() {
  ProgrammeTemplate t{.id = std::string(kIndividualId),
                      .name = "Individual",
                      .max_span_days = 14};
  for (int day = 1; day <= 10; ++day) {
    SessionTemplate s = Joint(day == 1 ? "assessment" : "session", 90);
    s.participants = Participants::kPartnerA;
    t.days.push_back({.sessions = {s}});
  }
  return t;
}

}  // namespace

ProgrammeTemplate WeeklyTemplate(int sessions_per_week, int weeks) {
  sessions_per_week = std::clamp(sessions_per_week, 1, 2);
  weeks = std::max(weeks, 1);
  ProgrammeTemplate t;
  t.id = (sessions_per_week == 1 && weeks == 8)
             ? std::string(kWeeklyId)
             : absl::StrCat("weekly-", sessions_per_week, "x", weeks);
  t.name = absl::StrCat("Weekly (", sessions_per_week, " a week, ", weeks,
                        " weeks)");
  const int total = sessions_per_week * weeks;
  for (int i = 0; i < total; ++i) {
    DayTemplate day{.sessions = {Joint("joint", 90)}};
    day.min_days_after_previous = sessions_per_week == 1 ? 7 : (i % 2 ? 3 : 4);
    t.days.push_back(std::move(day));
  }
  // A week of slack for closures over the whole course.
  t.max_span_days = 7 * weeks + 7;
  return t;
}

const std::vector<ProgrammeTemplate>& ShippedTemplates() {
  static const auto* const kTemplates = new std::vector<ProgrammeTemplate>{
      TenDayIntensive(), Classic1970(), WeeklyTemplate(1, 8),
      IndividualProgramme()};
  return *kTemplates;
}

const ProgrammeTemplate* FindTemplate(
    const std::vector<ProgrammeTemplate>& custom, std::string_view id) {
  for (const auto& t : custom) {
    if (t.id == id) return &t;
  }
  for (const auto& t : ShippedTemplates()) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace tandem::scheduler
