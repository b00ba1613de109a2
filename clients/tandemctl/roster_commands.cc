// tandemctl commands for rosters: a therapist's day (default: mine, today),
// a room's, the clinic day overview, and the calendar export.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/enum_words.h"
#include "clients/tandemctl/output.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::cli {
namespace {

namespace ro = tandem::roster::v1;

std::string KindWords(ro::RosterItemKind kind) {
  switch (kind) {
    case ro::ROSTER_ITEM_KIND_JOINT_SESSION:
      return "joint session";
    case ro::ROSTER_ITEM_KIND_INDIVIDUAL_ASSESSMENT:
      return "individual assessment";
    case ro::ROSTER_ITEM_KIND_ROUND_TABLE:
      return "round table";
    case ro::ROSTER_ITEM_KIND_INDIVIDUAL_SESSION:
      return "individual session";
    case ro::ROSTER_ITEM_KIND_FOLLOW_UP_CALL:
      return "follow-up call";
    case ro::ROSTER_ITEM_KIND_OFFICE_VISIT:
      return "office visit";
    default:
      return "";
  }
}

std::string DayOf(const ro::RosterItem& item) {
  if (item.day_count() == 0) return "";
  return absl::StrCat("day ", item.day_number(), " of ", item.day_count());
}

std::string Flags(const ro::RosterItem& item) {
  std::vector<std::string> flags;
  if (item.tentative()) flags.push_back("tentative");
  if (item.needs_attention()) flags.push_back("NEEDS ATTENTION");
  return absl::StrJoin(flags, ", ");
}

std::string Spans(const ClinicTime& clinic,
                  const google::protobuf::RepeatedPtrField<ro::UnavailableSpan>&
                      spans) {
  std::vector<std::string> out;
  for (const auto& s : spans) {
    out.push_back(clinic.ClockRange(s.start_time(), s.end_time()));
  }
  return absl::StrJoin(out, ", ");
}

std::string DayHeading(const tandem::common::v1::Date& date) {
  absl::CivilDay day(date.year(), date.month(), date.day());
  static constexpr const char* kNames[] = {"Mon", "Tue", "Wed", "Thu",
                                           "Fri", "Sat", "Sun"};
  return absl::StrCat(kNames[static_cast<int>(absl::GetWeekday(day))], " ",
                      FormatDate(date));
}

std::string TherapistDay(Context& ctx, const ClinicTime& clinic,
                         const ro::TherapistRosterDay& day) {
  (void)ctx;
  std::string out;
  Table t({"TIME", "WHAT", "ROOM", "WITH", "COUPLE", "DAY", "FLAGS"});
  for (const auto& item : day.items()) {
    t.AddRow({clinic.ClockRange(item.start_time(), item.end_time()),
              KindWords(item.kind()), item.room_name(),
              item.co_therapist_name(), item.couple_label(), DayOf(item),
              Flags(item)});
  }
  if (day.items().empty()) {
    out += "nothing booked\n";
  } else {
    out += t.Render();
  }
  if (day.clinic_closed()) {
    absl::StrAppend(&out, "Clinic closed",
                    day.closure_label().empty() ? "" : ": ",
                    day.closure_label(), "\n");
  }
  if (!day.absences().empty()) {
    absl::StrAppend(&out, "Away: ", Spans(clinic, day.absences()), "\n");
  }
  if (!day.calls_due().empty()) {
    out += "Calls due today:\n";
    Table calls({"TIME", "COUPLE", "RING", "CONTACT"});
    for (const auto& call : day.calls_due()) {
      std::vector<std::string> phones;
      for (const auto& p : call.phones()) {
        phones.push_back(absl::StrCat(p.label(), " ", p.phone()));
      }
      calls.AddRow({call.has_start_time()
                        ? clinic.ClockRange(call.start_time(), call.end_time())
                        : "not booked",
                    call.couple_label(),
                    phones.empty() ? "no number" : absl::StrJoin(phones, ", "),
                    call.follow_up_contact_id()});
    }
    out += calls.Render();
  }
  return out;
}

struct RangeOpts {
  std::string date;
  int days = 1;
};

absl::Status FillRange(Context& ctx, const RangeOpts& o,
                       tandem::common::v1::DateRange* range) {
  if (o.days < 1 || o.days > 31) {
    return absl::InvalidArgumentError("--days: 1 to 31");
  }
  absl::CivilDay first;
  if (o.date.empty()) {
    ASSIGN_OR_RETURN(first, ctx.Today());
  } else {
    ASSIGN_OR_RETURN(first, ctx.Day(o.date, "--date"));
  }
  *range->mutable_start_date() = common::DayToProto(first);
  *range->mutable_end_date() = common::DayToProto(first + (o.days - 1));
  return absl::OkStatus();
}

void AddRoster(CLI::App& app, Context& ctx) {
  struct Opts : RangeOpts {
    std::string therapist;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* roster = app.add_subcommand(
      "roster",
      "A therapist's roster (default: yours, today); see also roster room, "
      "roster day");
  roster->require_subcommand(0, 1);
  roster->footer(
      "Examples:\n  tandemctl roster                       # mine, today\n"
      "  tandemctl roster --therapist th-3 --date 2026-11-24 --days 5\n"
      "  tandemctl roster room rm-2 --date tomorrow\n"
      "  tandemctl roster day --date 2026-11-24");
  roster->add_option("--therapist", o->therapist,
                     "Whose roster (default: yours: --therapist before the "
                     "command, TANDEM_THERAPIST or the config file)");
  roster->add_option("--date", o->date, "First day (default today)");
  roster->add_option("--days", o->days, "Number of days (default 1, max 31)");
  OnRun(roster, ctx, [&ctx, o]() -> absl::Status {
    ro::GetTherapistRosterRequest req;
    if (o->therapist.empty()) {
      ASSIGN_OR_RETURN(std::string me, ctx.CallerTherapistId());
      req.set_therapist_id(me);
    } else {
      req.set_therapist_id(o->therapist);
    }
    RETURN_IF_ERROR(FillRange(ctx, *o, req.mutable_date_range()));
    ro::GetTherapistRosterResponse resp;
    RETURN_IF_ERROR(ctx.Call(&RosterStub::GetTherapistRoster, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      std::string out;
      for (const auto& day : resp.roster().days()) {
        if (!out.empty()) out += "\n";
        absl::StrAppend(&out, resp.roster().therapist_name(), " (",
                        resp.roster().therapist_id(), ")  ",
                        DayHeading(day.date()), "\n",
                        TherapistDay(ctx, *clinic, day));
      }
      return out;
    });
    return absl::OkStatus();
  });

  struct RoomOpts : RangeOpts {
    std::string room;
  };
  auto ro_opts = std::make_shared<RoomOpts>();
  CLI::App* room = roster->add_subcommand("room", "A room's roster");
  room->add_option("room", ro_opts->room, "Room id, e.g. rm-2")->required();
  room->add_option("--date", ro_opts->date, "First day (default today)");
  room->add_option("--days", ro_opts->days, "Number of days (default 1)");
  OnRun(room, ctx, [&ctx, ro_opts]() -> absl::Status {
    ro::GetRoomRosterRequest req;
    req.set_room_id(ro_opts->room);
    RETURN_IF_ERROR(FillRange(ctx, *ro_opts, req.mutable_date_range()));
    ro::GetRoomRosterResponse resp;
    RETURN_IF_ERROR(ctx.Call(&RosterStub::GetRoomRoster, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      std::string out;
      for (const auto& day : resp.roster().days()) {
        if (!out.empty()) out += "\n";
        absl::StrAppend(&out, resp.roster().room_name(), " (",
                        resp.roster().room_id(), ")  ", DayHeading(day.date()),
                        "\n");
        Table t({"TIME", "WHAT", "THERAPISTS", "COUPLE", "DAY", "FLAGS"});
        for (const auto& item : day.items()) {
          t.AddRow({clinic->ClockRange(item.start_time(), item.end_time()),
                    KindWords(item.kind()),
                    Join(item.therapist_ids(),
                         [&](const std::string& id) {
                           return ctx.TherapistName(id);
                         }),
                    item.couple_label(), DayOf(item), Flags(item)});
        }
        out += day.items().empty() ? "nothing booked\n" : t.Render();
        if (day.clinic_closed()) {
          absl::StrAppend(&out, "Clinic closed: ", day.closure_label(), "\n");
        }
        if (!day.outages().empty()) {
          absl::StrAppend(&out, "Out of service: ",
                          Spans(*clinic, day.outages()), "\n");
        }
      }
      return out;
    });
    return absl::OkStatus();
  });

  auto date = std::make_shared<std::string>();
  CLI::App* clinic_day = roster->add_subcommand(
      "day", "The clinic day: needs-attention first, then rooms and staff");
  clinic_day->add_option("--date", *date, "The day (default today)");
  OnRun(clinic_day, ctx, [&ctx, date]() -> absl::Status {
    ro::GetClinicDayRequest req;
    absl::CivilDay day;
    if (date->empty()) {
      ASSIGN_OR_RETURN(day, ctx.Today());
    } else {
      ASSIGN_OR_RETURN(day, ctx.Day(*date, "--date"));
    }
    *req.mutable_date() = common::DayToProto(day);
    ro::GetClinicDayResponse resp;
    RETURN_IF_ERROR(ctx.Call(&RosterStub::GetClinicDay, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      const auto& d = resp.clinic_day();
      std::string out = absl::StrCat("Clinic day ", DayHeading(d.date()));
      if (d.clinic_closed()) {
        absl::StrAppend(&out, "  CLOSED ", d.closure_label());
      } else if (d.has_opening_hours()) {
        absl::StrAppend(&out, "  open ",
                        FormatTimeOfDay(d.opening_hours().start_time()), "-",
                        FormatTimeOfDay(d.opening_hours().end_time()));
      } else {
        out += "  closed (weekly hours)";
      }
      out += "\n";
      if (!d.needs_attention().empty()) {
        out += "\nNeeds attention:\n";
        Table t({"BOOKING", "COUPLE", "WHY", "FROM"});
        for (const auto& a : d.needs_attention()) {
          t.AddRow({a.intensive_id().empty() ? a.appointment_id()
                                             : a.intensive_id(),
                    a.couple_label(), Words(a.reason()),
                    FormatDate(a.first_affected_date())});
        }
        out += t.Render();
      }
      out += "\nRooms:\n";
      Table rooms({"ROOM", "TIME", "WHAT", "THERAPISTS", "COUPLE", "DAY",
                   "FLAGS"});
      for (const auto& r : d.rooms()) {
        std::string name = r.room_name();
        if (r.inactive()) name += " (inactive)";
        if (!r.outages().empty()) {
          rooms.AddRow({name, Spans(*clinic, r.outages()), "out of service"});
          name.clear();
        }
        if (r.items().empty() && !name.empty()) rooms.AddRow({name, "", "free"});
        for (const auto& item : r.items()) {
          rooms.AddRow({name,
                        clinic->ClockRange(item.start_time(), item.end_time()),
                        KindWords(item.kind()),
                        Join(item.therapist_ids(),
                             [&](const std::string& id) {
                               return ctx.TherapistName(id);
                             }),
                        item.couple_label(), DayOf(item), Flags(item)});
          name.clear();
        }
      }
      out += rooms.Render();
      out += "\nStaff:\n";
      Table staff({"THERAPIST", "HOURS", "AWAY", "BOOKED"});
      for (const auto& th : d.therapists()) {
        std::vector<std::string> booked;
        for (const auto& item : th.items()) {
          booked.push_back(absl::StrCat(
              clinic->ClockRange(item.start_time(), item.end_time()), " ",
              KindWords(item.kind())));
        }
        staff.AddRow(
            {th.therapist_name(),
             th.has_working_hours()
                 ? absl::StrCat(
                       FormatTimeOfDay(th.working_hours().start_time()), "-",
                       FormatTimeOfDay(th.working_hours().end_time()))
                 : "off",
             Spans(*clinic, th.absences()), absl::StrJoin(booked, "; ")});
      }
      out += staff.Render();
      return out;
    });
    return absl::OkStatus();
  });
}

void AddCalendarSubscribe(CLI::App& calendar, Context& ctx);

void AddCalendar(CLI::App& app, Context& ctx) {
  CLI::App* calendar = AddGroup(app, ctx, "calendar", "Calendar files and subscriptions");
  AddCalendarSubscribe(*calendar, ctx);
  struct Opts {
    std::string therapist, from, to, out;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* export_cmd = calendar->add_subcommand(
      "export", "Write a therapist's roster as an .ics file");
  export_cmd->footer(
      "Events say only \"Session (Room 2) with co-therapist J. Rao\", \"Phone call\"\n"
      "or \"Visit (Room 2)\" and the booking reference: no client, no programme.\n"
      "Example:\n  tandemctl calendar export --therapist th-3 --from "
      "2026-12-01 --to 2026-12-31 --out th-3.ics");
  export_cmd->add_option("--therapist", o->therapist,
                         "Whose roster (default: yours)");
  export_cmd->add_option("--from", o->from, "First day (default today)");
  export_cmd->add_option("--to", o->to, "Last day (default from + 90 days)");
  export_cmd->add_option("--out", o->out,
                         "File to write (default or '-': standard output)");
  OnRun(export_cmd, ctx, [&ctx, o]() -> absl::Status {
    ro::ExportTherapistCalendarRequest req;
    if (o->therapist.empty()) {
      ASSIGN_OR_RETURN(std::string me, ctx.CallerTherapistId());
      req.set_therapist_id(me);
    } else {
      req.set_therapist_id(o->therapist);
    }
    RETURN_IF_ERROR(
        FillDateRange(ctx, o->from, o->to, 91, req.mutable_date_range()));
    ro::ExportTherapistCalendarResponse resp;
    RETURN_IF_ERROR(
        ctx.Call(&RosterStub::ExportTherapistCalendar, req, &resp));
    if (o->out.empty() || o->out == "-") {
      if (ctx.json()) {
        ctx.Print(resp, {});
      } else {
        ctx.out() << resp.content();
      }
      return absl::OkStatus();
    }
    std::ofstream file(o->out, std::ios::binary | std::ios::trunc);
    file << resp.content();
    if (!file.good()) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot write ", o->out));
    }
    ctx.Hint(absl::StrCat("wrote ", o->out, " (", resp.content().size(),
                          " bytes)"));
    return absl::OkStatus();
  });
}

// A subscription address for calendar apps (roster CreateCalendarFeed),
// served by the web console's gateway: the CLI does not know where browsers
// and calendar apps reach it, hence --console.
void AddCalendarSubscribe(CLI::App& calendar, Context& ctx) {
  struct Opts {
    std::string therapist, console = "http://127.0.0.1:8080";
  };
  auto o = std::make_shared<Opts>();
  CLI::App* subscribe = calendar.add_subcommand(
      "subscribe", "Print a subscription address for a calendar app");
  subscribe->footer(
      "Anyone holding the address reads that calendar: share it only with\n"
      "its therapist. It works for a year, until the therapist is made\n"
      "inactive, or until the roster's --calendar_feed_key_file is replaced.\n"
      "Example:\n  tandemctl calendar subscribe --therapist th-3 --console "
      "https://console.clinic.example");
  subscribe->add_option("--therapist", o->therapist,
                        "Whose calendar (default: yours)");
  subscribe->add_option("--console", o->console,
                        "The web console's address as calendar apps reach it")
      ->capture_default_str();
  OnRun(subscribe, ctx, [&ctx, o]() -> absl::Status {
    ro::CreateCalendarFeedRequest req;
    if (o->therapist.empty()) {
      ASSIGN_OR_RETURN(std::string me, ctx.CallerTherapistId());
      req.set_therapist_id(me);
    } else {
      req.set_therapist_id(o->therapist);
    }
    ro::CreateCalendarFeedResponse resp;
    RETURN_IF_ERROR(ctx.Call(&RosterStub::CreateCalendarFeed, req, &resp));
    std::string console = o->console;
    while (!console.empty() && console.back() == '/') console.pop_back();
    ctx.Print(resp, [&] { return absl::StrCat(console, resp.path(), "\n"); });
    ctx.Hint(absl::StrCat("works until ",
                          absl::FormatTime("%Y-%m-%d",
                                           common::FromProto(resp.expire_time()),
                                           absl::UTCTimeZone()),
                          " (UTC); keep it private"));
    return absl::OkStatus();
  });
}

}  // namespace

void AddRosterCommands(CLI::App& app, Context& ctx) {
  AddRoster(app, ctx);
  AddCalendar(app, ctx);
}

}  // namespace tandem::cli
