export type StoredItem = Record<string, unknown>;

export interface PupilRecords {
  profile?: StoredItem;
  /** Journal items that name the pupil, oldest first (interventions, restorative, incidents, roster receipts). */
  events: StoredItem[];
  attendance: StoredItem[];
  notifications: StoredItem[];
}
