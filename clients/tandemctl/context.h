// What every tandemctl command shares within one invocation: the resolved
// settings, one channel and stub per service (made on first use), the
// clinic's time zone (read from the directory once, only when needed),
// the request id of mutations, staff names for tables, and output.
#ifndef TANDEM_CLIENTS_TANDEMCTL_CONTEXT_H_
#define TANDEM_CLIENTS_TANDEMCTL_CONTEXT_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/tandemctl/clinic_time.h"
#include "clients/tandemctl/config.h"
#include "clients/tandemctl/errors.h"
#include "google/protobuf/message.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"

namespace tandem::cli {

using DirectoryStub = tandem::directory::v1::DirectoryService::Stub;
using BookingStub = tandem::booking::v1::BookingService::Stub;
using FollowUpStub = tandem::followup::v1::FollowUpService::Stub;
using RosterStub = tandem::roster::v1::RosterService::Stub;

// A unary method of a generated stub.
template <typename Stub, typename Req, typename Resp>
using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*);

class Context {
 public:
  Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // --- set by main before a command runs ---------------------------------
  Settings settings;
  // --request-id; empty: a random one is made.
  std::string request_id_flag;
  // --state-dir.
  std::string state_dir_flag;
  EnvLookup env;
  // The chosen command's work (see commands.h).
  std::function<absl::Status()> work;

  // --- calls ---------------------------------------------------------------
  // Each call gets the deadline settings.timeout; a failure becomes a status
  // that names the service (see StatusFromRpc).
  template <typename Req, typename Resp>
  absl::Status Call(Method<DirectoryStub, Req, Resp> m, const Req& req,
                    Resp* resp) {
    return Invoke("directory", settings.directory, Directory(), m, req, resp);
  }
  template <typename Req, typename Resp>
  absl::Status Call(Method<BookingStub, Req, Resp> m, const Req& req,
                    Resp* resp) {
    return Invoke("booking", settings.booking, Booking(), m, req, resp);
  }
  template <typename Req, typename Resp>
  absl::Status Call(Method<FollowUpStub, Req, Resp> m, const Req& req,
                    Resp* resp) {
    return Invoke("followup", settings.followup, FollowUp(), m, req, resp);
  }
  template <typename Req, typename Resp>
  absl::Status Call(Method<RosterStub, Req, Resp> m, const Req& req,
                    Resp* resp) {
    return Invoke("roster", settings.roster, Roster(), m, req, resp);
  }

  // Calls a List method page by page and returns all pages merged into one
  // response (repeated fields appended, next_page_token cleared).
  template <typename Stub, typename Req, typename Resp>
  absl::Status ListAll(Method<Stub, Req, Resp> m, Req req, Resp* all) {
    req.set_page_size(1000);
    for (int pages = 0; pages < 1000; ++pages) {
      Resp page;
      if (absl::Status s = Call(m, req, &page); !s.ok()) return s;
      all->MergeFrom(page);
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    all->clear_next_page_token();
    return absl::OkStatus();
  }

  // The idempotency key of this invocation's mutations.
  const std::string& RequestId();

  // The clinic's time zone, read from the directory on first use.
  absl::StatusOr<const ClinicTime*> Clinic();
  // Today, clinic-local.
  absl::StatusOr<absl::CivilDay> Today();
  // Parses a day flag ("2026-12-01", "today", "+7") relative to the clinic's
  // today; the directory is asked only for relative words.
  absl::StatusOr<absl::CivilDay> Day(const std::string& text,
                                     absl::string_view flag);

  // The caller's own therapist id: --therapist, TANDEM_THERAPIST or the
  // config file's `therapist`. This is the seam for real caller identity
  // (a later security issue): only this function decides who "I" am.
  absl::StatusOr<std::string> CallerTherapistId() const;

  // Staff names for tables ("J. Rao (th-1)" falls back to the id). Listed
  // from the directory once per invocation.
  std::string TherapistName(const std::string& id);
  std::string RoomName(const std::string& id);

  // --- output --------------------------------------------------------------
  bool json() const { return settings.output == "json"; }
  // JSON of `message` in --output json, else the text `table()` returns.
  void Print(const google::protobuf::Message& message,
             const std::function<std::string()>& table);
  // A line for people only (suppressed in JSON mode, which keeps stdout
  // parseable); hints go to stderr.
  void Say(absl::string_view line);
  void Hint(absl::string_view line);

  std::ostream& out() { return *out_; }

 private:
  template <typename Stub, typename Req, typename Resp>
  absl::Status Invoke(absl::string_view service, const std::string& address,
                      Stub& stub, Method<Stub, Req, Resp> m, const Req& req,
                      Resp* resp) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMilliseconds(settings.timeout));
    return StatusFromRpc((stub.*m)(&context, req, resp), service, address);
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& address);
  DirectoryStub& Directory();
  BookingStub& Booking();
  FollowUpStub& FollowUp();
  RosterStub& Roster();
  void LoadNames();

  std::ostream* out_ = &std::cout;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  std::unique_ptr<DirectoryStub> directory_;
  std::unique_ptr<BookingStub> booking_;
  std::unique_ptr<FollowUpStub> followup_;
  std::unique_ptr<RosterStub> roster_;
  std::string request_id_;
  std::optional<ClinicTime> clinic_;
  bool names_loaded_ = false;
  std::map<std::string, std::string> therapist_names_;
  std::map<std::string, std::string> room_names_;
};

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_CONTEXT_H_
