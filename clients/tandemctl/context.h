// What every tandemctl command shares within one invocation: the resolved
// settings, one channel and stub per service (made on first use, see
// channel.h), the bearer token of every call (resolved on first use, see
// bearer_token.h), the
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
#include "clients/tandemctl/bearer_token.h"
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
  // Each call gets the deadline settings.timeout and the bearer token; a
  // failure becomes a status that names the service (see StatusFromRpc),
  // with a hint when the token was refused (see WithTokenHint).
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

  // Sets a call's deadline (settings.timeout) and its
  // "authorization: Bearer <token>" metadata when there is a token. Every
  // call goes through here: Invoke does, and so must any stream.
  absl::Status PrepareCall(grpc::ClientContext* context);

  // The token of every call, resolved once (see bearer_token.h).
  absl::StatusOr<const BearerToken*> Token();

  // A failed call's status with the token hint (see WithTokenHint).
  absl::Status WithHint(absl::Status status);

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
  // config file's `therapist`, else the therapist_id of the token that was
  // given (--token, TANDEM_TOKEN, a token file). Only this function decides
  // who "I" am.
  absl::StatusOr<std::string> CallerTherapistId();

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
                      absl::StatusOr<Stub*> stub, Method<Stub, Req, Resp> m,
                      const Req& req, Resp* resp) {
    if (!stub.ok()) return stub.status();
    grpc::ClientContext context;
    if (absl::Status s = PrepareCall(&context); !s.ok()) return s;
    const grpc::Status rpc = ((*stub)->*m)(&context, req, resp);
    return WithHint(StatusFromRpc(rpc, service, address,
                                  rpc.ok() ? "" : UnreachableNote()));
  }

  // For an unreachable server: that tandemctl spoke plaintext because the
  // CA file is missing (run from another directory than scripts/start, say);
  // empty when the CA file exists.
  std::string UnreachableNote() const;

  // One channel per address (see channel.h).
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(
      const std::string& address);
  absl::StatusOr<DirectoryStub*> Directory();
  absl::StatusOr<BookingStub*> Booking();
  absl::StatusOr<FollowUpStub*> FollowUp();
  absl::StatusOr<RosterStub*> Roster();
  void LoadNames();

  std::ostream* out_ = &std::cout;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  std::unique_ptr<DirectoryStub> directory_;
  std::unique_ptr<BookingStub> booking_;
  std::unique_ptr<FollowUpStub> followup_;
  std::unique_ptr<RosterStub> roster_;
  std::optional<absl::StatusOr<BearerToken>> token_;
  std::string request_id_;
  std::optional<ClinicTime> clinic_;
  bool names_loaded_ = false;
  std::map<std::string, std::string> therapist_names_;
  std::map<std::string, std::string> room_names_;
};

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_CONTEXT_H_
