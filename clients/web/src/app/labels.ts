// Words for the API's enums, as coordinators say them.
import { AttentionReason, CancelReason, IntensiveStatus, ProposalReasonCode, SessionKind } from "../gen/tandem/booking/v1/booking_pb";
import { RosterItemKind } from "../gen/tandem/roster/v1/roster_pb";

export const INTENSIVE_STATUS: Record<IntensiveStatus, string> = {
  [IntensiveStatus.UNSPECIFIED]: "unknown",
  [IntensiveStatus.HELD]: "held",
  [IntensiveStatus.BOOKED]: "confirmed",
  [IntensiveStatus.IN_PROGRESS]: "in progress",
  [IntensiveStatus.COMPLETED]: "completed",
  [IntensiveStatus.CANCELLED]: "cancelled",
  [IntensiveStatus.NEEDS_ATTENTION]: "needs attention",
};

/** CSS class for a status colour: held, booked (confirmed), attention, other. */
export type StatusTone = "held" | "booked" | "attention" | "other";

export function intensiveTone(status: IntensiveStatus): StatusTone {
  switch (status) {
    case IntensiveStatus.HELD:
      return "held";
    case IntensiveStatus.BOOKED:
    case IntensiveStatus.IN_PROGRESS:
      return "booked";
    case IntensiveStatus.NEEDS_ATTENTION:
      return "attention";
    default:
      return "other";
  }
}

export const ATTENTION_REASON: Record<number, string> = {
  [AttentionReason.UNSPECIFIED]: "needs attention",
  [AttentionReason.THERAPIST_ABSENT]: "a therapist is absent",
  [AttentionReason.THERAPIST_INACTIVE]: "a therapist was deactivated",
  [AttentionReason.ROOM_OUTAGE]: "a room is out of service",
  [AttentionReason.ROOM_INACTIVE]: "a room was deactivated or no longer suits",
  [AttentionReason.CLINIC_CLOSED]: "the clinic is closed that day",
  [AttentionReason.OUTSIDE_HOURS]: "outside opening or working hours",
  [AttentionReason.REFERRAL_NOT_SETTLED]: "a required referral is not settled",
};

export const CANCEL_REASON: Record<CancelReason, string> = {
  [CancelReason.UNSPECIFIED]: "",
  [CancelReason.COUPLE_REQUEST]: "the couple asked to cancel",
  [CancelReason.CLINIC_REQUEST]: "the clinic cancelled",
  [CancelReason.HOLD_EXPIRED]: "the hold expired",
  [CancelReason.DISCONTINUED]: "the couple stopped attending",
  [CancelReason.REFERRAL_NOT_SETTLED]: "a required referral was not settled in time",
  [CancelReason.NOT_REPAIRABLE]: "the plan broke and could not be repaired",
  [CancelReason.OTHER]: "other",
};

export const SESSION_KIND: Record<SessionKind, string> = {
  [SessionKind.UNSPECIFIED]: "session",
  [SessionKind.JOINT]: "joint",
  [SessionKind.INDIVIDUAL_ASSESSMENT]: "individual assessment",
  [SessionKind.ROUND_TABLE]: "round table",
  [SessionKind.INDIVIDUAL]: "individual",
};

export const ROSTER_ITEM_KIND: Record<RosterItemKind, string> = {
  [RosterItemKind.UNSPECIFIED]: "item",
  [RosterItemKind.JOINT_SESSION]: "joint session",
  [RosterItemKind.INDIVIDUAL_ASSESSMENT]: "individual assessment",
  [RosterItemKind.ROUND_TABLE]: "round table",
  [RosterItemKind.INDIVIDUAL_SESSION]: "individual session",
  [RosterItemKind.FOLLOW_UP_CALL]: "follow-up call",
  [RosterItemKind.OFFICE_VISIT]: "office visit",
};

export const PROPOSAL_REASON: Record<ProposalReasonCode, string> = {
  [ProposalReasonCode.UNSPECIFIED]: "",
  [ProposalReasonCode.NO_TEAM_AVAILABLE]: "no team free",
  [ProposalReasonCode.PREFERRED_TEAM_UNAVAILABLE]: "preferred team not free",
  [ProposalReasonCode.NO_LANGUAGE_MATCH]: "no therapist speaks the language",
  [ProposalReasonCode.THERAPISTS_EXCLUDED]: "exclusions leave no team",
  [ProposalReasonCode.NO_ROOM_AVAILABLE]: "no room free",
  [ProposalReasonCode.NO_PARALLEL_ROOMS]: "no two rooms at once",
  [ProposalReasonCode.NOT_ENOUGH_OPEN_DAYS]: "not enough open days",
  [ProposalReasonCode.DAY_PART_UNAVAILABLE]: "part of day not free",
  [ProposalReasonCode.DAILY_CAP_REACHED]: "daily caps reached",
  [ProposalReasonCode.REFERRAL_NOT_SETTLED]: "referral not settled",
  [ProposalReasonCode.COUPLE_DATA_MISSING]: "couple data missing",
  [ProposalReasonCode.COUPLE_ALREADY_BOOKED]: "couple already booked",
  [ProposalReasonCode.COUPLE_ARCHIVED]: "couple archived",
};
