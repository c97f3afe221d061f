/**
 * The ports: small interfaces the core talks to, one file each. Each has an AWS adapter
 * (shared/adapters/aws) and, where AWS isn't available on one machine, a local one
 * (shared/adapters/local). Ports know the domain and nothing else: no adapter, no SDK.
 */
import type { Clock } from './clock';
import type { EventStore } from './event-store';
import type { MailFeedbackStore } from './mail-feedback';
import type { Mailer } from './mailer';
import type { BusinessMetrics } from './metrics';
import type { NotificationReads, NotificationStore } from './notifications';
import type { EventPublisher } from './publisher';
import type { RollupStore } from './rollup-store';
import type { SchoolDirectory } from './schools';
import type { StaffReads } from './staff-reads';
import type { TrustSettings } from './settings';
import type { WebhookSecretStore } from './webhook-secrets';
import type { MisAdapters } from './mis';

export type { Clock } from './clock';
export type { EventStore, StoreOutcome } from './event-store';
export type { MailFeedbackStore, SentMessage } from './mail-feedback';
export { PermanentMailError, type MailMessage, type Mailer } from './mailer';
export type { BusinessMetrics } from './metrics';
export type { ClaimResult, DecisionStatus, NotificationDecisionItem, NotificationReads, NotificationStore } from './notifications';
export type { BusEvent } from '../../events/bus';
export type { EventPublisher } from './publisher';
export type { PupilRecords, StoredItem } from './pupil-records';
export type { RollupSave, RollupStore } from './rollup-store';
export type { SchoolDirectory, SchoolProfile } from './schools';
export type { ChronologyItem, ChronologyPage, PupilSummary, StaffReads } from './staff-reads';
export type { TrustSettings } from './settings';
export type { WebhookSecretStore } from './webhook-secrets';

/**
 * Every port by name. A function takes only the ones it uses (`Pick<Ports, …>`), so its
 * deployed wiring builds, and its bundle carries, nothing else; the local stack builds
 * them all once and hands each function the same object.
 */
export interface Ports {
  schools: SchoolDirectory;
  secrets: WebhookSecretStore;
  events: EventStore;
  publisher: EventPublisher;
  mailer: Mailer;
  clock: Clock;
  settings: TrustSettings;
  rollups: RollupStore;
  notifications: NotificationStore;
  notificationReads: NotificationReads;
  /** SES feedback on sent messages (record-mail-feedback). */
  mailFeedback: MailFeedbackStore;
  /** Business metrics; absent: nothing is counted. */
  metrics?: BusinessMetrics;
  staffReads: StaffReads;
  /** The MIS connector's ports (shared/ports/mis.ts). */
  mis: MisAdapters;
}
