#include "scheduler/internal/search.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <queue>
#include <tuple>
#include <type_traits>

#include "absl/container/flat_hash_set.h"
#include "scheduler/internal/plan_builder.h"
#include "scheduler/score.h"

namespace tandem::scheduler::internal {
namespace {

// Plans built per plan wanted on one start date, at most (see SearchPlans).
constexpr size_t kMaxBuildsPerPlan = 8;

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

// Whether the pair can run every day; if so, an upper bound of the score's
// layout terms for it: same start as day 1 (30 a day), preferred time of day
// (20 a day), and sessions sharing their kind's most-used room (see score.h),
// counting for each room the groups it could host at a slot the pair can use.
bool PairFeasibleWithBound(const AvailabilityIndex& index,
                           FeasibilityCache& cache, const ResolvedRequest& req,
                           const std::vector<int>& days, int lm, int lf,
                           int64_t room_weight, int64_t* bound) {
  const size_t n = days.size();
  const size_t max_groups = 16;
  std::vector<SlotMask> masks(n * max_groups);
  std::vector<int> pattern(n);
  for (size_t k = 0; k < n; ++k) {
    pattern[k] = cache.PairPattern(static_cast<int>(k), days[k], lm, lf,
                                   &masks[k * max_groups]);
    if (pattern[k] < 0) return false;
  }
  int64_t time_terms = 0;
  for (SlotMask m = masks[0]; m != 0; m &= m - 1) {
    time_terms = std::max(time_terms, TimeTerms(masks.data(), n, max_groups,
                                                req.preferred, LowestSlot(m)));
  }
  // Room term: per key (one therapist / two), the room usable by most groups.
  const int nr = index.num_rooms();
  std::vector<int> count(2 * nr, 0);
  std::array<bool, 2> used{false, false};
  for (size_t k = 0; k < n; ++k) {
    const DayPattern& p = req.patterns[pattern[k]];
    const std::vector<SlotMask>& runs = cache.RoomRuns(pattern[k], days[k]);
    for (size_t g = 0; g < p.groups.size(); ++g) {
      const SlotMask pair = masks[k * max_groups + g];
      for (int key = 0; key < 2; ++key) {
        bool has = false;
        for (const ResolvedSession& s : p.groups[g].sessions) {
          has |= (s.male && s.female) == (key == 1);
        }
        if (!has) continue;
        used[key] = true;
        for (int r = 0; r < nr; ++r) {
          count[key * nr + r] += (runs[g * nr + r] & pair) != 0;
        }
      }
    }
  }
  int64_t rooms = 0;
  for (int key = 0; key < 2; ++key) {
    if (!used[key]) continue;
    int top = 1;
    for (int r = 0; r < nr; ++r) top = std::max(top, count[key * nr + r]);
    rooms += top - 1;
  }
  *bound = time_terms + room_weight * rooms;
  return true;
}

int MaxGroups(const ResolvedRequest& req) {
  size_t g = 0;
  for (const DayPattern& p : req.patterns) g = std::max(g, p.groups.size());
  return static_cast<int>(g);
}

// Drops candidates who have no partner among the other sex's candidates
// even in the best case: per day and group, AND with the OR of all partners'
// masks. Word operations only; exact pair tests come later.
void MutualPrune(FeasibilityCache& cache, const ResolvedRequest& req,
                 const std::vector<int>& days, std::vector<int>* males,
                 std::vector<int>* females) {
  for (int round = 0; round < 2; ++round) {
    const bool prune_males = round == 0;
    std::vector<int>& keep = prune_males ? *males : *females;
    const std::vector<int>& partners = prune_males ? *females : *males;
    std::vector<int> survivors;
    // OR of partners' masks per (day k, pattern slot, group).
    std::vector<std::vector<SlotMask>> any(days.size() * 4);
    for (size_t k = 0; k < days.size(); ++k) {
      const auto& pats = req.days[k].patterns;
      for (size_t pi = 0; pi < pats.size() && pi < 4; ++pi) {
        const auto& e = cache.Get(pats[pi], days[k]);
        const size_t groups = req.patterns[pats[pi]].groups.size();
        std::vector<SlotMask>& m = any[k * 4 + pi];
        m.assign(groups, 0);
        for (int c : partners) {
          for (size_t g = 0; g < groups; ++g)
            m[g] |= e.therapist[c * groups + g];
        }
      }
    }
    std::vector<SlotMask> masks;
    for (int c : keep) {
      bool ok = true;
      for (size_t k = 0; k < days.size() && ok; ++k) {
        const auto& pats = req.days[k].patterns;
        bool day_ok = pats.size() > 4;  // Too many variants: do not prune.
        for (size_t pi = 0; pi < pats.size() && pi < 4 && !day_ok; ++pi) {
          const auto& e = cache.Get(pats[pi], days[k]);
          if (!e.solo[c]) continue;
          const size_t groups = req.patterns[pats[pi]].groups.size();
          masks.resize(groups);
          for (size_t g = 0; g < groups; ++g) {
            masks[g] =
                e.rooms[g] & e.therapist[c * groups + g] & any[k * 4 + pi][g];
          }
          day_ok = GroupsFitInOrder(req.patterns[pats[pi]], masks.data());
        }
        ok = day_ok;
      }
      if (ok) survivors.push_back(c);
    }
    keep = std::move(survivors);
    if (keep.empty()) return;
  }
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
  const int64_t layout_bound = kSameTimePoints * (days_in_programme - 1) +
                               same_room_weight * req.max_same_room_sessions +
                               (r.preferences.time_of_day == TimeOfDay::kAny
                                    ? 0
                                    : kPreferredTimePoints * days_in_programme);
  std::vector<int> local_of(index.num_therapists(), -1);
  for (int c = 0; c < cache.num_candidates(); ++c) {
    local_of[cache.therapist_of(c)] = c;
  }

  std::vector<int> days, males, females, load;
  std::vector<char> alive;
  for (int start = std::max(first_start, 0);
       start <= last_start && static_cast<int>(out.size()) < k; ++start) {
    if (ProgrammeDays(index, req, start, &days) != DatesStatus::kOk) continue;
    SoloCandidates(cache, req, days, &males, &females);
    if (males.empty() || females.empty()) continue;
    MutualPrune(cache, req, days, &males, &females);
    if (males.empty() || females.empty()) continue;
    load.assign(cache.num_candidates(), 0);
    alive.assign(cache.num_candidates(), 0);
    for (const std::vector<int>* list : {&males, &females}) {
      for (int c : *list) {
        alive[c] = 1;
        for (int d : days) {
          load[c] += index.TherapistMinutes(cache.therapist_of(c), d);
        }
      }
    }
    const size_t need = static_cast<size_t>(k) - out.size();
    std::vector<Plan> built;
    std::vector<int64_t> best;  // Scores of `built`, descending, <= need.
    bool stop = false;
    size_t builds = 0;
    // Candidates must arrive in non-increasing bound order for the cut-off.
    auto consider = [&](int lm, int lf, int64_t bonus) {
      const int booked = load[lm] + load[lf];
      const int64_t bound = layout_bound + bonus - booked / 60;
      if (best.size() >= need && bound < best.back()) {
        stop = true;
        return;
      }
      int64_t layout = 0;
      if (!PairFeasibleWithBound(index, cache, req, days, lm, lf,
                                 same_room_weight, &layout)) {
        return;
      }
      // The pair's own bound, from its real masks.
      if (best.size() >= need && layout + bonus - booked / 60 < best.back()) {
        return;
      }
      // Work cap: the bound is loose on busy days (rooms), so stop after a
      // fixed number of builds; the plans kept are the best of those built.
      if (builds >= kMaxBuildsPerPlan * need) {
        stop = true;
        return;
      }
      ++builds;
      Plan plan = BuildPlan(index, req, cache, days, lm, lf, booked);
      if (plan.sessions.empty()) return;
      best.insert(std::upper_bound(best.begin(), best.end(), plan.score,
                                   std::greater<int64_t>()),
                  plan.score);
      if (best.size() > need) best.pop_back();
      built.push_back(std::move(plan));
    };
    // Tier 1: the requested team and standing teams (bonus >= 1000).
    struct Pref {
      int64_t bound;
      int lm, lf;
      int64_t bonus;
    };
    std::vector<Pref> preferred;
    absl::flat_hash_set<uint64_t> seen;
    auto add_pref = [&](int m, int f) {
      if (m < 0 || f < 0) return;
      const int lm = local_of[m], lf = local_of[f];
      if (lm < 0 || lf < 0 || !alive[lm] || !alive[lf]) return;
      if (!seen.insert(ResolvedRequest::PairKey(lm, lf)).second) return;
      int64_t bonus = 0;
      if (req.standing_teams.contains(ResolvedRequest::PairKey(m, f))) {
        bonus += kStandingTeamPoints;
      }
      if (m == req.wanted_male && f == req.wanted_female) {
        bonus += kRequestedTeamPoints;
      }
      preferred.push_back(
          {layout_bound + bonus - (load[lm] + load[lf]) / 60, lm, lf, bonus});
    };
    add_pref(req.wanted_male, req.wanted_female);
    for (const auto& [m, f] : req.standing_list) add_pref(m, f);
    std::sort(
        preferred.begin(), preferred.end(), [](const Pref& a, const Pref& b) {
          return std::tie(b.bound, a.lm, a.lf) < std::tie(a.bound, b.lm, b.lf);
        });
    for (const Pref& p : preferred) {
      consider(p.lm, p.lf, p.bonus);
      if (stop) break;
    }
    // Tier 2: every other pair, least combined load first (best-first over
    // the two load-sorted lists with a heap: no full pair sort).
    if (!stop) {
      auto by_load = [&](int a, int b) {
        return std::tie(load[a], a) < std::tie(load[b], b);
      };
      std::sort(males.begin(), males.end(), by_load);
      std::sort(females.begin(), females.end(), by_load);
      using Item = std::tuple<int, int, int>;  // (load sum, i, j)
      std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
      heap.push({load[males[0]] + load[females[0]], 0, 0});
      while (!heap.empty() && !stop) {
        const auto [sum, i, j] = heap.top();
        heap.pop();
        if (j + 1 < static_cast<int>(females.size())) {
          heap.push({load[males[i]] + load[females[j + 1]], i, j + 1});
        }
        if (j == 0 && i + 1 < static_cast<int>(males.size())) {
          heap.push({load[males[i + 1]] + load[females[0]], i + 1, 0});
        }
        if (seen.contains(ResolvedRequest::PairKey(males[i], females[j]))) {
          continue;
        }
        consider(males[i], females[j], 0);
      }
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

std::vector<int> CountFeasibleTeamsByStart(const AvailabilityIndex& index,
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

bool CanSweepByPair(const ResolvedRequest& req) {
  if (req.days.size() < 2 || req.days.size() > 64) return false;
  const int later = req.days[1].patterns.front();
  for (size_t k = 0; k < req.days.size(); ++k) {
    if (req.days[k].patterns.size() != 1) return false;
    if (k == 0) continue;
    if (req.days[k].min_gap_days != 1 || req.days[k].patterns[0] != later) {
      return false;
    }
  }
  return req.patterns[later].groups.size() == 1;
}

namespace {

// RunStarts (slot_mask.h) on a W-wide day word. For W = uint64_t the day has
// at most 64 slots, so this equals the low half of the 128-bit result.
template <typename W>
W WordRunStarts(W free, int len) {
  if constexpr (std::is_same_v<W, SlotMask>) {
    return RunStarts(free, len);
  } else {
    if (len <= 1) return len == 1 ? free : ~W{0};
    if (len > static_cast<int>(sizeof(W) * 8)) return 0;
    W r = free;
    int covered = 1;
    while (covered < len) {
      const int step = std::min(covered, len - covered);
      r &= r >> step;
      covered += step;
    }
    return r;
  }
}

// TherapistStartMask (feasibility.h) from the therapist's free word, so the
// sweep reads each therapist-day once for all the groups it needs.
template <typename W>
W WordStartMask(const Group& group, bool as_male, W free) {
  W m = ~W{0};
  for (const ResolvedSession& s : group.sessions) {
    if (as_male ? s.male : s.female) m &= WordRunStarts(free, s.slots);
  }
  return m;
}

// Index of the lowest set bit; m must be non-zero.
template <typename W>
int LowestBit(W m) {
  if constexpr (std::is_same_v<W, SlotMask>) {
    return LowestSlot(m);
  } else {
    return __builtin_ctzll(m);
  }
}

// Transposes a 64 x 64 bit matrix in place: afterwards bit j of rows[i] is
// what bit i of rows[j] was (Hacker's Delight 7-3, LSB-first numbering). Six
// rounds of 32 swaps instead of one operation per set bit.
void Transpose64(uint64_t* rows) {
  uint64_t m = 0x00000000FFFFFFFFull;
  for (int j = 32; j != 0; j >>= 1, m ^= m << j) {
    for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
      const uint64_t t = ((rows[k] >> j) ^ rows[k | j]) & m;
      rows[k] ^= t << j;
      rows[k | j] ^= t;
    }
  }
}

// ok[w] = OR over `rows` rows of (a & b), rows of `words` words each. The
// fixed-width versions keep the accumulators in registers and unroll the
// word loop; this is the sweep's innermost loop (pairs x live slots).
using OrOfAndsFn = void (*)(const uint64_t* a, const uint64_t* b, int rows,
                            int words, uint64_t* ok);

template <int kWords>
void OrOfAndsFixed(const uint64_t* a, const uint64_t* b, int rows,
                   int /*words*/, uint64_t* ok) {
  uint64_t acc[kWords] = {};
  for (int r = 0; r < rows; ++r, a += kWords, b += kWords) {
    for (int w = 0; w < kWords; ++w) acc[w] |= a[w] & b[w];
  }
  for (int w = 0; w < kWords; ++w) ok[w] = acc[w];
}

void OrOfAndsAny(const uint64_t* a, const uint64_t* b, int rows, int words,
                 uint64_t* ok) {
  std::fill(ok, ok + words, 0);
  for (int r = 0; r < rows; ++r, a += words, b += words) {
    for (int w = 0; w < words; ++w) ok[w] |= a[w] & b[w];
  }
}

OrOfAndsFn PickOrOfAnds(int words) {
  switch (words) {
    case 1:
      return OrOfAndsFixed<1>;
    case 2:
      return OrOfAndsFixed<2>;
    case 3:
      return OrOfAndsFixed<3>;
    case 4:
      return OrOfAndsFixed<4>;
    case 5:
      return OrOfAndsFixed<5>;
    case 6:
      return OrOfAndsFixed<6>;
    case 7:
      return OrOfAndsFixed<7>;
    case 8:
      return OrOfAndsFixed<8>;
    default:
      return OrOfAndsAny;
  }
}

// W is the word holding one day's slots: uint64_t when the day has at most 64
// slots (a 15-minute grid up to 16 hours), else SlotMask. Half-width words
// halve the memory the pair loop streams through.
template <typename W>
std::vector<int> SweepByPair(const AvailabilityIndex& index,
                             const ResolvedRequest& req,
                             FeasibilityCache& cache, int first, int last) {
  first = std::max(first, 0);
  std::vector<int> counts(std::max(0, last - first + 1), 0);
  if (counts.empty()) return counts;
  const int n_days = static_cast<int>(req.days.size());
  const int later = req.days[1].patterns[0];
  // Open days that any programme starting in the window may use.
  std::vector<int> open;
  for (int d = first;
       d < index.num_days() &&
       (d <= last || static_cast<int>(open.size()) <
                         static_cast<int>(counts.size()) + n_days);
       ++d) {
    if (index.IsOpenDay(d)) open.push_back(d);
  }
  const int n_open = static_cast<int>(open.size());
  const int words = (n_open + 63) / 64;
  // Valid starts (dates, span, blackouts), by open-day index.
  std::vector<uint64_t> valid(words, 0);
  std::vector<int> days;
  for (int i = 0; i < n_open && open[i] <= last; ++i) {
    if (ProgrammeDays(index, req, open[i], &days) == DatesStatus::kOk) {
      valid[i / 64] |= uint64_t{1} << (i % 64);
    }
  }
  auto is_valid = [&](int i) { return (valid[i / 64] >> (i % 64)) & 1; };
  // Room start masks per day: day 1's per group (valid starts only), the
  // later days' single group (every open day).
  const int day1 = req.days[0].patterns[0];
  const DayPattern& p1 = req.patterns[day1];
  const DayPattern& pl = req.patterns[later];
  const size_t g1 = p1.groups.size();
  std::vector<W> rooms1(static_cast<size_t>(n_open) * g1, 0);
  std::vector<W> rooms_later(n_open);
  for (int i = 0; i < n_open; ++i) {
    if (is_valid(i)) {
      for (size_t g = 0; g < g1; ++g) {
        rooms1[i * g1 + g] =
            static_cast<W>(RoomStartMask(index, p1.groups[g], open[i]));
      }
    }
    rooms_later[i] =
        static_cast<W>(RoomStartMask(index, pl.groups[0], open[i]));
  }
  // Per candidate and open day: the later days' start mask (`masks`) and day
  // 1's per group (`first_masks`), rooms folded into the male side so a
  // pair-day test is one AND. Computed directly rather than through the
  // cache: no per-day allocations, only what the sweep reads, and one read
  // of each therapist-day. Later masks are clipped to the day's slots, as the
  // transposition below has one row per slot.
  const int slots = index.slots_per_day();
  const W day_slots = static_cast<W>(SlotRange(0, slots));
  const int nm = cache.num_males();
  const int nc = cache.num_candidates();
  std::vector<W> masks(static_cast<size_t>(nc) * n_open);
  std::vector<W> first_masks(static_cast<size_t>(nc) * n_open * g1);
  for (int c = 0; c < nc; ++c) {
    const int t = cache.therapist_of(c);
    const bool male = c < nm;
    const int cap = index.therapist(t).daily_cap_minutes;
    const int need_later = male ? pl.male_minutes : pl.female_minutes;
    const int need_first = male ? p1.male_minutes : p1.female_minutes;
    W* later_out = &masks[static_cast<size_t>(c) * n_open];
    for (int i = 0; i < n_open; ++i) {
      const int d = open[i];
      const int booked = index.TherapistMinutes(t, d);
      const W free = static_cast<W>(index.TherapistFree(t, d));
      W m = 0;
      if (booked + need_later <= cap) {
        m = WordStartMask(pl.groups[0], male, free) & day_slots;
        if (male) m &= rooms_later[i];
      }
      later_out[i] = m;
      if (!is_valid(i)) continue;
      W* out = &first_masks[(static_cast<size_t>(c) * n_open + i) * g1];
      const bool cap_ok = booked + need_first <= cap;
      for (size_t g = 0; g < g1; ++g) {
        W f = cap_ok ? WordStartMask(p1.groups[g], male, free) : W{0};
        if (male) f &= rooms1[i * g1 + g];
        out[g] = f;
      }
    }
  }
  // Only slots some male can start at matter (rooms folded in): they get one
  // row each, in slot order.
  W any_male = 0;
  for (size_t j = 0; j < static_cast<size_t>(nm) * n_open; ++j) {
    any_male |= masks[j];
  }
  std::vector<int> row_of(slots, -1);
  int rows = 0;
  for (int sl = 0; sl < slots; ++sl) {
    if ((any_male >> sl) & 1) row_of[sl] = rows++;
  }
  // Transposed: for each candidate and live slot, one bit per open day where
  // the later days' pattern can start at that slot. A pair's "day fits" bits
  // are then OR over slots of (male & female) words: 64 days per operation.
  const size_t per_candidate = static_cast<size_t>(rows) * words;
  std::vector<uint64_t> by_slot(static_cast<size_t>(nc) * per_candidate, 0);
  for (int c = 0; c < nc; ++c) {
    uint64_t* out = &by_slot[c * per_candidate];
    const W* in = &masks[static_cast<size_t>(c) * n_open];
    if constexpr (std::is_same_v<W, uint64_t>) {
      uint64_t block[64];
      for (int w = 0; w < words; ++w) {
        const int n = std::min(64, n_open - w * 64);
        std::copy(in + w * 64, in + w * 64 + n, block);
        std::fill(block + n, block + 64, 0);
        Transpose64(block);
        for (int sl = 0; sl < slots; ++sl) {
          if (row_of[sl] >= 0) out[row_of[sl] * words + w] = block[sl];
        }
      }
    } else {
      for (int i = 0; i < n_open; ++i) {
        for (W m = in[i]; m != 0; m &= m - 1) {
          const int row = row_of[LowestBit(m)];
          if (row >= 0) out[row * words + i / 64] |= uint64_t{1} << (i % 64);
        }
      }
    }
  }
  std::vector<int> group_slots(g1);
  for (size_t g = 0; g < g1; ++g) group_slots[g] = p1.groups[g].slots;
  const OrOfAndsFn or_of_ands = PickOrOfAnds(words);
  constexpr int kBits = sizeof(W) * 8;
  const W top = W{1} << (kBits - 1);
  std::vector<uint64_t> ok(words), run(words);
  for (int lm = 0; lm < nm; ++lm) {
    const uint64_t* a = &by_slot[lm * per_candidate];
    for (int lf = nm; lf < nc; ++lf) {
      or_of_ands(a, &by_slot[lf * per_candidate], rows, words, ok.data());
      // Starts i with days i+1 .. i+n_days-1 all fine: AND of shifts.
      run = valid;
      for (int k = 1; k < n_days; ++k) {
        const int q = k / 64, r = k % 64;
        for (int w = 0; w < words; ++w) {
          uint64_t v = w + q < words ? ok[w + q] >> r : 0;
          if (r != 0 && w + q + 1 < words) v |= ok[w + q + 1] << (64 - r);
          run[w] &= v;
        }
      }
      // Day 1 exactly, only where the rest already holds.
      for (int w = 0; w < words; ++w) {
        for (uint64_t bits = run[w]; bits != 0; bits &= bits - 1) {
          const int i = w * 64 + __builtin_ctzll(bits);
          const W* x =
              &first_masks[(static_cast<size_t>(lm) * n_open + i) * g1];
          const W* y =
              &first_masks[(static_cast<size_t>(lf) * n_open + i) * g1];
          // GroupsFitInOrder on words: earliest start of each group at or
          // after the previous group's end. Branch-free (about 40% of these
          // tests fail, unpredictably): once a group finds no start, `top`
          // pushes pos past the word, so later groups find none either.
          int pos = 0;
          bool fits = true;
          for (size_t g = 0; g < g1; ++g) {
            const W both = x[g] & y[g];
            const W c = pos < kBits ? both >> pos : W{0};
            fits &= c != 0;
            pos += LowestBit(W{c | top}) + group_slots[g];
          }
          counts[open[i] - first] += fits;
        }
      }
    }
  }
  return counts;
}

}  // namespace

std::vector<int> CountFeasibleTeamsByPair(const AvailabilityIndex& index,
                                          const ResolvedRequest& req,
                                          FeasibilityCache& cache, int first,
                                          int last) {
  if (index.slots_per_day() <= 64) {
    return SweepByPair<uint64_t>(index, req, cache, first, last);
  }
  return SweepByPair<SlotMask>(index, req, cache, first, last);
}

std::vector<int> CountFeasibleTeams(const AvailabilityIndex& index,
                                    const ResolvedRequest& req,
                                    FeasibilityCache& cache, int first,
                                    int last) {
  if (CanSweepByPair(req)) {
    return CountFeasibleTeamsByPair(index, req, cache, first, last);
  }
  return CountFeasibleTeamsByStart(index, req, cache, first, last);
}

}  // namespace tandem::scheduler::internal
