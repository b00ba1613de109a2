#include "scheduler/internal/search.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "scheduler/internal/plan_builder.h"
#include "scheduler/score.h"

namespace tandem::scheduler::internal {
namespace {

// Candidates (local indices) who could run every programme day with some
// partner; the pair test only runs on these.
void SoloCandidates(FeasibilityCache& cache, const ResolvedRequest& req,
                    const std::vector<int>& days, std::vector<int>* males,
                    std::vector<int>* females) {
  males->clear();
  females->clear();
  for (int c = 0; c < cache.num_candidates(); ++c) {
    bool ok = true;
    for (size_t k = 0; k < days.size() && ok; ++k) {
      ok = cache.Solo(static_cast<int>(k), days[k], c);
    }
    if (ok) (c < cache.num_males() ? males : females)->push_back(c);
  }
  (void)req;
}

bool PairFeasible(FeasibilityCache& cache, const std::vector<int>& days, int lm,
                  int lf) {
  SlotMask masks[16];
  for (size_t k = 0; k < days.size(); ++k) {
    if (cache.PairPattern(static_cast<int>(k), days[k], lm, lf, masks) < 0) {
      return false;
    }
  }
  return true;
}

int MaxGroups(const ResolvedRequest& req) {
  size_t g = 0;
  for (const DayPattern& p : req.patterns) g = std::max(g, p.groups.size());
  return static_cast<int>(g);
}

}  // namespace

std::vector<Plan> SearchPlans(const AvailabilityIndex& index,
                              const ResolvedRequest& req,
                              FeasibilityCache& cache, int first_start,
                              int last_start, int k) {
  std::vector<Plan> out;
  if (k <= 0 || MaxGroups(req) > 16) return out;
  const Request& r = *req.request;
  const int days_in_programme = static_cast<int>(req.days.size());
  const int64_t same_room_weight =
      kSameRoomPoints *
      (r.preferences.same_room ? kSameRoomPreferenceFactor : 1);
  // Upper bound of the score's layout terms (time, room, preference).
  const int64_t layout_bound =
      kSameTimePoints * (days_in_programme - 1) +
      same_room_weight * (req.joint_sessions + req.individual_sessions) +
      (r.preferences.time_of_day == TimeOfDay::kAny
           ? 0
           : kPreferredTimePoints * days_in_programme);

  std::vector<int> days, males, females, load;
  struct Candidate {
    int64_t bound;
    int lm, lf, booked;
  };
  std::vector<Candidate> pairs;
  for (int start = std::max(first_start, 0);
       start <= last_start && static_cast<int>(out.size()) < k; ++start) {
    if (ProgrammeDays(index, req, start, &days) != DatesStatus::kOk) continue;
    SoloCandidates(cache, req, days, &males, &females);
    if (males.empty() || females.empty()) continue;
    load.assign(cache.num_candidates(), 0);
    for (int c : males) {
      for (int d : days)
        load[c] += index.TherapistMinutes(cache.therapist_of(c), d);
    }
    for (int c : females) {
      for (int d : days)
        load[c] += index.TherapistMinutes(cache.therapist_of(c), d);
    }
    pairs.clear();
    for (int lm : males) {
      for (int lf : females) {
        if (!PairFeasible(cache, days, lm, lf)) continue;
        const int m = cache.therapist_of(lm), f = cache.therapist_of(lf);
        const int booked = load[lm] + load[lf];
        int64_t bound = layout_bound - booked / 60;
        if (req.standing_teams.contains(ResolvedRequest::PairKey(m, f))) {
          bound += kStandingTeamPoints;
        }
        if (m == req.wanted_male && f == req.wanted_female) {
          bound += kRequestedTeamPoints;
        }
        pairs.push_back({bound, lm, lf, booked});
      }
    }
    if (pairs.empty()) continue;
    std::sort(
        pairs.begin(), pairs.end(), [](const Candidate& a, const Candidate& b) {
          return std::tie(b.bound, a.lm, a.lf) < std::tie(a.bound, b.lm, b.lf);
        });
    const size_t need = static_cast<size_t>(k) - out.size();
    std::vector<Plan> built;
    std::vector<int64_t> scores;
    for (const Candidate& c : pairs) {
      if (built.size() >= need) {
        // The need-th best score so far; a pair whose bound is below it
        // cannot enter the top `need`.
        std::vector<int64_t> s = scores;
        std::nth_element(s.begin(), s.begin() + (need - 1), s.end(),
                         std::greater<int64_t>());
        if (c.bound < s[need - 1]) break;
      }
      Plan plan = BuildPlan(index, req, cache, days, c.lm, c.lf, c.booked);
      if (plan.sessions.empty()) continue;
      scores.push_back(plan.score);
      built.push_back(std::move(plan));
    }
    std::sort(built.begin(), built.end(), [](const Plan& a, const Plan& b) {
      return std::tie(b.score, a.male_therapist_id, a.female_therapist_id) <
             std::tie(a.score, b.male_therapist_id, b.female_therapist_id);
    });
    for (size_t i = 0; i < built.size() && i < need; ++i) {
      out.push_back(std::move(built[i]));
    }
  }
  return out;
}

std::vector<int> CountFeasibleTeams(const AvailabilityIndex& index,
                                    const ResolvedRequest& req,
                                    FeasibilityCache& cache, int first,
                                    int last) {
  std::vector<int> counts;
  if (MaxGroups(req) > 16) return counts;
  std::vector<int> days, males, females;
  for (int start = std::max(first, 0); start <= last; ++start) {
    int count = 0;
    if (ProgrammeDays(index, req, start, &days) == DatesStatus::kOk) {
      SoloCandidates(cache, req, days, &males, &females);
      for (int lm : males) {
        for (int lf : females) count += PairFeasible(cache, days, lm, lf);
      }
    }
    counts.push_back(count);
  }
  return counts;
}

}  // namespace tandem::scheduler::internal
