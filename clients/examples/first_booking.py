#!/usr/bin/python3
"""A coordinator's first booking, through the gRPC API (Debian's python3-grpcio).

Usage (with scripts/start running in another terminal):
    PYTHONPATH=build/gen_py /usr/bin/python3 clients/examples/first_booking.py
        [--directory 127.0.0.1:7001] [--booking 127.0.0.1:7002]

Security: the services speak TLS and want a bearer token. The example
trusts the CA of the development PKI that scripts/start made
(${TANDEM_DATA:-data}/pki/ca.crt; --ca to choose another) and takes its
token from --token or $TANDEM_TOKEN, else asks tandemctl for a development
token (`tandemctl auth dev-token --role admin,coordinator`). A clinic's
real client gets its token from the clinic's identity provider.

It sets up a small clinic if the directory is empty (a London clinic, one
male and one female therapist speaking English, a joint room and two
individual rooms), records a couple and a cleared referral, asks for plans
for the ten-day intensive, holds the best one and confirms it. Each step
prints what a coordinator would look at. Methods are called by name with
the protoc-generated message classes (no generated stubs needed).
"""
import argparse
import datetime
import os
import subprocess
import sys
import uuid

import grpc

from tandem.booking.v1 import booking_pb2 as b
from tandem.booking.v1 import booking_service_pb2 as bs
from tandem.common.v1 import types_pb2 as t
from tandem.directory.v1 import directory_pb2 as d
from tandem.directory.v1 import directory_service_pb2 as ds

TIMEOUT_S = 10


class Api:
    """Unary calls by method name: api.call("CreateCouple", request)."""

    def __init__(self, channel, service, module):
        self._channel, self._service, self._module = channel, service, module

    def call(self, name, request):
        response_type = getattr(self._module, name + "Response")
        rpc = self._channel.unary_unary(
            f"/{self._service}/{name}",
            request_serializer=type(request).SerializeToString,
            response_deserializer=response_type.FromString)
        return rpc(request, timeout=TIMEOUT_S)


def seed_clinic(directory):
    """A clinic to book in, unless the directory already has therapists."""
    if directory.call("ListTherapists", ds.ListTherapistsRequest()).therapists:
        return
    settings = d.ClinicSettings(time_zone="Europe/London")
    directory.call("UpdateClinicSettings", ds.UpdateClinicSettingsRequest(
        request_id="example-settings", settings=settings,
        update_mask={"paths": ["time_zone"]}))
    hours = [t.WeeklyHours(weekday=day, start_time={"hours": 8},
                           end_time={"hours": 18}) for day in range(1, 6)]
    for n, (name, sex) in enumerate((("J. Rao", d.SEX_MALE),
                                     ("A. Moreau", d.SEX_FEMALE)), start=1):
        directory.call("CreateTherapist", ds.CreateTherapistRequest(
            request_id=f"example-therapist-{n}", therapist=d.Therapist(
                display_name=name, sex=sex, languages=["en"], active=True,
                daily_session_minutes_cap=420, working_hours=hours)))
    for n, kind in enumerate((d.ROOM_KIND_JOINT, d.ROOM_KIND_INDIVIDUAL,
                              d.ROOM_KIND_INDIVIDUAL), start=1):
        directory.call("CreateRoom", ds.CreateRoomRequest(
            request_id=f"example-room-{n}", room=d.Room(
                display_name=f"Room {n}", capacity=4, kinds=[kind],
                active=True)))


def date(day):
    return {"year": day.year, "month": day.month, "day": day.day}


def first_booking(directory, booking, today):
    seed_clinic(directory)
    run = uuid.uuid4().hex[:8]  # fresh request ids: each run books anew

    couple = booking.call("CreateCouple", bs.CreateCoupleRequest(
        request_id=f"example-couple-{run}", couple=b.Couple(
            partner_a=b.Partner(given_name="Sam", family_name="Example",
                                sex=b.SEX_MALE, email="sam@example.org",
                                preferred_channel=b.CONTACT_CHANNEL_EMAIL,
                                email_consent=True),
            partner_b=b.Partner(given_name="Alex", family_name="Example",
                                sex=b.SEX_FEMALE,
                                preferred_channel=b.CONTACT_CHANNEL_NONE),
            language="en"))).couple
    print(f"couple      {couple.id}  ({couple.display_label})")
    referral = booking.call("CreateReferral", bs.CreateReferralRequest(
        request_id=f"example-referral-{run}", referral=b.Referral(
            couple_id=couple.id, partner=b.PARTNER_ROLE_A,
            specialty=b.REFERRAL_SPECIALTY_UROLOGY,
            status=b.REFERRAL_STATUS_CLEARED))).referral
    print(f"referral    {referral.id}  cleared")

    start = today + datetime.timedelta(days=7)
    proposed = booking.call("ProposeIntensive", bs.ProposeIntensiveRequest(
        couple_id=couple.id, template_id="pt-1",  # the ten-day intensive
        earliest_start=date(start),
        latest_start=date(start + datetime.timedelta(days=28)), max_plans=3))
    if not proposed.plans:
        reasons = "; ".join(r.message for r in proposed.explanation.reasons)
        print(f"no plan: {reasons}")
        return 1
    for n, plan in enumerate(proposed.plans, start=1):
        print(f"plan {n}      {plan.team.male_therapist_id}+"
              f"{plan.team.female_therapist_id}  "
              f"{plan.start_date.year}-{plan.start_date.month:02}-"
              f"{plan.start_date.day:02}  {len(plan.sessions)} sessions")

    held = booking.call("HoldIntensive", bs.HoldIntensiveRequest(
        request_id=f"example-hold-{run}", couple_id=couple.id,
        plan=proposed.plans[0])).intensive
    print(f"held        {held.id}  until {held.expire_time.ToJsonString()}")
    booked = booking.call("ConfirmIntensive", bs.ConfirmIntensiveRequest(
        request_id=f"example-confirm-{run}", id=held.id)).intensive
    print(f"booked      {booked.id}  {b.IntensiveStatus.Name(booked.status)}")
    for s in booked.sessions[:3]:
        print(f"  day {s.day_number}/{s.day_count}  "
              f"{s.start_time.ToJsonString()}  {b.SessionKind.Name(s.kind)}  "
              f"rooms {','.join(s.room_ids)}  with {','.join(s.therapist_ids)}")
    print(f"  ... {len(booked.sessions)} sessions in all")
    return 0


def credentials(args):
    """TLS with the CA, and the token on every call."""
    token = args.token or os.environ.get("TANDEM_TOKEN")
    if not token:
        pki = os.path.join(os.environ.get("TANDEM_DATA", "data"), "pki")
        token = subprocess.run(
            [args.tandemctl, "auth", "dev-token", "--role", "admin,coordinator",
             "--key", os.path.join(pki, "jwt-dev.key")],
            check=True, capture_output=True, text=True).stdout.strip()
    with open(args.ca, "rb") as f:
        tls = grpc.ssl_channel_credentials(root_certificates=f.read())
    return grpc.composite_channel_credentials(
        tls, grpc.access_token_call_credentials(token))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default="127.0.0.1:7001")
    parser.add_argument("--booking", default="127.0.0.1:7002")
    parser.add_argument("--ca", default=os.path.join(
        os.environ.get("TANDEM_DATA", "data"), "pki", "ca.crt"))
    parser.add_argument("--token", help="bearer token (default $TANDEM_TOKEN)")
    parser.add_argument("--tandemctl", default="build/clients/tandemctl/tandemctl",
                        help="mints a development token when none is given")
    args = parser.parse_args(argv)
    creds = credentials(args)
    with grpc.secure_channel(args.directory, creds) as dch, \
            grpc.secure_channel(args.booking, creds) as bch:
        directory = Api(dch, "tandem.directory.v1.DirectoryService", ds)
        booking = Api(bch, "tandem.booking.v1.BookingService", bs)
        try:
            return first_booking(directory, booking,
                                 datetime.datetime.now(datetime.timezone.utc).date())
        except grpc.RpcError as error:
            print(f"error: {error.code().name}: {error.details()}",
                  file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
