#include "services/roster/roster_sources.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/grpc_client.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/roster/call_group.h"

namespace tandem::roster {
namespace {

constexpr int kPageSize = 1000;

void SetDays(absl::CivilDay first, absl::CivilDay last,
             tandem::common::v1::DateRange* range) {
  *range->mutable_start_date() = common::DayToProto(first);
  *range->mutable_end_date() = common::DayToProto(last);
}

// A day is at most 26 hours long and zones are at most 14 hours from UTC:
// reading absences and outages over these bounds covers every clinic-local
// day of the range whatever the zone; the assembly clips them exactly.
absl::Time LooseStart(absl::CivilDay day) {
  return absl::FromCivil(day - 1, absl::UTCTimeZone());
}
absl::Time LooseEnd(absl::CivilDay day) {
  return absl::FromCivil(day + 2, absl::UTCTimeZone());
}

// Fetches the pages after the first (which came through a CallGroup), so a
// list is complete even past kPageSize items.
template <typename Request, typename Response, typename SyncCall>
absl::Status RestOfPages(const std::string& source, absl::Duration timeout,
                         Request request, Response* response, SyncCall call) {
  while (!response->next_page_token().empty()) {
    request.set_page_token(response->next_page_token());
    Response next;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    const grpc::Status status = call(&context, request, &next);
    if (!status.ok()) return FromSource(source, status);
    std::string token = next.next_page_token();
    response->MergeFrom(next);
    response->set_next_page_token(std::move(token));
  }
  return absl::OkStatus();
}

template <typename T>
absl::flat_hash_map<std::string, T> ById(
    const google::protobuf::RepeatedPtrField<T>& items) {
  absl::flat_hash_map<std::string, T> out;
  for (const T& item : items) out.emplace(item.id(), item);
  return out;
}

}  // namespace

// One read: the requests and responses of its phases live here until the
// inputs are filled in.
class RosterSources::Read {
 public:
  Read(RosterSources& sources, absl::CivilDay first, absl::CivilDay last)
      : s_(sources), first_(first), last_(last) {}

  // Phase one, directory parts every roster needs.
  void StartDirectory(CallGroup& group) {
    group.Start(s_.directory_name_, [&](grpc::ClientContext* c, auto done) {
      s_.directory_->async()->GetClinicSettings(c, &settings_req_,
                                                &settings_, std::move(done));
    });
    therapists_req_.set_include_inactive(true);
    therapists_req_.set_page_size(kPageSize);
    group.Start(s_.directory_name_, [&](grpc::ClientContext* c, auto done) {
      s_.directory_->async()->ListTherapists(c, &therapists_req_, &therapists_,
                                             std::move(done));
    });
    rooms_req_.set_include_inactive(true);
    rooms_req_.set_page_size(kPageSize);
    group.Start(s_.directory_name_, [&](grpc::ClientContext* c, auto done) {
      s_.directory_->async()->ListRooms(c, &rooms_req_, &rooms_,
                                        std::move(done));
    });
    SetDays(first_, last_, closures_req_.mutable_date_range());
    closures_req_.set_page_size(kPageSize);
    group.Start(s_.directory_name_, [&](grpc::ClientContext* c, auto done) {
      s_.directory_->async()->ListClosures(c, &closures_req_, &closures_,
                                           std::move(done));
    });
  }

  // Absences of one therapist, or of all when `therapist_id` is empty.
  void StartAbsences(CallGroup& group, const std::string& therapist_id) {
    absences_req_.set_therapist_id(therapist_id);
    *absences_req_.mutable_end_after() = common::ToProto(LooseStart(first_));
    *absences_req_.mutable_start_before() = common::ToProto(LooseEnd(last_));
    absences_req_.set_page_size(kPageSize);
    group.Start(s_.directory_name_, [&](grpc::ClientContext* c, auto done) {
      s_.directory_->async()->ListAbsences(c, &absences_req_, &absences_,
                                           std::move(done));
    });
  }

  // Outages of one room, or of all when `room_id` is empty.
  void StartOutages(CallGroup& group, const std::string& room_id) {
    outages_req_.set_room_id(room_id);
    outages_req_.set_page_size(kPageSize);
    group.Start(s_.directory_name_, [&](grpc::ClientContext* c, auto done) {
      s_.directory_->async()->ListRoomOutages(c, &outages_req_, &outages_,
                                              std::move(done));
    });
  }

  // Sessions of the party (therapist or room; "" for every session), one
  // call per party.
  void StartSessions(CallGroup& group, const std::vector<std::string>& parties,
                     bool include_cancelled) {
    for (const std::string& party : parties) {
      auto& [request, response] = sessions_.emplace_back();
      if (absl::StartsWith(party, "rm-")) {
        request.set_room_id(party);
      } else if (!party.empty()) {
        request.set_therapist_id(party);
      }
      SetDays(first_, last_, request.mutable_date_range());
      request.set_include_cancelled(include_cancelled);
      request.set_page_size(kPageSize);
      group.Start(s_.booking_name_, [&, r = &request, out = &response](
                                        grpc::ClientContext* c, auto done) {
        s_.booking_->async()->ListSessions(c, r, out, std::move(done));
      });
    }
  }

  // Appointments (filter: therapist, room, or none for all).
  void StartAppointments(CallGroup& group, const std::string& therapist_id,
                         const std::string& room_id, bool include_cancelled) {
    appointments_req_.set_therapist_id(therapist_id);
    appointments_req_.set_room_id(room_id);
    SetDays(first_, last_, appointments_req_.mutable_date_range());
    appointments_req_.set_include_cancelled(include_cancelled);
    appointments_req_.set_page_size(kPageSize);
    group.Start(s_.booking_name_, [&](grpc::ClientContext* c, auto done) {
      s_.booking_->async()->ListAppointments(c, &appointments_req_,
                                             &appointments_, std::move(done));
    });
  }

  // Follow-up contacts in the range (of one therapist, or all).
  void StartContacts(CallGroup& group, const std::string& therapist_id) {
    contacts_req_.set_therapist_id(therapist_id);
    SetDays(first_, last_, contacts_req_.mutable_date_range());
    contacts_req_.set_page_size(kPageSize);
    group.Start(s_.followup_name_, [&](grpc::ClientContext* c, auto done) {
      s_.followup_->async()->ListFollowUpContacts(c, &contacts_req_,
                                                  &contacts_, std::move(done));
    });
  }

  // Every intensive needing attention, and appointments needing attention
  // from the day on (booking lists appointments by time, not by status).
  void StartAttention(CallGroup& group, absl::CivilDay from) {
    attention_req_.add_statuses(bk::INTENSIVE_STATUS_NEEDS_ATTENTION);
    attention_req_.set_page_size(kPageSize);
    group.Start(s_.booking_name_, [&](grpc::ClientContext* c, auto done) {
      s_.booking_->async()->ListIntensives(c, &attention_req_,
                                           &attention_intensives_,
                                           std::move(done));
    });
    SetDays(from, from + kAttentionDays - 1,
            upcoming_req_.mutable_date_range());
    upcoming_req_.set_page_size(kPageSize);
    group.Start(s_.booking_name_, [&](grpc::ClientContext* c, auto done) {
      s_.booking_->async()->ListAppointments(c, &upcoming_req_, &upcoming_,
                                             std::move(done));
    });
  }

  // The rest of every list that had more than one page.
  absl::Status FinishPages() {
    const absl::Duration t = s_.timeout_;
    auto* d = s_.directory_.get();
    auto* b = s_.booking_.get();
    auto* f = s_.followup_.get();
    const std::string& dn = s_.directory_name_;
    const std::string& bn = s_.booking_name_;
    RETURN_IF_ERROR(RestOfPages(dn, t, therapists_req_, &therapists_,
                                [d](auto* c, const auto& r, auto* o) {
                                  return d->ListTherapists(c, r, o);
                                }));
    RETURN_IF_ERROR(RestOfPages(dn, t, rooms_req_, &rooms_,
                                [d](auto* c, const auto& r, auto* o) {
                                  return d->ListRooms(c, r, o);
                                }));
    RETURN_IF_ERROR(RestOfPages(dn, t, closures_req_, &closures_,
                                [d](auto* c, const auto& r, auto* o) {
                                  return d->ListClosures(c, r, o);
                                }));
    RETURN_IF_ERROR(RestOfPages(dn, t, absences_req_, &absences_,
                                [d](auto* c, const auto& r, auto* o) {
                                  return d->ListAbsences(c, r, o);
                                }));
    RETURN_IF_ERROR(RestOfPages(dn, t, outages_req_, &outages_,
                                [d](auto* c, const auto& r, auto* o) {
                                  return d->ListRoomOutages(c, r, o);
                                }));
    for (auto& [request, response] : sessions_) {
      RETURN_IF_ERROR(RestOfPages(bn, t, request, &response,
                                  [b](auto* c, const auto& r, auto* o) {
                                    return b->ListSessions(c, r, o);
                                  }));
    }
    auto list_appointments = [b](auto* c, const auto& r, auto* o) {
      return b->ListAppointments(c, r, o);
    };
    RETURN_IF_ERROR(RestOfPages(bn, t, appointments_req_, &appointments_,
                                list_appointments));
    RETURN_IF_ERROR(
        RestOfPages(bn, t, upcoming_req_, &upcoming_, list_appointments));
    RETURN_IF_ERROR(RestOfPages(bn, t, attention_req_, &attention_intensives_,
                                [b](auto* c, const auto& r, auto* o) {
                                  return b->ListIntensives(c, r, o);
                                }));
    return RestOfPages(s_.followup_name_, t, contacts_req_, &contacts_,
                       [f](auto* c, const auto& r, auto* o) {
                         return f->ListFollowUpContacts(c, r, o);
                       });
  }

  // Moves what phase one and two read into `in`.
  absl::Status Fill(RosterInputs& in, absl::Time now) {
    in.clinic = settings_.settings();
    if (!absl::LoadTimeZone(in.clinic.time_zone(), &in.zone)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "clinic settings: unknown time zone '", in.clinic.time_zone(), "'"));
    }
    in.today = absl::ToCivilDay(now, in.zone);
    in.first_day = first_;
    in.last_day = last_;
    in.therapists = ById(therapists_.therapists());
    in.rooms = ById(rooms_.rooms());
    in.closures.assign(closures_.closures().begin(), closures_.closures().end());
    in.absences.assign(absences_.absences().begin(), absences_.absences().end());
    in.outages.assign(outages_.room_outages().begin(),
                      outages_.room_outages().end());
    TakeSessions(in.sessions);
    in.appointments.assign(appointments_.appointments().begin(),
                           appointments_.appointments().end());
    in.contacts.assign(contacts_.follow_up_contacts().begin(),
                       contacts_.follow_up_contacts().end());
    in.attention_intensives.assign(attention_intensives_.intensives().begin(),
                                   attention_intensives_.intensives().end());
    for (const bk::Appointment& a : upcoming_.appointments()) {
      if (a.status() == bk::APPOINTMENT_STATUS_NEEDS_ATTENTION) {
        in.attention_appointments.push_back(a);
      }
    }
    return absl::OkStatus();
  }

  // The sessions read, each once (a joint session comes under both of its
  // therapists when both are asked for).
  void TakeSessions(std::vector<bk::Session>& out) {
    absl::flat_hash_set<std::string> seen;
    for (const bk::Session& session : out) seen.insert(session.id());
    for (auto& [request, response] : sessions_) {
      for (bk::Session& session : *response.mutable_sessions()) {
        if (seen.insert(session.id()).second) {
          out.push_back(std::move(session));
        }
      }
    }
  }

  // Phase two: the couples and intensives the items refer to.
  absl::Status ReadReferenced(RosterInputs& in, bool with_couples) {
    absl::flat_hash_set<std::string> couples, intensives;
    for (const bk::Session& s : in.sessions) {
      couples.insert(s.couple_id());
      intensives.insert(s.intensive_id());
    }
    for (const bk::Appointment& a : in.appointments) {
      if (!a.couple_id().empty()) couples.insert(a.couple_id());
    }
    for (const fu::FollowUpContact& c : in.contacts) {
      couples.insert(c.couple_id());
      if (!c.intensive_id().empty()) intensives.insert(c.intensive_id());
    }
    for (const bk::Intensive& i : in.attention_intensives) {
      couples.insert(i.couple_id());
    }
    for (const bk::Appointment& a : in.attention_appointments) {
      if (!a.couple_id().empty()) couples.insert(a.couple_id());
    }
    // Declared before the group, so they outlive the calls it waits for.
    std::deque<std::pair<bk::GetCoupleRequest, bk::GetCoupleResponse>> cs;
    std::deque<std::pair<bk::GetIntensiveRequest, bk::GetIntensiveResponse>> is;
    CallGroup group(s_.timeout_);
    if (with_couples) {
      for (const std::string& id : couples) {
        auto& [request, response] = cs.emplace_back();
        request.set_id(id);
        group.Start(s_.booking_name_, [&, r = &request, o = &response](
                                          grpc::ClientContext* c, auto done) {
          s_.booking_->async()->GetCouple(c, r, o, std::move(done));
        });
      }
    }
    for (const std::string& id : intensives) {
      auto& [request, response] = is.emplace_back();
      request.set_id(id);
      group.Start(s_.booking_name_, [&, r = &request, o = &response](
                                        grpc::ClientContext* c, auto done) {
        s_.booking_->async()->GetIntensive(c, r, o, std::move(done));
      });
    }
    RETURN_IF_ERROR(group.Wait());
    for (auto& [request, response] : cs) {
      in.couples.emplace(request.id(), std::move(*response.mutable_couple()));
    }
    for (auto& [request, response] : is) {
      in.intensives.emplace(request.id(),
                            std::move(*response.mutable_intensive()));
    }
    return absl::OkStatus();
  }

  // Appointments needing attention are looked for this far ahead.
  static constexpr int kAttentionDays = 92;

 private:
  RosterSources& s_;
  const absl::CivilDay first_, last_;
  dir::GetClinicSettingsRequest settings_req_;
  dir::GetClinicSettingsResponse settings_;
  dir::ListTherapistsRequest therapists_req_;
  dir::ListTherapistsResponse therapists_;
  dir::ListRoomsRequest rooms_req_;
  dir::ListRoomsResponse rooms_;
  dir::ListClosuresRequest closures_req_;
  dir::ListClosuresResponse closures_;
  dir::ListAbsencesRequest absences_req_;
  dir::ListAbsencesResponse absences_;
  dir::ListRoomOutagesRequest outages_req_;
  dir::ListRoomOutagesResponse outages_;
  std::deque<std::pair<bk::ListSessionsRequest, bk::ListSessionsResponse>>
      sessions_;
  bk::ListAppointmentsRequest appointments_req_;
  bk::ListAppointmentsResponse appointments_;
  bk::ListIntensivesRequest attention_req_;
  bk::ListIntensivesResponse attention_intensives_;
  bk::ListAppointmentsRequest upcoming_req_;
  bk::ListAppointmentsResponse upcoming_;
  fu::ListFollowUpContactsRequest contacts_req_;
  fu::ListFollowUpContactsResponse contacts_;
};

RosterSources::RosterSources(const SourceAddresses& addresses,
                             absl::Duration timeout)
    : directory_name_(absl::StrCat("directory service at ", addresses.directory)),
      booking_name_(absl::StrCat("booking service at ", addresses.booking)),
      followup_name_(absl::StrCat("follow-up service at ", addresses.followup)),
      directory_(dir::DirectoryService::NewStub(
          common::MakeChannel(addresses.directory, addresses.credentials))),
      booking_(bk::BookingService::NewStub(
          common::MakeChannel(addresses.booking, addresses.credentials))),
      followup_(fu::FollowUpService::NewStub(
          common::MakeChannel(addresses.followup, addresses.credentials))),
      timeout_(timeout) {}

absl::StatusOr<dir::Therapist> RosterSources::ReadTherapistRecord(
    const std::string& therapist_id) {
  dir::GetTherapistRequest request;
  request.set_id(therapist_id);
  dir::GetTherapistResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  const grpc::Status status =
      directory_->GetTherapist(&context, request, &response);
  if (!status.ok()) return FromSource(directory_name_, status);
  return response.therapist();
}

absl::StatusOr<RosterInputs> RosterSources::ReadTherapist(
    const TherapistQuery& query, absl::Time now) {
  Read read(*this, query.first_day, query.last_day);
  {
    CallGroup group(timeout_);
    read.StartDirectory(group);
    read.StartAbsences(group, query.therapist_id);
    read.StartSessions(group, {query.therapist_id}, query.include_cancelled);
    read.StartAppointments(group, query.therapist_id, "",
                           query.include_cancelled);
    read.StartContacts(group, query.therapist_id);
    RETURN_IF_ERROR(group.Wait());
  }
  RETURN_IF_ERROR(read.FinishPages());
  RosterInputs in;
  RETURN_IF_ERROR(read.Fill(in, now));
  if (!in.therapists.contains(query.therapist_id)) {
    return absl::NotFoundError(
        absl::StrCat("therapist_id: ", query.therapist_id, " not found"));
  }
  RETURN_IF_ERROR(read.ReadReferenced(in, query.with_couples));
  return in;
}

absl::StatusOr<RosterInputs> RosterSources::ReadRoom(const std::string& room_id,
                                                     absl::CivilDay first_day,
                                                     absl::CivilDay last_day,
                                                     absl::Time now) {
  Read read(*this, first_day, last_day);
  {
    CallGroup group(timeout_);
    read.StartDirectory(group);
    read.StartOutages(group, room_id);
    read.StartSessions(group, {room_id}, false);
    read.StartAppointments(group, "", room_id, false);
    read.StartContacts(group, "");
    RETURN_IF_ERROR(group.Wait());
  }
  RETURN_IF_ERROR(read.FinishPages());
  RosterInputs in;
  RETURN_IF_ERROR(read.Fill(in, now));
  if (!in.rooms.contains(room_id)) {
    return absl::NotFoundError(absl::StrCat("room_id: ", room_id, " not found"));
  }
  RETURN_IF_ERROR(read.ReadReferenced(in, true));
  return in;
}

absl::StatusOr<RosterInputs> RosterSources::ReadClinicDay(absl::CivilDay day,
                                                          absl::Time now) {
  Read read(*this, day, day);
  RosterInputs in;
  {
    CallGroup group(timeout_);
    read.StartDirectory(group);
    read.StartAbsences(group, "");
    read.StartOutages(group, "");
    read.StartAppointments(group, "", "", false);
    read.StartContacts(group, "");
    read.StartAttention(group, day);
    read.StartSessions(group, {""}, false);
    RETURN_IF_ERROR(group.Wait());
  }
  RETURN_IF_ERROR(read.FinishPages());
  RETURN_IF_ERROR(read.Fill(in, now));
  RETURN_IF_ERROR(read.ReadReferenced(in, true));
  return in;
}

}  // namespace tandem::roster
