// tandemctl commands for booking: couples, referrals, programme templates,
// the propose / hold / confirm / cancel / reschedule flow, intensives,
// appointments and sessions.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/booking_view.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/enum_words.h"
#include "clients/tandemctl/output.h"
#include "clients/tandemctl/proposal_state.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::cli {
namespace {

namespace bk = tandem::booking::v1;

std::string YesNo(bool b) { return b ? "yes" : "no"; }

// ---------------------------------------------------------------- couples

std::string PartnerName(const bk::Partner& p) {
  return absl::StrCat(p.given_name(),
                      p.family_name().empty() ? "" : " ", p.family_name());
}

std::string PartnerLine(const bk::Partner& p) {
  std::vector<std::string> parts = {PartnerName(p)};
  if (!p.phone().empty()) parts.push_back(p.phone());
  if (!p.email().empty()) parts.push_back(p.email());
  if (p.sex() != bk::SEX_UNSPECIFIED) parts.push_back(Words(p.sex()));
  std::vector<std::string> consent;
  if (p.sms_consent()) consent.push_back("sms");
  if (p.email_consent()) consent.push_back("email");
  parts.push_back(absl::StrCat(
      "prefers ", Words(p.preferred_channel()), ", consents to ",
      consent.empty() ? "nothing" : absl::StrJoin(consent, "+")));
  if (!p.time_zone().empty()) parts.push_back(p.time_zone());
  return absl::StrJoin(parts, ", ");
}

std::string ShowCouple(const bk::Couple& c) {
  std::vector<std::string> blackouts;
  for (const auto& r : c.blackout_dates()) {
    blackouts.push_back(r.start_date().day() == r.end_date().day() &&
                                r.start_date().month() == r.end_date().month()
                            ? FormatDate(r.start_date())
                            : absl::StrCat(FormatDate(r.start_date()), " to ",
                                           FormatDate(r.end_date())));
  }
  return RenderFields({
      {"couple", c.id()},
      {"label", c.display_label()},
      {"partner a", PartnerLine(c.partner_a())},
      {"partner b", c.has_partner_b() ? PartnerLine(c.partner_b()) : ""},
      {"language", c.language()},
      {"blackout", absl::StrJoin(blackouts, ", ")},
      {"excluded", absl::StrJoin(c.excluded_therapist_ids(), ", ")},
      {"notes", c.notes()},
      {"archived", c.archived() ? "yes" : ""},
  });
}

// --a-given, --a-phone, ... for one partner.
struct PartnerFlags {
  std::string given, family, phone, email, channel, sex, zone;
  bool sms = false, mail = false;
  std::vector<std::pair<std::string, CLI::Option*>> given_opts;

  void Add(CLI::App* cmd, const std::string& p) {
    const std::string who = "Partner " + std::string(1, std::toupper(p[0]));
    auto add = [&](const std::string& flag, std::string& into,
                   const std::string& path, const std::string& help) {
      CLI::Option* o = cmd->add_option("--" + p + "-" + flag, into,
                                       who + ": " + help)
                           ->group(who);
      given_opts.emplace_back(path, o);
    };
    add("given", given, "given_name", "given name");
    add("family", family, "family_name", "family name");
    add("phone", phone, "phone", "mobile in E.164, e.g. +447700900123");
    add("email", email, "email", "e-mail address");
    add("channel", channel, "preferred_channel",
        "sms, email or none (new partners: what they consented to, else none)");
    add("sex", sex, "sex", "male or female (for same-sex rules)");
    add("time-zone", zone, "time_zone", "IANA zone if not the clinic's");
    given_opts.emplace_back(
        "sms_consent", cmd->add_option("--" + p + "-sms-consent", sms,
                                       who + ": agreed to SMS (true/false)")
                           ->group(who));
    given_opts.emplace_back(
        "email_consent",
        cmd->add_option("--" + p + "-email-consent", mail,
                        who + ": agreed to e-mail (true/false)")
            ->group(who));
  }

  bool any() const {
    for (const auto& [path, o] : given_opts) {
      if (o->count()) return true;
    }
    return false;
  }

  // Fills `partner` from the given flags; adds "<prefix>.<path>" to `mask`.
  absl::Status Fill(bk::Partner* partner, const std::string& prefix,
                    google::protobuf::FieldMask* mask) const {
    for (const auto& [path, o] : given_opts) {
      if (!o->count()) continue;
      if (mask != nullptr) mask->add_paths(prefix + "." + path);
    }
    partner->set_given_name(given);
    partner->set_family_name(family);
    partner->set_phone(phone);
    partner->set_email(email);
    partner->set_time_zone(zone);
    partner->set_sms_consent(sms);
    partner->set_email_consent(mail);
    if (!channel.empty()) {
      ASSIGN_OR_RETURN(auto ch, ParseEnum<bk::ContactChannel>(channel,
                                                              "--channel"));
      partner->set_preferred_channel(ch);
    } else if (mask == nullptr) {
      // A new partner without --X-channel: what they consented to, SMS
      // first; no reminders when they consented to nothing.
      partner->set_preferred_channel(
          sms && !phone.empty()    ? bk::CONTACT_CHANNEL_SMS
          : mail && !email.empty() ? bk::CONTACT_CHANNEL_EMAIL
                                   : bk::CONTACT_CHANNEL_NONE);
    }
    if (!sex.empty()) {
      ASSIGN_OR_RETURN(auto s, ParseEnum<bk::Sex>(sex, "--sex"));
      partner->set_sex(s);
    }
    return absl::OkStatus();
  }
};

struct CoupleFlags {
  PartnerFlags a, b;
  std::string language, label, notes;
  std::vector<std::string> blackout, exclude;
  CLI::Option *language_opt, *label_opt, *notes_opt, *blackout_opt,
      *exclude_opt;

  void Add(CLI::App* cmd) {
    a.Add(cmd, "a");
    b.Add(cmd, "b");
    language_opt = cmd->add_option("--language", language,
                                   "Language of treatment, e.g. en");
    label_opt = cmd->add_option("--label", label,
                                "Staff label on rosters, e.g. \"A.K. & B.K.\" "
                                "(default: initials)");
    notes_opt = cmd->add_option("--notes", notes, "Coordinator's notes");
    blackout_opt = cmd->add_option("--blackout", blackout,
                                   "Days they cannot come: 2026-12-24 or "
                                   "2026-12-24..2026-12-26, comma-separated")
                       ->delimiter(',');
    exclude_opt = cmd->add_option("--exclude", exclude,
                                  "Therapists who must not treat them")
                      ->delimiter(',');
  }

  absl::Status Fill(Context& ctx, bk::Couple* c,
                    google::protobuf::FieldMask* mask) const {
    auto given = [&](CLI::Option* o, const char* path) {
      if (!o->count()) return false;
      if (mask != nullptr) mask->add_paths(path);
      return true;
    };
    if (mask == nullptr || a.any()) {
      RETURN_IF_ERROR(a.Fill(c->mutable_partner_a(), "partner_a", mask));
    }
    if (b.any()) {
      RETURN_IF_ERROR(b.Fill(c->mutable_partner_b(), "partner_b", mask));
    }
    if (given(language_opt, "language")) c->set_language(language);
    if (given(label_opt, "display_label")) c->set_display_label(label);
    if (given(notes_opt, "notes")) c->set_notes(notes);
    if (given(exclude_opt, "excluded_therapist_ids")) {
      for (const auto& id : exclude) c->add_excluded_therapist_ids(id);
    }
    if (given(blackout_opt, "blackout_dates")) {
      for (const std::string& text : blackout) {
        const size_t dots = text.find("..");
        const std::string first = text.substr(0, dots);
        const std::string last =
            dots == std::string::npos ? first : text.substr(dots + 2);
        ASSIGN_OR_RETURN(absl::CivilDay from, ctx.Day(first, "--blackout"));
        ASSIGN_OR_RETURN(absl::CivilDay to, ctx.Day(last, "--blackout"));
        auto* range = c->add_blackout_dates();
        *range->mutable_start_date() = common::DayToProto(from);
        *range->mutable_end_date() = common::DayToProto(to);
      }
    }
    return absl::OkStatus();
  }
};

void AddCouples(CLI::App& app, Context& ctx) {
  CLI::App* couples = AddGroup(
      app, ctx, "couples",
      "Couples and single clients (the only commands that show names)");

  struct ListOpts {
    bool all = false;
    std::string name;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = couples->add_subcommand("list", "List couples, with names");
  list->add_flag("--all", lo->all, "Include archived couples");
  list->add_option("--name", lo->name,
                   "Only couples with a partner's name starting so");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    bk::ListCouplesRequest req;
    req.set_include_archived(lo->all);
    req.set_name_prefix(lo->name);
    bk::ListCouplesResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&BookingStub::ListCouples, req, &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "LABEL", "PARTNER A", "PARTNER B", "LANGUAGE",
               "ARCHIVED"});
      for (const auto& c : resp.couples()) {
        t.AddRow({c.id(), c.display_label(), PartnerName(c.partner_a()),
                  c.has_partner_b() ? PartnerName(c.partner_b()) : "",
                  c.language(), YesNo(c.archived())});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  auto get_id = std::make_shared<std::string>();
  CLI::App* get =
      couples->add_subcommand("get", "Show one couple with contact details");
  get->add_option("id", *get_id, "Couple id, e.g. cp-3")->required();
  OnRun(get, ctx, [&ctx, get_id]() -> absl::Status {
    bk::GetCoupleRequest req;
    req.set_id(*get_id);
    bk::GetCoupleResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::GetCouple, req, &resp));
    ctx.Print(resp, [&] { return ShowCouple(resp.couple()); });
    return absl::OkStatus();
  });

  auto af = std::make_shared<CoupleFlags>();
  CLI::App* add = couples->add_subcommand("add", "Add a couple or single client");
  add->footer(
      "Example:\n  tandemctl couples add --a-given Sam --a-family Example "
      "--a-sex male \\\n      --a-phone +447700900123 --a-channel sms "
      "--a-sms-consent true \\\n      --b-given Alex --b-family Example "
      "--b-sex female --language en");
  af->Add(add);
  af->a.given_opts[0].second->required();
  af->language_opt->required();
  OnRun(add, ctx, [&ctx, af]() -> absl::Status {
    bk::CreateCoupleRequest req;
    req.set_request_id(ctx.RequestId());
    RETURN_IF_ERROR(af->Fill(ctx, req.mutable_couple(), nullptr));
    bk::CreateCoupleResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::CreateCouple, req, &resp));
    ctx.Print(resp, [&] {
      return absl::StrCat("couple ", resp.couple().id(), "  ",
                          resp.couple().display_label(), "\n");
    });
    return absl::OkStatus();
  });

  auto uf = std::make_shared<CoupleFlags>();
  auto update_id = std::make_shared<std::string>();
  CLI::App* update = couples->add_subcommand(
      "update", "Change a couple (only the flags given)");
  update->footer(
      "Example:\n  tandemctl couples update cp-3 --a-phone +447700900999 "
      "--blackout 2026-12-24..2026-12-26");
  update->add_option("id", *update_id, "Couple id")->required();
  uf->Add(update);
  OnRun(update, ctx, [&ctx, uf, update_id]() -> absl::Status {
    bk::UpdateCoupleRequest req;
    req.set_request_id(ctx.RequestId());
    req.mutable_couple()->set_id(*update_id);
    RETURN_IF_ERROR(uf->Fill(ctx, req.mutable_couple(),
                             req.mutable_update_mask()));
    if (req.update_mask().paths().empty()) {
      return absl::InvalidArgumentError(
          "couples update: give at least one flag to change");
    }
    bk::UpdateCoupleResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::UpdateCouple, req, &resp));
    ctx.Print(resp, [&] { return ShowCouple(resp.couple()); });
    return absl::OkStatus();
  });

  auto archive_id = std::make_shared<std::string>();
  CLI::App* archive = couples->add_subcommand(
      "archive", "Archive a couple (kept, but no new bookings)");
  archive->add_option("id", *archive_id, "Couple id")->required();
  OnRun(archive, ctx, [&ctx, archive_id]() -> absl::Status {
    bk::ArchiveCoupleRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*archive_id);
    bk::ArchiveCoupleResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::ArchiveCouple, req, &resp));
    ctx.Print(resp, [&] {
      return absl::StrCat("archived ", resp.couple().id(), "\n");
    });
    return absl::OkStatus();
  });
}

// -------------------------------------------------------------- referrals

std::string ReferralTable(
    const google::protobuf::RepeatedPtrField<bk::Referral>& referrals) {
  Table t({"ID", "COUPLE", "PARTNER", "SPECIALTY", "STATUS", "SUGGESTED",
           "REQUESTED", "SEEN", "SETTLED"});
  for (const auto& r : referrals) {
    t.AddRow({r.id(), r.couple_id(), Words(r.partner()), Words(r.specialty()),
              Words(r.status()), FormatDate(r.suggest_date()),
              FormatDate(r.request_date()), FormatDate(r.seen_date()),
              FormatDate(r.settle_date())});
  }
  return t.Render();
}

// Sets the date field that belongs to `status` and names it in `mask`.
void SetStatusDate(bk::Referral* r, bk::ReferralStatus status,
                   const tandem::common::v1::Date& date,
                   google::protobuf::FieldMask* mask) {
  const char* path = nullptr;
  switch (status) {
    case bk::REFERRAL_STATUS_SUGGESTED:
      *r->mutable_suggest_date() = date;
      path = "suggest_date";
      break;
    case bk::REFERRAL_STATUS_REQUESTED:
      *r->mutable_request_date() = date;
      path = "request_date";
      break;
    case bk::REFERRAL_STATUS_SEEN:
      *r->mutable_seen_date() = date;
      path = "seen_date";
      break;
    case bk::REFERRAL_STATUS_CLEARED:
    case bk::REFERRAL_STATUS_NOT_NEEDED:
      *r->mutable_settle_date() = date;
      path = "settle_date";
      break;
    default:
      break;
  }
  if (path != nullptr && mask != nullptr) mask->add_paths(path);
}

absl::Status UpdateReferral(Context& ctx, const std::string& id,
                            bk::ReferralStatus status,
                            const std::string& date_text) {
  bk::UpdateReferralRequest req;
  req.set_request_id(ctx.RequestId());
  req.mutable_referral()->set_id(id);
  req.mutable_referral()->set_status(status);
  req.mutable_update_mask()->add_paths("status");
  absl::CivilDay day;
  if (date_text.empty()) {
    ASSIGN_OR_RETURN(day, ctx.Today());
  } else {
    ASSIGN_OR_RETURN(day, ctx.Day(date_text, "--date"));
  }
  SetStatusDate(req.mutable_referral(), status, common::DayToProto(day),
                req.mutable_update_mask());
  bk::UpdateReferralResponse resp;
  RETURN_IF_ERROR(ctx.Call(&BookingStub::UpdateReferral, req, &resp));
  google::protobuf::RepeatedPtrField<bk::Referral> one;
  *one.Add() = resp.referral();
  ctx.Print(resp, [&] { return ReferralTable(one); });
  return absl::OkStatus();
}

void AddReferrals(CLI::App& app, Context& ctx) {
  CLI::App* referrals =
      AddGroup(app, ctx, "referrals", "Medical referrals of partners");

  struct ListOpts {
    std::string couple;
    std::vector<std::string> statuses;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = referrals->add_subcommand("list", "List referrals");
  list->add_option("--couple", lo->couple, "Only this couple");
  list->add_option("--status", lo->statuses,
                   "Only these statuses: " +
                       ChoicesText<bk::ReferralStatus>())
      ->delimiter(',');
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    bk::ListReferralsRequest req;
    req.set_couple_id(lo->couple);
    for (const auto& s : lo->statuses) {
      ASSIGN_OR_RETURN(auto st, ParseEnum<bk::ReferralStatus>(s, "--status"));
      req.add_statuses(st);
    }
    bk::ListReferralsResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&BookingStub::ListReferrals, req, &resp));
    ctx.Print(resp, [&] { return ReferralTable(resp.referrals()); });
    return absl::OkStatus();
  });

  struct AddOpts {
    std::string couple, partner = "a", specialty, status = "suggested", date;
  };
  auto ao = std::make_shared<AddOpts>();
  CLI::App* add = referrals->add_subcommand("add", "Record a referral");
  add->footer(
      "Example:\n  tandemctl referrals add --couple cp-3 --partner a "
      "--specialty urology");
  add->add_option("--couple", ao->couple, "Couple id")->required();
  add->add_option("--partner", ao->partner, "a (default) or b");
  add->add_option("--specialty", ao->specialty,
                  ChoicesText<bk::ReferralSpecialty>())
      ->required();
  add->add_option("--status", ao->status,
                  "Default suggested; " + ChoicesText<bk::ReferralStatus>());
  add->add_option("--date", ao->date, "Day of that status (default today)");
  OnRun(add, ctx, [&ctx, ao]() -> absl::Status {
    bk::CreateReferralRequest req;
    req.set_request_id(ctx.RequestId());
    bk::Referral* r = req.mutable_referral();
    r->set_couple_id(ao->couple);
    ASSIGN_OR_RETURN(auto partner,
                     ParseEnum<bk::PartnerRole>(ao->partner, "--partner"));
    r->set_partner(partner);
    ASSIGN_OR_RETURN(auto specialty, ParseEnum<bk::ReferralSpecialty>(
                                         ao->specialty, "--specialty"));
    r->set_specialty(specialty);
    ASSIGN_OR_RETURN(auto status,
                     ParseEnum<bk::ReferralStatus>(ao->status, "--status"));
    r->set_status(status);
    ASSIGN_OR_RETURN(absl::CivilDay today, ctx.Today());
    absl::CivilDay day = today;
    if (!ao->date.empty()) {
      ASSIGN_OR_RETURN(day, ctx.Day(ao->date, "--date"));
    }
    *r->mutable_suggest_date() = common::DayToProto(day);
    SetStatusDate(r, status, common::DayToProto(day), nullptr);
    bk::CreateReferralResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::CreateReferral, req, &resp));
    google::protobuf::RepeatedPtrField<bk::Referral> one;
    *one.Add() = resp.referral();
    ctx.Print(resp, [&] { return ReferralTable(one); });
    return absl::OkStatus();
  });

  struct UpdateOpts {
    std::string id, status, date;
  };
  auto uo = std::make_shared<UpdateOpts>();
  CLI::App* update = referrals->add_subcommand(
      "update", "Move a referral on (requested, seen, ...)");
  update->footer(
      "Example:\n  tandemctl referrals update rf-2 --status seen --date "
      "2026-11-20");
  update->add_option("id", uo->id, "Referral id, e.g. rf-2")->required();
  update->add_option("--status", uo->status,
                     ChoicesText<bk::ReferralStatus>())
      ->required();
  update->add_option("--date", uo->date, "Day of that status (default today)");
  OnRun(update, ctx, [&ctx, uo]() -> absl::Status {
    ASSIGN_OR_RETURN(auto status,
                     ParseEnum<bk::ReferralStatus>(uo->status, "--status"));
    return UpdateReferral(ctx, uo->id, status, uo->date);
  });

  struct SettleOpts {
    std::string id, date;
    bool not_needed = false;
  };
  auto so = std::make_shared<SettleOpts>();
  CLI::App* settle = referrals->add_subcommand(
      "settle", "Settle a referral: cleared (default) or not needed");
  settle->add_option("id", so->id, "Referral id")->required();
  settle->add_flag("--not-needed", so->not_needed,
                   "Dropped as unnecessary instead of cleared");
  settle->add_option("--date", so->date, "Day settled (default today)");
  OnRun(settle, ctx, [&ctx, so]() -> absl::Status {
    return UpdateReferral(ctx, so->id,
                          so->not_needed ? bk::REFERRAL_STATUS_NOT_NEEDED
                                         : bk::REFERRAL_STATUS_CLEARED,
                          so->date);
  });
}

// -------------------------------------------------------------- templates

std::string ShowTemplate(const bk::ProgrammeTemplate& t) {
  std::string out = RenderFields({
      {"template", t.id()},
      {"name", t.display_name()},
      {"kind", Words(t.kind())},
      {"days", absl::StrCat(t.days_size(), " treatment days within ",
                            t.max_span_days(), " calendar days")},
      {"referrals", t.referral_clearance_required()
                        ? "must be settled before day 1"
                        : ""},
      {"qualifications", absl::StrJoin(t.required_qualifications(), ", ")},
      {"shipped", t.shipped() ? "yes (read-only)" : "no"},
  });
  Table table({"DAY", "SESSION", "KIND", "LENGTH", "WHO", "THERAPISTS",
               "ROOM", "PARALLEL WITH"});
  for (const auto& day : t.days()) {
    for (const auto& s : day.sessions()) {
      table.AddRow({absl::StrCat(day.day_number()), s.key(), Words(s.kind()),
                    FormatLength(absl::Seconds(s.duration().seconds())),
                    Words(s.participants()), Words(s.therapists()),
                    Words(s.room_kind()), s.parallel_with()});
    }
  }
  return absl::StrCat(out, "\n", table.Render());
}

void AddTemplates(CLI::App& app, Context& ctx) {
  CLI::App* templates =
      AddGroup(app, ctx, "templates", "Programme templates (formats)");
  auto kind = std::make_shared<std::string>();
  CLI::App* list = templates->add_subcommand("list", "List templates");
  list->add_option("--kind", *kind,
                   "Only this kind: " + ChoicesText<bk::ProgrammeKind>());
  OnRun(list, ctx, [&ctx, kind]() -> absl::Status {
    bk::ListProgrammeTemplatesRequest req;
    if (!kind->empty()) {
      ASSIGN_OR_RETURN(auto k, ParseEnum<bk::ProgrammeKind>(*kind, "--kind"));
      req.set_kind(k);
    }
    bk::ListProgrammeTemplatesResponse resp;
    RETURN_IF_ERROR(
        ctx.ListAll(&BookingStub::ListProgrammeTemplates, req, &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "NAME", "KIND", "DAYS", "REFERRALS SETTLED", "SHIPPED"});
      for (const auto& p : resp.programme_templates()) {
        t.AddRow({p.id(), p.display_name(), Words(p.kind()),
                  absl::StrCat(p.days_size()),
                  p.referral_clearance_required() ? "required" : "",
                  YesNo(p.shipped())});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* get =
      templates->add_subcommand("get", "Show a template day by day");
  get->add_option("id", *id, "Template id, e.g. pt-1")->required();
  OnRun(get, ctx, [&ctx, id]() -> absl::Status {
    bk::GetProgrammeTemplateRequest req;
    req.set_id(*id);
    bk::GetProgrammeTemplateResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::GetProgrammeTemplate, req, &resp));
    ctx.Print(resp, [&] { return ShowTemplate(resp.programme_template()); });
    return absl::OkStatus();
  });
}

// ------------------------------------------------ propose / hold / confirm

absl::StatusOr<std::string> StateDirectory(Context& ctx) {
  return StateDir(ctx.state_dir_flag, ctx.env);
}

// Prints numbered plans and keeps them for `hold --plan N`.
absl::Status ShowAndSavePlans(
    Context& ctx, const std::string& couple_id,
    const std::string& repair_intensive_id,
    const google::protobuf::RepeatedPtrField<bk::Plan>& plans,
    const std::string& next_command) {
  ProposalState state;
  state.couple_id = couple_id;
  state.repair_intensive_id = repair_intensive_id;
  state.proposed_at = absl::Now();
  state.plans = plans;
  ASSIGN_OR_RETURN(std::string dir, StateDirectory(ctx));
  RETURN_IF_ERROR(SaveProposalState(dir, state));
  if (!ctx.json() && !plans.empty()) {
    ctx.out() << PlanTable(ctx, plans);
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Hint(absl::StrCat("next: ", next_command,
                          " (plans can be held until ",
                          clinic->DateTime(plans.Get(0).expire_time()), ")"));
  }
  return absl::OkStatus();
}

struct ProposeOpts {
  std::string couple, template_id, from, to, day_part, team, repair;
  bool same_room = false;
  int max = 5;
};

absl::Status Propose(Context& ctx, const ProposeOpts& o) {
  bk::ProposeIntensiveRequest req;
  std::string couple = o.couple, template_id = o.template_id;
  if (!o.repair.empty()) {
    bk::GetIntensiveRequest get;
    get.set_id(o.repair);
    bk::GetIntensiveResponse intensive;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::GetIntensive, get, &intensive));
    if (couple.empty()) couple = intensive.intensive().couple_id();
    if (template_id.empty()) template_id = intensive.intensive().template_id();
    req.set_repair_intensive_id(o.repair);
  }
  if (couple.empty() || template_id.empty()) {
    return absl::InvalidArgumentError(
        "propose: --couple and --template are required (or --repair in-N)");
  }
  req.set_couple_id(couple);
  req.set_template_id(template_id);
  ASSIGN_OR_RETURN(absl::CivilDay from,
                   o.from.empty() ? ctx.Today() : ctx.Day(o.from, "--from"));
  absl::CivilDay to = from + 30;
  if (!o.to.empty()) {
    ASSIGN_OR_RETURN(to, ctx.Day(o.to, "--to"));
  }
  *req.mutable_earliest_start() = common::DayToProto(from);
  *req.mutable_latest_start() = common::DayToProto(to);
  if (!o.day_part.empty()) {
    ASSIGN_OR_RETURN(auto part, ParseEnum<bk::DayPart>(o.day_part,
                                                       "--day-part"));
    req.mutable_preferences()->set_day_part(part);
  }
  req.mutable_preferences()->set_preferred_team_id(o.team);
  req.mutable_preferences()->set_same_room_every_day(o.same_room);
  req.set_max_plans(o.max);
  bk::ProposeIntensiveResponse resp;
  RETURN_IF_ERROR(ctx.Call(&BookingStub::ProposeIntensive, req, &resp));
  if (ctx.json()) ctx.out() << ToJson(resp);
  if (resp.plans().empty()) ctx.Say("No plan found in that window.");
  const std::string next =
      o.repair.empty() ? "tandemctl hold --plan 1"
                       : absl::StrCat("tandemctl reschedule ", o.repair,
                                      " --plan 1");
  RETURN_IF_ERROR(
      ShowAndSavePlans(ctx, couple, o.repair, resp.plans(), next));
  if (resp.has_explanation() && !ctx.json()) {
    ctx.out() << (resp.plans().empty() ? "Why:\n" : "Fewer or weaker plans:\n")
              << ExplanationText(resp.explanation());
  }
  return absl::OkStatus();
}

// On ABORTED with ProposalHint details: says what took the time, shows and
// keeps the fresh plans, and returns the call's status.
absl::Status ExplainTaken(Context& ctx, const ProposalState& state,
                          const absl::Status& status, const std::string& next) {
  if (status.code() != absl::StatusCode::kAborted) return status;
  std::optional<std::string> bytes =
      FindDetail(RpcDetails(status), "tandem.booking.v1.ProposalHint");
  bk::ProposalHint hint;
  std::cerr << "The plan's time was taken (or its proposal expired) since it "
               "was proposed.\n";
  if (!bytes.has_value() || !hint.ParseFromString(*bytes)) {
    std::cerr << "Propose again: tandemctl propose ...\n";
    return status;
  }
  if (ctx.json()) {
    ctx.out() << ToJson(hint);
  } else if (!hint.conflicts().empty()) {
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.out() << "What took it:\n"
              << ConflictLines(ctx, *clinic, hint.conflicts());
  }
  if (hint.plans().empty()) {
    if (!ctx.json()) {
      ctx.out() << "No fresh plan for the same request.\n"
                << ExplanationText(hint.explanation());
    }
    std::cerr << "Propose again with another window: tandemctl propose ...\n";
    return status;
  }
  if (!ctx.json()) ctx.out() << "Fresh plans:\n";
  RETURN_IF_ERROR(ShowAndSavePlans(ctx, state.couple_id,
                                   state.repair_intensive_id, hint.plans(),
                                   next));
  return status;
}

void PrintIntensive(Context& ctx, const google::protobuf::Message& resp,
                    const bk::Intensive& intensive, const ClinicTime& clinic) {
  ctx.Print(resp, [&] { return IntensiveView(ctx, clinic, intensive); });
}

void AddFlow(CLI::App& app, Context& ctx) {
  auto po = std::make_shared<ProposeOpts>();
  CLI::App* propose = app.add_subcommand(
      "propose", "Find the best plans for a couple (nothing is reserved)");
  propose->footer(
      "Prints numbered plans and keeps them (with their tokens) for "
      "`tandemctl hold --plan N`.\nExamples:\n"
      "  tandemctl propose --couple cp-1 --template pt-1 --from 2026-12-01 "
      "--to 2026-12-31\n"
      "  tandemctl propose --repair in-5 --from 2026-12-07   # then "
      "tandemctl reschedule in-5 --plan 1");
  propose->add_option("--couple", po->couple, "Couple id");
  propose->add_option("--template", po->template_id,
                      "Programme template id, e.g. pt-1 (tandemctl "
                      "templates list)");
  propose->add_option("--from", po->from,
                      "Earliest first day (default today)");
  propose->add_option("--to", po->to,
                      "Latest first day (default --from + 30 days)");
  propose->add_option("--day-part", po->day_part, "morning, afternoon or any");
  propose->add_option("--team", po->team, "Preferred standing team, e.g. tm-1");
  propose->add_flag("--same-room", po->same_room,
                    "Prefer the same room for every joint session");
  propose->add_option("--max", po->max, "Most plans (default 5, max 20)");
  propose->add_option("--repair", po->repair,
                      "Propose replacement plans for this intensive "
                      "(for tandemctl reschedule)");
  OnRun(propose, ctx, [&ctx, po] { return Propose(ctx, *po); });

  struct HoldOpts {
    int plan = 1;
    std::string duration;
  };
  auto ho = std::make_shared<HoldOpts>();
  CLI::App* hold = app.add_subcommand(
      "hold", "Reserve a plan of the last proposal until it is confirmed");
  hold->footer(
      "Example:\n  tandemctl hold --plan 1 --duration 2d\nIf the time was "
      "taken meanwhile, prints what took it and fresh plans to hold "
      "instead.");
  hold->add_option("--plan", ho->plan, "Plan number as printed by propose")
      ->required();
  hold->add_option("--duration", ho->duration,
                   "How long to hold: 30m (default), 2h, 3d (max 14d)");
  OnRun(hold, ctx, [&ctx, ho]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string dir, StateDirectory(ctx));
    ASSIGN_OR_RETURN(ProposalState state, LoadProposalState(dir));
    if (!state.repair_intensive_id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the last proposal repairs ", state.repair_intensive_id,
          ": use tandemctl reschedule ", state.repair_intensive_id,
          " --plan N"));
    }
    bk::HoldIntensiveRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_couple_id(state.couple_id);
    ASSIGN_OR_RETURN(*req.mutable_plan(), PlanNumber(state, ho->plan));
    if (!ho->duration.empty()) {
      ASSIGN_OR_RETURN(absl::Duration d,
                       ParseLength(ho->duration, "--duration"));
      req.mutable_hold_duration()->set_seconds(absl::ToInt64Seconds(d));
    }
    bk::HoldIntensiveResponse resp;
    absl::Status s = ctx.Call(&BookingStub::HoldIntensive, req, &resp);
    if (!s.ok()) {
      return ExplainTaken(ctx, state, s, "tandemctl hold --plan 1");
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    PrintIntensive(ctx, resp, resp.intensive(), *clinic);
    ctx.Hint(absl::StrCat("next: tandemctl confirm ", resp.intensive().id()));
    return absl::OkStatus();
  });

  auto confirm_id = std::make_shared<std::string>();
  CLI::App* confirm =
      app.add_subcommand("confirm", "Confirm a held intensive (booked)");
  confirm->add_option("id", *confirm_id, "Intensive id, e.g. in-5")
      ->required();
  OnRun(confirm, ctx, [&ctx, confirm_id]() -> absl::Status {
    bk::ConfirmIntensiveRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*confirm_id);
    bk::ConfirmIntensiveResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::ConfirmIntensive, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    PrintIntensive(ctx, resp, resp.intensive(), *clinic);
    return absl::OkStatus();
  });

  struct CancelOpts {
    std::string id, reason;
  };
  auto co = std::make_shared<CancelOpts>();
  CLI::App* cancel = app.add_subcommand(
      "cancel", "Cancel an intensive (its future sessions are released)");
  cancel->footer(
      "Example:\n  tandemctl cancel in-5 --reason couple-request");
  cancel->add_option("id", co->id, "Intensive id")->required();
  cancel->add_option("--reason", co->reason,
                     "couple-request, clinic-request, discontinued, "
                     "referral-not-settled, not-repairable or other")
      ->required();
  OnRun(cancel, ctx, [&ctx, co]() -> absl::Status {
    bk::CancelIntensiveRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(co->id);
    ASSIGN_OR_RETURN(auto reason,
                     ParseEnum<bk::CancelReason>(co->reason, "--reason"));
    req.set_reason(reason);
    bk::CancelIntensiveResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::CancelIntensive, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    PrintIntensive(ctx, resp, resp.intensive(), *clinic);
    return absl::OkStatus();
  });

  struct RescheduleOpts {
    std::string id;
    int plan = 1;
  };
  auto ro = std::make_shared<RescheduleOpts>();
  CLI::App* reschedule = app.add_subcommand(
      "reschedule",
      "Move an intensive to a plan of the last `propose --repair` for it");
  reschedule->footer(
      "Example:\n  tandemctl propose --repair in-5 --from 2026-12-07\n"
      "  tandemctl reschedule in-5 --plan 1");
  reschedule->add_option("id", ro->id, "Intensive id")->required();
  reschedule->add_option("--plan", ro->plan, "Plan number")->required();
  OnRun(reschedule, ctx, [&ctx, ro]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string dir, StateDirectory(ctx));
    ASSIGN_OR_RETURN(ProposalState state, LoadProposalState(dir));
    if (state.repair_intensive_id != ro->id) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the last proposal is not a repair of ", ro->id,
          ": run tandemctl propose --repair ", ro->id, " first"));
    }
    bk::RescheduleIntensiveRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(ro->id);
    ASSIGN_OR_RETURN(*req.mutable_plan(), PlanNumber(state, ro->plan));
    bk::RescheduleIntensiveResponse resp;
    absl::Status s = ctx.Call(&BookingStub::RescheduleIntensive, req, &resp);
    if (!s.ok()) {
      return ExplainTaken(ctx, state, s,
                          absl::StrCat("tandemctl reschedule ", ro->id,
                                       " --plan 1"));
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    PrintIntensive(ctx, resp, resp.intensive(), *clinic);
    return absl::OkStatus();
  });
}

// ------------------------------------- intensives, appointments, sessions

void AddIntensives(CLI::App& app, Context& ctx) {
  CLI::App* intensives =
      AddGroup(app, ctx, "intensives", "Booked programmes (any format)");
  struct ListOpts {
    std::string couple, from, to;
    std::vector<std::string> statuses;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = intensives->add_subcommand("list", "List intensives");
  list->footer("Example:\n  tandemctl intensives list --status held,booked");
  list->add_option("--couple", lo->couple, "Only this couple");
  list->add_option("--status", lo->statuses,
                   "Only these: " + ChoicesText<bk::IntensiveStatus>())
      ->delimiter(',');
  list->add_option("--from", lo->from, "Only those running on or after");
  list->add_option("--to", lo->to, "Only those running on or before");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    bk::ListIntensivesRequest req;
    req.set_couple_id(lo->couple);
    for (const auto& s : lo->statuses) {
      ASSIGN_OR_RETURN(auto st, ParseEnum<bk::IntensiveStatus>(s, "--status"));
      req.add_statuses(st);
    }
    if (!lo->from.empty() || !lo->to.empty()) {
      RETURN_IF_ERROR(
          FillDateRange(ctx, lo->from, lo->to, 366, req.mutable_date_range()));
    }
    bk::ListIntensivesResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&BookingStub::ListIntensives, req, &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "COUPLE", "PROGRAMME", "START", "END", "TEAM", "STATUS"});
      for (const auto& in : resp.intensives()) {
        std::string status = Words(in.status());
        if (in.attention_reason()) {
          absl::StrAppend(&status, " (", Words(in.attention_reason()), ")");
        }
        t.AddRow({in.id(), in.couple_id(), in.template_display_name(),
                  FormatDate(in.start_date()), FormatDate(in.end_date()),
                  absl::StrCat(ctx.TherapistName(in.team().male_therapist_id()),
                               " + ",
                               ctx.TherapistName(
                                   in.team().female_therapist_id())),
                  status});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* get = intensives->add_subcommand(
      "get", "Show an intensive with its sessions and history");
  get->add_option("id", *id, "Intensive id, e.g. in-5")->required();
  OnRun(get, ctx, [&ctx, id]() -> absl::Status {
    bk::GetIntensiveRequest req;
    req.set_id(*id);
    bk::GetIntensiveResponse resp;
    RETURN_IF_ERROR(ctx.Call(&BookingStub::GetIntensive, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      Table history({"WHEN", "EVENT", "STATUS", "BY", "WHY"});
      for (const auto& h : resp.intensive().status_history()) {
        history.AddRow(
            {clinic->DateTime(h.change_time()), Words(h.event()),
             Words(h.status()), h.actor(),
             h.cancel_reason() ? Words(h.cancel_reason())
                               : Words(h.attention_reason())});
      }
      return absl::StrCat(IntensiveView(ctx, *clinic, resp.intensive()),
                          "\n", history.Render());
    });
    return absl::OkStatus();
  });
}

void AddAppointments(CLI::App& app, Context& ctx) {
  CLI::App* appointments = AddGroup(
      app, ctx, "appointments", "One-off bookings (follow-up calls and visits)");
  struct ListOpts {
    std::string therapist, room, couple, from, to;
    bool all = false;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = appointments->add_subcommand("list", "List appointments");
  list->add_option("--therapist", lo->therapist, "Only this therapist");
  list->add_option("--room", lo->room, "Only this room");
  list->add_option("--couple", lo->couple, "Only this couple");
  list->add_option("--from", lo->from, "First day (default: no bound)");
  list->add_option("--to", lo->to, "Last day");
  list->add_flag("--all", lo->all, "Include cancelled ones");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    bk::ListAppointmentsRequest req;
    req.set_therapist_id(lo->therapist);
    req.set_room_id(lo->room);
    req.set_couple_id(lo->couple);
    req.set_include_cancelled(lo->all);
    if (!lo->from.empty() || !lo->to.empty()) {
      RETURN_IF_ERROR(
          FillDateRange(ctx, lo->from, lo->to, 366, req.mutable_date_range()));
    }
    bk::ListAppointmentsResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&BookingStub::ListAppointments, req, &resp));
    if (ctx.json()) {
      ctx.Print(resp, {});
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    Table t({"ID", "WHEN", "KIND", "THERAPIST", "ROOM", "COUPLE", "STATUS",
             "FOR"});
    for (const auto& a : resp.appointments()) {
      std::string status = Words(a.status());
      if (a.attention_reason()) {
        absl::StrAppend(&status, " (", Words(a.attention_reason()), ")");
      }
      t.AddRow({a.id(), clinic->Range(a.start_time(), a.end_time()),
                Words(a.kind()), ctx.TherapistName(a.therapist_id()),
                ctx.RoomName(a.room_id()), a.couple_id(), status,
                a.external_ref()});
    }
    ctx.out() << t.Render();
    return absl::OkStatus();
  });
}

void AddSessions(CLI::App& app, Context& ctx) {
  CLI::App* sessions =
      AddGroup(app, ctx, "sessions", "Booked sessions of intensives");
  struct ListOpts {
    std::string therapist, room, couple, from, to;
    bool all = false;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = sessions->add_subcommand(
      "list", "List the sessions of a therapist, room or couple");
  list->footer(
      "Example:\n  tandemctl sessions list --couple cp-1 --from 2026-12-01 "
      "--to 2026-12-31");
  auto* t = list->add_option("--therapist", lo->therapist, "This therapist's");
  auto* r = list->add_option("--room", lo->room, "This room's");
  auto* c = list->add_option("--couple", lo->couple, "This couple's");
  t->excludes(r)->excludes(c);
  r->excludes(c);
  list->add_option("--from", lo->from, "First day (default today)");
  list->add_option("--to", lo->to, "Last day (default from + 30 days)");
  list->add_flag("--all", lo->all, "Include cancelled and replaced sessions");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    bk::ListSessionsRequest req;
    if (!lo->therapist.empty()) {
      req.set_therapist_id(lo->therapist);
    } else if (!lo->room.empty()) {
      req.set_room_id(lo->room);
    } else if (!lo->couple.empty()) {
      req.set_couple_id(lo->couple);
    } else {
      return absl::InvalidArgumentError(
          "sessions list: give --therapist, --room or --couple");
    }
    req.set_include_cancelled(lo->all);
    RETURN_IF_ERROR(
        FillDateRange(ctx, lo->from, lo->to, 31, req.mutable_date_range()));
    bk::ListSessionsResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&BookingStub::ListSessions, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp,
              [&] { return SessionTable(ctx, *clinic, resp.sessions()); });
    return absl::OkStatus();
  });
}

}  // namespace

void AddBookingCommands(CLI::App& app, Context& ctx) {
  AddCouples(app, ctx);
  AddReferrals(app, ctx);
  AddTemplates(app, ctx);
  AddFlow(app, ctx);
  AddIntensives(app, ctx);
  AddAppointments(app, ctx);
  AddSessions(app, ctx);
}

}  // namespace tandem::cli
