#include "scheduler/testing/oracle.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"

namespace tandem::scheduler::testing {
namespace {

int Weekday(absl::CivilDay d) { return static_cast<int>(absl::GetWeekday(d)); }

int64_t Abs(absl::CivilDay d, int minute) {
  return (absl::CivilMinute(d) - absl::CivilMinute(absl::CivilDay(2000))) +
         minute;
}
int64_t Abs(absl::CivilMinute m) {
  return m - absl::CivilMinute(absl::CivilDay(2000));
}

struct Span {
  int64_t from, to;
};

class Oracle {
 public:
  Oracle(const Snapshot& s, const Request& r) : s_(s), r_(r) {
    tmpl_ = FindTemplate(s.templates, r.template_id);
    for (const Commitment& c : s.commitments) {
      for (const auto& t : c.therapist_ids) {
        t_busy_[t].push_back({Abs(c.interval.start), Abs(c.interval.end)});
      }
      if (!c.room_id.empty()) {
        r_busy_[c.room_id].push_back(
            {Abs(c.interval.start), Abs(c.interval.end)});
      }
    }
    for (const Plan& p : s.booked_plans) {
      for (const PlannedSession& x : p.sessions) {
        const Span span{Abs(x.date, x.start_minute), Abs(x.date, x.end_minute)};
        for (const auto& t : x.therapist_ids) t_busy_[t].push_back(span);
        r_busy_[x.room_id].push_back(span);
      }
    }
    for (const Therapist& t : s.therapists) {
      t_busy_[t.id];  // Present even when free.
      for (const LocalInterval& a : t.absences) {
        t_off_[t.id].push_back({Abs(a.start), Abs(a.end)});
      }
    }
    for (const Room& room : s.rooms) {
      for (const LocalInterval& o : room.out_of_service) {
        r_off_[room.id].push_back({Abs(o.start), Abs(o.end)});
      }
    }
  }

  std::optional<absl::CivilDay> Earliest() {
    if (tmpl_ == nullptr) return std::nullopt;
    std::vector<const Therapist*> males, females;
    for (const Therapist& t : s_.therapists) {
      if (!Eligible(t)) continue;
      (t.sex == Sex::kMale ? males : females).push_back(&t);
    }
    for (absl::CivilDay start = std::max(r_.earliest_start, s_.today);
         start <= r_.latest_start; ++start) {
      std::vector<absl::CivilDay> dates;
      if (!Dates(start, &dates)) continue;
      for (const Therapist* m : males) {
        for (const Therapist* f : females) {
          bool all = true;
          for (size_t k = 0; k < dates.size() && all; ++k) {
            all = DayFeasible(dates[k], k, *m, *f);
          }
          if (all) return start;
        }
      }
    }
    return std::nullopt;
  }

 private:
  bool Open(absl::CivilDay d) const {
    return s_.clinic.opening_hours[Weekday(d)].has_value() &&
           std::find(s_.clinic.closures.begin(), s_.clinic.closures.end(), d) ==
               s_.clinic.closures.end();
  }

  bool Eligible(const Therapist& t) const {
    if (!t.active) return false;
    if (std::find(r_.excluded_therapist_ids.begin(),
                  r_.excluded_therapist_ids.end(),
                  t.id) != r_.excluded_therapist_ids.end()) {
      return false;
    }
    for (const auto& q : tmpl_->required_qualifications) {
      if (std::find(t.qualifications.begin(), t.qualifications.end(), q) ==
          t.qualifications.end()) {
        return false;
      }
    }
    for (const auto& l : t.languages) {
      if (absl::EqualsIgnoreCase(l, r_.language)) return true;
    }
    return false;
  }

  bool Dates(absl::CivilDay start, std::vector<absl::CivilDay>* dates) const {
    if (!Open(start)) return false;
    dates->push_back(start);
    for (size_t k = 1; k < tmpl_->days.size(); ++k) {
      absl::CivilDay d = dates->back() + tmpl_->days[k].min_days_after_previous;
      while (!Open(d) && d - start < tmpl_->max_span_days) ++d;
      dates->push_back(d);
    }
    if (dates->back() - start >= tmpl_->max_span_days) return false;
    // The index only covers a horizon; the tests keep windows well inside.
    for (absl::CivilDay d : *dates) {
      if (std::find(r_.blackout_dates.begin(), r_.blackout_dates.end(), d) !=
          r_.blackout_dates.end()) {
        return false;
      }
    }
    return true;
  }

  static bool Hits(const std::vector<Span>& spans, int64_t from, int64_t to) {
    for (const Span& s : spans) {
      if (from < s.to && s.from < to) return true;
    }
    return false;
  }

  bool TherapistOk(const Therapist& t, absl::CivilDay d, int from,
                   int to) const {
    const auto& h = t.working_hours[Weekday(d)];
    if (!h || from < h->start || to > h->end) return false;
    const int64_t a = Abs(d, from), b = Abs(d, to);
    auto off = t_off_.find(t.id);
    if (off != t_off_.end() && Hits(off->second, a, b)) return false;
    return !Hits(t_busy_.at(t.id), a, b);
  }

  bool RoomOk(const Room& room, absl::CivilDay d, int from, int to,
              RoomKind kind, int people) const {
    if (std::find(room.kinds.begin(), room.kinds.end(), kind) ==
            room.kinds.end() ||
        room.capacity < people) {
      return false;
    }
    const int64_t a = Abs(d, from), b = Abs(d, to);
    auto off = r_off_.find(room.id);
    if (off != r_off_.end() && Hits(off->second, a, b)) return false;
    auto busy = r_busy_.find(room.id);
    return busy == r_busy_.end() || !Hits(busy->second, a, b);
  }

  int BusyMinutes(const Therapist& t, absl::CivilDay d) const {
    const int64_t a = Abs(d, 0), b = Abs(d, 1440);
    int64_t total = 0;
    for (const Span& s : t_busy_.at(t.id)) {
      total += std::max<int64_t>(0, std::min(b, s.to) - std::max(a, s.from));
    }
    return static_cast<int>(total);
  }

  // Who is in session i given the team and an "either" choice bit.
  std::vector<const Therapist*> Staff(const SessionTemplate& st,
                                      const Therapist& m, const Therapist& f,
                                      bool either_female) const {
    const Sex partner = st.participants == Participants::kPartnerB
                            ? r_.partner_b_sex
                            : r_.partner_a_sex;
    switch (st.therapists) {
      case TherapistRole::kBoth:
        return {&m, &f};
      case TherapistRole::kMale:
        return {&m};
      case TherapistRole::kFemale:
        return {&f};
      case TherapistRole::kEither:
        return {either_female ? &f : &m};
      case TherapistRole::kSameSexAsPartner:
        return {partner == Sex::kMale ? &m : &f};
      case TherapistRole::kOtherSexThanPartner:
        return {partner == Sex::kMale ? &f : &m};
    }
    return {};
  }

  bool DayFeasible(absl::CivilDay date, size_t k, const Therapist& m,
                   const Therapist& f) {
    // Memoised on the day's content: identical template days share answers.
    const auto key = std::make_tuple(date, DaySignature(k), m.id, f.id);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
    const bool ok = SearchDay(date, tmpl_->days[k], m, f);
    memo_[key] = ok;
    return ok;
  }

  std::string DaySignature(size_t k) const {
    std::string sig;
    for (const SessionTemplate& st : tmpl_->days[k].sessions) {
      sig += st.key + "/" + std::to_string(st.duration_minutes) + "/" +
             std::to_string(static_cast<int>(st.participants)) +
             std::to_string(static_cast<int>(st.therapists)) +
             std::to_string(static_cast<int>(st.room_kind)) + "/" +
             st.parallel_with + ";";
    }
    return sig;
  }

  bool SearchDay(absl::CivilDay date, const DayTemplate& day,
                 const Therapist& m, const Therapist& f) {
    const auto& open = s_.clinic.opening_hours[Weekday(date)];
    if (!open) return false;
    // Groups of simultaneous sessions, in order.
    std::vector<std::vector<size_t>> groups;
    std::map<std::string, size_t> group_of;
    for (size_t i = 0; i < day.sessions.size(); ++i) {
      const SessionTemplate& st = day.sessions[i];
      if (!st.parallel_with.empty()) {
        const size_t g = group_of[st.parallel_with];
        groups[g].push_back(i);
        group_of[st.key] = g;
      } else {
        group_of[st.key] = groups.size();
        groups.push_back({i});
      }
    }
    int n_either = 0;
    for (const auto& st : day.sessions) {
      n_either += st.therapists == TherapistRole::kEither;
    }
    for (int combo = 0; combo < (1 << n_either); ++combo) {
      std::vector<std::vector<const Therapist*>> staff;
      int bit = 0;
      for (const auto& st : day.sessions) {
        bool fem = false;
        if (st.therapists == TherapistRole::kEither) fem = (combo >> bit++) & 1;
        staff.push_back(Staff(st, m, f, fem));
      }
      // Cap: the day's minutes do not depend on times.
      bool cap_ok = true;
      for (const Therapist* t : {&m, &f}) {
        int mins = BusyMinutes(*t, date);
        for (size_t i = 0; i < day.sessions.size(); ++i) {
          for (const Therapist* x : staff[i]) {
            if (x == t) mins += day.sessions[i].duration_minutes;
          }
        }
        cap_ok &= mins <= t->daily_cap_minutes;
      }
      if (!cap_ok) continue;
      if (PlaceGroups(date, day, groups, staff, 0, open->start)) return true;
    }
    return false;
  }

  bool PlaceGroups(absl::CivilDay date, const DayTemplate& day,
                   const std::vector<std::vector<size_t>>& groups,
                   const std::vector<std::vector<const Therapist*>>& staff,
                   size_t g, int not_before) {
    if (g == groups.size()) return true;
    const auto& open = *s_.clinic.opening_hours[Weekday(date)];
    const int grid = s_.clinic.grid_minutes;
    for (int t = 0; t < 1440; t += grid) {
      if (t < not_before || t < open.start) continue;
      int end = t;
      bool ok = true;
      std::vector<const Therapist*> used;
      int partners = 0;
      for (size_t i : groups[g]) {
        const SessionTemplate& st = day.sessions[i];
        const int to = t + st.duration_minutes;
        end = std::max(end, to);
        if (to > open.end) ok = false;
        const int who = st.participants == Participants::kBothPartners ? 3
                        : st.participants == Participants::kPartnerA   ? 1
                                                                       : 2;
        if (partners & who) ok = false;
        partners |= who;
        for (const Therapist* x : staff[i]) {
          if (std::find(used.begin(), used.end(), x) != used.end()) ok = false;
          used.push_back(x);
          if (ok && !TherapistOk(*x, date, t, to)) ok = false;
        }
      }
      if (!ok) continue;
      std::vector<const Room*> rooms;
      if (!PlaceRooms(date, day, groups[g], staff, t, 0, &rooms)) continue;
      if (PlaceGroups(date, day, groups, staff, g + 1, end)) return true;
    }
    return false;
  }

  bool PlaceRooms(absl::CivilDay date, const DayTemplate& day,
                  const std::vector<size_t>& group,
                  const std::vector<std::vector<const Therapist*>>& staff,
                  int t, size_t i, std::vector<const Room*>* rooms) {
    if (i == group.size()) return true;
    const SessionTemplate& st = day.sessions[group[i]];
    const int people =
        (st.participants == Participants::kBothPartners ? 2 : 1) +
        static_cast<int>(staff[group[i]].size());
    for (const Room& room : s_.rooms) {
      if (std::find(rooms->begin(), rooms->end(), &room) != rooms->end()) {
        continue;
      }
      if (!RoomOk(room, date, t, t + st.duration_minutes, st.room_kind,
                  people)) {
        continue;
      }
      rooms->push_back(&room);
      if (PlaceRooms(date, day, group, staff, t, i + 1, rooms)) return true;
      rooms->pop_back();
    }
    return false;
  }

  const Snapshot& s_;
  const Request& r_;
  const ProgrammeTemplate* tmpl_ = nullptr;
  std::map<std::string, std::vector<Span>> t_busy_, r_busy_, t_off_, r_off_;
  std::map<std::tuple<absl::CivilDay, std::string, std::string, std::string>,
           bool>
      memo_;
};

}  // namespace

std::optional<absl::CivilDay> OracleEarliestStart(const Snapshot& snapshot,
                                                  const Request& request) {
  return Oracle(snapshot, request).Earliest();
}

}  // namespace tandem::scheduler::testing
