#include "scheduler/repair.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/internal/slot_mask.h"

namespace tandem::scheduler {
namespace {

using internal::Group;
using internal::LowestSlot;
using internal::NearestSlot;
using internal::ResolvedSession;
using internal::RunStarts;
using internal::SlotMask;
using internal::SlotRange;

std::string Hm(int minute) {
  return absl::StrFormat("%02d:%02d", minute / 60, minute % 60);
}

bool Touches(const PlannedSession& s, const Disruption& e) {
  const absl::CivilMinute from = absl::CivilMinute(s.date) + s.start_minute;
  const absl::CivilMinute to = absl::CivilMinute(s.date) + s.end_minute;
  if (!(from < e.interval.end && e.interval.start < to)) return false;
  if (e.kind == Disruption::Kind::kRoomOutage)
    return s.room_id == e.resource_id;
  return std::find(s.therapist_ids.begin(), s.therapist_ids.end(),
                   e.resource_id) != s.therapist_ids.end();
}

const SessionTemplate* TemplateOf(const ProgrammeTemplate* t,
                                  const PlannedSession& s) {
  if (t == nullptr || s.programme_day < 1 ||
      s.programme_day > static_cast<int>(t->days.size())) {
    return nullptr;
  }
  for (const SessionTemplate& st : t->days[s.programme_day - 1].sessions) {
    if (st.key == s.session_key) return &st;
  }
  return nullptr;
}

// The key of the first session of a parallel set.
std::string RootKey(const ProgrammeTemplate* t, const PlannedSession& s) {
  std::string key = s.session_key;
  for (int guard = 0; guard < 16; ++guard) {
    PlannedSession probe = s;
    probe.session_key = key;
    const SessionTemplate* st = TemplateOf(t, probe);
    if (st == nullptr || st->parallel_with.empty()) break;
    key = st->parallel_with;
  }
  return key;
}

bool Eligible(const Therapist& t, const Plan& plan,
              const ProgrammeTemplate* tmpl) {
  if (!t.active) return false;
  if (std::find(plan.excluded_therapist_ids.begin(),
                plan.excluded_therapist_ids.end(),
                t.id) != plan.excluded_therapist_ids.end()) {
    return false;
  }
  if (tmpl != nullptr) {
    for (const auto& q : tmpl->required_qualifications) {
      if (std::find(t.qualifications.begin(), t.qualifications.end(), q) ==
          t.qualifications.end()) {
        return false;
      }
    }
  }
  for (const auto& l : t.languages) {
    if (absl::EqualsIgnoreCase(l, plan.language)) return true;
  }
  return false;
}

class PlanRepairer {
 public:
  PlanRepairer(AvailabilityIndex& index, const Disruption& e, Plan plan)
      : index_(index), e_(e), plan_(std::move(plan)) {
    tmpl_ = FindTemplate(index.base_snapshot().templates, plan_.template_id);
  }

  void Run(RepairResult* out) {
    // Split sessions into kept and touched; reserve the kept ones.
    std::vector<PlannedSession> touched;
    std::vector<PlannedSession> kept;
    for (const PlannedSession& s : plan_.sessions) {
      (Touches(s, e_) ? touched : kept).push_back(s);
    }
    current_ = plan_;
    current_.sessions = kept;
    Recommit();
    // Touched sessions grouped by (date, parallel set).
    std::map<std::pair<absl::CivilDay, std::string>,
             std::vector<PlannedSession>>
        groups;
    for (const PlannedSession& s : touched) {
      groups[{s.date, RootKey(tmpl_, s)}].push_back(s);
    }
    for (auto& [key, group] : groups) {
      std::vector<PlannedSession> fixed;
      if (MoveKeepingTeam(group, &fixed) || Substitute(group, &fixed)) {
        for (size_t i = 0; i < group.size(); ++i) {
          out->changes.push_back({plan_.booking_id, group[i], fixed[i],
                                  Describe(group[i], fixed[i])});
          current_.sessions.push_back(fixed[i]);
        }
        Recommit();
      } else {
        for (const PlannedSession& s : group) {
          out->unsaved.push_back(
              {plan_.booking_id, s, std::nullopt,
               absl::StrCat("no time, room or substitute on ",
                            absl::FormatCivilTime(s.date), " for session '",
                            s.session_key, "'")});
        }
      }
    }
    std::sort(current_.sessions.begin(), current_.sessions.end(),
              [](const PlannedSession& a, const PlannedSession& b) {
                return std::tie(a.date, a.start_minute, a.session_key) <
                       std::tie(b.date, b.start_minute, b.session_key);
              });
    Recommit();
    out->repaired_plans.push_back(current_);
  }

 private:
  void Recommit() {
    (void)index_.Release(current_.booking_id);
    // Ids were valid in the original plan, so this cannot fail.
    (void)index_.Commit(current_);
  }

  static std::string Describe(const PlannedSession& a,
                              const PlannedSession& b) {
    std::string d;
    if (a.start_minute != b.start_minute) {
      absl::StrAppend(&d, "moved ", Hm(a.start_minute), " -> ",
                      Hm(b.start_minute));
    }
    if (a.room_id != b.room_id) {
      absl::StrAppend(&d, d.empty() ? "" : "; ", "room ", a.room_id, " -> ",
                      b.room_id);
    }
    if (!b.substitute_for.empty() && a.substitute_for != b.substitute_for) {
      for (const auto& id : b.therapist_ids) {
        if (std::find(a.therapist_ids.begin(), a.therapist_ids.end(), id) ==
            a.therapist_ids.end()) {
          absl::StrAppend(&d, d.empty() ? "" : "; ", id, " stands in for ",
                          b.substitute_for);
        }
      }
    }
    return d;
  }

  // Start slots where `group` (with the given staff per session) fits on its
  // date: therapists free, some room free, partners not busy elsewhere in the
  // plan, caps kept. Fills `resolved` with room candidates per session.
  SlotMask Candidates(const std::vector<PlannedSession>& group,
                      const std::vector<std::vector<int>>& staff,
                      Group* resolved) {
    const int d = index_.DayIndex(group[0].date);
    if (d < 0) return 0;
    resolved->sessions.clear();
    resolved->slots = 0;
    SlotMask m = ~SlotMask{0};
    std::map<int, int> minutes;  // Therapist -> minutes added.
    for (size_t i = 0; i < group.size(); ++i) {
      const PlannedSession& s = group[i];
      const SessionTemplate* st = TemplateOf(tmpl_, s);
      if (st == nullptr) return 0;
      const int len = (s.end_minute - s.start_minute) / index_.grid_minutes();
      ResolvedSession rs;
      rs.tmpl = st;
      rs.slots = len;
      rs.people = (st->participants == Participants::kBothPartners ? 2 : 1) +
                  static_cast<int>(staff[i].size());
      SlotMask rooms = 0;
      for (int r = 0; r < index_.num_rooms(); ++r) {
        const Room& room = index_.room(r);
        if (room.capacity < rs.people ||
            std::find(room.kinds.begin(), room.kinds.end(), st->room_kind) ==
                room.kinds.end()) {
          continue;
        }
        rs.rooms.push_back(r);
        rooms |= RunStarts(index_.RoomFree(r, d), len);
      }
      m &= rooms;
      for (int t : staff[i]) {
        m &= RunStarts(index_.TherapistFree(t, d), len);
        minutes[t] += s.end_minute - s.start_minute;
      }
      // Partners: the plan's other sessions that day that share one.
      for (const PlannedSession& o : current_.sessions) {
        if (o.date != s.date) continue;
        const SessionTemplate* ot = TemplateOf(tmpl_, o);
        if (ot == nullptr) continue;
        const bool shared = st->participants == Participants::kBothPartners ||
                            ot->participants == Participants::kBothPartners ||
                            st->participants == ot->participants;
        if (!shared) continue;
        const int o_from = index_.SlotAtMinute(o.start_minute);
        if (o_from < 0) return 0;
        const int o_to =
            o_from + (o.end_minute - o.start_minute) / index_.grid_minutes();
        m &= ~SlotRange(o_from - len + 1, o_to);
      }
      resolved->slots = std::max(resolved->slots, len);
      resolved->sessions.push_back(std::move(rs));
    }
    for (const auto& [t, add] : minutes) {
      if (index_.TherapistMinutes(t, d) + add >
          index_.therapist(t).daily_cap_minutes) {
        return 0;
      }
    }
    // A session whose parallel partner stays put keeps its start.
    for (const PlannedSession& o : current_.sessions) {
      if (o.date == group[0].date &&
          RootKey(tmpl_, o) == RootKey(tmpl_, group[0])) {
        const int slot = index_.SlotAtMinute(o.start_minute);
        m &= slot < 0 ? 0 : SlotRange(slot, slot + 1);
      }
    }
    return m;
  }

  // Picks the start nearest the original and rooms (original first).
  bool Place(const std::vector<PlannedSession>& group,
             const std::vector<std::vector<int>>& staff, bool exact_time_only,
             std::vector<PlannedSession>* out) {
    Group resolved;
    SlotMask m = Candidates(group, staff, &resolved);
    const int original = index_.SlotAtMinute(group[0].start_minute);
    if (original < 0) return false;
    if (exact_time_only) m &= SlotRange(original, original + 1);
    const int d = index_.DayIndex(group[0].date);
    std::vector<int> preferred;
    for (const PlannedSession& s : group) {
      const int r = index_.RoomIndex(s.room_id);
      if (r >= 0 && (e_.kind != Disruption::Kind::kRoomOutage ||
                     s.room_id != e_.resource_id)) {
        preferred.push_back(r);
      }
    }
    while (m != 0) {
      const int slot = NearestSlot(m, original);
      std::vector<int> rooms;
      if (internal::AssignRooms(index_, resolved, d, slot, preferred, &rooms)) {
        out->clear();
        for (size_t i = 0; i < group.size(); ++i) {
          PlannedSession s = group[i];
          const int shift = index_.MinuteOfSlot(slot) - group[0].start_minute;
          s.start_minute += shift;
          s.end_minute += shift;
          s.room_id = index_.room(rooms[i]).id;
          s.therapist_ids.clear();
          for (int t : staff[i]) {
            s.therapist_ids.push_back(index_.therapist(t).id);
          }
          out->push_back(std::move(s));
        }
        return true;
      }
      m &= ~SlotRange(slot, slot + 1);
    }
    return false;
  }

  std::vector<std::vector<int>> StaffOf(
      const std::vector<PlannedSession>& group) {
    std::vector<std::vector<int>> staff;
    for (const PlannedSession& s : group) {
      staff.emplace_back();
      for (const auto& id : s.therapist_ids) {
        staff.back().push_back(index_.TherapistIndex(id));
      }
    }
    return staff;
  }

  bool MoveKeepingTeam(const std::vector<PlannedSession>& group,
                       std::vector<PlannedSession>* out) {
    return Place(group, StaffOf(group), false, out);
  }

  bool Substitute(const std::vector<PlannedSession>& group,
                  std::vector<PlannedSession>* out) {
    if (e_.kind != Disruption::Kind::kTherapistAbsence) return false;
    const int absent = index_.TherapistIndex(e_.resource_id);
    const Therapist& who = index_.therapist(absent);
    // The absent person may itself be a substitute: stand in for the team
    // member they replaced.
    std::string team_member = who.id;
    for (const PlannedSession& s : group) {
      if (!s.substitute_for.empty()) team_member = s.substitute_for;
    }
    const int d = index_.DayIndex(group[0].date);
    std::vector<int> candidates;
    for (int t = 0; t < index_.num_therapists(); ++t) {
      const Therapist& th = index_.therapist(t);
      if (t == absent || th.sex != who.sex ||
          th.id == plan_.male_therapist_id ||
          th.id == plan_.female_therapist_id || !Eligible(th, plan_, tmpl_)) {
        continue;
      }
      candidates.push_back(t);
    }
    // Least booked that day first, so the stand-in load spreads.
    std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
      return index_.TherapistMinutes(a, d) < index_.TherapistMinutes(b, d);
    });
    for (bool exact : {true, false}) {
      for (int t : candidates) {
        std::vector<std::vector<int>> staff = StaffOf(group);
        for (auto& list : staff) {
          std::replace(list.begin(), list.end(), absent, t);
        }
        if (Place(group, staff, exact, out)) {
          for (size_t i = 0; i < out->size(); ++i) {
            if (staff[i] != StaffOf({group[i]})[0]) {
              (*out)[i].substitute_for =
                  index_.therapist(t).id == team_member ? "" : team_member;
            }
          }
          return true;
        }
      }
    }
    return false;
  }

  AvailabilityIndex& index_;
  const Disruption& e_;
  const Plan plan_;
  const ProgrammeTemplate* tmpl_ = nullptr;
  Plan current_;
};

}  // namespace

absl::StatusOr<RepairResult> Repair(AvailabilityIndex& index,
                                    const Disruption& disruption) {
  absl::Status applied =
      disruption.kind == Disruption::Kind::kTherapistAbsence
          ? index.AddAbsence(disruption.resource_id, disruption.interval)
          : index.AddRoomOutage(disruption.resource_id, disruption.interval);
  if (!applied.ok()) return applied;
  // Candidate plans: those holding the resource on a day the disruption
  // covers (looked up per word, not by scanning every plan).
  std::vector<std::string> ids;
  const bool room = disruption.kind == Disruption::Kind::kRoomOutage;
  const int resource = room ? index.RoomIndex(disruption.resource_id)
                            : index.TherapistIndex(disruption.resource_id);
  for (absl::CivilDay day = absl::CivilDay(disruption.interval.start);
       day <= absl::CivilDay(disruption.interval.end); ++day) {
    const int d = index.DayIndex(day);
    if (d < 0) continue;
    for (std::string& id : room ? index.PlansOnRoomDay(resource, d)
                                : index.PlansOnTherapistDay(resource, d)) {
      ids.push_back(std::move(id));
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  RepairResult result;
  for (const std::string& id : ids) {
    const Plan* plan = index.FindPlan(id);
    // One-off commitments (a caller's appointments committed as one-session
    // plans) follow no template: there is nothing to repair them against.
    if (FindTemplate(index.base_snapshot().templates, plan->template_id) ==
        nullptr) {
      continue;
    }
    bool affected = false;
    for (const PlannedSession& s : plan->sessions) {
      affected |= Touches(s, disruption);
    }
    if (!affected) continue;
    PlanRepairer(index, disruption, *plan).Run(&result);
  }
  return result;
}

}  // namespace tandem::scheduler
