/**
 * The one single-table definition. The CDK stack (infra/) and the local stack
 * (infra/local/) both build their table from this, so keys and indexes cannot drift.
 * See docs/data-model.md for the access pattern each index serves.
 */
export const table = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes the item after its retention period. */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** Pupil timeline: every journal event about one pupil, and the school registry. */
    byPupil: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** School week: journal events, notification decisions and rollups by ISO week. */
    byWeek: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Pupil chronology (staff API): every entry about one pupil by time, so a page is one Query. */
    byPupilTime: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
} as const;

export type TableIndex = keyof typeof table.indexes;
