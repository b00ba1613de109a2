// BookingHandler: construction and the machinery every booking mutation
// shares: the directory, the live index and how it follows commits, expired
// holds, the conflict check, and ABORTED-with-hint.
#include "services/booking/booking_handler.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "scheduler/free_check.h"
#include "services/booking/claims.h"
#include "services/booking/ids.h"
#include "services/booking/intensive_lifecycle.h"
#include "services/booking/planner_snapshot.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace sch = ::tandem::scheduler;

BookingHandler::BookingHandler(std::unique_ptr<BookingStore> store,
                               common::Clock clock, DirectoryAccess directory,
                               BookingOptions options)
    : options_(options),
      signer_(store->proposal_key()),
      store_(std::move(store), std::move(clock)),
      directory_(std::move(directory)) {}

absl::StatusOr<std::shared_ptr<const DirectoryState>>
BookingHandler::Directory() const {
  std::shared_ptr<const DirectoryState> directory =
      directory_ ? directory_() : nullptr;
  if (directory == nullptr) {
    return absl::UnavailableError(
        "the directory is not replicated yet; retry shortly");
  }
  return directory;
}

void BookingHandler::Apply(const IndexEffects& effects) {
  if (effects.invalidate) live_.Invalidate();
  live_.Write([&](sch::AvailabilityIndex& index) {
    for (const std::string& id : effects.release) {
      index.Release(id).IgnoreError();  // NOT_FOUND: nothing held
    }
    for (const sch::Plan& plan : effects.commit) {
      // Unknown resources cannot happen for a plan just checked against
      // this index; if they did, the next rebuild repairs the view.
      if (!index.Commit(plan).ok()) live_.Invalidate();
    }
  });
}

absl::Status BookingHandler::EnsureLive(BookingStore& store, absl::Time now) {
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  if (live_.IsCurrent(directory->revision, today)) return absl::OkStatus();

  LiveAvailability::Inputs inputs;
  inputs.directory = directory;
  inputs.today = today;
  common::PageCursor after;
  while (true) {
    ASSIGN_OR_RETURN(auto page, store.ListTemplates({}, after, 1000));
    for (v1::ProgrammeTemplate& t : page.items)
      inputs.templates.push_back(std::move(t));
    if (!page.next) break;
    after = *page.next;
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                   store.IntensiveIds({v1::INTENSIVE_STATUS_HELD,
                                       v1::INTENSIVE_STATUS_BOOKED,
                                       v1::INTENSIVE_STATUS_IN_PROGRESS,
                                       v1::INTENSIVE_STATUS_NEEDS_ATTENTION}));
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(v1::Intensive intensive, store.GetIntensive(id));
    ASSIGN_OR_RETURN(int64_t couple_id,
                     ParseId(kCouplePrefix, intensive.couple_id(), "couple"));
    ASSIGN_OR_RETURN(v1::Couple couple, store.GetCouple(couple_id));
    ASSIGN_OR_RETURN(sch::Plan plan, IntensiveToPlan(intensive, couple, zone));
    inputs.booked.push_back(std::move(plan));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Appointment> appointments,
                   store.LiveAppointments(now));
  for (const v1::Appointment& a : appointments) {
    inputs.booked.push_back(AppointmentToPlan(a, zone));
  }
  return live_.Rebuild(inputs);
}

absl::Status BookingHandler::ExpireHolds(BookingStore& store, absl::Time now,
                                         IndexEffects& effects) {
  ASSIGN_OR_RETURN(std::vector<int64_t> expired, store.ExpiredHolds(now));
  for (int64_t id : expired) {
    ASSIGN_OR_RETURN(v1::Intensive intensive, store.GetIntensive(id));
    Cancel(intensive, v1::CANCEL_REASON_HOLD_EXPIRED, kSystemActor, now);
    RETURN_IF_ERROR(
        store.SaveIntensive(intensive, v1::INTENSIVE_EVENT_CANCELLED, now)
            .status());
    effects.release.push_back(intensive.id());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Conflict>> BookingHandler::Conflicts(
    BookingStore& store, const std::vector<Claim>& claims,
    const sch::Plan& plan, absl::string_view own_booking,
    const IndexEffects& pending) {
  ASSIGN_OR_RETURN(std::vector<v1::Conflict> conflicts,
                   store.FindConflicts(claims, own_booking));
  if (!conflicts.empty()) return conflicts;
  // Nothing booked in the way: ask the live index about the directory
  // (absences, outages, closures, hours, deactivation, daily caps). The
  // bookings this transaction frees are set aside while the plan is
  // checked, and put back: the index follows only committed changes.
  std::vector<std::string> set_aside = pending.release;
  if (!own_booking.empty()) set_aside.emplace_back(own_booking);
  std::vector<sch::Clash> clashes;
  live_.Write([&](sch::AvailabilityIndex& index) {
    std::vector<sch::Plan> kept;
    for (const std::string& id : set_aside) {
      if (const sch::Plan* held = index.FindPlan(id)) {
        kept.push_back(*held);
        index.Release(id).IgnoreError();
      }
    }
    clashes = sch::FindClashes(index, plan);
    for (const sch::Plan& p : kept) index.Commit(p).IgnoreError();
  });
  if (clashes.empty()) return conflicts;
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  for (const sch::Clash& clash : clashes) {
    v1::Conflict conflict;
    switch (clash.kind) {
      case sch::Clash::Kind::kTherapistBusy:
        conflict.set_kind(v1::CONFLICT_KIND_ABSENCE);
        break;
      case sch::Clash::Kind::kRoomBusy:
        conflict.set_kind(v1::CONFLICT_KIND_ROOM_OUTAGE);
        break;
      case sch::Clash::Kind::kDailyCap:
        conflict.set_kind(v1::CONFLICT_KIND_DAILY_CAP);
        break;
      case sch::Clash::Kind::kOutsideHorizon:
        conflict.set_kind(v1::CONFLICT_KIND_OUTSIDE_HOURS);
        break;
      default:
        conflict.set_kind(v1::CONFLICT_KIND_NOT_ELIGIBLE);
    }
    conflict.set_resource_id(clash.resource_id);
    const sch::PlannedSession& s = plan.sessions[clash.session_index];
    const absl::CivilMinute midnight(s.date);
    *conflict.mutable_start_time() =
        common::ToProto(absl::FromCivil(midnight + s.start_minute, zone));
    *conflict.mutable_end_time() =
        common::ToProto(absl::FromCivil(midnight + s.end_minute, zone));
    conflicts.push_back(std::move(conflict));
  }
  return conflicts;
}

absl::Status BookingHandler::ReadProposalInputs(
    int64_t couple_id, int64_t template_id,
    absl::string_view except_intensive, ProposalInputs& inputs) {
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(inputs.couple, store->GetCouple(couple_id));
  ASSIGN_OR_RETURN(inputs.programme, store->GetTemplate(template_id));
  ReferralFilter filter;
  filter.couple_id = couple_id;
  common::PageCursor after{0, 0};
  while (true) {  // a couple has a handful of referrals
    ASSIGN_OR_RETURN(auto page, store->ListReferrals(filter, after, 100));
    for (v1::Referral& r : page.items) inputs.referrals.push_back(std::move(r));
    if (!page.next) break;
    after = *page.next;
  }
  // The couple cannot attend two programmes at once: the days of its other
  // live intensives are planned around like blackout dates.
  IntensiveFilter mine;
  mine.couple_id = couple_id;
  mine.statuses = {v1::INTENSIVE_STATUS_HELD, v1::INTENSIVE_STATUS_BOOKED,
                   v1::INTENSIVE_STATUS_IN_PROGRESS,
                   v1::INTENSIVE_STATUS_NEEDS_ATTENTION};
  common::PageCursor cursor;
  while (true) {
    ASSIGN_OR_RETURN(auto page, store->ListIntensives(mine, cursor, 100));
    for (const v1::Intensive& other : page.items) {
      if (other.id() == except_intensive) continue;
      tandem::common::v1::DateRange* busy =
          inputs.couple.add_blackout_dates();
      *busy->mutable_start_date() = other.start_date();
      *busy->mutable_end_date() = other.end_date();
    }
    if (!page.next) break;
    cursor = *page.next;
  }
  return absl::OkStatus();
}

absl::Status BookingHandler::PlanTaken(
    absl::string_view message, const std::string& couple_id,
    const v1::Plan& plan, const std::vector<v1::Conflict>& conflicts) {
  v1::ProposalHint hint;
  for (const v1::Conflict& c : conflicts) *hint.add_conflicts() = c;
  // Fresh plans for the same couple and template, from the original start
  // over four weeks, preferring the same team.
  v1::ProposeIntensiveRequest again;
  again.set_couple_id(couple_id);
  again.set_template_id(plan.template_id());
  again.set_max_plans(3);
  const absl::Time now = store_.Now();
  absl::StatusOr<std::shared_ptr<const DirectoryState>> directory =
      Directory();
  absl::StatusOr<absl::TimeZone> zone =
      directory.ok() ? ClinicTimeZone(**directory)
                     : absl::StatusOr<absl::TimeZone>(directory.status());
  absl::StatusOr<absl::CivilDay> start =
      common::DayFromProto(plan.start_date(), "plan.start_date");
  if (zone.ok() && start.ok()) {
    const absl::CivilDay first =
        std::max(*start, absl::ToCivilDay(now, *zone));
    *again.mutable_earliest_start() = common::DayToProto(first);
    *again.mutable_latest_start() = common::DayToProto(first + 27);
    again.mutable_preferences()->set_preferred_team_id(plan.team().team_id());
    v1::ProposeIntensiveResponse fresh;
    if (ProposeIntensive(common::Caller{}, again, &fresh).ok()) {
      *hint.mutable_plans() = fresh.plans();
      if (fresh.has_explanation())
        *hint.mutable_explanation() = fresh.explanation();
    }
  }
  v1::ErrorStatus details;
  details.set_code(static_cast<int>(absl::StatusCode::kAborted));
  details.set_message(std::string(message));
  details.add_details()->PackFrom(hint);
  absl::Status status = absl::AbortedError(message);
  status.SetPayload(common::kStatusDetailsPayload,
                    absl::Cord(details.SerializeAsString()));
  return status;
}

}  // namespace tandem::booking
