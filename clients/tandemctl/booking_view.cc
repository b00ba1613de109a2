#include "clients/tandemctl/booking_view.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/enum_words.h"
#include "clients/tandemctl/errors.h"
#include "clients/tandemctl/output.h"

namespace tandem::cli {

namespace bk = tandem::booking::v1;

namespace {

std::string TeamNames(Context& ctx, const bk::TeamAssignment& team) {
  std::string names = absl::StrCat(ctx.TherapistName(team.male_therapist_id()),
                                   " + ",
                                   ctx.TherapistName(team.female_therapist_id()));
  if (!team.team_id().empty()) absl::StrAppend(&names, " (", team.team_id(), ")");
  return names;
}

// A resource id as a name where one is known.
std::string ResourceName(Context& ctx, const std::string& id) {
  if (absl::StartsWith(id, "th-")) return ctx.TherapistName(id);
  if (absl::StartsWith(id, "rm-")) return ctx.RoomName(id);
  return id;
}

std::string Names(Context& ctx,
                  const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return Join(ids, [&](const std::string& id) { return ResourceName(ctx, id); });
}

}  // namespace

std::string PlanTable(
    Context& ctx, const google::protobuf::RepeatedPtrField<bk::Plan>& plans) {
  Table t({"#", "START", "END", "TEAM", "ROOMS", "SESSIONS", "SCORE"});
  int n = 0;
  for (const bk::Plan& plan : plans) {
    std::set<std::string> room_ids;
    for (const auto& s : plan.sessions()) {
      room_ids.insert(s.room_ids().begin(), s.room_ids().end());
    }
    std::vector<std::string> rooms;
    for (const auto& id : room_ids) rooms.push_back(ctx.RoomName(id));
    std::string score = absl::StrCat(plan.score());
    if (plan.changed_session_count() > 0) {
      absl::StrAppend(&score, "  (", plan.changed_session_count(),
                      " sessions change)");
    }
    t.AddRow({absl::StrCat(++n), FormatDate(plan.start_date()),
              FormatDate(plan.end_date()), TeamNames(ctx, plan.team()),
              absl::StrJoin(rooms, ", "), absl::StrCat(plan.sessions_size()),
              score});
  }
  return t.Render();
}

std::string ExplanationText(const bk::Explanation& e) {
  std::string out;
  for (const auto& r : e.reasons()) {
    absl::StrAppend(&out, "  - ", r.message().empty() ? Words(r.code())
                                                      : r.message(),
                    "\n");
  }
  if (e.has_earliest_alternative_start()) {
    absl::StrAppend(&out, "  earliest start that works: ",
                    FormatDate(e.earliest_alternative_start()), "\n");
  }
  return out;
}

std::string ConflictLines(
    Context& ctx, const ClinicTime& clinic,
    const google::protobuf::RepeatedPtrField<bk::Conflict>& conflicts) {
  // One line per blocker (a session blocks its therapists, room and couple
  // at once), in order of first appearance.
  struct Group {
    const bk::Conflict* first;
    std::vector<std::string> who;
    int64_t start = 0, end = 0;
  };
  std::vector<Group> groups;
  std::map<std::pair<int, std::string>, size_t> index;
  for (const auto& c : conflicts) {
    const auto key = std::make_pair(static_cast<int>(c.kind()),
                                    c.blocking_id().empty()
                                        ? c.resource_id() + "@" +
                                              std::to_string(
                                                  c.start_time().seconds())
                                        : c.blocking_id());
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) {
      groups.push_back({&c, {}, c.start_time().seconds(),
                        c.end_time().seconds()});
    }
    Group& g = groups[it->second];
    const std::string who = ResourceName(ctx, c.resource_id());
    if (std::find(g.who.begin(), g.who.end(), who) == g.who.end()) {
      g.who.push_back(who);
    }
    g.start = std::min(g.start, c.start_time().seconds());
    g.end = std::max(g.end, c.end_time().seconds());
  }
  constexpr size_t kShown = 8;
  Table t({"CONFLICT", "WHO/WHAT", "WHEN", "BLOCKED BY"});
  for (size_t i = 0; i < groups.size() && i < kShown; ++i) {
    const Group& g = groups[i];
    google::protobuf::Timestamp start, end;
    start.set_seconds(g.start);
    end.set_seconds(g.end);
    std::vector<std::string> who = g.who;
    std::sort(who.begin(), who.end());
    t.AddRow({Words(g.first->kind()), absl::StrJoin(who, ", "),
              g.first->has_start_time() ? clinic.Range(start, end) : "",
              g.first->blocking_id()});
  }
  std::string out = t.Render();
  if (groups.size() > kShown) {
    absl::StrAppend(&out, "... and ", groups.size() - kShown, " more\n");
  }
  return out;
}

std::string ConflictDetails(Context& ctx, const absl::Status& status) {
  std::optional<std::string> bytes =
      FindDetail(RpcDetails(status), "tandem.booking.v1.ConflictInfo");
  bk::ConflictInfo info;
  if (!bytes.has_value() || !info.ParseFromString(*bytes) ||
      info.conflicts().empty()) {
    return "";
  }
  absl::StatusOr<const ClinicTime*> clinic = ctx.Clinic();
  if (!clinic.ok()) return "";
  return ConflictLines(ctx, **clinic, info.conflicts());
}

std::string SessionTable(
    Context& ctx, const ClinicTime& clinic,
    const google::protobuf::RepeatedPtrField<bk::Session>& sessions,
    bool with_owner) {
  std::vector<std::string> headers = {"DATE", "TIME", "DAY", "KIND",
                                      "ROOMS", "THERAPISTS", "STATUS"};
  if (with_owner) {
    headers.push_back("COUPLE");
    headers.push_back("INTENSIVE");
  }
  Table t(headers);
  for (const auto& s : sessions) {
    t.AddRow({FormatDate(s.date()),
              clinic.ClockRange(s.start_time(), s.end_time()),
              absl::StrCat(s.day_number(), "/", s.day_count()),
              Words(s.kind()), Names(ctx, s.room_ids()),
              Names(ctx, s.therapist_ids()), Words(s.status()), s.couple_id(),
              s.intensive_id()});
  }
  return t.Render();
}

std::string IntensiveView(Context& ctx, const ClinicTime& clinic,
                          const bk::Intensive& in) {
  std::string out = RenderFields({
      {"intensive", in.id()},
      {"couple", in.couple_id()},
      {"programme", absl::StrCat(in.template_display_name(), " (",
                                 in.template_id(), ")")},
      {"status", Words(in.status())},
      {"team", TeamNames(ctx, in.team())},
      {"dates", absl::StrCat(FormatDate(in.start_date()), " to ",
                             FormatDate(in.end_date()))},
      {"hold expires",
       in.has_expire_time() ? clinic.DateTime(in.expire_time()) : ""},
      {"needs attention", Words(in.attention_reason())},
      {"cancelled", Words(in.cancel_reason())},
  });
  if (!in.sessions().empty()) {
    absl::StrAppend(&out, "\n", SessionTable(ctx, clinic, in.sessions(),
                                             /*with_owner=*/false));
  }
  return out;
}

}  // namespace tandem::cli
