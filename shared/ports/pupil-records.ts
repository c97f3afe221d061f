import type { StoredItem } from '../domain/records';

export type { StoredItem };

export interface PupilRecords {
  profile?: StoredItem;
  /** Journal items that name the pupil, oldest first (interventions, restorative, incidents, roster receipts). */
  events: StoredItem[];
  attendance: StoredItem[];
  notifications: StoredItem[];
}
