/**
 * Parent/carer notification and DSL alert policy: the one place that decides which stored
 * events notify, who may be told, what a message may contain, and why anyone was not told.
 * Pure: the service (shared/services/notifications.ts) reads the records, asks this policy,
 * then records each decision and sends. docs/notifications.md has the table in prose.
 *
 * - kinds.ts: what a notification is about, and the reasons recorded when someone was not told;
 * - inputs.ts: the stored record and the pupils' profiles the policy is asked about;
 * - what-notifies.ts (and absence.ts): which events tell a family, one judge per event type;
 * - contacts.ts: which of a pupil's contacts may receive a notice of a kind;
 * - who-is-told.ts: the decision per pupil and contact;
 * - parent-notice.ts: what a notice may say (the wording is in ../messages/parent-notice.ts);
 * - redaction.ts: other pupils and staff in text shared with a family;
 * - dsl-alert.ts: the safeguarding alert to the DSL.
 *
 * What is never sent to a parent/carer, enforced by construction (a ParentNotice is built
 * from a whitelist of fields, so nothing else can reach a message):
 * - anything about an event with `safeguardingConcern: true` (that goes to the DSL instead);
 * - every `notes` field; technique/location free text of an incident; intervention titles
 *   and target descriptions (staff free text);
 * - any other pupil's id or name (restorative participants, intervention groups);
 * - any staff id (and so no staff name): staffId, facilitators.
 */
export { correctedAbsenceCode } from './absence-correction';
export { contactSuppression } from './contacts';
export { type DslAlert, dslAlertFor, dslDecisionRecipient, dslRecipient, isSafeguardingConcern } from './dsl-alert';
export { type PupilName, type PupilProfile, storedData, toPupilProfile } from './inputs';
export type { ContactReason, DecisionReason, InterventionKind, NotificationKind, ParentNoticeKind } from './kinds';
export type { ParentNotice } from './parent-notice';
export { redactOthers } from './redaction';
export { decideParentNotifications, type PlannedDecision, pupilIdsOfRecord, type Recipient } from './who-is-told';
