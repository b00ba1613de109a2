// tandemctl commands for administrators: `audit list` reads the audit trails
// of the chosen services (each serves tandem.audit.v1.AuditService on its
// own address) and merges them by time; `audit verify` checks each trail's
// hash chain and fails when one is broken.
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/audit_view.h"
#include "clients/tandemctl/channel.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/output.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "tandem/audit/v1/audit_service.grpc.pb.h"

namespace tandem::cli {
namespace {

namespace au = tandem::audit::v1;
using AuditStub = au::AuditService::Stub;

constexpr int kMaxLimit = 100000;

// One service's audit API: the same address, TLS and token as the service.
class AuditTarget {
 public:
  static absl::StatusOr<AuditTarget> Make(Context& ctx, std::string service) {
    std::string address = AddressOf(ctx.settings, service);
    ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                     MakeChannel(address, ctx.settings.ca));
    return AuditTarget(std::move(service), std::move(address),
                       au::AuditService::NewStub(channel));
  }

  const std::string& service() const { return service_; }

  template <typename Req, typename Resp>
  absl::Status Call(Context& ctx,
                    grpc::Status (AuditStub::*method)(grpc::ClientContext*,
                                                      const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext context;
    RETURN_IF_ERROR(ctx.PrepareCall(&context));
    return ctx.WithHint(StatusFromRpc(((*stub_).*method)(&context, req, resp),
                                      service_, address_));
  }

 private:
  AuditTarget(std::string service, std::string address,
              std::unique_ptr<AuditStub> stub)
      : service_(std::move(service)),
        address_(std::move(address)),
        stub_(std::move(stub)) {}

  static std::string AddressOf(const Settings& s, const std::string& service) {
    if (service == "directory") return s.directory;
    if (service == "booking") return s.booking;
    if (service == "followup") return s.followup;
    return s.roster;
  }

  std::string service_;
  std::string address_;
  std::unique_ptr<AuditStub> stub_;
};

void AddServiceOption(CLI::App* command, std::vector<std::string>* services) {
  command
      ->add_option("--service", *services,
                   "Whose trail: directory, booking, followup, roster or all "
                   "(default all; several comma-separated)")
      ->delimiter(',')
      ->check(
          CLI::IsMember({"directory", "booking", "followup", "roster", "all"}));
}

// --------------------------------------------------------------- list

struct ListOpts {
  std::vector<std::string> services;
  std::string since, until, subject, couple;
  int limit = 100;
};

// Up to `limit` of the oldest matching records of one service; `*more` is
// set when it has further ones.
absl::Status ListOne(Context& ctx, AuditTarget& target,
                     au::ListAuditRecordsRequest req, int limit,
                     au::ListAuditRecordsResponse* all, bool* more) {
  req.set_page_size(std::min(limit, 1000));
  *more = false;
  while (true) {
    au::ListAuditRecordsResponse page;
    RETURN_IF_ERROR(target.Call(ctx, &AuditStub::ListAuditRecords, req, &page));
    all->MergeFrom(page);
    if (page.next_page_token().empty()) break;
    if (all->records_size() >= limit) {
      *more = true;
      break;
    }
    req.set_page_token(page.next_page_token());
  }
  all->clear_next_page_token();
  return absl::OkStatus();
}

absl::Status List(Context& ctx, const ListOpts& o) {
  if (o.limit < 1 || o.limit > kMaxLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("--limit: 1 to ", kMaxLimit));
  }
  au::ListAuditRecordsRequest req;
  req.set_subject(o.subject);
  req.set_couple_id(o.couple);
  const ClinicTime* clinic = nullptr;
  if (!o.since.empty() || !o.until.empty() || !ctx.json()) {
    ASSIGN_OR_RETURN(clinic, ctx.Clinic());
  }
  if (!o.since.empty() || !o.until.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay today, ctx.Today());
    if (!o.since.empty()) {
      ASSIGN_OR_RETURN(
          absl::Time since,
          ParseAuditBound(o.since, *clinic, today, false, "--since"));
      *req.mutable_start_time() = common::ToProto(since);
    }
    if (!o.until.empty()) {
      ASSIGN_OR_RETURN(
          absl::Time until,
          ParseAuditBound(o.until, *clinic, today, true, "--until"));
      *req.mutable_end_time() = common::ToProto(until);
    }
    if (req.has_start_time() && req.has_end_time() &&
        common::FromProto(req.end_time()) <
            common::FromProto(req.start_time())) {
      return absl::InvalidArgumentError("--until: before --since");
    }
  }

  std::vector<au::ListAuditRecordsResponse> pages;
  bool more_anywhere = false;
  for (const std::string& service : AuditServices(o.services)) {
    ASSIGN_OR_RETURN(AuditTarget target, AuditTarget::Make(ctx, service));
    au::ListAuditRecordsResponse records;
    bool more = false;
    RETURN_IF_ERROR(ListOne(ctx, target, req, o.limit, &records, &more));
    more_anywhere = more_anywhere || more;
    pages.push_back(std::move(records));
  }
  bool truncated = false;
  au::ListAuditRecordsResponse merged =
      MergeAuditRecords(pages, o.limit, &truncated);
  ctx.Print(merged, [&] { return AuditTable(merged, *clinic); });
  if (truncated || more_anywhere) {
    ctx.Hint(absl::StrCat("(the oldest ", o.limit,
                          " records shown; narrow with --since, or raise "
                          "--limit)"));
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------- verify

absl::Status Verify(Context& ctx, const std::vector<std::string>& chosen) {
  struct Result {
    std::string service;
    absl::Status status;
    au::VerifyAuditLogResponse report;
  };
  std::vector<Result> results;
  for (const std::string& service : AuditServices(chosen)) {
    Result result{service, absl::OkStatus(), {}};
    absl::StatusOr<AuditTarget> target = AuditTarget::Make(ctx, service);
    result.status =
        target.ok() ? target->Call(ctx, &AuditStub::VerifyAuditLog,
                                   au::VerifyAuditLogRequest(), &result.report)
                    : target.status();
    results.push_back(std::move(result));
  }

  std::vector<std::string> broken;
  absl::Status first_error;
  if (ctx.json()) {
    nlohmann::json out = nlohmann::json::object();
    for (const Result& r : results) {
      out[r.service] =
          r.status.ok()
              ? nlohmann::json::parse(ToJson(r.report))
              : nlohmann::json{
                    {"error", std::string(r.status.message())},
                    {"code", absl::StatusCodeToString(r.status.code())}};
    }
    ctx.out() << out.dump(1) << "\n";  // as ToJson indents
  } else {
    Table table({"SERVICE", "AUDIT TRAIL"});
    for (const Result& r : results) {
      table.AddRow(
          {r.service,
           r.status.ok()
               ? VerifyWords(r.report)
               : absl::StrCat(
                     "not checked: ", absl::StatusCodeToString(r.status.code()),
                     ": ", r.status.message())});
    }
    ctx.out() << table.Render();
  }
  for (const Result& r : results) {
    if (!r.status.ok() && first_error.ok()) first_error = r.status;
    if (r.status.ok() && !r.report.intact()) broken.push_back(r.service);
  }
  if (!broken.empty()) {
    return absl::DataLossError(
        absl::StrCat("the audit trail of ", absl::StrJoin(broken, ", "),
                     broken.size() == 1 ? " is" : " are",
                     " broken; keep the files and investigate"));
  }
  return first_error;
}

}  // namespace

void AddAuditCommands(CLI::App& app, Context& ctx) {
  CLI::App* audit = AddGroup(
      app, ctx, "audit",
      "Audit trails of the services: who read or changed what (admins only)");

  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = audit->add_subcommand(
      "list", "List audit records of one or all services, merged by time");
  list->footer(
      "Examples:\n"
      "  tandemctl audit list --since today\n"
      "  tandemctl audit list --service booking --couple cp-3 --since -30\n"
      "  tandemctl audit list --subject dev:alice --since 2026-12-01T09:00 "
      "--until 2026-12-01T12:00");
  AddServiceOption(list, &lo->services);
  list->add_option("--since", lo->since,
                   "From this day or clinic-local time (2026-12-01, "
                   "2026-12-01T09:00, today, -7)");
  list->add_option("--until", lo->until,
                   "Before this time, or through this day");
  list->add_option("--subject", lo->subject,
                   "Only this caller (e.g. dev:alice, service:roster)");
  list->add_option("--couple", lo->couple, "Only calls about this couple");
  list->add_option("--limit", lo->limit,
                   "At most this many records, the oldest first (default "
                   "100)");
  OnRun(list, ctx, [&ctx, lo] { return List(ctx, *lo); });

  auto services = std::make_shared<std::vector<std::string>>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check each trail's hash chain; fails if any record was edited, "
      "deleted or added outside the service");
  verify->footer("Example:\n  tandemctl audit verify --service booking");
  AddServiceOption(verify, services.get());
  OnRun(verify, ctx, [&ctx, services] { return Verify(ctx, *services); });
}

}  // namespace tandem::cli
