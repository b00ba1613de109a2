// Words for the follow-up service's enums.
import {
  ContactKind,
  ContactOutcome,
  ContactStatus,
  PartnerRole,
  ReminderChannel,
  ReminderEvent,
  ReminderStatus,
  SuppressReason,
} from "../../gen/tandem/followup/v1/followup_pb";

export const CONTACT_KIND: Record<ContactKind, string> = {
  [ContactKind.UNSPECIFIED]: "contact",
  [ContactKind.PHONE_CALL]: "phone call",
  [ContactKind.OFFICE_VISIT]: "office visit",
};

export const CONTACT_STATUS: Record<ContactStatus, string> = {
  [ContactStatus.UNSPECIFIED]: "unknown",
  [ContactStatus.UNSCHEDULED]: "not booked yet",
  [ContactStatus.SCHEDULED]: "scheduled",
  [ContactStatus.CLOSED]: "closed",
  [ContactStatus.CANCELLED]: "cancelled",
  [ContactStatus.NEEDS_ATTENTION]: "needs a new time",
};

/** The shell's status colours: held, booked, attention, other. */
export const CONTACT_TONE: Record<ContactStatus, string> = {
  [ContactStatus.UNSPECIFIED]: "other",
  [ContactStatus.UNSCHEDULED]: "held",
  [ContactStatus.SCHEDULED]: "booked",
  [ContactStatus.CLOSED]: "other",
  [ContactStatus.CANCELLED]: "other",
  [ContactStatus.NEEDS_ATTENTION]: "attention",
};

export const OUTCOME: Record<ContactOutcome, string> = {
  [ContactOutcome.UNSPECIFIED]: "",
  [ContactOutcome.DONE]: "took place",
  [ContactOutcome.NO_ANSWER]: "no answer / did not come",
  [ContactOutcome.RESCHEDULED]: "client asked for another time",
  [ContactOutcome.DECLINED]: "client declined",
};

export const REMINDER_EVENT: Record<ReminderEvent, string> = {
  [ReminderEvent.UNSPECIFIED]: "?",
  [ReminderEvent.INTENSIVE_START]: "programme start",
  [ReminderEvent.FOLLOW_UP_CONTACT]: "follow-up contact",
  [ReminderEvent.THERAPIST_CALLS_DUE]: "calls due (therapist)",
};

export const CHANNEL: Record<ReminderChannel, string> = {
  [ReminderChannel.UNSPECIFIED]: "no channel",
  [ReminderChannel.EMAIL]: "e-mail",
  [ReminderChannel.SMS]: "text message",
  [ReminderChannel.FILE]: "file (outbox)",
};

export const REMINDER_STATUS: Record<ReminderStatus, string> = {
  [ReminderStatus.UNSPECIFIED]: "?",
  [ReminderStatus.QUEUED]: "queued",
  [ReminderStatus.SENT]: "sent",
  [ReminderStatus.FAILED]: "failed, will retry",
  [ReminderStatus.DEAD]: "not delivered (gave up)",
  [ReminderStatus.SUPPRESSED]: "not sent",
};

export const REMINDER_TONE: Record<ReminderStatus, string> = {
  [ReminderStatus.UNSPECIFIED]: "other",
  [ReminderStatus.QUEUED]: "held",
  [ReminderStatus.SENT]: "booked",
  [ReminderStatus.FAILED]: "attention",
  [ReminderStatus.DEAD]: "attention",
  [ReminderStatus.SUPPRESSED]: "other",
};

export const SUPPRESS_REASON: Record<SuppressReason, string> = {
  [SuppressReason.UNSPECIFIED]: "",
  [SuppressReason.NO_CONSENT]: "no consent",
  [SuppressReason.OPTED_OUT]: "opted out",
  [SuppressReason.NO_ADDRESS]: "no phone or e-mail",
  [SuppressReason.SUPERSEDED]: "replaced (event moved or cancelled)",
  [SuppressReason.TOO_LATE]: "too late after quiet hours",
  [SuppressReason.DISABLED]: "reminders of this kind are off",
};

export const PARTNER: Record<PartnerRole, string> = {
  [PartnerRole.UNSPECIFIED]: "?",
  [PartnerRole.A]: "partner A",
  [PartnerRole.B]: "partner B",
};
