#include "services/booking/live_availability.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/booking/claims.h"
#include "services/booking/planner_snapshot.h"
#include "services/booking/template_convert.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

namespace sch = ::tandem::scheduler;

// Minutes since the local midnight of `day` (sessions never cross midnight).
int LocalMinute(absl::Time t, absl::CivilDay day, absl::TimeZone zone) {
  return static_cast<int>(absl::ToCivilMinute(t, zone) -
                          absl::CivilMinute(day));
}

// A booked Session or a proposed PlannedSession (same field names) in the
// planner's local terms.
template <typename Session>
absl::StatusOr<sch::PlannedSession> ToPlannerSession(const Session& s,
                                                     absl::TimeZone zone,
                                                     absl::string_view field) {
  sch::PlannedSession out;
  out.session_key = s.template_session_key();
  out.programme_day = s.day_number();
  ASSIGN_OR_RETURN(out.date, common::DayFromProto(s.date(), field));
  out.start_minute =
      LocalMinute(common::FromProto(s.start_time()), out.date, zone);
  out.end_minute = LocalMinute(common::FromProto(s.end_time()), out.date, zone);
  if (!s.room_ids().empty()) out.room_id = s.room_ids(0);
  out.therapist_ids.assign(s.therapist_ids().begin(), s.therapist_ids().end());
  return out;
}

}  // namespace

absl::StatusOr<sch::Plan> IntensiveToPlan(const v1::Intensive& intensive,
                                          const v1::Couple& couple,
                                          absl::TimeZone zone) {
  sch::Plan plan;
  plan.booking_id = intensive.id();
  plan.template_id = intensive.template_id();
  plan.male_therapist_id = intensive.team().male_therapist_id();
  plan.female_therapist_id = intensive.team().female_therapist_id();
  plan.language = couple.language();
  plan.excluded_therapist_ids.assign(couple.excluded_therapist_ids().begin(),
                                     couple.excluded_therapist_ids().end());
  for (const v1::Session& s : intensive.sessions()) {
    if (!SessionBlocksTime(s.status())) continue;
    ASSIGN_OR_RETURN(sch::PlannedSession out,
                     ToPlannerSession(s, zone, "session.date"));
    plan.sessions.push_back(std::move(out));
  }
  return plan;
}

absl::StatusOr<sch::Plan> ProposedToPlan(const v1::Plan& proposed,
                                         absl::TimeZone zone) {
  sch::Plan plan;
  plan.booking_id = "proposal";
  plan.template_id = proposed.template_id();
  plan.male_therapist_id = proposed.team().male_therapist_id();
  plan.female_therapist_id = proposed.team().female_therapist_id();
  for (const v1::PlannedSession& s : proposed.sessions()) {
    ASSIGN_OR_RETURN(sch::PlannedSession out,
                     ToPlannerSession(s, zone, "plan.sessions.date"));
    plan.sessions.push_back(std::move(out));
  }
  return plan;
}

sch::Plan AppointmentToPlan(const v1::Appointment& appointment,
                            absl::TimeZone zone) {
  sch::Plan plan;
  plan.booking_id = appointment.id();
  const absl::Time start = common::FromProto(appointment.start_time());
  const absl::Time end = common::FromProto(appointment.end_time());
  sch::PlannedSession s;
  s.date = absl::ToCivilDay(start, zone);
  s.start_minute = LocalMinute(start, s.date, zone);
  // An appointment running past midnight blocks the rest of its first day.
  s.end_minute = std::min(LocalMinute(end, s.date, zone), 24 * 60);
  s.room_id = appointment.room_id();
  s.therapist_ids = {appointment.therapist_id()};
  plan.sessions.push_back(std::move(s));
  return plan;
}

absl::StatusOr<sch::AvailabilityIndex> BuildPlannerIndex(
    const DirectoryState& directory, absl::CivilDay today,
    const std::vector<v1::ProgrammeTemplate>& templates) {
  absl::StatusOr<sch::Snapshot> snapshot = ToPlannerSnapshot(directory, today);
  if (!snapshot.ok()) {
    // Bad directory data is the clinic's to fix, not a bad request.
    return absl::FailedPreconditionError(
        absl::StrCat("the directory cannot be planned with: ",
                     snapshot.status().message()));
  }
  for (const v1::ProgrammeTemplate& t : templates) {
    // A template the planner cannot use is reported when it is proposed.
    absl::StatusOr<sch::ProgrammeTemplate> converted = ToPlannerTemplate(t);
    if (converted.ok()) snapshot->templates.push_back(*std::move(converted));
  }
  absl::StatusOr<sch::AvailabilityIndex> index =
      sch::AvailabilityIndex::Build(*snapshot);
  if (!index.ok()) {
    // The directory holds something the planner cannot use (e.g. opening
    // hours longer than it models): the clinic's data, not the request.
    return absl::FailedPreconditionError(
        absl::StrCat("the clinic's settings cannot be planned with: ",
                     index.status().message()));
  }
  return index;
}

absl::Status LiveAvailability::Rebuild(const Inputs& in) {
  ASSIGN_OR_RETURN(sch::AvailabilityIndex index,
                   BuildPlannerIndex(*in.directory, in.today, in.templates));
  for (const sch::Plan& plan : in.booked) {
    // A booking naming a resource the directory no longer has still blocks
    // the rest of its time: drop only the unknown parts.
    absl::Status committed = index.Commit(plan);
    if (!committed.ok()) {
      sch::Plan known = plan;
      for (sch::PlannedSession& s : known.sessions) {
        std::erase_if(s.therapist_ids, [&](const std::string& id) {
          return index.TherapistIndex(id) < 0;
        });
        if (!s.room_id.empty() && index.RoomIndex(s.room_id) < 0) {
          s.room_id.clear();
        }
      }
      RETURN_IF_ERROR(index.Commit(known));
    }
  }
  std::unique_lock lock(mu_);
  index_ = std::move(index);
  directory_ = in.directory;
  today_ = in.today;
  invalidated_ = false;
  return absl::OkStatus();
}

bool LiveAvailability::IsCurrent(int64_t directory_revision,
                                 absl::CivilDay today) const {
  std::shared_lock lock(mu_);
  return index_.has_value() && !invalidated_ && directory_ != nullptr &&
         directory_->revision == directory_revision && today_ == today;
}

void LiveAvailability::Invalidate() {
  std::unique_lock lock(mu_);
  invalidated_ = true;
}

std::shared_ptr<const DirectoryState> LiveAvailability::directory() const {
  std::shared_lock lock(mu_);
  return directory_;
}

}  // namespace tandem::booking
