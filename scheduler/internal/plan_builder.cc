#include "scheduler/internal/plan_builder.h"

#include <algorithm>
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

// The first start of a day given the anchor (the builder's rule).
int DayStart(const DayChoice& c, SlotMask preferred, int anchor) {
  if (HasSlot(c.first_ok, anchor)) return anchor;
  if (c.first_ok & preferred)
    return NearestSlot(c.first_ok & preferred, anchor);
  return NearestSlot(c.first_ok, anchor);
}

// The day-1 start with the best time terms plus the room term of each day's
// first group (how many days one room could host it), earliest on ties.
int PickAnchor(const AvailabilityIndex& index, const ResolvedRequest& req,
               FeasibilityCache& cache, const std::vector<int>& days,
               const std::vector<DayChoice>& choice, int64_t room_weight) {
  std::vector<SlotMask> first(choice.size());
  for (size_t k = 0; k < choice.size(); ++k) first[k] = choice[k].first_ok;
  const int nr = index.num_rooms();
  std::vector<int> count(nr);
  int best = -1;
  int64_t best_value = -1;
  for (SlotMask m = first[0]; m != 0; m &= m - 1) {
    const int slot = LowestSlot(m);
    int64_t v = TimeTerms(first.data(), first.size(), 1, req.preferred, slot);
    std::fill(count.begin(), count.end(), 0);
    int top = 1;
    for (size_t k = 0; k < choice.size(); ++k) {
      const Group& g0 = req.patterns[choice[k].pattern].groups[0];
      if (g0.sessions.size() != 1) continue;
      const int start = DayStart(choice[k], req.preferred, slot);
      const std::vector<SlotMask>& runs =
          cache.RoomRuns(choice[k].pattern, days[k]);
      for (int r : g0.sessions[0].rooms) {
        if (HasSlot(runs[r], start)) top = std::max(top, ++count[r]);
      }
    }
    v += room_weight * (top - 1);
    if (v > best_value) best = slot, best_value = v;
  }
  return best;
}

}  // namespace

int64_t TimeTerms(const SlotMask* first, size_t days, size_t stride,
                  SlotMask preferred, int slot) {
  int64_t same = -1, pref = 0;  // Day 1 itself is not "the same as day 1".
  const bool slot_pref = HasSlot(preferred, slot);
  for (size_t k = 0; k < days; ++k) {
    const SlotMask f = first[k * stride];
    if (HasSlot(f, slot)) {
      ++same;
      pref += slot_pref;
    } else {
      pref += (f & preferred) != 0;
    }
  }
  return kSameTimePoints * same + kPreferredTimePoints * pref;
}

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
  const int64_t room_weight =
      kSameRoomPoints *
      (req.request->preferences.same_room ? kSameRoomPreferenceFactor : 1);
  const int anchor = PickAnchor(index, req, cache, days, choice, room_weight);
  for (DayChoice& c : choice) {
    const DayPattern& p = req.patterns[c.pattern];
    const int s0 = DayStart(c, req.preferred, anchor);
    c.starts.push_back(s0);
    for (size_t g = 1; g < p.groups.size(); ++g) {
      const int after = c.starts.back() + p.groups[g - 1].slots;
      c.starts.push_back(
          LowestSlot(c.masks[g] & SlotRange(after, kMaxSlotsPerDay)));
    }
  }

  // Rooms: per room kind, rank rooms by how many of the plan's single-room
  // groups they could host at the chosen times, so one room tends to win.
  const int nr = index.num_rooms();
  std::vector<int> host_count[2];
  for (size_t k = 0; k < days.size(); ++k) {
    const DayPattern& p = req.patterns[choice[k].pattern];
    const std::vector<SlotMask>& runs =
        cache.RoomRuns(choice[k].pattern, days[k]);
    for (size_t g = 0; g < p.groups.size(); ++g) {
      if (p.groups[g].sessions.size() != 1) continue;
      std::vector<int>& count =
          host_count[static_cast<int>(p.groups[g].sessions[0].tmpl->room_kind)];
      count.resize(nr, 0);
      for (int r : p.groups[g].sessions[0].rooms) {
        count[r] += HasSlot(runs[g * nr + r], choice[k].starts[g]);
      }
    }
  }
  std::vector<int> ranking[2];
  for (int kind = 0; kind < 2; ++kind) {
    const std::vector<int>& count = host_count[kind];
    for (int r = 0; r < static_cast<int>(count.size()); ++r) {
      if (count[r] > 0) ranking[kind].push_back(r);
    }
    std::stable_sort(ranking[kind].begin(), ranking[kind].end(),
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
      const int kind = static_cast<int>(group.sessions[0].tmpl->room_kind);
      if (!AssignRooms(index, group, days[k], slot, ranking[kind], &rooms)) {
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
