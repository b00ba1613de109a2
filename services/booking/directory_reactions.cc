// BookingHandler: what the service does by itself. The clock drives holds
// to expiry and intensives to IN_PROGRESS and COMPLETED (Sweep); directory
// changes trigger repair and NEEDS_ATTENTION (OnDirectoryChange).
#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scheduler/free_check.h"
#include "scheduler/repair.h"
#include "services/booking/booking_handler.h"
#include "services/booking/claims.h"
#include "services/booking/ids.h"
#include "services/booking/intensive_lifecycle.h"
#include "services/booking/planner_snapshot.h"
#include "spdlog/spdlog.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

namespace sch = ::tandem::scheduler;
namespace dir = ::tandem::directory::v1;

// A new or changed absence or outage, in clinic-local time.
std::optional<sch::Disruption> DisruptionOf(const dir::Change& change,
                                            absl::TimeZone zone) {
  if (change.kind() != dir::CHANGE_KIND_UPSERT) return std::nullopt;
  if (change.has_absence()) {
    const dir::Absence& a = change.absence();
    return sch::Disruption{
        sch::Disruption::Kind::kTherapistAbsence, a.therapist_id(),
        ToLocalInterval(common::FromProto(a.start_time()),
                        common::FromProto(a.end_time()), zone)};
  }
  if (change.has_room_outage()) {
    const dir::RoomOutage& o = change.room_outage();
    return sch::Disruption{
        sch::Disruption::Kind::kRoomOutage, o.room_id(),
        ToLocalInterval(common::FromProto(o.start_time()),
                        common::FromProto(o.end_time()), zone)};
  }
  return std::nullopt;
}

// Whether every fix for one booking keeps the team and the day, so it can
// be applied without asking anyone.
bool KeepsTeamAndDay(const std::vector<sch::SessionChange>& changes) {
  for (const sch::SessionChange& c : changes) {
    if (!c.after || c.after->date != c.before.date ||
        c.after->therapist_ids != c.before.therapist_ids) {
      return false;
    }
  }
  return true;
}

bool SameSession(const v1::Session& s, const sch::PlannedSession& p,
                 absl::TimeZone zone) {
  const absl::CivilMinute start =
      absl::ToCivilMinute(common::FromProto(s.start_time()), zone);
  return s.template_session_key() == p.session_key &&
         s.day_number() == p.programme_day &&
         start == absl::CivilMinute(p.date) + p.start_minute;
}

// Why a session that FindClashes rejected cannot take place.
v1::AttentionReason ReasonFor(const sch::Clash& clash,
                              const sch::PlannedSession& session,
                              const DirectoryState& directory) {
  for (const auto& [id, closure] : directory.closures) {
    if (closure.date().year() == session.date.year() &&
        closure.date().month() == session.date.month() &&
        closure.date().day() == session.date.day()) {
      return v1::ATTENTION_REASON_CLINIC_CLOSED;
    }
  }
  switch (clash.kind) {
    case sch::Clash::Kind::kTherapistBusy:
      return v1::ATTENTION_REASON_THERAPIST_ABSENT;
    case sch::Clash::Kind::kTherapistInactive:
      return v1::ATTENTION_REASON_THERAPIST_INACTIVE;
    case sch::Clash::Kind::kRoomBusy: {
      auto room = directory.rooms.find(clash.resource_id);
      return room != directory.rooms.end() && !room->second.active()
                 ? v1::ATTENTION_REASON_ROOM_INACTIVE
                 : v1::ATTENTION_REASON_ROOM_OUTAGE;
    }
    case sch::Clash::Kind::kUnknownResource:
      return absl::StartsWith(clash.resource_id, "rm-")
                 ? v1::ATTENTION_REASON_ROOM_INACTIVE
                 : v1::ATTENTION_REASON_THERAPIST_INACTIVE;
    default:
      return v1::ATTENTION_REASON_OUTSIDE_HOURS;
  }
}

}  // namespace

absl::Status BookingHandler::Sweep() {
  // A directory change whose review failed (or a new clinic day) leaves the
  // index behind: review now.
  if (absl::StatusOr<std::shared_ptr<const DirectoryState>> directory =
          Directory();
      directory.ok()) {
    ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(**directory));
    if (!live_.IsCurrent((*directory)->revision,
                         absl::ToCivilDay(store_.Now(), zone))) {
      RETURN_IF_ERROR(OnDirectoryChange(dir::Change()));
    }
  }
  IndexEffects effects;
  return store_.Transact(
      [&](BookingStore* store, absl::Time now) -> absl::Status {
        effects = {};
        RETURN_IF_ERROR(ExpireHolds(*store, now, effects));
        ASSIGN_OR_RETURN(std::vector<int64_t> starting,
                         store->DueToStart(now));
        for (int64_t id : starting) {
          ASSIGN_OR_RETURN(v1::Intensive intensive, store->GetIntensive(id));
          Start(intensive, now);
          RETURN_IF_ERROR(
              store->SaveIntensive(intensive, v1::INTENSIVE_EVENT_STARTED, now)
                  .status());
        }
        ASSIGN_OR_RETURN(std::vector<int64_t> ending,
                         store->DueToComplete(now));
        for (int64_t id : ending) {
          ASSIGN_OR_RETURN(v1::Intensive intensive, store->GetIntensive(id));
          Complete(intensive, now);
          RETURN_IF_ERROR(store->SaveIntensive(intensive,
                                               v1::INTENSIVE_EVENT_COMPLETED,
                                               now)
                              .status());
          effects.release.push_back(intensive.id());
        }
        return absl::OkStatus();
      },
      [&] { Apply(effects); });
}

absl::Status BookingHandler::OnDirectoryChange(const dir::Change& change) {
  absl::Status status = store_.Transact(
      [&](BookingStore* store, absl::Time now) -> absl::Status {
        ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                         Directory());
        ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
        // 1. Repair on the index as it stood before the change.
        std::map<std::string, std::vector<sch::SessionChange>> fixes;
        std::set<std::string> unsaved;
        if (std::optional<sch::Disruption> disruption =
                DisruptionOf(change, zone)) {
          live_.Write([&](sch::AvailabilityIndex& index) {
            absl::StatusOr<sch::RepairResult> repaired =
                sch::Repair(index, *disruption);
            if (!repaired.ok()) return;  // e.g. a therapist the index lacks
            for (sch::SessionChange& c : repaired->changes)
              fixes[c.booking_id].push_back(std::move(c));
            for (const sch::SessionChange& c : repaired->unsaved)
              unsaved.insert(c.booking_id);
          });
        }
        // 2. Apply the fixes that keep the team and the day.
        for (auto& [booking, changes] : fixes) {
          if (unsaved.contains(booking) || !KeepsTeamAndDay(changes)) continue;
          ASSIGN_OR_RETURN(int64_t id,
                           ParseId(kIntensivePrefix, booking, "booking"));
          ASSIGN_OR_RETURN(v1::Intensive intensive, store->GetIntensive(id));
          for (const sch::SessionChange& c : changes) {
            for (v1::Session& s : *intensive.mutable_sessions()) {
              if (!SameSession(s, c.before, zone)) continue;
              const absl::CivilMinute day(c.after->date);
              *s.mutable_start_time() = common::ToProto(
                  absl::FromCivil(day + c.after->start_minute, zone));
              *s.mutable_end_time() = common::ToProto(
                  absl::FromCivil(day + c.after->end_minute, zone));
              s.clear_room_ids();
              s.add_room_ids(c.after->room_id);
            }
          }
          RecordTransition(intensive, v1::INTENSIVE_EVENT_RESCHEDULED,
                           kSystemActor, now);
          RETURN_IF_ERROR(store
                              ->SaveIntensive(std::move(intensive),
                                              v1::INTENSIVE_EVENT_RESCHEDULED,
                                              now)
                              .status());
          spdlog::info(R"("event":"booking_repaired","intensive_id":"{}")",
                       booking);
        }
        // 3. The index from the new directory and the bookings as now stored.
        live_.Invalidate();
        RETURN_IF_ERROR(EnsureLive(*store, now));
        // 4. What is still broken needs attention; what is fine again is
        // resolved.
        return ReviewBookings(*store, *directory, zone, now);
      },
      [] {});
  // A failed transaction may have left the index ahead of the database.
  if (!status.ok()) live_.Invalidate();
  return status;
}

absl::Status BookingHandler::ReviewBookings(BookingStore& store,
                                            const DirectoryState& directory,
                                            absl::TimeZone zone,
                                            absl::Time now) {
  ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                   store.IntensiveIds({v1::INTENSIVE_STATUS_HELD,
                                       v1::INTENSIVE_STATUS_BOOKED,
                                       v1::INTENSIVE_STATUS_IN_PROGRESS,
                                       v1::INTENSIVE_STATUS_NEEDS_ATTENTION}));
  ASSIGN_OR_RETURN(std::vector<int64_t> flagged_ids,
                   store.IntensiveIds({v1::INTENSIVE_STATUS_NEEDS_ATTENTION}));
  const std::set<int64_t> flagged_set(flagged_ids.begin(), flagged_ids.end());
  for (int64_t id : ids) {
    const std::string booking = FormatId(kIntensivePrefix, id);
    std::optional<sch::Plan> plan;
    std::vector<sch::Clash> clashes;
    live_.Write([&](sch::AvailabilityIndex& index) {
      const sch::Plan* held = index.FindPlan(booking);
      if (held == nullptr) return;
      plan = *held;
      index.Release(booking).IgnoreError();
      for (sch::Clash& c : sch::FindClashes(index, *plan)) {
        // Days already past are outside the index; nothing to fix there.
        if (c.kind != sch::Clash::Kind::kOutsideHorizon)
          clashes.push_back(std::move(c));
      }
      index.Commit(*plan).IgnoreError();
    });
    const bool flagged = flagged_set.contains(id);
    if (!plan || (clashes.empty() && !flagged)) continue;  // all is well
    ASSIGN_OR_RETURN(v1::Intensive intensive, store.GetIntensive(id));
    if (clashes.empty()) {  // the cause went away
      intensive.set_status(StatusBeforeAttention(intensive, now));
      intensive.clear_attention_reason();
      for (v1::Session& s : *intensive.mutable_sessions()) {
        if (s.status() == v1::SESSION_STATUS_NEEDS_ATTENTION) {
          s.set_status(intensive.status() == v1::INTENSIVE_STATUS_HELD
                           ? v1::SESSION_STATUS_TENTATIVE
                           : v1::SESSION_STATUS_SCHEDULED);
        }
      }
      RecordTransition(intensive, v1::INTENSIVE_EVENT_ATTENTION_RESOLVED,
                       kSystemActor, now);
      RETURN_IF_ERROR(store
                          .SaveIntensive(std::move(intensive),
                                         v1::INTENSIVE_EVENT_ATTENTION_RESOLVED,
                                         now)
                          .status());
      continue;
    }
    const sch::PlannedSession& first = plan->sessions[clashes[0].session_index];
    const v1::AttentionReason reason = ReasonFor(clashes[0], first, directory);
    bool changed = !flagged || intensive.attention_reason() != reason;
    for (const sch::Clash& c : clashes) {
      for (v1::Session& s : *intensive.mutable_sessions()) {
        if (SameSession(s, plan->sessions[c.session_index], zone) &&
            s.status() != v1::SESSION_STATUS_NEEDS_ATTENTION) {
          s.set_status(v1::SESSION_STATUS_NEEDS_ATTENTION);
          changed = true;
        }
      }
    }
    if (!changed) continue;
    intensive.set_status(v1::INTENSIVE_STATUS_NEEDS_ATTENTION);
    intensive.set_attention_reason(reason);
    RecordTransition(intensive, v1::INTENSIVE_EVENT_NEEDS_ATTENTION,
                     kSystemActor, now);
    RETURN_IF_ERROR(store
                        .SaveIntensive(std::move(intensive),
                                       v1::INTENSIVE_EVENT_NEEDS_ATTENTION, now)
                        .status());
    spdlog::info(
        R"("event":"booking_needs_attention","intensive_id":"{}","reason":"{}")",
        booking, v1::AttentionReason_Name(reason));
  }
  return ReviewAppointments(store, directory, now);
}

absl::Status BookingHandler::ReviewAppointments(BookingStore& store,
                                                const DirectoryState& directory,
                                                absl::Time now) {
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(directory));
  ASSIGN_OR_RETURN(std::vector<v1::Appointment> live,
                   store.LiveAppointments(now));
  for (v1::Appointment& a : live) {
    std::vector<sch::Clash> clashes;
    sch::Plan plan = AppointmentToPlan(a, zone);
    live_.Write([&](sch::AvailabilityIndex& index) {
      if (index.FindPlan(a.id()) == nullptr) return;
      index.Release(a.id()).IgnoreError();
      clashes = sch::FindClashes(index, plan);
      plan.booking_id = a.id();
      index.Commit(plan).IgnoreError();
    });
    const bool flagged = a.status() == v1::APPOINTMENT_STATUS_NEEDS_ATTENTION;
    if (clashes.empty() == !flagged) continue;  // nothing new
    if (clashes.empty()) {
      a.set_status(v1::APPOINTMENT_STATUS_SCHEDULED);
      a.clear_attention_reason();
    } else {
      a.set_status(v1::APPOINTMENT_STATUS_NEEDS_ATTENTION);
      a.set_attention_reason(
          ReasonFor(clashes[0], plan.sessions[0], directory));
    }
    const absl::CivilDay day =
        absl::ToCivilDay(common::FromProto(a.start_time()), zone);
    RETURN_IF_ERROR(store.SaveAppointment(std::move(a), day, now).status());
  }
  return absl::OkStatus();
}

}  // namespace tandem::booking
