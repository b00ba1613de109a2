#include "services/followup/plan_builder.h"

#include <algorithm>
#include <utility>

#include "google/protobuf/text_format.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::followup {

namespace {

constexpr char kDefaultTemplate[] = R"pb(
  display_name: "Standard follow-up"
  assignment_rule: ASSIGNMENT_RULE_ALTERNATING
  is_default: true
  steps {
    offset { days: 7 }
    kind: CONTACT_KIND_PHONE_CALL
    duration { seconds: 1200 }
    window_days: 3
  }
  steps {
    offset { months: 1 }
    kind: CONTACT_KIND_OFFICE_VISIT
    duration { seconds: 3600 }
    window_days: 3
  }
  steps {
    offset { months: 3 }
    kind: CONTACT_KIND_PHONE_CALL
    duration { seconds: 1200 }
    window_days: 3
  }
  steps {
    offset { months: 6 }
    kind: CONTACT_KIND_PHONE_CALL
    duration { seconds: 1200 }
    window_days: 3
  }
  steps {
    offset { months: 12 }
    kind: CONTACT_KIND_OFFICE_VISIT
    duration { seconds: 3600 }
    window_days: 3
  }
)pb";

}  // namespace

v1::FollowUpPlanTemplate DefaultTemplate() {
  v1::FollowUpPlanTemplate t;
  google::protobuf::TextFormat::ParseFromString(kDefaultTemplate, &t);
  return t;
}

const std::string& AssignedTherapist(v1::AssignmentRule rule, int index,
                                     const std::string& male_therapist_id,
                                     const std::string& female_therapist_id) {
  switch (rule) {
    case v1::ASSIGNMENT_RULE_MALE_THERAPIST:
      return male_therapist_id;
    case v1::ASSIGNMENT_RULE_FEMALE_THERAPIST:
      return female_therapist_id;
    default:
      return index % 2 == 0 ? female_therapist_id : male_therapist_id;
  }
}

void SetDueDate(absl::CivilDay anchor, ContactRow& row) {
  const absl::CivilDay due = DueDate(anchor, row.offset);
  *row.contact.mutable_due_date() = common::DayToProto(due);
  if (!row.contact.has_scheduled_start_time()) row.day = due;
}

absl::StatusOr<NewPlan> BuildPlan(
    const v1::FollowUpPlanTemplate& t,
    const tandem::booking::v1::Intensive& intensive) {
  ASSIGN_OR_RETURN(
      absl::CivilDay anchor,
      common::DayFromProto(intensive.end_date(), "intensive.end_date"));
  const auto& team = intensive.team();
  if (team.male_therapist_id().empty() || team.female_therapist_id().empty()) {
    return absl::InvalidArgumentError("intensive.team: no therapists");
  }
  NewPlan out;
  v1::FollowUpPlan& plan = out.plan;
  plan.set_intensive_id(intensive.id());
  plan.set_couple_id(intensive.couple_id());
  plan.set_template_id(t.id());
  *plan.mutable_anchor_date() = common::DayToProto(anchor);
  plan.set_male_therapist_id(team.male_therapist_id());
  plan.set_female_therapist_id(team.female_therapist_id());
  plan.set_status(v1::FOLLOW_UP_PLAN_STATUS_ACTIVE);
  for (int i = 0; i < t.steps_size(); ++i) {
    const v1::FollowUpStep& step = t.steps(i);
    ContactRow row;
    row.offset = Offset{step.offset().months(), step.offset().days()};
    row.duration = absl::Seconds(step.duration().seconds());
    row.window_days = step.window_days();
    row.pending = Pending::kBook;
    v1::FollowUpContact& c = row.contact;
    c.set_couple_id(intensive.couple_id());
    c.set_intensive_id(intensive.id());
    c.set_kind(step.kind());
    c.set_status(v1::CONTACT_STATUS_UNSCHEDULED);
    SetDueDate(anchor, row);
    out.contacts.push_back(std::move(row));
  }
  std::stable_sort(
      out.contacts.begin(), out.contacts.end(),
      [](const ContactRow& a, const ContactRow& b) { return a.day < b.day; });
  for (size_t i = 0; i < out.contacts.size(); ++i) {
    v1::FollowUpContact& c = out.contacts[i].contact;
    c.set_sequence(static_cast<int>(i) + 1);
    c.set_therapist_id(AssignedTherapist(
        t.assignment_rule(), static_cast<int>(i), team.male_therapist_id(),
        team.female_therapist_id()));
  }
  return out;
}

}  // namespace tandem::followup
