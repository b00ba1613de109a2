#include "services/booking/intensive_lifecycle.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

struct SessionShape {
  v1::SessionKind kind;
  v1::SessionParticipants participants;
};

absl::StatusOr<v1::Session> SessionFromPlanned(
    const v1::PlannedSession& planned,
    const std::map<std::string, SessionShape>& shapes, int day_count) {
  auto shape = shapes.find(planned.template_session_key());
  if (shape == shapes.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plan.sessions: unknown template session key '",
        planned.template_session_key(), "'"));
  }
  v1::Session s;
  s.set_template_session_key(planned.template_session_key());
  s.set_kind(shape->second.kind);
  s.set_participants(shape->second.participants);
  s.set_day_number(planned.day_number());
  s.set_day_count(day_count);
  *s.mutable_date() = planned.date();
  *s.mutable_start_time() = planned.start_time();
  *s.mutable_end_time() = planned.end_time();
  *s.mutable_room_ids() = planned.room_ids();
  *s.mutable_therapist_ids() = planned.therapist_ids();
  return s;
}

std::map<std::string, SessionShape> Shapes(
    const v1::ProgrammeTemplate& programme) {
  std::map<std::string, SessionShape> shapes;
  for (const v1::TemplateDay& day : programme.days()) {
    for (const v1::TemplateSession& s : day.sessions()) {
      shapes[s.key()] = {s.kind(), s.participants()};
    }
  }
  return shapes;
}

bool SamePlace(const v1::Session& a, const v1::Session& b) {
  return a.template_session_key() == b.template_session_key() &&
         a.day_number() == b.day_number() &&
         common::FromProto(a.start_time()) == common::FromProto(b.start_time()) &&
         common::FromProto(a.end_time()) == common::FromProto(b.end_time()) &&
         std::equal(a.room_ids().begin(), a.room_ids().end(),
                    b.room_ids().begin(), b.room_ids().end()) &&
         std::equal(a.therapist_ids().begin(), a.therapist_ids().end(),
                    b.therapist_ids().begin(), b.therapist_ids().end());
}

void SetLiveSessions(v1::Intensive& intensive, v1::SessionStatus status) {
  for (v1::Session& s : *intensive.mutable_sessions()) {
    if (s.status() != v1::SESSION_STATUS_CANCELLED &&
        s.status() != v1::SESSION_STATUS_COMPLETED) {
      s.set_status(status);
    }
  }
}

}  // namespace

bool IsFinal(v1::IntensiveStatus status) {
  return status == v1::INTENSIVE_STATUS_COMPLETED ||
         status == v1::INTENSIVE_STATUS_CANCELLED;
}

void RecordTransition(v1::Intensive& intensive, v1::IntensiveEvent event,
                      absl::string_view actor, absl::Time now) {
  v1::StatusChange* entry = intensive.add_status_history();
  entry->set_status(intensive.status());
  entry->set_event(event);
  entry->set_actor(std::string(actor));
  *entry->mutable_change_time() = common::ToProto(now);
  if (event == v1::INTENSIVE_EVENT_CANCELLED) {
    entry->set_cancel_reason(intensive.cancel_reason());
  }
  if (event == v1::INTENSIVE_EVENT_NEEDS_ATTENTION) {
    entry->set_attention_reason(intensive.attention_reason());
  }
}

absl::StatusOr<v1::Intensive> IntensiveFromPlan(
    const v1::Plan& plan, const v1::Couple& couple,
    const v1::ProgrammeTemplate& programme) {
  v1::Intensive intensive;
  intensive.set_couple_id(couple.id());
  intensive.set_template_id(programme.id());
  intensive.set_template_display_name(programme.display_name());
  intensive.set_kind(programme.kind());
  intensive.set_status(v1::INTENSIVE_STATUS_HELD);
  return ApplyPlan(std::move(intensive), plan, programme);
}

absl::StatusOr<v1::Intensive> ApplyPlan(
    v1::Intensive intensive, const v1::Plan& plan,
    const v1::ProgrammeTemplate& programme) {
  const std::map<std::string, SessionShape> shapes = Shapes(programme);
  const v1::SessionStatus fresh =
      intensive.status() == v1::INTENSIVE_STATUS_HELD
          ? v1::SESSION_STATUS_TENTATIVE
          : v1::SESSION_STATUS_SCHEDULED;
  std::vector<v1::Session> old(intensive.sessions().begin(),
                               intensive.sessions().end());
  intensive.clear_sessions();
  for (const v1::PlannedSession& planned : plan.sessions()) {
    ASSIGN_OR_RETURN(v1::Session s, SessionFromPlanned(planned, shapes,
                                                      programme.days_size()));
    s.set_couple_id(intensive.couple_id());
    s.set_intensive_id(intensive.id());
    s.set_status(fresh);
    for (auto it = old.begin(); it != old.end(); ++it) {
      if (SamePlace(*it, s)) {
        s.set_id(it->id());
        s.set_status(it->status());
        old.erase(it);
        break;
      }
    }
    *intensive.add_sessions() = std::move(s);
  }
  *intensive.mutable_team() = plan.team();
  *intensive.mutable_start_date() = plan.start_date();
  *intensive.mutable_end_date() = plan.end_date();
  return intensive;
}

v1::IntensiveStatus StatusBeforeAttention(const v1::Intensive& intensive,
                                          absl::Time now) {
  v1::IntensiveStatus before = v1::INTENSIVE_STATUS_BOOKED;
  for (const v1::StatusChange& entry : intensive.status_history()) {
    if (entry.status() != v1::INTENSIVE_STATUS_NEEDS_ATTENTION) {
      before = entry.status();
    }
  }
  if (before == v1::INTENSIVE_STATUS_BOOKED && !intensive.sessions().empty() &&
      common::FromProto(intensive.sessions(0).start_time()) <= now) {
    return v1::INTENSIVE_STATUS_IN_PROGRESS;
  }
  return before;
}

std::string DescribeStatus(const v1::Intensive& intensive) {
  std::string name = v1::IntensiveStatus_Name(intensive.status());
  absl::string_view short_name = name;
  absl::ConsumePrefix(&short_name, "INTENSIVE_STATUS_");
  name = std::string(short_name);
  if (intensive.cancel_reason() == v1::CANCEL_REASON_HOLD_EXPIRED) {
    absl::StrAppend(&name, " (the hold expired)");
  }
  return name;
}

void Confirm(v1::Intensive& intensive, absl::string_view actor,
             absl::Time now) {
  intensive.set_status(v1::INTENSIVE_STATUS_BOOKED);
  intensive.clear_expire_time();
  SetLiveSessions(intensive, v1::SESSION_STATUS_SCHEDULED);
  RecordTransition(intensive, v1::INTENSIVE_EVENT_CONFIRMED, actor, now);
}

void Cancel(v1::Intensive& intensive, v1::CancelReason reason,
            absl::string_view actor, absl::Time now) {
  intensive.set_status(v1::INTENSIVE_STATUS_CANCELLED);
  intensive.set_cancel_reason(reason);
  intensive.clear_attention_reason();
  intensive.clear_expire_time();
  for (v1::Session& s : *intensive.mutable_sessions()) {
    if (s.status() == v1::SESSION_STATUS_CANCELLED) continue;
    // What has already started took place; the rest is released.
    const bool started = common::FromProto(s.start_time()) <= now &&
                         s.status() != v1::SESSION_STATUS_TENTATIVE;
    s.set_status(started ? v1::SESSION_STATUS_COMPLETED
                         : v1::SESSION_STATUS_CANCELLED);
  }
  RecordTransition(intensive, v1::INTENSIVE_EVENT_CANCELLED, actor, now);
}

void Start(v1::Intensive& intensive, absl::Time now) {
  intensive.set_status(v1::INTENSIVE_STATUS_IN_PROGRESS);
  RecordTransition(intensive, v1::INTENSIVE_EVENT_STARTED, kSystemActor, now);
}

void Complete(v1::Intensive& intensive, absl::Time now) {
  intensive.set_status(v1::INTENSIVE_STATUS_COMPLETED);
  SetLiveSessions(intensive, v1::SESSION_STATUS_COMPLETED);
  RecordTransition(intensive, v1::INTENSIVE_EVENT_COMPLETED, kSystemActor,
                   now);
}

}  // namespace tandem::booking
