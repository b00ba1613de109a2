#include "scheduler/internal/resolved_request.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tandem::scheduler::internal {
namespace {

std::string DayString(absl::CivilDay d) { return absl::FormatCivilTime(d); }

bool Speaks(const Therapist& t, const std::string& language) {
  for (const std::string& l : t.languages) {
    if (absl::EqualsIgnoreCase(l, language)) return true;
  }
  return false;
}

bool HasAll(const Therapist& t, const std::vector<std::string>& quals) {
  for (const std::string& q : quals) {
    if (std::find(t.qualifications.begin(), t.qualifications.end(), q) ==
        t.qualifications.end()) {
      return false;
    }
  }
  return true;
}

bool KindFits(const Room& room, RoomKind kind) {
  return std::find(room.kinds.begin(), room.kinds.end(), kind) !=
         room.kinds.end();
}

absl::Status CheckTemplate(const ProgrammeTemplate& t, int grid) {
  const std::string name = absl::StrCat("template '", t.id, "'");
  if (t.days.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, " has no days"));
  }
  if (t.max_span_days < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": max_span_days must be positive"));
  }
  for (size_t d = 0; d < t.days.size(); ++d) {
    const DayTemplate& day = t.days[d];
    const std::string where = absl::StrCat(name, " day ", d + 1);
    if (day.sessions.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " has no sessions"));
    }
    if (d > 0 && (day.min_days_after_previous < 1 ||
                  day.min_days_after_previous > 3660)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": min_days_after_previous must be between 1 and 3660"));
    }
    for (size_t i = 0; i < day.sessions.size(); ++i) {
      const SessionTemplate& s = day.sessions[i];
      const std::string at = absl::StrCat(where, " session '", s.key, "'");
      if (s.key.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " has a session without a key"));
      }
      if (s.duration_minutes <= 0 || s.duration_minutes > 1440 ||
          s.duration_minutes % grid != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(at, ": duration_minutes ", s.duration_minutes,
                         " must be a multiple of clinic.grid_minutes ", grid,
                         " between 1 and 1440"));
      }
      for (size_t j = 0; j < i; ++j) {
        if (day.sessions[j].key == s.key) {
          return absl::InvalidArgumentError(
              absl::StrCat(at, ": key is used twice"));
        }
      }
      if (!s.parallel_with.empty()) {
        bool found = false;
        for (size_t j = 0; j < i; ++j)
          found |= day.sessions[j].key == s.parallel_with;
        if (!found) {
          return absl::InvalidArgumentError(
              absl::StrCat(at, ": parallel_with '", s.parallel_with,
                           "' is not an earlier session of the same day"));
        }
      }
      const bool single = s.participants != Participants::kBothPartners;
      if ((s.therapists == TherapistRole::kSameSexAsPartner ||
           s.therapists == TherapistRole::kOtherSexThanPartner) &&
          !single) {
        return absl::InvalidArgumentError(absl::StrCat(
            at, ": a partner-relative therapist role needs a single partner"));
      }
    }
  }
  return absl::OkStatus();
}

// Builds the patterns of one template day: one per assignment of kEither
// roles that keeps parallel sessions free of shared people.
absl::Status ResolveDay(const AvailabilityIndex& index, const Request& request,
                        const ProgrammeTemplate& t, int day_number,
                        std::vector<DayPattern>* out) {
  const DayTemplate& day = t.days[day_number];
  std::vector<int> either;
  for (size_t i = 0; i < day.sessions.size(); ++i) {
    if (day.sessions[i].therapists == TherapistRole::kEither)
      either.push_back(i);
  }
  if (either.size() > 6) {
    return absl::InvalidArgumentError(absl::StrCat(
        "template '", t.id, "' day ", day_number + 1,
        ": at most 6 sessions a day may use TherapistRole::kEither"));
  }
  // Group index of each session: parallel sessions join their target's group.
  std::vector<int> group_of(day.sessions.size());
  int groups = 0;
  for (size_t i = 0; i < day.sessions.size(); ++i) {
    group_of[i] = -1;
    for (size_t j = 0; j < i; ++j) {
      if (day.sessions[j].key == day.sessions[i].parallel_with) {
        group_of[i] = group_of[j];
      }
    }
    if (group_of[i] < 0) group_of[i] = groups++;
  }
  const int grid = index.grid_minutes();
  for (int combo = 0; combo < (1 << either.size()); ++combo) {
    DayPattern p;
    p.groups.resize(groups);
    std::vector<int> people_mask(groups, 0);  // bits: A, B, male, female
    bool ok = true;
    for (size_t i = 0; i < day.sessions.size() && ok; ++i) {
      const SessionTemplate& s = day.sessions[i];
      ResolvedSession r;
      r.tmpl = &s;
      r.slots = s.duration_minutes / grid;
      const Sex partner_sex = s.participants == Participants::kPartnerB
                                  ? request.partner_b_sex
                                  : request.partner_a_sex;
      switch (s.therapists) {
        case TherapistRole::kBoth:
          r.male = r.female = true;
          break;
        case TherapistRole::kMale:
          r.male = true;
          break;
        case TherapistRole::kFemale:
          r.female = true;
          break;
        case TherapistRole::kEither: {
          const int bit = static_cast<int>(
              std::find(either.begin(), either.end(), static_cast<int>(i)) -
              either.begin());
          ((combo >> bit) & 1 ? r.female : r.male) = true;
          break;
        }
        case TherapistRole::kSameSexAsPartner:
          (partner_sex == Sex::kMale ? r.male : r.female) = true;
          break;
        case TherapistRole::kOtherSexThanPartner:
          (partner_sex == Sex::kMale ? r.female : r.male) = true;
          break;
      }
      int people = 0;
      if (s.participants != Participants::kPartnerB) people |= 1;
      if (s.participants != Participants::kPartnerA) people |= 2;
      if (r.male) people |= 4;
      if (r.female) people |= 8;
      const int g = group_of[i];
      if (people_mask[g] & people) ok = false;  // Someone in two places.
      people_mask[g] |= people;
      r.people = __builtin_popcount(people);
      for (int room = 0; room < index.num_rooms(); ++room) {
        if (KindFits(index.room(room), s.room_kind) &&
            index.room(room).capacity >= r.people) {
          r.rooms.push_back(room);
        }
      }
      if (r.male) p.male_minutes += s.duration_minutes;
      if (r.female) p.female_minutes += s.duration_minutes;
      p.groups[g].slots = std::max(p.groups[g].slots, r.slots);
      p.groups[g].sessions.push_back(std::move(r));
      ++p.sessions;
    }
    if (ok) out->push_back(std::move(p));
  }
  if (out->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "template '", t.id, "' day ", day_number + 1,
        ": parallel sessions would need the same person twice (check the "
        "partners' sexes for partner-relative roles)"));
  }
  return absl::OkStatus();
}

// A signature to share identical patterns between days.
std::string Signature(const DayPattern& p) {
  std::string sig;
  for (const Group& g : p.groups) {
    absl::StrAppend(&sig, "[");
    for (const ResolvedSession& s : g.sessions) {
      absl::StrAppend(&sig, s.tmpl->key, ":", s.slots, ":", s.male, s.female,
                      ":", static_cast<int>(s.tmpl->room_kind), ":", s.people,
                      ";");
    }
    absl::StrAppend(&sig, "]");
  }
  return sig;
}

}  // namespace

SlotMask PreferredSlots(const AvailabilityIndex& index, TimeOfDay when) {
  int from = 0, to = 0;
  switch (when) {
    case TimeOfDay::kAny:
      return 0;
    case TimeOfDay::kMorning:
      from = 0, to = 720;
      break;
    case TimeOfDay::kAfternoon:
      from = 720, to = 1020;
      break;
    case TimeOfDay::kEvening:
      from = 1020, to = 1440;
      break;
  }
  SlotMask m = 0;
  for (int s = 0; s < index.slots_per_day(); ++s) {
    const int minute = index.MinuteOfSlot(s);
    if (minute >= from && minute < to) m |= SlotMask{1} << s;
  }
  return m;
}

absl::StatusOr<ResolvedRequest> ResolveRequest(const AvailabilityIndex& index,
                                               const Request& request) {
  ResolvedRequest r;
  r.request = &request;
  if (request.booking_id.empty()) {
    return absl::InvalidArgumentError("request.booking_id is empty");
  }
  r.tmpl = FindTemplate(index.base_snapshot().templates, request.template_id);
  if (r.tmpl == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request.template_id: unknown template '", request.template_id, "'"));
  }
  if (request.language.empty()) {
    return absl::InvalidArgumentError("request.language is empty");
  }
  if (request.latest_start < request.earliest_start) {
    return absl::InvalidArgumentError(
        absl::StrCat("request.latest_start (", DayString(request.latest_start),
                     ") is before request.earliest_start (",
                     DayString(request.earliest_start), ")"));
  }
  const absl::CivilDay today = index.first_day();
  if (request.latest_start < today) {
    return absl::InvalidArgumentError(
        absl::StrCat("request.latest_start (", DayString(request.latest_start),
                     ") is before today (", DayString(today), ")"));
  }
  const absl::CivilDay horizon_end = today + index.num_days();
  if (request.earliest_start >= horizon_end) {
    return absl::OutOfRangeError(absl::StrCat(
        "request.earliest_start (", DayString(request.earliest_start),
        ") is beyond the planning horizon, which ends ",
        DayString(horizon_end - 1)));
  }
  if (absl::Status s = CheckTemplate(*r.tmpl, index.grid_minutes()); !s.ok()) {
    return s;
  }
  r.first_start = index.DayIndex(std::max(request.earliest_start, today));
  r.last_start =
      index.DayIndex(std::min(request.latest_start, horizon_end - 1));

  std::map<std::string, int> pattern_ids;
  for (size_t d = 0; d < r.tmpl->days.size(); ++d) {
    std::vector<DayPattern> patterns;
    if (absl::Status s = ResolveDay(index, request, *r.tmpl, d, &patterns);
        !s.ok()) {
      return s;
    }
    ResolvedDay day;
    day.min_gap_days = r.tmpl->days[d].min_days_after_previous;
    for (DayPattern& p : patterns) {
      auto [it, inserted] = pattern_ids.emplace(
          Signature(p), static_cast<int>(r.patterns.size()));
      if (inserted) r.patterns.push_back(std::move(p));
      day.patterns.push_back(it->second);
    }
    r.days.push_back(std::move(day));
  }

  for (int t = 0; t < index.num_therapists(); ++t) {
    const Therapist& th = index.therapist(t);
    if (!th.active || !Speaks(th, request.language) ||
        !HasAll(th, r.tmpl->required_qualifications) ||
        std::find(request.excluded_therapist_ids.begin(),
                  request.excluded_therapist_ids.end(),
                  th.id) != request.excluded_therapist_ids.end()) {
      continue;
    }
    (th.sex == Sex::kMale ? r.males : r.females).push_back(t);
  }
  // The score groups sessions by how many therapists they have; sessions of
  // one group (simultaneous) cannot share a room.
  int per_key[2] = {0, 0};
  for (const ResolvedDay& day : r.days) {
    const DayPattern& p = r.patterns[day.patterns.front()];
    for (const Group& g : p.groups) {
      int in_group[2] = {0, 0};
      for (const ResolvedSession& s : g.sessions)
        ++in_group[s.male && s.female];
      for (int key = 0; key < 2; ++key) per_key[key] += in_group[key] > 0;
    }
  }
  for (int key = 0; key < 2; ++key) {
    if (per_key[key] > 0) r.max_same_room_sessions += per_key[key] - 1;
  }
  r.blackouts.insert(request.blackout_dates.begin(),
                     request.blackout_dates.end());
  r.preferred = PreferredSlots(index, request.preferences.time_of_day);
  for (const Team& team : index.base_snapshot().teams) {
    r.standing_teams.insert(
        ResolvedRequest::PairKey(index.TherapistIndex(team.male_id),
                                 index.TherapistIndex(team.female_id)));
  }
  if (const auto& want = request.preferences.standing_team) {
    r.wanted_male = index.TherapistIndex(want->male_id);
    r.wanted_female = index.TherapistIndex(want->female_id);
    if (r.wanted_male < 0 || index.therapist(r.wanted_male).sex != Sex::kMale) {
      return absl::InvalidArgumentError(
          absl::StrCat("request.preferences.standing_team.male_id '",
                       want->male_id, "' is not a male therapist"));
    }
    if (r.wanted_female < 0 ||
        index.therapist(r.wanted_female).sex != Sex::kFemale) {
      return absl::InvalidArgumentError(
          absl::StrCat("request.preferences.standing_team.female_id '",
                       want->female_id, "' is not a female therapist"));
    }
  }
  return r;
}

DatesStatus ProgrammeDays(const AvailabilityIndex& index,
                          const ResolvedRequest& req, int start,
                          std::vector<int>* days) {
  days->clear();
  if (start < 0 || start >= index.num_days() || !index.IsOpenDay(start)) {
    return DatesStatus::kNotOpen;
  }
  int day = start;
  for (size_t k = 0; k < req.days.size(); ++k) {
    if (k > 0) {
      day += req.days[k].min_gap_days;
      while (day < index.num_days() && !index.IsOpenDay(day) &&
             day - start < req.tmpl->max_span_days) {
        ++day;
      }
    }
    if (day >= index.num_days() || day - start >= req.tmpl->max_span_days) {
      return DatesStatus::kTooLong;
    }
    days->push_back(day);
  }
  for (int d : *days) {
    if (req.blackouts.contains(index.DayAt(d))) return DatesStatus::kBlackout;
  }
  return DatesStatus::kOk;
}

}  // namespace tandem::scheduler::internal
