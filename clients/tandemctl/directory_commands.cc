// tandemctl commands for the directory: clinic settings, closures,
// therapists, absences, teams, rooms and room outages.
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/enum_words.h"
#include "clients/tandemctl/output.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::cli {
namespace {

namespace dir = tandem::directory::v1;
using google::protobuf::util::FieldMaskUtil;

// An instant typed by a person: a clinic-local time, or a date meaning the
// start of that day (or, for an end, the start of the next day).
absl::StatusOr<google::protobuf::Timestamp> Instant(Context& ctx,
                                                    const std::string& text,
                                                    absl::string_view flag,
                                                    bool is_end) {
  ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) {
    return common::ToProto(clinic->StartOfDay(is_end ? day + 1 : day));
  }
  ASSIGN_OR_RETURN(absl::Time t, clinic->ParseLocal(text, flag));
  return common::ToProto(t);
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

// ---------------------------------------------------------------- clinic

std::string ShowSettings(Context& ctx, const dir::ClinicSettings& s) {
  (void)ctx;
  return RenderFields({
      {"name", s.display_name()},
      {"time zone", s.time_zone()},
      {"opening hours", FormatWeeklyHours(s.opening_hours())},
      {"booking grid", absl::StrCat(s.booking_grid_minutes(), " min")},
      {"phone", s.contact_phone()},
  });
}

void AddClinic(CLI::App& app, Context& ctx) {
  CLI::App* clinic = AddGroup(app, ctx, "clinic", "The clinic's settings");
  CLI::App* get = clinic->add_subcommand("get", "Show the clinic settings");
  OnRun(get, ctx, [&ctx]() -> absl::Status {
    dir::GetClinicSettingsResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::GetClinicSettings,
                             dir::GetClinicSettingsRequest(), &resp));
    ctx.Print(resp, [&] { return ShowSettings(ctx, resp.settings()); });
    return absl::OkStatus();
  });

  struct Opts {
    std::string name, zone, hours, phone;
    int grid = 0;
    CLI::Option *name_opt, *zone_opt, *hours_opt, *phone_opt, *grid_opt;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* set = clinic->add_subcommand(
      "set", "Change clinic settings (only the flags given)");
  set->footer(
      "Example:\n  tandemctl clinic set --name \"Riverside Practice\" "
      "--time-zone Europe/London \\\n      --hours mon-fri=08:00-18:00 "
      "--grid 15 --phone +441632960000");
  o->name_opt = set->add_option("--name", o->name, "Display name (neutral)");
  o->zone_opt =
      set->add_option("--time-zone", o->zone, "IANA zone, e.g. Europe/London");
  o->hours_opt = set->add_option(
      "--hours", o->hours,
      "Opening hours, e.g. mon-fri=08:00-18:00,sat=09:00-13:00");
  o->grid_opt = set->add_option("--grid", o->grid,
                                "Booking grid in minutes (5,10,15,20,30,60)");
  o->phone_opt = set->add_option("--phone", o->phone, "Phone in reminders");
  OnRun(set, ctx, [&ctx, o]() -> absl::Status {
    dir::UpdateClinicSettingsRequest req;
    req.set_request_id(ctx.RequestId());
    dir::ClinicSettings* s = req.mutable_settings();
    auto* mask = req.mutable_update_mask();
    if (o->name_opt->count()) {
      s->set_display_name(o->name);
      mask->add_paths("display_name");
    }
    if (o->zone_opt->count()) {
      s->set_time_zone(o->zone);
      mask->add_paths("time_zone");
    }
    if (o->hours_opt->count()) {
      ASSIGN_OR_RETURN(auto hours, ParseWeeklyHours(o->hours, "--hours"));
      for (auto& h : hours) *s->add_opening_hours() = h;
      mask->add_paths("opening_hours");
    }
    if (o->grid_opt->count()) {
      s->set_booking_grid_minutes(o->grid);
      mask->add_paths("booking_grid_minutes");
    }
    if (o->phone_opt->count()) {
      s->set_contact_phone(o->phone);
      mask->add_paths("contact_phone");
    }
    if (mask->paths().empty()) {
      return absl::InvalidArgumentError(
          "clinic set: give at least one of --name, --time-zone, --hours, "
          "--grid, --phone");
    }
    dir::UpdateClinicSettingsResponse resp;
    RETURN_IF_ERROR(
        ctx.Call(&DirectoryStub::UpdateClinicSettings, req, &resp));
    ctx.Print(resp, [&] { return ShowSettings(ctx, resp.settings()); });
    return absl::OkStatus();
  });
}

// -------------------------------------------------------------- closures

std::string ClosureTable(
    const google::protobuf::RepeatedPtrField<dir::Closure>& closures) {
  Table t({"ID", "DATE", "KIND", "LABEL"});
  for (const auto& c : closures) {
    t.AddRow({c.id(), FormatDate(c.date()), Words(c.kind()), c.label()});
  }
  return t.Render();
}

void AddClosures(CLI::App& app, Context& ctx) {
  CLI::App* closures =
      AddGroup(app, ctx, "closures", "Days the clinic is closed (public holidays)");

  struct ListOpts {
    std::string from, to;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = closures->add_subcommand("list", "List closed days");
  list->add_option("--from", lo->from, "First day (default: all)");
  list->add_option("--to", lo->to, "Last day");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    dir::ListClosuresRequest req;
    if (!lo->from.empty() || !lo->to.empty()) {
      RETURN_IF_ERROR(
          FillDateRange(ctx, lo->from, lo->to, 366, req.mutable_date_range()));
    }
    dir::ListClosuresResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&DirectoryStub::ListClosures, req, &resp));
    ctx.Print(resp, [&] { return ClosureTable(resp.closures()); });
    return absl::OkStatus();
  });

  struct AddOpts {
    std::string date, label, kind = "one-off";
  };
  auto ao = std::make_shared<AddOpts>();
  CLI::App* add = closures->add_subcommand("add", "Close the clinic on a day");
  add->add_option("date", ao->date, "The day, e.g. 2026-12-24")->required();
  add->add_option("--label", ao->label, "Short label, e.g. \"Staff training\"");
  add->add_option("--kind", ao->kind,
                  "one-off (default) or public-holiday");
  OnRun(add, ctx, [&ctx, ao]() -> absl::Status {
    dir::CreateClosureRequest req;
    req.set_request_id(ctx.RequestId());
    ASSIGN_OR_RETURN(absl::CivilDay day, ctx.Day(ao->date, "date"));
    *req.mutable_closure()->mutable_date() = common::DayToProto(day);
    ASSIGN_OR_RETURN(dir::ClosureKind kind,
                     ParseEnum<dir::ClosureKind>(ao->kind, "--kind"));
    req.mutable_closure()->set_kind(kind);
    req.mutable_closure()->set_label(ao->label);
    dir::CreateClosureResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::CreateClosure, req, &resp));
    google::protobuf::RepeatedPtrField<dir::Closure> one;
    *one.Add() = resp.closure();
    ctx.Print(resp, [&] { return ClosureTable(one); });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* del = closures->add_subcommand("delete", "Reopen a closed day");
  del->add_option("id", *id, "Closure id, e.g. cl-3")->required();
  OnRun(del, ctx, [&ctx, id]() -> absl::Status {
    dir::DeleteClosureRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*id);
    dir::DeleteClosureResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::DeleteClosure, req, &resp));
    ctx.Print(resp, [&] { return absl::StrCat("deleted ", *id, "\n"); });
    return absl::OkStatus();
  });

  struct ImportOpts {
    std::string file, kind = "public-holiday";
  };
  auto io = std::make_shared<ImportOpts>();
  CLI::App* import = closures->add_subcommand(
      "import", "Add the all-day events of an iCalendar file as closures");
  import->footer("Example:\n  tandemctl closures import uk-holidays.ics");
  import->add_option("file", io->file, "The .ics file")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--kind", io->kind,
                     "public-holiday (default) or one-off");
  OnRun(import, ctx, [&ctx, io]() -> absl::Status {
    std::ifstream in(io->file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    dir::ImportClosuresRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_ics_content(content.str());
    ASSIGN_OR_RETURN(dir::ClosureKind kind,
                     ParseEnum<dir::ClosureKind>(io->kind, "--kind"));
    req.set_kind(kind);
    dir::ImportClosuresResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::ImportClosures, req, &resp));
    ctx.Print(resp, [&] {
      return absl::StrCat(ClosureTable(resp.created()), resp.created_size(),
                          " added, ", resp.skipped_existing(),
                          " already closed\n");
    });
    return absl::OkStatus();
  });
}

// ------------------------------------------------------------ therapists

std::string TherapistTable(
    const google::protobuf::RepeatedPtrField<dir::Therapist>& therapists) {
  Table t({"ID", "NAME", "SEX", "LANGUAGES", "HOURS", "CAP", "ACTIVE"});
  for (const auto& th : therapists) {
    t.AddRow({th.id(), th.display_name(), Words(th.sex()),
              absl::StrJoin(th.languages(), ","),
              FormatWeeklyHours(th.working_hours()),
              absl::StrCat(th.daily_session_minutes_cap(), " min"),
              YesNo(th.active())});
  }
  return t.Render();
}

std::string ShowTherapist(const dir::Therapist& th) {
  return RenderFields({
      {"id", th.id()},
      {"name", th.display_name()},
      {"sex", Words(th.sex())},
      {"languages", absl::StrJoin(th.languages(), ", ")},
      {"qualifications", absl::StrJoin(th.qualifications(), ", ")},
      {"working hours", FormatWeeklyHours(th.working_hours())},
      {"daily cap", absl::StrCat(th.daily_session_minutes_cap(), " min")},
      {"active", YesNo(th.active())},
  });
}

// Flags shared by `therapists add` and `therapists update`.
struct TherapistFlags {
  std::string name, sex, hours;
  std::vector<std::string> languages, qualifications;
  int cap = 360;
  CLI::Option *name_opt, *sex_opt, *hours_opt, *languages_opt,
      *qualifications_opt, *cap_opt;

  void Add(CLI::App* cmd, bool required) {
    name_opt = cmd->add_option("--name", name, "Display name, e.g. \"J. Rao\"");
    sex_opt = cmd->add_option("--sex", sex, "male or female");
    languages_opt = cmd->add_option("--languages", languages,
                                    "BCP 47 tags, e.g. en,de")
                        ->delimiter(',');
    qualifications_opt =
        cmd->add_option("--qualifications", qualifications,
                        "Tags, e.g. couples,assessment")
            ->delimiter(',');
    hours_opt = cmd->add_option("--hours", hours,
                                "Working hours, e.g. mon-fri=09:00-17:00");
    cap_opt = cmd->add_option("--cap", cap,
                              "Most session minutes per day (default 360)");
    if (required) {
      name_opt->required();
      sex_opt->required();
    }
  }

  // Copies the given flags into `th` and names them in `mask`.
  absl::Status Fill(dir::Therapist* th, google::protobuf::FieldMask* mask,
                    bool all) const {
    auto given = [&](CLI::Option* opt, const char* path) {
      if (all || opt->count()) {
        mask->add_paths(path);
        return true;
      }
      return false;
    };
    if (given(name_opt, "display_name")) th->set_display_name(name);
    if (given(sex_opt, "sex")) {
      ASSIGN_OR_RETURN(dir::Sex s, ParseEnum<dir::Sex>(sex, "--sex"));
      th->set_sex(s);
    }
    if (given(languages_opt, "languages")) {
      std::vector<std::string> langs = languages;
      if (all && langs.empty()) langs = {"en"};
      for (const auto& l : langs) th->add_languages(l);
    }
    if (given(qualifications_opt, "qualifications")) {
      for (const auto& q : qualifications) th->add_qualifications(q);
    }
    if (given(hours_opt, "working_hours")) {
      std::string spec = hours;
      if (all && !hours_opt->count()) spec = "mon-fri=09:00-17:00";
      ASSIGN_OR_RETURN(auto parsed, ParseWeeklyHours(spec, "--hours"));
      for (auto& h : parsed) *th->add_working_hours() = h;
    }
    if (given(cap_opt, "daily_session_minutes_cap")) {
      th->set_daily_session_minutes_cap(cap);
    }
    return absl::OkStatus();
  }
};

absl::Status UpdateTherapist(Context& ctx, dir::UpdateTherapistRequest& req) {
  req.set_request_id(ctx.RequestId());
  if (req.update_mask().paths().empty()) {
    return absl::InvalidArgumentError(
        "therapists update: give at least one flag to change");
  }
  dir::UpdateTherapistResponse resp;
  RETURN_IF_ERROR(ctx.Call(&DirectoryStub::UpdateTherapist, req, &resp));
  ctx.Print(resp, [&] { return ShowTherapist(resp.therapist()); });
  return absl::OkStatus();
}

void AddTherapists(CLI::App& app, Context& ctx) {
  CLI::App* therapists = AddGroup(app, ctx, "therapists", "Therapists (staff)");

  auto all = std::make_shared<bool>(false);
  CLI::App* list = therapists->add_subcommand("list", "List therapists");
  list->add_flag("--all", *all, "Include inactive therapists");
  OnRun(list, ctx, [&ctx, all]() -> absl::Status {
    dir::ListTherapistsRequest req;
    req.set_include_inactive(*all);
    dir::ListTherapistsResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&DirectoryStub::ListTherapists, req, &resp));
    ctx.Print(resp, [&] { return TherapistTable(resp.therapists()); });
    return absl::OkStatus();
  });

  auto get_id = std::make_shared<std::string>();
  CLI::App* get = therapists->add_subcommand("get", "Show one therapist");
  get->add_option("id", *get_id, "Therapist id, e.g. th-3")->required();
  OnRun(get, ctx, [&ctx, get_id]() -> absl::Status {
    dir::GetTherapistRequest req;
    req.set_id(*get_id);
    dir::GetTherapistResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::GetTherapist, req, &resp));
    ctx.Print(resp, [&] { return ShowTherapist(resp.therapist()); });
    return absl::OkStatus();
  });

  auto af = std::make_shared<TherapistFlags>();
  CLI::App* add = therapists->add_subcommand("add", "Add a therapist");
  add->footer(
      "Example:\n  tandemctl therapists add --name \"J. Rao\" --sex male "
      "--languages en,ta \\\n      --qualifications couples "
      "--hours mon-fri=09:00-17:00");
  af->Add(add, /*required=*/true);
  OnRun(add, ctx, [&ctx, af]() -> absl::Status {
    dir::CreateTherapistRequest req;
    req.set_request_id(ctx.RequestId());
    google::protobuf::FieldMask unused;
    RETURN_IF_ERROR(af->Fill(req.mutable_therapist(), &unused, /*all=*/true));
    req.mutable_therapist()->set_active(true);
    dir::CreateTherapistResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::CreateTherapist, req, &resp));
    ctx.Print(resp, [&] { return ShowTherapist(resp.therapist()); });
    return absl::OkStatus();
  });

  auto uf = std::make_shared<TherapistFlags>();
  auto update_id = std::make_shared<std::string>();
  CLI::App* update = therapists->add_subcommand(
      "update", "Change a therapist (only the flags given)");
  update->add_option("id", *update_id, "Therapist id")->required();
  uf->Add(update, /*required=*/false);
  OnRun(update, ctx, [&ctx, uf, update_id]() -> absl::Status {
    dir::UpdateTherapistRequest req;
    req.mutable_therapist()->set_id(*update_id);
    RETURN_IF_ERROR(uf->Fill(req.mutable_therapist(),
                             req.mutable_update_mask(), /*all=*/false));
    return UpdateTherapist(ctx, req);
  });

  auto deact_id = std::make_shared<std::string>();
  CLI::App* deactivate = therapists->add_subcommand(
      "deactivate",
      "Stop new bookings for a therapist (history is kept; their current "
      "bookings go to needs-attention)");
  deactivate->add_option("id", *deact_id, "Therapist id")->required();
  OnRun(deactivate, ctx, [&ctx, deact_id]() -> absl::Status {
    dir::UpdateTherapistRequest req;
    req.mutable_therapist()->set_id(*deact_id);
    req.mutable_therapist()->set_active(false);
    req.mutable_update_mask()->add_paths("active");
    return UpdateTherapist(ctx, req);
  });

  struct HoursOpts {
    std::string id, spec;
  };
  auto ho = std::make_shared<HoursOpts>();
  CLI::App* hours = therapists->add_subcommand(
      "hours", "Set a therapist's working hours (replaces all)");
  hours->footer(
      "Example:\n  tandemctl therapists hours th-3 "
      "mon-thu=09:00-17:00,fri=09:00-13:00");
  hours->add_option("id", ho->id, "Therapist id")->required();
  hours->add_option("hours", ho->spec,
                    "e.g. mon-fri=09:00-17:00 (\"none\": no hours)")
      ->required();
  OnRun(hours, ctx, [&ctx, ho]() -> absl::Status {
    dir::UpdateTherapistRequest req;
    req.mutable_therapist()->set_id(ho->id);
    ASSIGN_OR_RETURN(auto parsed, ParseWeeklyHours(ho->spec, "hours"));
    for (auto& h : parsed) *req.mutable_therapist()->add_working_hours() = h;
    req.mutable_update_mask()->add_paths("working_hours");
    return UpdateTherapist(ctx, req);
  });
}

// -------------------------------------------------------------- absences

void AddAbsences(CLI::App& app, Context& ctx) {
  CLI::App* absences =
      AddGroup(app, ctx, "absences", "Therapists' leave, sickness and training");

  struct ListOpts {
    std::string therapist, from, to;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = absences->add_subcommand("list", "List absences");
  list->add_option("--therapist", lo->therapist, "Only this therapist");
  list->add_option("--from", lo->from, "Only absences ending after this day");
  list->add_option("--to", lo->to, "Only absences starting by this day");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    dir::ListAbsencesRequest req;
    req.set_therapist_id(lo->therapist);
    if (!lo->from.empty()) {
      ASSIGN_OR_RETURN(*req.mutable_end_after(),
                       Instant(ctx, lo->from, "--from", false));
    }
    if (!lo->to.empty()) {
      ASSIGN_OR_RETURN(*req.mutable_start_before(),
                       Instant(ctx, lo->to, "--to", true));
    }
    dir::ListAbsencesResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&DirectoryStub::ListAbsences, req, &resp));
    if (ctx.json()) {
      ctx.Print(resp, {});
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    Table t({"ID", "THERAPIST", "WHEN", "REASON"});
    for (const auto& a : resp.absences()) {
      t.AddRow({a.id(), ctx.TherapistName(a.therapist_id()),
                clinic->Span(a.start_time(), a.end_time()),
                Words(a.reason())});
    }
    ctx.out() << t.Render();
    return absl::OkStatus();
  });

  struct AddOpts {
    std::string therapist, start, end, reason = "leave";
  };
  auto ao = std::make_shared<AddOpts>();
  CLI::App* add = absences->add_subcommand("add", "Record an absence");
  add->footer(
      "A date alone means the whole day (--end inclusive).\nExamples:\n"
      "  tandemctl absences add --therapist th-3 --start 2026-12-01 --end "
      "2026-12-05 --reason leave\n"
      "  tandemctl absences add --therapist th-3 --start 2026-12-01T13:00 "
      "--end 2026-12-01T17:00 --reason training");
  add->add_option("--therapist", ao->therapist, "Therapist id")->required();
  add->add_option("--start", ao->start, "First day or clinic-local time")
      ->required();
  add->add_option("--end", ao->end, "Last day (inclusive) or end time")
      ->required();
  add->add_option("--reason", ao->reason,
                  "leave (default), sickness, training or other");
  OnRun(add, ctx, [&ctx, ao]() -> absl::Status {
    dir::CreateAbsenceRequest req;
    req.set_request_id(ctx.RequestId());
    dir::Absence* a = req.mutable_absence();
    a->set_therapist_id(ao->therapist);
    ASSIGN_OR_RETURN(*a->mutable_start_time(),
                     Instant(ctx, ao->start, "--start", false));
    ASSIGN_OR_RETURN(*a->mutable_end_time(),
                     Instant(ctx, ao->end, "--end", true));
    ASSIGN_OR_RETURN(dir::AbsenceReason reason,
                     ParseEnum<dir::AbsenceReason>(ao->reason, "--reason"));
    a->set_reason(reason);
    dir::CreateAbsenceResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::CreateAbsence, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      return absl::StrCat("absence ", resp.absence().id(), "  ",
                          ctx.TherapistName(resp.absence().therapist_id()),
                          "  ",
                          clinic->Span(resp.absence().start_time(),
                                       resp.absence().end_time()),
                          "\n");
    });
    ctx.Hint(
        "booking repairs or flags the bookings it touches: see tandemctl "
        "roster day");
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* del = absences->add_subcommand("delete", "Remove an absence");
  del->add_option("id", *id, "Absence id, e.g. ab-3")->required();
  OnRun(del, ctx, [&ctx, id]() -> absl::Status {
    dir::DeleteAbsenceRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*id);
    dir::DeleteAbsenceResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::DeleteAbsence, req, &resp));
    ctx.Print(resp, [&] { return absl::StrCat("deleted ", *id, "\n"); });
    return absl::OkStatus();
  });
}

// ----------------------------------------------------------------- teams

void AddTeams(CLI::App& app, Context& ctx) {
  CLI::App* teams =
      AddGroup(app, ctx, "teams", "Standing co-therapy teams (male + female)");

  CLI::App* list = teams->add_subcommand("list", "List standing teams");
  OnRun(list, ctx, [&ctx]() -> absl::Status {
    dir::ListTeamsResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&DirectoryStub::ListTeams,
                                dir::ListTeamsRequest(), &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "LABEL", "MALE", "FEMALE"});
      for (const auto& team : resp.teams()) {
        t.AddRow({team.id(), team.label(),
                  ctx.TherapistName(team.male_therapist_id()),
                  ctx.TherapistName(team.female_therapist_id())});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  struct AddOpts {
    std::string male, female, label;
  };
  auto ao = std::make_shared<AddOpts>();
  CLI::App* add = teams->add_subcommand("add", "Form a standing team");
  add->footer(
      "Example:\n  tandemctl teams add --male th-1 --female th-2 --label "
      "\"Team Blue\"");
  add->add_option("--male", ao->male, "The male therapist's id")->required();
  add->add_option("--female", ao->female, "The female therapist's id")
      ->required();
  add->add_option("--label", ao->label, "Optional label");
  OnRun(add, ctx, [&ctx, ao]() -> absl::Status {
    dir::CreateTeamRequest req;
    req.set_request_id(ctx.RequestId());
    req.mutable_team()->set_male_therapist_id(ao->male);
    req.mutable_team()->set_female_therapist_id(ao->female);
    req.mutable_team()->set_label(ao->label);
    dir::CreateTeamResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::CreateTeam, req, &resp));
    ctx.Print(resp, [&] {
      return absl::StrCat(
          "team ", resp.team().id(), "  ",
          ctx.TherapistName(resp.team().male_therapist_id()), " + ",
          ctx.TherapistName(resp.team().female_therapist_id()), "\n");
    });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* del = teams->add_subcommand(
      "delete", "Dissolve a standing team (bookings keep their therapists)");
  del->add_option("id", *id, "Team id, e.g. tm-2")->required();
  OnRun(del, ctx, [&ctx, id]() -> absl::Status {
    dir::DeleteTeamRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*id);
    dir::DeleteTeamResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::DeleteTeam, req, &resp));
    ctx.Print(resp, [&] { return absl::StrCat("deleted ", *id, "\n"); });
    return absl::OkStatus();
  });
}

// ----------------------------------------------------------------- rooms

std::string RoomKinds(const dir::Room& r) {
  std::vector<std::string> kinds;
  for (int k : r.kinds()) kinds.push_back(Words(static_cast<dir::RoomKind>(k)));
  return absl::StrJoin(kinds, ", ");
}

std::string ShowRoom(const dir::Room& r) {
  return RenderFields({{"id", r.id()},
                       {"name", r.display_name()},
                       {"capacity", absl::StrCat(r.capacity())},
                       {"kinds", RoomKinds(r)},
                       {"active", YesNo(r.active())}});
}

struct RoomFlags {
  std::string name;
  int capacity = 4;
  std::vector<std::string> kinds;
  bool active = true;
  CLI::Option *name_opt, *capacity_opt, *kinds_opt, *active_opt = nullptr;

  void Add(CLI::App* cmd, bool create) {
    name_opt = cmd->add_option("--name", name, "Display name, e.g. \"Room 2\"");
    capacity_opt =
        cmd->add_option("--capacity", capacity, "People it fits (default 4)");
    kinds_opt = cmd->add_option("--kinds", kinds,
                                "joint and/or individual, e.g. joint,individual")
                    ->delimiter(',');
    if (create) {
      name_opt->required();
      kinds_opt->required();
    } else {
      active_opt = cmd->add_option("--active", active,
                                   "true or false (false: no new bookings)");
    }
  }

  absl::Status Fill(dir::Room* r, google::protobuf::FieldMask* mask,
                    bool all) const {
    auto given = [&](CLI::Option* opt, const char* path) {
      if (all || (opt != nullptr && opt->count())) {
        mask->add_paths(path);
        return true;
      }
      return false;
    };
    if (given(name_opt, "display_name")) r->set_display_name(name);
    if (given(capacity_opt, "capacity")) r->set_capacity(capacity);
    if (given(kinds_opt, "kinds")) {
      for (const auto& k : kinds) {
        ASSIGN_OR_RETURN(dir::RoomKind kind,
                         ParseEnum<dir::RoomKind>(k, "--kinds"));
        r->add_kinds(kind);
      }
    }
    if (all) {
      r->set_active(true);
    } else if (given(active_opt, "active")) {
      r->set_active(active);
    }
    return absl::OkStatus();
  }
};

void AddRooms(CLI::App& app, Context& ctx) {
  CLI::App* rooms = AddGroup(app, ctx, "rooms", "Consulting rooms");

  auto all = std::make_shared<bool>(false);
  CLI::App* list = rooms->add_subcommand("list", "List rooms");
  list->add_flag("--all", *all, "Include inactive rooms");
  OnRun(list, ctx, [&ctx, all]() -> absl::Status {
    dir::ListRoomsRequest req;
    req.set_include_inactive(*all);
    dir::ListRoomsResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&DirectoryStub::ListRooms, req, &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "NAME", "CAPACITY", "KINDS", "ACTIVE"});
      for (const auto& r : resp.rooms()) {
        t.AddRow({r.id(), r.display_name(), absl::StrCat(r.capacity()),
                  RoomKinds(r), YesNo(r.active())});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  auto get_id = std::make_shared<std::string>();
  CLI::App* get = rooms->add_subcommand("get", "Show one room");
  get->add_option("id", *get_id, "Room id, e.g. rm-2")->required();
  OnRun(get, ctx, [&ctx, get_id]() -> absl::Status {
    dir::GetRoomRequest req;
    req.set_id(*get_id);
    dir::GetRoomResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::GetRoom, req, &resp));
    ctx.Print(resp, [&] { return ShowRoom(resp.room()); });
    return absl::OkStatus();
  });

  auto af = std::make_shared<RoomFlags>();
  CLI::App* add = rooms->add_subcommand("add", "Add a room");
  add->footer(
      "Example:\n  tandemctl rooms add --name \"Room 1\" --capacity 6 "
      "--kinds joint,individual");
  af->Add(add, /*create=*/true);
  OnRun(add, ctx, [&ctx, af]() -> absl::Status {
    dir::CreateRoomRequest req;
    req.set_request_id(ctx.RequestId());
    google::protobuf::FieldMask unused;
    RETURN_IF_ERROR(af->Fill(req.mutable_room(), &unused, /*all=*/true));
    dir::CreateRoomResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::CreateRoom, req, &resp));
    ctx.Print(resp, [&] { return ShowRoom(resp.room()); });
    return absl::OkStatus();
  });

  auto uf = std::make_shared<RoomFlags>();
  auto update_id = std::make_shared<std::string>();
  CLI::App* update =
      rooms->add_subcommand("update", "Change a room (only the flags given)");
  update->footer("Example:\n  tandemctl rooms update rm-2 --active false");
  update->add_option("id", *update_id, "Room id")->required();
  uf->Add(update, /*create=*/false);
  OnRun(update, ctx, [&ctx, uf, update_id]() -> absl::Status {
    dir::UpdateRoomRequest req;
    req.set_request_id(ctx.RequestId());
    req.mutable_room()->set_id(*update_id);
    RETURN_IF_ERROR(
        uf->Fill(req.mutable_room(), req.mutable_update_mask(), false));
    if (req.update_mask().paths().empty()) {
      return absl::InvalidArgumentError(
          "rooms update: give at least one flag to change");
    }
    dir::UpdateRoomResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::UpdateRoom, req, &resp));
    ctx.Print(resp, [&] { return ShowRoom(resp.room()); });
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------- outages

void AddOutages(CLI::App& app, Context& ctx) {
  CLI::App* outages =
      AddGroup(app, ctx, "outages", "Room outages (a room out of service)");

  auto room = std::make_shared<std::string>();
  CLI::App* list = outages->add_subcommand("list", "List room outages");
  list->add_option("--room", *room, "Only this room");
  OnRun(list, ctx, [&ctx, room]() -> absl::Status {
    dir::ListRoomOutagesRequest req;
    req.set_room_id(*room);
    dir::ListRoomOutagesResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&DirectoryStub::ListRoomOutages, req, &resp));
    if (ctx.json()) {
      ctx.Print(resp, {});
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    Table t({"ID", "ROOM", "WHEN"});
    for (const auto& o : resp.room_outages()) {
      t.AddRow({o.id(), ctx.RoomName(o.room_id()),
                clinic->Span(o.start_time(), o.end_time())});
    }
    ctx.out() << t.Render();
    return absl::OkStatus();
  });

  struct AddOpts {
    std::string room, start, end;
  };
  auto ao = std::make_shared<AddOpts>();
  CLI::App* add = outages->add_subcommand("add", "Take a room out of service");
  add->footer(
      "Example:\n  tandemctl outages add --room rm-2 --start 2026-12-01 "
      "--end 2026-12-03");
  add->add_option("--room", ao->room, "Room id")->required();
  add->add_option("--start", ao->start, "First day or clinic-local time")
      ->required();
  add->add_option("--end", ao->end, "Last day (inclusive) or end time")
      ->required();
  OnRun(add, ctx, [&ctx, ao]() -> absl::Status {
    dir::CreateRoomOutageRequest req;
    req.set_request_id(ctx.RequestId());
    auto* o = req.mutable_room_outage();
    o->set_room_id(ao->room);
    ASSIGN_OR_RETURN(*o->mutable_start_time(),
                     Instant(ctx, ao->start, "--start", false));
    ASSIGN_OR_RETURN(*o->mutable_end_time(),
                     Instant(ctx, ao->end, "--end", true));
    dir::CreateRoomOutageResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::CreateRoomOutage, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      const auto& r = resp.room_outage();
      return absl::StrCat("outage ", r.id(), "  ", ctx.RoomName(r.room_id()),
                          "  ", clinic->Span(r.start_time(), r.end_time()),
                          "\n");
    });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* del = outages->add_subcommand("delete", "End an outage record");
  del->add_option("id", *id, "Outage id, e.g. ro-5")->required();
  OnRun(del, ctx, [&ctx, id]() -> absl::Status {
    dir::DeleteRoomOutageRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*id);
    dir::DeleteRoomOutageResponse resp;
    RETURN_IF_ERROR(ctx.Call(&DirectoryStub::DeleteRoomOutage, req, &resp));
    ctx.Print(resp, [&] { return absl::StrCat("deleted ", *id, "\n"); });
    return absl::OkStatus();
  });
}

}  // namespace

void AddDirectoryCommands(CLI::App& app, Context& ctx) {
  AddClinic(app, ctx);
  AddClosures(app, ctx);
  AddTherapists(app, ctx);
  AddAbsences(app, ctx);
  AddTeams(app, ctx);
  AddRooms(app, ctx);
  AddOutages(app, ctx);
}

}  // namespace tandem::cli
