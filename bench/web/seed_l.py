#!/usr/bin/python3
"""Seeds a size-L clinic with a booked year through the public gRPC APIs
(Debian's python3-grpcio, messages from protoc's Python output), for
bench/web/week_load.mjs.

L as in bench/roster: 200 therapists (100 male, 100 female, English; every
fifth also Spanish), 100 standing teams, 50 rooms (30 joint, 20 individual),
open Monday to Friday 08:00-18:00 in Europe/London. The year: --bookings
ten-day intensives (default 2,600 = 100 teams x 26 fortnights), each for a
new couple, Propose (preferred team, a Monday-to-Friday start window, one
plan) -> Hold -> Confirm, by --clients threads; a window without a plan is
skipped and counted.

Usage: seed_l.py --directory ADDR --booking ADDR --ca CA --token JWT
                 --first-monday YYYY-MM-DD [--bookings N] [--clients N]
"""
import argparse
import concurrent.futures
import datetime
import sys
import threading
import time

import grpc

from tandem.booking.v1 import booking_pb2 as b
from tandem.booking.v1 import booking_service_pb2 as bs
from tandem.common.v1 import types_pb2 as t
from tandem.directory.v1 import directory_pb2 as d
from tandem.directory.v1 import directory_service_pb2 as ds
from tandem.followup.v1 import followup_pb2 as f
from tandem.followup.v1 import followup_service_pb2 as fs


class Api:
    def __init__(self, channel, service, module):
        self._channel, self._service, self._module = channel, service, module

    def call(self, name, request, timeout=30):
        rpc = self._channel.unary_unary(
            f"/{self._service}/{name}",
            request_serializer=type(request).SerializeToString,
            response_deserializer=getattr(self._module, name + "Response").FromString)
        return rpc(request, timeout=timeout)


def date(day):
    return t.Date(year=day.year, month=day.month, day=day.day)


def seed_directory(directory):
    hours = [t.WeeklyHours(weekday=day, start_time={"hours": 8}, end_time={"hours": 18})
             for day in range(1, 6)]
    directory.call("UpdateClinicSettings", ds.UpdateClinicSettingsRequest(
        request_id="l-settings",
        settings=d.ClinicSettings(display_name="Size L Clinic", time_zone="Europe/London",
                                  opening_hours=hours),
        update_mask={"paths": ["display_name", "time_zone", "opening_hours"]}))
    males, females = [], []
    for n in range(200):
        sex = d.SEX_MALE if n % 2 == 0 else d.SEX_FEMALE
        languages = ["en", "es"] if n % 5 == 0 else ["en"]
        therapist = directory.call("CreateTherapist", ds.CreateTherapistRequest(
            request_id=f"l-therapist-{n}", therapist=d.Therapist(
                display_name=f"T. Member{n:03}", sex=sex, languages=languages, active=True,
                daily_session_minutes_cap=420, working_hours=hours))).therapist
        (males if sex == d.SEX_MALE else females).append(therapist.id)
    teams = []
    for n, (m, f) in enumerate(zip(males, females)):
        teams.append(directory.call("CreateTeam", ds.CreateTeamRequest(
            request_id=f"l-team-{n}", team=d.Team(male_therapist_id=m, female_therapist_id=f,
                                                  label=f"Team {n + 1}"))).team.id)
    for n in range(50):
        kind = d.ROOM_KIND_JOINT if n < 30 else d.ROOM_KIND_INDIVIDUAL
        directory.call("CreateRoom", ds.CreateRoomRequest(
            request_id=f"l-room-{n}", room=d.Room(display_name=f"Room {n + 1}", capacity=4,
                                                  kinds=[kind], active=True)))
    return teams


def book_one(booking, n, team, monday):
    couple = booking.call("CreateCouple", bs.CreateCoupleRequest(
        request_id=f"l-couple-{n}", couple=b.Couple(
            partner_a=b.Partner(given_name=f"A{n}", family_name=f"Bench{n}", sex=b.SEX_FEMALE,
                                preferred_channel=b.CONTACT_CHANNEL_NONE),
            partner_b=b.Partner(given_name=f"B{n}", family_name=f"Bench{n}", sex=b.SEX_MALE,
                                preferred_channel=b.CONTACT_CHANNEL_NONE),
            language="en"))).couple
    for attempt in range(10):
        proposed = booking.call("ProposeIntensive", bs.ProposeIntensiveRequest(
            couple_id=couple.id, template_id="pt-1", earliest_start=date(monday),
            latest_start=date(monday + datetime.timedelta(days=4)), max_plans=1,
            preferences=bs.PlanPreferences(preferred_team_id=team)))
        if not proposed.plans:
            reasons = sorted({b.ProposalReasonCode.Name(r.code) for r in proposed.explanation.reasons}) \
                if hasattr(b, "ProposalReasonCode") else []
            return "no plan " + ",".join(reasons)
        try:
            held = booking.call("HoldIntensive", bs.HoldIntensiveRequest(
                request_id=f"l-hold-{n}-{attempt}", couple_id=couple.id,
                plan=proposed.plans[0])).intensive
        except grpc.RpcError as err:
            if err.code() == grpc.StatusCode.ABORTED:
                continue  # taken meanwhile by another thread: propose again
            raise
        booking.call("ConfirmIntensive", bs.ConfirmIntensiveRequest(
            request_id=f"l-confirm-{n}", id=held.id))
        return "booked"
    return "aborted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", required=True)
    parser.add_argument("--booking", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--first-monday", required=True)
    parser.add_argument("--bookings", type=int, default=2600)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--followup", help="wait until follow-up has planned every intensive "
                        "and its scheduled contacts stop changing")
    args = parser.parse_args()
    with open(args.ca, "rb") as f:
        creds = grpc.composite_channel_credentials(
            grpc.ssl_channel_credentials(root_certificates=f.read()),
            grpc.access_token_call_credentials(args.token))
    channel = lambda addr: grpc.secure_channel(addr, creds)
    directory = Api(channel(args.directory), "tandem.directory.v1.DirectoryService", ds)
    booking = Api(channel(args.booking), "tandem.booking.v1.BookingService", bs)

    start = time.monotonic()
    teams = seed_directory(directory)
    print(f"seed_l: directory: 200 therapists, {len(teams)} teams, 50 rooms in "
          f"{time.monotonic() - start:.1f} s", flush=True)
    # Booking replicates the directory: wait until it plans with the last team.
    first = datetime.date.fromisoformat(args.first_monday)
    for _ in range(200):
        try:
            booking.call("ProposeIntensive", bs.ProposeIntensiveRequest(
                couple_id="cp-0", template_id="pt-1", earliest_start=date(first),
                latest_start=date(first), max_plans=1))
        except grpc.RpcError as err:
            if err.code() != grpc.StatusCode.UNAVAILABLE:
                break  # NOT_FOUND for cp-0: serving
        time.sleep(0.1)
    jobs = [(n, teams[n % len(teams)], first + datetime.timedelta(days=14 * (n // len(teams))))
            for n in range(args.bookings)]
    counts = {}
    lock = threading.Lock()
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
        for outcome in pool.map(lambda job: book_one(booking, *job), jobs):
            with lock:
                counts[outcome] = counts.get(outcome, 0) + 1
    last = jobs[-1][2] if jobs else first
    print(f"seed_l: {args.bookings} windows in {time.monotonic() - start:.1f} s: {counts}; "
          f"last window {last}", flush=True)
    if args.followup:
        wait_for_followup(Api(channel(args.followup), "tandem.followup.v1.FollowUpService", fs),
                          counts.get("booked", 0))
    return 0 if counts.get("booked", 0) > 0 else 1


def count(api, name, request, field):
    total, token = 0, ""
    while True:
        request.page_size, request.page_token = 1000, token
        response = api.call(name, request)
        total += len(getattr(response, field))
        token = response.next_page_token
        if not token:
            return total


def wait_for_followup(followup, booked, settle_s=6, timeout_s=900):
    """Until follow-up lists a plan per intensive and the count of SCHEDULED
    contacts (appointments booked) has not changed for settle_s."""
    start = time.monotonic()
    last, since = -1, time.monotonic()
    while time.monotonic() - start < timeout_s:
        plans = count(followup, "ListFollowUpPlans", fs.ListFollowUpPlansRequest(), "follow_up_plans")
        scheduled = count(followup, "ListFollowUpContacts", fs.ListFollowUpContactsRequest(
            statuses=[f.CONTACT_STATUS_SCHEDULED]), "follow_up_contacts")
        if scheduled != last:
            last, since = scheduled, time.monotonic()
        elif plans >= booked and time.monotonic() - since >= settle_s:
            print(f"seed_l: follow-up caught up in {time.monotonic() - start:.0f} s: {plans} plans, "
                  f"{scheduled} scheduled contacts", flush=True)
            return
        time.sleep(2)
    print(f"seed_l: follow-up still busy after {timeout_s} s ({last} scheduled contacts)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
