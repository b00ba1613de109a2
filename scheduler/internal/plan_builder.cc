#include "scheduler/internal/plan_builder.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "scheduler/score.h"

namespace tandem::scheduler::internal {
namespace {

struct DayChoice {
  int pattern = -1;
  std::vector<SlotMask> masks;  // Per group: pair & rooms.
  SlotMask first_ok = 0;        // Starts of group 0 that let the rest fit.
  std::vector<int> starts;      // Chosen slot per group.
};

// Slots of group 0 from which every later group still fits: walk back from
// the last group, keeping the latest start each group may take.
SlotMask FirstGroupStarts(const DayPattern& p, const std::vector<SlotMask>& m) {
  int latest = kMaxSlotsPerDay;  // Latest start allowed for group g.
  for (int g = static_cast<int>(p.groups.size()) - 1; g >= 1; --g) {
    const SlotMask allowed = m[g] & SlotRange(0, latest + 1);
    if (allowed == 0) return 0;
    latest = HighestSlot(allowed) - p.groups[g - 1].slots;
    if (latest < 0) return 0;
  }
  return m[0] & SlotRange(0, latest + 1);
}

int PickAnchor(const std::vector<DayChoice>& days, SlotMask preferred) {
  SlotMask common = ~SlotMask{0};
  for (const DayChoice& d : days) common &= d.first_ok;
  if (common & preferred) return LowestSlot(common & preferred);
  if (common) return LowestSlot(common);
  const SlotMask first = days.front().first_ok;
  if (first & preferred) return LowestSlot(first & preferred);
  return LowestSlot(first);
}

}  // namespace

Plan BuildPlan(const AvailabilityIndex& index, const ResolvedRequest& req,
               FeasibilityCache& cache, const std::vector<int>& days, int lm,
               int lf, int booked_minutes) {
  const int male = cache.therapist_of(lm);
  const int female = cache.therapist_of(lf);
  std::vector<DayChoice> choice(days.size());
  for (size_t k = 0; k < days.size(); ++k) {
    DayChoice& c = choice[k];
    for (int p : req.days[k].patterns) {
      c.masks.assign(req.patterns[p].groups.size(), 0);
      if (cache.PairDay(p, days[k], lm, lf, c.masks.data())) {
        c.pattern = p;
        break;
      }
    }
    c.first_ok = FirstGroupStarts(req.patterns[c.pattern], c.masks);
  }

  // Times: the same first start every day where possible.
  const int anchor = PickAnchor(choice, req.preferred);
  for (DayChoice& c : choice) {
    const DayPattern& p = req.patterns[c.pattern];
    int s0 = -1;
    if (HasSlot(c.first_ok, anchor)) {
      s0 = anchor;
    } else if (c.first_ok & req.preferred) {
      s0 = NearestSlot(c.first_ok & req.preferred, anchor);
    } else {
      s0 = NearestSlot(c.first_ok, anchor);
    }
    c.starts.push_back(s0);
    for (size_t g = 1; g < p.groups.size(); ++g) {
      const int after = c.starts.back() + p.groups[g - 1].slots;
      c.starts.push_back(
          LowestSlot(c.masks[g] & SlotRange(after, kMaxSlotsPerDay)));
    }
  }

  // Rooms: per room kind, rank rooms by how many of the plan's single-room
  // groups they could host at the chosen times, so one room tends to win.
  std::map<RoomKind, std::vector<int>> host_count;
  for (size_t k = 0; k < days.size(); ++k) {
    const DayPattern& p = req.patterns[choice[k].pattern];
    for (size_t g = 0; g < p.groups.size(); ++g) {
      if (p.groups[g].sessions.size() != 1) continue;
      const ResolvedSession& s = p.groups[g].sessions[0];
      std::vector<int>& count = host_count[s.tmpl->room_kind];
      count.resize(index.num_rooms(), 0);
      for (int r : s.rooms) {
        if (HasSlot(RunStarts(index.RoomFree(r, days[k]), s.slots),
                    choice[k].starts[g])) {
          ++count[r];
        }
      }
    }
  }
  std::map<RoomKind, std::vector<int>> ranking;
  for (auto& [kind, count] : host_count) {
    std::vector<int>& order = ranking[kind];
    for (int r = 0; r < index.num_rooms(); ++r) {
      if (count[r] > 0) order.push_back(r);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return count[a] > count[b]; });
  }

  Plan plan;
  plan.booking_id = req.request->booking_id;
  plan.template_id = req.tmpl->id;
  plan.male_therapist_id = index.therapist(male).id;
  plan.female_therapist_id = index.therapist(female).id;
  plan.language = req.request->language;
  plan.excluded_therapist_ids = req.request->excluded_therapist_ids;
  for (size_t k = 0; k < days.size(); ++k) {
    const DayPattern& p = req.patterns[choice[k].pattern];
    for (size_t g = 0; g < p.groups.size(); ++g) {
      const Group& group = p.groups[g];
      const int slot = choice[k].starts[g];
      std::vector<int> rooms;
      // Exact room masks guarantee success; the fallback keeps us total.
      if (!AssignRooms(index, group, days[k], slot,
                       ranking[group.sessions[0].tmpl->room_kind], &rooms)) {
        return Plan{};
      }
      for (size_t i = 0; i < group.sessions.size(); ++i) {
        const ResolvedSession& s = group.sessions[i];
        PlannedSession out;
        out.session_key = s.tmpl->key;
        out.programme_day = static_cast<int>(k) + 1;
        out.date = index.DayAt(days[k]);
        out.start_minute = index.MinuteOfSlot(slot);
        out.end_minute = out.start_minute + s.tmpl->duration_minutes;
        out.room_id = index.room(rooms[i]).id;
        if (s.male) out.therapist_ids.push_back(plan.male_therapist_id);
        if (s.female) out.therapist_ids.push_back(plan.female_therapist_id);
        plan.sessions.push_back(std::move(out));
      }
    }
  }
  std::sort(plan.sessions.begin(), plan.sessions.end(),
            [](const PlannedSession& a, const PlannedSession& b) {
              return std::tie(a.date, a.start_minute, a.session_key) <
                     std::tie(b.date, b.start_minute, b.session_key);
            });
  const Request& r = *req.request;
  ScoreInputs in;
  in.standing_team =
      req.standing_teams.contains(ResolvedRequest::PairKey(male, female));
  in.requested_team = male == req.wanted_male && female == req.wanted_female;
  in.time_of_day = r.preferences.time_of_day;
  in.same_room_preferred = r.preferences.same_room;
  in.booked_minutes = booked_minutes;
  plan.score = ScorePlan(plan, in);
  return plan;
}

}  // namespace tandem::scheduler::internal
