#include "scheduler/validate_plan.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tandem::scheduler {
namespace {

// Minutes since an arbitrary epoch, for plain interval arithmetic.
int64_t Abs(absl::CivilDay day, int minute) {
  return (absl::CivilMinute(day) - absl::CivilMinute(absl::CivilDay(2000))) +
         minute;
}
int64_t Abs(absl::CivilMinute m) {
  return m - absl::CivilMinute(absl::CivilDay(2000));
}

bool Overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  return a0 < b1 && b0 < a1;
}

absl::Status Broken(const std::string& what) {
  return absl::FailedPreconditionError(what);
}

std::string Label(const PlannedSession& s) {
  return absl::StrFormat("session '%s' of day %d (%s %02d:%02d)", s.session_key,
                         s.programme_day, absl::FormatCivilTime(s.date),
                         s.start_minute / 60, s.start_minute % 60);
}

int Weekday(absl::CivilDay d) { return static_cast<int>(absl::GetWeekday(d)); }

bool Within(const WeeklyHours& hours, absl::CivilDay day, int from, int to) {
  const auto& h = hours[Weekday(day)];
  return h.has_value() && h->start <= from && to <= h->end;
}

bool IsOpen(const Clinic& c, absl::CivilDay d) {
  return c.opening_hours[Weekday(d)].has_value() &&
         std::find(c.closures.begin(), c.closures.end(), d) == c.closures.end();
}

bool Eligible(const Therapist& t, const Request& r,
              const ProgrammeTemplate& tmpl) {
  if (!t.active) return false;
  bool speaks = false;
  for (const auto& l : t.languages)
    speaks |= absl::EqualsIgnoreCase(l, r.language);
  if (!speaks) return false;
  for (const auto& q : tmpl.required_qualifications) {
    if (std::find(t.qualifications.begin(), t.qualifications.end(), q) ==
        t.qualifications.end()) {
      return false;
    }
  }
  return std::find(r.excluded_therapist_ids.begin(),
                   r.excluded_therapist_ids.end(),
                   t.id) == r.excluded_therapist_ids.end();
}

struct Busy {
  int64_t start, end;
  int minutes_on_day;  // Unused for rooms.
};

}  // namespace

absl::Status ValidatePlan(const Snapshot& snap, const Request& request,
                          const Plan& plan, const ValidateOptions& options) {
  const bool partial = options.allow_missing_sessions;
  const ProgrammeTemplate* tmpl =
      FindTemplate(snap.templates, request.template_id);
  if (tmpl == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request.template_id: unknown template '", request.template_id, "'"));
  }
  if (plan.booking_id != request.booking_id) {
    return Broken("plan.booking_id does not match the request");
  }
  if (plan.template_id != tmpl->id) {
    return Broken("plan.template_id does not match the request");
  }
  const Clinic& clinic = snap.clinic;
  if (clinic.grid_minutes <= 0) {
    return absl::InvalidArgumentError("clinic.grid_minutes must be positive");
  }

  std::map<std::string, const Therapist*> therapists;
  for (const Therapist& t : snap.therapists) therapists[t.id] = &t;
  std::map<std::string, const Room*> rooms;
  for (const Room& r : snap.rooms) rooms[r.id] = &r;

  // The team.
  auto male_it = therapists.find(plan.male_therapist_id);
  auto female_it = therapists.find(plan.female_therapist_id);
  if (male_it == therapists.end() || male_it->second->sex != Sex::kMale) {
    return Broken("the team's male therapist is unknown or not male");
  }
  if (female_it == therapists.end() || female_it->second->sex != Sex::kFemale) {
    return Broken("the team's female therapist is unknown or not female");
  }
  if (!Eligible(*male_it->second, request, *tmpl)) {
    return Broken(absl::StrCat("male therapist '", plan.male_therapist_id,
                               "' is inactive, excluded, unqualified or "
                               "does not speak the language"));
  }
  if (!Eligible(*female_it->second, request, *tmpl)) {
    return Broken(absl::StrCat("female therapist '", plan.female_therapist_id,
                               "' is inactive, excluded, unqualified or "
                               "does not speak the language"));
  }

  // Structure: each template session exactly once, on its day.
  size_t expected = 0;
  for (const DayTemplate& d : tmpl->days) expected += d.sessions.size();
  if (plan.sessions.size() > expected ||
      (!partial && plan.sessions.size() != expected)) {
    return Broken(absl::StrCat("plan has ", plan.sessions.size(),
                               " sessions; the template has ", expected));
  }
  const int n_days = static_cast<int>(tmpl->days.size());
  std::vector<std::vector<const PlannedSession*>> by_day(n_days);
  for (const PlannedSession& s : plan.sessions) {
    if (s.programme_day < 1 || s.programme_day > n_days) {
      return Broken(absl::StrCat(Label(s), ": no such programme day"));
    }
    by_day[s.programme_day - 1].push_back(&s);
  }
  std::vector<absl::CivilDay> dates(n_days);
  std::vector<bool> present(n_days, false);
  // Session template of each planned session, by address.
  std::map<const PlannedSession*, const SessionTemplate*> tmpl_of;
  for (int k = 0; k < n_days; ++k) {
    const DayTemplate& day = tmpl->days[k];
    if (by_day[k].size() > day.sessions.size() ||
        (!partial && by_day[k].size() != day.sessions.size())) {
      return Broken(absl::StrCat("programme day ", k + 1, " has ",
                                 by_day[k].size(), " sessions; expected ",
                                 day.sessions.size()));
    }
    for (const SessionTemplate& st : day.sessions) {
      const PlannedSession* found = nullptr;
      for (const PlannedSession* s : by_day[k]) {
        if (s->session_key == st.key) {
          if (found != nullptr) {
            return Broken(absl::StrCat(Label(*s), " appears twice"));
          }
          found = s;
        }
      }
      if (found == nullptr) {
        if (partial) continue;
        return Broken(absl::StrCat("session '", st.key, "' of day ", k + 1,
                                   " is missing"));
      }
      tmpl_of[found] = &st;
    }
    if (by_day[k].empty()) continue;  // Only when partial.
    present[k] = true;
    dates[k] = by_day[k].front()->date;
    for (const PlannedSession* s : by_day[k]) {
      if (s->date != dates[k]) {
        return Broken(absl::StrCat(Label(*s),
                                   ": sessions of one programme "
                                   "day must share a date"));
      }
    }
  }

  for (const PlannedSession& s : plan.sessions) {
    if (!tmpl_of.contains(&s)) {
      return Broken(absl::StrCat(Label(s), ": not a session of the template"));
    }
  }

  // Dates.
  const absl::CivilDay first_allowed =
      std::max(request.earliest_start, snap.today);
  if (present[0] &&
      (dates[0] < first_allowed || dates[0] > request.latest_start)) {
    return Broken(absl::StrCat("day 1 (", absl::FormatCivilTime(dates[0]),
                               ") is outside the request window"));
  }
  for (int k = 0; k < n_days; ++k) {
    if (!present[k]) continue;
    if (!IsOpen(clinic, dates[k])) {
      return Broken(absl::StrCat("day ", k + 1, " (",
                                 absl::FormatCivilTime(dates[k]),
                                 ") is not an open clinic day"));
    }
    if (std::find(request.blackout_dates.begin(), request.blackout_dates.end(),
                  dates[k]) != request.blackout_dates.end()) {
      return Broken(absl::StrCat("day ", k + 1, " falls on a blackout date"));
    }
    if (k > 0 && present[k - 1]) {
      absl::CivilDay want =
          dates[k - 1] + tmpl->days[k].min_days_after_previous;
      while (!IsOpen(clinic, want) && want < dates[k]) ++want;
      if (want != dates[k]) {
        return Broken(absl::StrCat("day ", k + 1, " should fall on ",
                                   absl::FormatCivilTime(want)));
      }
    }
  }
  int first_day = -1, last_day = -1;
  for (int k = 0; k < n_days; ++k) {
    if (!present[k]) continue;
    if (first_day < 0) first_day = k;
    last_day = k;
  }
  if (first_day >= 0 &&
      dates[last_day] - dates[first_day] >= tmpl->max_span_days) {
    return Broken("the programme exceeds the template's maximum span");
  }

  // Busy time of other bookings, per resource id.
  absl::flat_hash_map<std::string, std::vector<Busy>> t_busy, r_busy;
  auto add_busy = [&](const std::vector<std::string>& ts,
                      const std::string& room, int64_t from, int64_t to) {
    for (const auto& t : ts) t_busy[t].push_back({from, to, 0});
    if (!room.empty()) r_busy[room].push_back({from, to, 0});
  };
  for (const Commitment& c : snap.commitments) {
    if (c.booking_id == plan.booking_id) continue;
    add_busy(c.therapist_ids, c.room_id, Abs(c.interval.start),
             Abs(c.interval.end));
  }
  for (const Plan& other : snap.booked_plans) {
    if (other.booking_id == plan.booking_id) continue;
    for (const PlannedSession& s : other.sessions) {
      add_busy(s.therapist_ids, s.room_id, Abs(s.date, s.start_minute),
               Abs(s.date, s.end_minute));
    }
  }

  // Each session on its own.
  for (const PlannedSession& s : plan.sessions) {
    const SessionTemplate& st = *tmpl_of[&s];
    const std::string label = Label(s);
    if (s.start_minute < 0 || s.start_minute % clinic.grid_minutes != 0) {
      return Broken(absl::StrCat(label, ": start is not on the booking grid"));
    }
    if (s.end_minute - s.start_minute != st.duration_minutes) {
      return Broken(
          absl::StrCat(label, ": lasts ", s.end_minute - s.start_minute,
                       " minutes, the template says ", st.duration_minutes));
    }
    if (!Within(clinic.opening_hours, s.date, s.start_minute, s.end_minute)) {
      return Broken(absl::StrCat(label, ": outside opening hours"));
    }
    // Who the role asks for.
    const Sex partner_sex = st.participants == Participants::kPartnerB
                                ? request.partner_b_sex
                                : request.partner_a_sex;
    std::vector<std::vector<std::string>> allowed;  // Alternatives.
    const std::string& m = plan.male_therapist_id;
    const std::string& f = plan.female_therapist_id;
    switch (st.therapists) {
      case TherapistRole::kBoth:
        allowed = {{m, f}};
        break;
      case TherapistRole::kMale:
        allowed = {{m}};
        break;
      case TherapistRole::kFemale:
        allowed = {{f}};
        break;
      case TherapistRole::kEither:
        allowed = {{m}, {f}};
        break;
      case TherapistRole::kSameSexAsPartner:
        allowed = {{partner_sex == Sex::kMale ? m : f}};
        break;
      case TherapistRole::kOtherSexThanPartner:
        allowed = {{partner_sex == Sex::kMale ? f : m}};
        break;
    }
    std::vector<std::string> got = s.therapist_ids;
    std::sort(got.begin(), got.end());
    bool role_ok = false;
    for (std::vector<std::string> want : allowed) {
      if (!s.substitute_for.empty()) {
        auto it = std::find(want.begin(), want.end(), s.substitute_for);
        if (it == want.end()) continue;
        const std::string& absent = *it;
        // The one id in `got` that is not in `want` is the substitute.
        std::vector<std::string> extra;
        for (const auto& id : got) {
          if (std::find(want.begin(), want.end(), id) == want.end()) {
            extra.push_back(id);
          }
        }
        if (extra.size() != 1) continue;
        auto sub = therapists.find(extra[0]);
        if (sub == therapists.end() ||
            sub->second->sex != therapists[absent]->sex ||
            !Eligible(*sub->second, request, *tmpl)) {
          return Broken(absl::StrCat(label, ": substitute '", extra[0],
                                     "' is not an eligible therapist of the "
                                     "same sex"));
        }
        *it = extra[0];
      }
      std::sort(want.begin(), want.end());
      if (want == got) role_ok = true;
    }
    if (!role_ok) {
      return Broken(absl::StrCat(label,
                                 ": therapists do not match the "
                                 "session's role"));
    }
    const int64_t from = Abs(s.date, s.start_minute);
    const int64_t to = Abs(s.date, s.end_minute);
    for (const std::string& id : s.therapist_ids) {
      const Therapist& t = *therapists[id];
      if (!Within(t.working_hours, s.date, s.start_minute, s.end_minute)) {
        return Broken(
            absl::StrCat(label, ": outside ", id, "'s working hours"));
      }
      for (const LocalInterval& a : t.absences) {
        if (Overlaps(from, to, Abs(a.start), Abs(a.end))) {
          return Broken(absl::StrCat(label, ": ", id, " is absent"));
        }
      }
      for (const Busy& b : t_busy[id]) {
        if (Overlaps(from, to, b.start, b.end)) {
          return Broken(absl::StrCat(label, ": ", id,
                                     " is booked elsewhere at that time"));
        }
      }
    }
    auto room_it = rooms.find(s.room_id);
    if (room_it == rooms.end()) {
      return Broken(absl::StrCat(label, ": unknown room '", s.room_id, "'"));
    }
    const Room& room = *room_it->second;
    if (std::find(room.kinds.begin(), room.kinds.end(), st.room_kind) ==
        room.kinds.end()) {
      return Broken(absl::StrCat(label, ": room '", room.id,
                                 "' is not of the needed kind"));
    }
    const int people =
        (st.participants == Participants::kBothPartners ? 2 : 1) +
        static_cast<int>(s.therapist_ids.size());
    if (room.capacity < people) {
      return Broken(absl::StrCat(label, ": room '", room.id, "' holds ",
                                 room.capacity, ", the session needs ",
                                 people));
    }
    for (const LocalInterval& o : room.out_of_service) {
      if (Overlaps(from, to, Abs(o.start), Abs(o.end))) {
        return Broken(
            absl::StrCat(label, ": room '", room.id, "' is out of service"));
      }
    }
    for (const Busy& b : r_busy[room.id]) {
      if (Overlaps(from, to, b.start, b.end)) {
        return Broken(absl::StrCat(label, ": room '", room.id,
                                   "' is booked elsewhere at that time"));
      }
    }
    if (!st.parallel_with.empty()) {
      for (const PlannedSession* o : by_day[s.programme_day - 1]) {
        if (o->session_key != st.parallel_with) continue;
        if (o->start_minute != s.start_minute || o->room_id == s.room_id) {
          return Broken(absl::StrCat(label, ": must start with '",
                                     st.parallel_with,
                                     "' in a different room"));
        }
      }
    }
  }

  // Sessions against each other: shared therapist, room or partner.
  for (size_t i = 0; i < plan.sessions.size(); ++i) {
    for (size_t j = i + 1; j < plan.sessions.size(); ++j) {
      const PlannedSession& a = plan.sessions[i];
      const PlannedSession& b = plan.sessions[j];
      if (a.date != b.date || !Overlaps(a.start_minute, a.end_minute,
                                        b.start_minute, b.end_minute)) {
        continue;
      }
      const Participants pa = tmpl_of[&a]->participants;
      const Participants pb = tmpl_of[&b]->participants;
      bool shared = a.room_id == b.room_id ||
                    pa == Participants::kBothPartners ||
                    pb == Participants::kBothPartners || pa == pb;
      for (const auto& id : a.therapist_ids) {
        shared |= std::find(b.therapist_ids.begin(), b.therapist_ids.end(),
                            id) != b.therapist_ids.end();
      }
      if (shared) {
        return Broken(absl::StrCat(Label(a), " and ", Label(b),
                                   " need the same person or room at once"));
      }
    }
  }

  // Daily caps: other bookings' minutes on the date plus this plan's.
  std::map<std::pair<std::string, absl::CivilDay>, int64_t> minutes;
  for (const PlannedSession& s : plan.sessions) {
    for (const auto& id : s.therapist_ids) {
      minutes[{id, s.date}] += s.end_minute - s.start_minute;
    }
  }
  for (auto& [key, total] : minutes) {
    const int64_t day0 = Abs(key.second, 0), day1 = Abs(key.second, 1440);
    for (const Busy& b : t_busy[key.first]) {
      total +=
          std::max<int64_t>(0, std::min(day1, b.end) - std::max(day0, b.start));
    }
    if (total > therapists[key.first]->daily_cap_minutes) {
      return Broken(absl::StrCat("therapist '", key.first, "' would work ",
                                 total, " session minutes on ",
                                 absl::FormatCivilTime(key.second),
                                 ", over the daily cap"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tandem::scheduler
