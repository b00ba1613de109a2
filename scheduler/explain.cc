#include "scheduler/explain.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/internal/search.h"

namespace tandem::scheduler {
namespace {

using internal::DatesStatus;
using internal::FeasibilityCache;
using internal::ResolvedRequest;

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

std::string Who(const ResolvedRequest& req, const char* sex) {
  std::string who =
      absl::StrCat(sex, " therapist who speaks ", req.request->language);
  if (!req.tmpl->required_qualifications.empty()) {
    absl::StrAppend(&who, " and holds ",
                    absl::StrJoin(req.tmpl->required_qualifications, ", "));
  }
  return who;
}

// The first group (of the day's first pattern) that no room can host, for a
// concrete message.
std::string RoomMessage(const AvailabilityIndex& index,
                        const ResolvedRequest& req, int k, int day) {
  const internal::DayPattern& p = req.patterns[req.days[k].patterns.front()];
  for (const internal::Group& g : p.groups) {
    if (internal::RoomStartMask(index, g, day) != 0) continue;
    const internal::ResolvedSession& s = g.sessions.front();
    const char* kind =
        s.tmpl->room_kind == RoomKind::kJoint ? "joint" : "individual";
    int rooms = 0;
    for (const internal::ResolvedSession& x : g.sessions) {
      rooms = std::max(rooms, static_cast<int>(x.rooms.size()));
    }
    return absl::StrCat(
        "no ", kind, " room for ", s.people, " people is free for a ",
        s.tmpl->duration_minutes, "-minute session on ", Day(index.DayAt(day)),
        " (the clinic has ", rooms, " such room", rooms == 1 ? "" : "s",
        g.sessions.size() > 1 ? "; parallel sessions need "
                                "distinct rooms)"
                              : ")");
  }
  return absl::StrCat("no suitable rooms are free, in order, on ",
                      Day(index.DayAt(day)));
}

}  // namespace

absl::StatusOr<Explanation> Explain(const AvailabilityIndex& index,
                                    const Request& request) {
  absl::StatusOr<ResolvedRequest> resolved =
      internal::ResolveRequest(index, request);
  if (!resolved.ok()) return resolved.status();
  const ResolvedRequest& req = *resolved;
  FeasibilityCache cache(index, req);
  Explanation out;
  if (!internal::SearchPlans(index, req, cache, req.first_start, req.last_start,
                             1)
           .empty()) {
    out.feasible_in_window = true;
    return out;
  }
  const std::vector<Plan> later = internal::SearchPlans(
      index, req, cache, req.last_start + 1, index.num_days() - 1, 1);
  if (!later.empty()) out.earliest_start_after_window = later[0].start_date();

  const int n_days = static_cast<int>(req.days.size());
  const std::string window =
      absl::StrCat("from ", Day(index.DayAt(std::max(req.first_start, 0))),
                   " to ", Day(index.DayAt(std::max(req.last_start, 0))));
  if (req.males.empty() || req.females.empty()) {
    if (req.males.empty()) {
      out.reasons.push_back({ReasonCode::kNoEligibleMale,
                             absl::StrCat("no active, non-excluded ",
                                          Who(req, "male"), " exists"),
                             req.last_start - req.first_start + 1});
    }
    if (req.females.empty()) {
      out.reasons.push_back({ReasonCode::kNoEligibleFemale,
                             absl::StrCat("no active, non-excluded ",
                                          Who(req, "female"), " exists"),
                             req.last_start - req.first_start + 1});
    }
    return out;
  }

  std::map<ReasonCode, Reason> found;
  auto count = [&](ReasonCode code, const std::string& first_message) {
    auto [it, inserted] = found.try_emplace(code, Reason{code, first_message});
    ++it->second.start_dates;
  };
  std::vector<int> days;
  for (int start = req.first_start; start <= req.last_start; ++start) {
    const DatesStatus status =
        internal::ProgrammeDays(index, req, start, &days);
    if (status == DatesStatus::kNotOpen) {
      count(ReasonCode::kNoOpenStartDay,
            absl::StrCat("the clinic is closed on every day ", window));
      continue;
    }
    if (status == DatesStatus::kTooLong) {
      count(ReasonCode::kSpanTooLong,
            absl::StrCat("closures (or the planning horizon) stretch the ",
                         n_days, " programme days beyond the ",
                         req.tmpl->max_span_days, "-day maximum span"));
      continue;
    }
    if (status == DatesStatus::kBlackout) {
      count(ReasonCode::kBlackoutDates,
            "the couple's blackout dates fall inside the programme");
      continue;
    }
    int room_day = -1;
    for (int k = 0; k < n_days && room_day < 0; ++k) {
      bool any = false;
      for (int p : req.days[k].patterns) any |= cache.Get(p, days[k]).rooms_ok;
      if (!any) room_day = k;
    }
    if (room_day >= 0) {
      count(ReasonCode::kNoRoom,
            RoomMessage(index, req, room_day, days[room_day]));
      continue;
    }
    bool male = false, female = false;
    for (int c = 0; c < cache.num_candidates(); ++c) {
      bool ok = true;
      for (int k = 0; k < n_days && ok; ++k) ok = cache.Solo(k, days[k], c);
      (c < cache.num_males() ? male : female) |= ok;
    }
    if (!male) {
      count(ReasonCode::kNoFreeMale,
            absl::StrCat("no ", Who(req, "male"),
                         " is free (within hours, "
                         "absences and daily cap) for all ",
                         n_days, " programme days of any start ", window));
      continue;
    }
    if (!female) {
      count(ReasonCode::kNoFreeFemale,
            absl::StrCat("no ", Who(req, "female"),
                         " is free (within hours, "
                         "absences and daily cap) for all ",
                         n_days, " programme days of any start ", window));
      continue;
    }
    count(ReasonCode::kNoCommonTime,
          absl::StrCat("male and female therapists are free on their own, but "
                       "no pair is free at the same times, with rooms, on all ",
                       n_days, " programme days"));
  }
  for (auto& [code, reason] : found) {
    // A closed start day is only worth saying when nothing else is.
    if (code == ReasonCode::kNoOpenStartDay && found.size() > 1) continue;
    out.reasons.push_back(std::move(reason));
  }
  std::stable_sort(out.reasons.begin(), out.reasons.end(),
                   [](const Reason& a, const Reason& b) {
                     return a.start_dates > b.start_dates;
                   });
  return out;
}

}  // namespace tandem::scheduler
