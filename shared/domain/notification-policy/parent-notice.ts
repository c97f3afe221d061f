import type * as z from 'zod';
import type { Contact } from '../../../events/pupil';
import type { interventionEnded } from '../../../events/intervention';
import type { restorativeSessionRecorded } from '../../../events/restorative';
import type { PupilName, PupilProfile } from './inputs';
import type { AbsenceCode, EventReason, InterventionKind, NotificationKind, ParentNoticeKind } from './kinds';

/** What a parent notice may say, per kind: whitelisted fields only, so nothing else can reach a message. */
export type ParentNotice =
  | {
      kind: 'force';
      pupil: PupilName;
      occurredAt: string;
      incidentRef: string;
      category: string;
      durationMinutes?: number;
      injury: boolean;
      /** Present when the incident also led to a detention and the contact wants detention notices. */
      detention?: { date: string; minutes: number };
    }
  | { kind: 'detention'; pupil: PupilName; occurredAt: string; incidentRef: string; category: string; detention: { date: string; minutes: number } }
  | { kind: 'intervention-started'; pupil: PupilName; startDate: string; programme: InterventionKind; plannedSessions?: number }
  | { kind: 'intervention-ended'; pupil: PupilName; endDate: string; programme?: InterventionKind; outcome: z.infer<typeof interventionEnded>['outcome'] }
  | {
      kind: 'restorative';
      pupil: PupilName;
      date: string;
      format: z.infer<typeof restorativeSessionRecorded>['format'];
      agreementReached?: boolean;
      followUpDate?: string;
      /** summaryForParents with other participants' ids and names redacted. */
      summary: string;
    }
  | { kind: 'absence'; pupil: PupilName; date: string; session: 'AM' | 'PM'; code: AbsenceCode }
  /** The mark an absence notice was about now says the pupil was there (present, or approved education off site). */
  | { kind: 'absence-correction'; pupil: PupilName; date: string; session: 'AM' | 'PM'; now: 'present' | 'approvedOffSite' };

/** Whether an event notifies anyone at all, and with what (the same answer for every pupil of it). */
export type EventVerdict =
  | { notify: false; kind: NotificationKind; reason: EventReason }
  | { notify: true; kind: ParentNoticeKind; dedupKey: string; notice: (pupil: PupilProfile, contact: Contact) => ParentNotice };
