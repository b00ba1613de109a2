// tandemctl commands for administrators' operations on the services'
// storage: `admin backup` asks each chosen service (tandem.admin.v1.
// AdminService on its own address, with the same TLS and token as its other
// calls) for an online copy of its database and audit trail, and prints
// where each copy is, its size and how long it took.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/tandemctl/channel.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/output.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "tandem/admin/v1/admin_service.grpc.pb.h"

namespace tandem::cli {
namespace {

namespace ad = tandem::admin::v1;

// The services that keep a database (the roster keeps none).
const std::vector<std::string>& DatabaseServices() {
  static const auto* services =
      new std::vector<std::string>{"directory", "booking", "followup"};
  return *services;
}

std::string AddressOf(const Settings& s, const std::string& service) {
  if (service == "directory") return s.directory;
  if (service == "booking") return s.booking;
  return s.followup;
}

absl::Status BackupOne(Context& ctx, const std::string& service,
                       ad::BackupDatabaseResponse* response) {
  const std::string address = AddressOf(ctx.settings, service);
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                   MakeChannel(address, ctx.settings.ca));
  std::unique_ptr<ad::AdminService::Stub> stub =
      ad::AdminService::NewStub(channel);
  ad::BackupDatabaseRequest request;
  request.set_request_id(absl::StrCat(ctx.RequestId(), "-", service));
  grpc::ClientContext context;
  RETURN_IF_ERROR(ctx.PrepareCall(&context));
  return ctx.WithHint(StatusFromRpc(
      stub->BackupDatabase(&context, request, response), service, address));
}

// "12.3 MiB", "512 B".
std::string Size(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  if (bytes < 1024 * 1024) {
    return absl::StrFormat("%.1f KiB", static_cast<double>(bytes) / 1024);
  }
  return absl::StrFormat("%.1f MiB",
                         static_cast<double>(bytes) / (1024 * 1024));
}

absl::Duration Took(const ad::BackupDatabaseResponse& r) {
  return common::FromProto(r.completed_at()) -
         common::FromProto(r.started_at());
}

absl::Status Backup(Context& ctx, const std::string& chosen) {
  std::vector<std::string> services =
      chosen == "all" ? DatabaseServices() : std::vector<std::string>{chosen};
  struct Result {
    std::string service;
    absl::Status status;
    ad::BackupDatabaseResponse copy;
  };
  std::vector<Result> results;
  for (const std::string& service : services) {
    Result result{service, absl::OkStatus(), {}};
    result.status = BackupOne(ctx, service, &result.copy);
    results.push_back(std::move(result));
  }

  if (ctx.json()) {
    nlohmann::json out = nlohmann::json::object();
    for (const Result& r : results) {
      if (r.status.ok()) {
        nlohmann::json copy = nlohmann::json::parse(ToJson(r.copy));
        copy["duration_ms"] = absl::ToInt64Milliseconds(Took(r.copy));
        out[r.service] = std::move(copy);
      } else {
        out[r.service] = {{"error", std::string(r.status.message())},
                          {"code", absl::StatusCodeToString(r.status.code())}};
      }
    }
    ctx.out() << out.dump(1) << "\n";  // as ToJson indents
  } else {
    Table table({"SERVICE", "BACKUP", "SIZE", "TOOK"});
    for (const Result& r : results) {
      if (r.status.ok()) {
        table.AddRow({r.service, r.copy.path(), Size(r.copy.size_bytes()),
                      absl::FormatDuration(Took(r.copy))});
        if (!r.copy.audit_path().empty()) {
          table.AddRow(
              {"", r.copy.audit_path(), Size(r.copy.audit_size_bytes()), ""});
        }
      } else {
        table.AddRow(
            {r.service,
             absl::StrCat("failed: ", absl::StatusCodeToString(r.status.code()),
                          ": ", r.status.message())});
      }
    }
    ctx.out() << table.Render();
  }
  for (const Result& r : results) {
    if (!r.status.ok()) return r.status;
  }
  return absl::OkStatus();
}

}  // namespace

void AddAdminCommands(CLI::App& app, Context& ctx) {
  CLI::App* admin = AddGroup(
      app, ctx, "admin", "Operations on the services' storage (admins only)");

  auto service = std::make_shared<std::string>("all");
  CLI::App* backup = admin->add_subcommand(
      "backup",
      "Online copy of a service's database and audit trail, checked, into "
      "its --backup_dir on the service's host");
  backup->footer(
      "Examples:\n"
      "  tandemctl admin backup\n"
      "  tandemctl admin backup --service booking --output json\n"
      "Restoring a copy: deploy/RESTORE.md");
  backup
      ->add_option("--service", *service,
                   "Whose database: directory, booking, followup or all "
                   "(default all)")
      ->check(CLI::IsMember({"directory", "booking", "followup", "all"}));
  OnRun(backup, ctx, [&ctx, service] { return Backup(ctx, *service); });
}

}  // namespace tandem::cli
