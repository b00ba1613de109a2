// tandemctl commands for follow-up: plans, contacts (outcome, rebook,
// reschedule, cancel), reminders and the reminder policy.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/booking_view.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/enum_words.h"
#include "clients/tandemctl/output.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::cli {
namespace {

namespace fu = tandem::followup::v1;

std::string ContactTable(
    Context& ctx, const ClinicTime& clinic,
    const google::protobuf::RepeatedPtrField<fu::FollowUpContact>& contacts) {
  Table t({"ID", "#", "DUE", "BOOKED", "KIND", "THERAPIST", "ROOM", "COUPLE",
           "STATUS", "OUTCOME"});
  for (const auto& c : contacts) {
    std::string outcome = Words(c.outcome());
    if (!c.outcome_note().empty()) {
      absl::StrAppend(&outcome, ": ", c.outcome_note());
    }
    t.AddRow({c.id(), absl::StrCat(c.sequence()), FormatDate(c.due_date()),
              c.has_scheduled_start_time()
                  ? clinic.Range(c.scheduled_start_time(),
                                 c.scheduled_end_time())
                  : "",
              Words(c.kind()), ctx.TherapistName(c.therapist_id()),
              ctx.RoomName(c.room_id()), c.couple_id(), Words(c.status()),
              outcome});
  }
  return t.Render();
}

std::string OneContact(Context& ctx, const ClinicTime& clinic,
                       const fu::FollowUpContact& c) {
  google::protobuf::RepeatedPtrField<fu::FollowUpContact> one;
  *one.Add() = c;
  return ContactTable(ctx, clinic, one);
}

// Prints the booking conflicts carried by a failed call, then returns it.
absl::Status WithConflicts(Context& ctx, const absl::Status& status) {
  if (status.ok()) return status;
  std::string conflicts = ConflictDetails(ctx, status);
  if (!conflicts.empty()) std::cerr << "That time is not free:\n" << conflicts;
  return status;
}

// ------------------------------------------------------------------ plans

void AddPlans(CLI::App& app, Context& ctx) {
  CLI::App* plans = AddGroup(app, ctx, "followups",
                             "Follow-up plans (one per intensive)");
  struct ListOpts {
    std::string couple, intensive, therapist;
    std::vector<std::string> statuses;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = plans->add_subcommand("list", "List follow-up plans");
  list->add_option("--couple", lo->couple, "Only this couple");
  list->add_option("--intensive", lo->intensive, "Only this intensive's");
  list->add_option("--therapist", lo->therapist,
                   "Only plans with a contact of this therapist");
  list->add_option("--status", lo->statuses,
                   "Only these: " + ChoicesText<fu::FollowUpPlanStatus>())
      ->delimiter(',');
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    fu::ListFollowUpPlansRequest req;
    req.set_couple_id(lo->couple);
    req.set_intensive_id(lo->intensive);
    req.set_therapist_id(lo->therapist);
    for (const auto& s : lo->statuses) {
      ASSIGN_OR_RETURN(auto st,
                       ParseEnum<fu::FollowUpPlanStatus>(s, "--status"));
      req.add_statuses(st);
    }
    fu::ListFollowUpPlansResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&FollowUpStub::ListFollowUpPlans, req, &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "INTENSIVE", "COUPLE", "FROM", "THERAPISTS", "CONTACTS",
               "OPEN", "STATUS"});
      for (const auto& p : resp.follow_up_plans()) {
        int open = 0;
        for (const auto& c : p.contacts()) {
          if (c.status() != fu::CONTACT_STATUS_CLOSED &&
              c.status() != fu::CONTACT_STATUS_CANCELLED) {
            ++open;
          }
        }
        t.AddRow({p.id(), p.intensive_id(), p.couple_id(),
                  FormatDate(p.anchor_date()),
                  absl::StrCat(ctx.TherapistName(p.male_therapist_id()), " + ",
                               ctx.TherapistName(p.female_therapist_id())),
                  absl::StrCat(p.contacts_size()), absl::StrCat(open),
                  Words(p.status())});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* get =
      plans->add_subcommand("get", "Show a follow-up plan and its contacts");
  get->add_option("id", *id, "Plan id, e.g. fp-4")->required();
  OnRun(get, ctx, [&ctx, id]() -> absl::Status {
    fu::GetFollowUpPlanRequest req;
    req.set_id(*id);
    fu::GetFollowUpPlanResponse resp;
    RETURN_IF_ERROR(ctx.Call(&FollowUpStub::GetFollowUpPlan, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      const auto& p = resp.follow_up_plan();
      return absl::StrCat(
          RenderFields({{"plan", p.id()},
                        {"intensive", p.intensive_id()},
                        {"couple", p.couple_id()},
                        {"template", p.template_id()},
                        {"counted from", FormatDate(p.anchor_date())},
                        {"status", Words(p.status())}}),
          "\n", ContactTable(ctx, *clinic, p.contacts()));
    });
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------- contacts

void AddContacts(CLI::App& app, Context& ctx) {
  CLI::App* contacts = AddGroup(app, ctx, "contacts",
                                "Follow-up calls and visits after a programme");
  struct ListOpts {
    std::string therapist, couple, plan, from, to;
    std::vector<std::string> statuses;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = contacts->add_subcommand("list", "List contacts");
  list->footer(
      "Example:\n  tandemctl contacts list --therapist th-3 --from today "
      "--to +7 --status scheduled");
  list->add_option("--therapist", lo->therapist, "Only this therapist's");
  list->add_option("--couple", lo->couple, "Only this couple's");
  list->add_option("--plan", lo->plan, "Only this plan's");
  list->add_option("--status", lo->statuses,
                   "Only these: " + ChoicesText<fu::ContactStatus>())
      ->delimiter(',');
  list->add_option("--from", lo->from, "First day (default: no bound)");
  list->add_option("--to", lo->to, "Last day");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    fu::ListFollowUpContactsRequest req;
    req.set_therapist_id(lo->therapist);
    req.set_couple_id(lo->couple);
    req.set_plan_id(lo->plan);
    for (const auto& s : lo->statuses) {
      ASSIGN_OR_RETURN(auto st, ParseEnum<fu::ContactStatus>(s, "--status"));
      req.add_statuses(st);
    }
    if (!lo->from.empty() || !lo->to.empty()) {
      RETURN_IF_ERROR(
          FillDateRange(ctx, lo->from, lo->to, 366, req.mutable_date_range()));
    }
    fu::ListFollowUpContactsResponse resp;
    RETURN_IF_ERROR(
        ctx.ListAll(&FollowUpStub::ListFollowUpContacts, req, &resp));
    if (ctx.json()) {
      ctx.Print(resp, {});
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.out() << ContactTable(ctx, *clinic, resp.follow_up_contacts());
    return absl::OkStatus();
  });

  auto get_id = std::make_shared<std::string>();
  CLI::App* get = contacts->add_subcommand("get", "Show one contact");
  get->add_option("id", *get_id, "Contact id, e.g. fc-12")->required();
  OnRun(get, ctx, [&ctx, get_id]() -> absl::Status {
    fu::GetFollowUpContactRequest req;
    req.set_id(*get_id);
    fu::GetFollowUpContactResponse resp;
    RETURN_IF_ERROR(ctx.Call(&FollowUpStub::GetFollowUpContact, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      return OneContact(ctx, *clinic, resp.follow_up_contact());
    });
    return absl::OkStatus();
  });

  struct OutcomeOpts {
    std::string id, outcome, note;
  };
  auto oo = std::make_shared<OutcomeOpts>();
  CLI::App* outcome = contacts->add_subcommand(
      "outcome", "Record how a contact went (it is then closed)");
  outcome->footer(
      "Examples:\n  tandemctl contacts outcome fc-12 done\n"
      "  tandemctl contacts outcome fc-12 no-answer --note \"try after 6 "
      "pm\"\nTo book another time in the same step: tandemctl contacts "
      "rebook.");
  outcome->add_option("id", oo->id, "Contact id")->required();
  outcome->add_option("outcome", oo->outcome, "done, no-answer or declined")
      ->required();
  outcome->add_option("--note", oo->note,
                      "Short non-clinical note (max 200 characters)");
  OnRun(outcome, ctx, [&ctx, oo]() -> absl::Status {
    fu::RecordOutcomeRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(oo->id);
    ASSIGN_OR_RETURN(auto o,
                     ParseEnum<fu::ContactOutcome>(oo->outcome, "outcome"));
    req.set_outcome(o);
    req.set_note(oo->note);
    fu::RecordOutcomeResponse resp;
    RETURN_IF_ERROR(ctx.Call(&FollowUpStub::RecordOutcome, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      return OneContact(ctx, *clinic, resp.follow_up_contact());
    });
    return absl::OkStatus();
  });

  struct MoveOpts {
    std::string id, start, therapist, room, outcome = "no-answer", note;
  };
  auto ro = std::make_shared<MoveOpts>();
  CLI::App* rebook = contacts->add_subcommand(
      "rebook",
      "Close a missed contact and book a new one in one step");
  rebook->footer(
      "Example:\n  tandemctl contacts rebook fc-12 --start "
      "2026-12-03T17:30 --note \"asked to call later\"");
  rebook->add_option("id", ro->id, "Contact id")->required();
  rebook->add_option("--start", ro->start,
                     "New start, clinic-local (2026-12-03T17:30)")
      ->required();
  rebook->add_option("--outcome", ro->outcome,
                     "no-answer (default) or rescheduled");
  rebook->add_option("--note", ro->note, "Short non-clinical note");
  rebook->add_option("--therapist", ro->therapist, "Another therapist");
  rebook->add_option("--room", ro->room, "Room of a visit");
  OnRun(rebook, ctx, [&ctx, ro]() -> absl::Status {
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    fu::RebookContactRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(ro->id);
    ASSIGN_OR_RETURN(auto o,
                     ParseEnum<fu::ContactOutcome>(ro->outcome, "--outcome"));
    req.set_outcome(o);
    req.set_note(ro->note);
    ASSIGN_OR_RETURN(absl::Time start, clinic->ParseLocal(ro->start, "--start"));
    *req.mutable_start_time() = common::ToProto(start);
    req.set_therapist_id(ro->therapist);
    req.set_room_id(ro->room);
    fu::RebookContactResponse resp;
    RETURN_IF_ERROR(
        WithConflicts(ctx, ctx.Call(&FollowUpStub::RebookContact, req, &resp)));
    ctx.Print(resp, [&] {
      google::protobuf::RepeatedPtrField<fu::FollowUpContact> both;
      *both.Add() = resp.closed_contact();
      *both.Add() = resp.new_contact();
      return ContactTable(ctx, *clinic, both);
    });
    return absl::OkStatus();
  });

  auto mo = std::make_shared<MoveOpts>();
  CLI::App* reschedule = contacts->add_subcommand(
      "reschedule", "Book an unscheduled contact or move a booked one");
  reschedule->footer(
      "Example:\n  tandemctl contacts reschedule fc-12 --start "
      "2026-12-04T10:00");
  reschedule->add_option("id", mo->id, "Contact id")->required();
  reschedule->add_option("--start", mo->start, "New start, clinic-local")
      ->required();
  reschedule->add_option("--therapist", mo->therapist, "Another therapist");
  reschedule->add_option("--room", mo->room, "Room of a visit");
  OnRun(reschedule, ctx, [&ctx, mo]() -> absl::Status {
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    fu::RescheduleContactRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(mo->id);
    ASSIGN_OR_RETURN(absl::Time start, clinic->ParseLocal(mo->start, "--start"));
    *req.mutable_start_time() = common::ToProto(start);
    req.set_therapist_id(mo->therapist);
    req.set_room_id(mo->room);
    fu::RescheduleContactResponse resp;
    RETURN_IF_ERROR(WithConflicts(
        ctx, ctx.Call(&FollowUpStub::RescheduleContact, req, &resp)));
    ctx.Print(resp, [&] {
      return OneContact(ctx, *clinic, resp.follow_up_contact());
    });
    return absl::OkStatus();
  });

  auto cancel_id = std::make_shared<std::string>();
  CLI::App* cancel = contacts->add_subcommand(
      "cancel", "Cancel a contact and its appointment");
  cancel->add_option("id", *cancel_id, "Contact id")->required();
  OnRun(cancel, ctx, [&ctx, cancel_id]() -> absl::Status {
    fu::CancelContactRequest req;
    req.set_request_id(ctx.RequestId());
    req.set_id(*cancel_id);
    fu::CancelContactResponse resp;
    RETURN_IF_ERROR(ctx.Call(&FollowUpStub::CancelContact, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      return OneContact(ctx, *clinic, resp.follow_up_contact());
    });
    return absl::OkStatus();
  });
}

// -------------------------------------------------------------- reminders

std::string Recipient(Context& ctx, const fu::RecipientRef& r) {
  if (r.has_partner()) {
    return absl::StrCat(r.partner().couple_id(), " partner ",
                        Words(r.partner().partner()));
  }
  return ctx.TherapistName(r.therapist_id());
}

// Prints who opted out of what.
std::string PreferenceRows(Context& ctx,
                           const std::vector<const fu::ContactPreference*>& ps) {
  Table t({"WHO", "OPTED OUT OF", "CHANGED BY"});
  for (const fu::ContactPreference* p : ps) {
    std::vector<std::string> channels;
    for (int c : p->opted_out_channels()) {
      channels.push_back(Words(static_cast<fu::ReminderChannel>(c)));
    }
    t.AddRow({Recipient(ctx, p->recipient()), absl::StrJoin(channels, ", "),
              p->update_actor()});
  }
  return t.Render();
}

// `reminders opt-out` / `opt-in` (a person asked for no more texts, or
// wants them again) and `reminders opt-outs` (who opted out).
void AddOptOuts(CLI::App& reminders, Context& ctx) {
  struct Who {
    std::string couple, partner, therapist, channel;
  };
  for (const bool opt_out : {true, false}) {
    auto who = std::make_shared<Who>();
    CLI::App* cmd = reminders.add_subcommand(
        opt_out ? "opt-out" : "opt-in",
        opt_out ? "Stop reminders to a person on one channel (wins over consent)"
                : "Undo an opt-out");
    cmd->add_option("--couple", who->couple, "The client's couple, e.g. cp-3");
    cmd->add_option("--partner", who->partner, "a or b (with --couple)");
    cmd->add_option("--therapist", who->therapist, "Or a therapist, e.g. th-2");
    cmd->add_option("--channel", who->channel,
                    ChoicesText<fu::ReminderChannel>())
        ->required();
    cmd->footer(absl::StrCat("Example:\n  tandemctl reminders ",
                             opt_out ? "opt-out" : "opt-in",
                             " --couple cp-3 --partner b --channel sms"));
    OnRun(cmd, ctx, [&ctx, who, opt_out]() -> absl::Status {
      fu::SetOptOutRequest req;
      req.set_request_id(ctx.RequestId());
      if (!who->therapist.empty()) {
        req.mutable_recipient()->set_therapist_id(who->therapist);
      } else {
        if (who->couple.empty() || who->partner.empty()) {
          return UsageError("--couple and --partner, or --therapist, required");
        }
        fu::PartnerRef* partner = req.mutable_recipient()->mutable_partner();
        partner->set_couple_id(who->couple);
        ASSIGN_OR_RETURN(auto role,
                         ParseEnum<fu::PartnerRole>(who->partner, "--partner"));
        partner->set_partner(role);
      }
      ASSIGN_OR_RETURN(auto channel, ParseEnum<fu::ReminderChannel>(
                                         who->channel, "--channel"));
      req.set_channel(channel);
      req.set_opted_out(opt_out);
      fu::SetOptOutResponse resp;
      RETURN_IF_ERROR(ctx.Call(&FollowUpStub::SetOptOut, req, &resp));
      ctx.Print(resp, [&] {
        return PreferenceRows(ctx, {&resp.contact_preference()});
      });
      return absl::OkStatus();
    });
  }

  auto filter = std::make_shared<Who>();
  CLI::App* list = reminders.add_subcommand("opt-outs", "Who opted out of what");
  list->add_option("--couple", filter->couple, "Only this couple's partners");
  list->add_option("--therapist", filter->therapist, "Only this therapist");
  OnRun(list, ctx, [&ctx, filter]() -> absl::Status {
    fu::ListContactPreferencesRequest req;
    req.set_couple_id(filter->couple);
    req.set_therapist_id(filter->therapist);
    fu::ListContactPreferencesResponse resp;
    RETURN_IF_ERROR(
        ctx.ListAll(&FollowUpStub::ListContactPreferences, req, &resp));
    ctx.Print(resp, [&] {
      std::vector<const fu::ContactPreference*> rows;
      for (const auto& p : resp.contact_preferences()) rows.push_back(&p);
      return PreferenceRows(ctx, rows);
    });
    return absl::OkStatus();
  });
}

void AddReminders(CLI::App& app, Context& ctx) {
  CLI::App* reminders = AddGroup(
      app, ctx, "reminders", "Reminders to clients and therapists: delivery status");
  struct ListOpts {
    std::string couple, therapist, subject, from, to;
    std::vector<std::string> statuses, events;
  };
  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = reminders->add_subcommand("list", "List reminders");
  list->footer("Example:\n  tandemctl reminders list --status dead,failed");
  list->add_option("--couple", lo->couple, "Only this couple's partners");
  list->add_option("--therapist", lo->therapist, "Only this therapist");
  list->add_option("--subject", lo->subject,
                   "Only about this intensive or contact (in-5, fc-12)");
  list->add_option("--status", lo->statuses,
                   "Only these: " + ChoicesText<fu::ReminderStatus>())
      ->delimiter(',');
  list->add_option("--event", lo->events,
                   "Only these: " + ChoicesText<fu::ReminderEvent>())
      ->delimiter(',');
  list->add_option("--from", lo->from, "Due on or after this day");
  list->add_option("--to", lo->to, "Due on or before this day");
  OnRun(list, ctx, [&ctx, lo]() -> absl::Status {
    fu::ListRemindersRequest req;
    req.set_couple_id(lo->couple);
    req.set_therapist_id(lo->therapist);
    req.set_subject_ref(lo->subject);
    for (const auto& s : lo->statuses) {
      ASSIGN_OR_RETURN(auto st, ParseEnum<fu::ReminderStatus>(s, "--status"));
      req.add_statuses(st);
    }
    for (const auto& e : lo->events) {
      ASSIGN_OR_RETURN(auto ev, ParseEnum<fu::ReminderEvent>(e, "--event"));
      req.add_events(ev);
    }
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    if (!lo->from.empty()) {
      ASSIGN_OR_RETURN(absl::CivilDay d, ctx.Day(lo->from, "--from"));
      *req.mutable_due_after() = common::ToProto(clinic->StartOfDay(d));
    }
    if (!lo->to.empty()) {
      ASSIGN_OR_RETURN(absl::CivilDay d, ctx.Day(lo->to, "--to"));
      *req.mutable_due_before() = common::ToProto(clinic->StartOfDay(d + 1));
    }
    fu::ListRemindersResponse resp;
    RETURN_IF_ERROR(ctx.ListAll(&FollowUpStub::ListReminders, req, &resp));
    ctx.Print(resp, [&] {
      Table t({"ID", "DUE", "TO", "EVENT", "ABOUT", "CHANNEL", "STATUS",
               "ATTEMPTS"});
      for (const auto& r : resp.reminders()) {
        std::string status = Words(r.status());
        if (r.suppress_reason()) {
          absl::StrAppend(&status, " (", Words(r.suppress_reason()), ")");
        }
        if (!r.last_error_code().empty()) {
          absl::StrAppend(&status, " (", r.last_error_code(), ")");
        }
        t.AddRow({r.id(), clinic->DateTime(r.due_time()),
                  Recipient(ctx, r.recipient()), Words(r.event()),
                  r.subject_ref(), Words(r.channel()), status,
                  absl::StrCat(r.attempt_count())});
      }
      return t.Render();
    });
    return absl::OkStatus();
  });

  auto id = std::make_shared<std::string>();
  CLI::App* get =
      reminders->add_subcommand("get", "Show one reminder's delivery record");
  get->add_option("id", *id, "Reminder id, e.g. rn-77")->required();
  OnRun(get, ctx, [&ctx, id]() -> absl::Status {
    fu::GetReminderRequest req;
    req.set_id(*id);
    fu::GetReminderResponse resp;
    RETURN_IF_ERROR(ctx.Call(&FollowUpStub::GetReminder, req, &resp));
    ASSIGN_OR_RETURN(const ClinicTime* clinic, ctx.Clinic());
    ctx.Print(resp, [&] {
      const auto& r = resp.reminder();
      auto when = [&](const google::protobuf::Timestamp& t, bool has) {
        return has ? clinic->DateTime(t) : std::string();
      };
      return RenderFields({
          {"reminder", r.id()},
          {"to", Recipient(ctx, r.recipient())},
          {"event", Words(r.event())},
          {"about", r.subject_ref()},
          {"lead time", FormatLength(absl::Seconds(r.lead_time().seconds()))},
          {"due", when(r.due_time(), r.has_due_time())},
          {"channel", Words(r.channel())},
          {"status", Words(r.status())},
          {"suppressed because", Words(r.suppress_reason())},
          {"attempts", absl::StrCat(r.attempt_count())},
          {"last error", r.last_error_code()},
          {"next attempt", when(r.next_attempt_time(),
                                r.has_next_attempt_time())},
          {"sent", when(r.send_time(), r.has_send_time())},
      });
    });
    return absl::OkStatus();
  });

  CLI::App* policy =
      reminders->add_subcommand("policy", "Show the clinic's reminder policy");
  OnRun(policy, ctx, [&ctx]() -> absl::Status {
    fu::GetReminderPolicyResponse resp;
    RETURN_IF_ERROR(ctx.Call(&FollowUpStub::GetReminderPolicy,
                             fu::GetReminderPolicyRequest(), &resp));
    ctx.Print(resp, [&] {
      const auto& p = resp.reminder_policy();
      std::string out = RenderFields({
          {"send window", absl::StrCat(FormatTimeOfDay(p.send_window_start()),
                                       "-",
                                       FormatTimeOfDay(p.send_window_end()))},
          {"debounce", FormatLength(absl::Seconds(p.debounce().seconds()))},
      });
      Table t({"EVENT", "ENABLED", "BEFORE", "CHANNELS"});
      for (const auto& rule : p.rules()) {
        std::vector<std::string> leads, channels;
        for (const auto& d : rule.lead_times()) {
          leads.push_back(FormatLength(absl::Seconds(d.seconds())));
        }
        for (int c : rule.channels()) {
          channels.push_back(Words(static_cast<fu::ReminderChannel>(c)));
        }
        t.AddRow({Words(rule.event()), rule.enabled() ? "yes" : "no",
                  absl::StrJoin(leads, ", "), absl::StrJoin(channels, ", ")});
      }
      return absl::StrCat(out, "\n", t.Render());
    });
    return absl::OkStatus();
  });

  AddOptOuts(*reminders, ctx);
}

}  // namespace

void AddFollowUpCommands(CLI::App& app, Context& ctx) {
  AddPlans(app, ctx);
  AddContacts(app, ctx);
  AddReminders(app, ctx);
}

}  // namespace tandem::cli
