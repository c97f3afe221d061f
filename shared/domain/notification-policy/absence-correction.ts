import { firstDayAbsenceCodes } from '../../../events/attendance-codes';
import type { StoredItem } from '../records';

/** N, O and U: the marks that tell the family the same day. */
export const absenceCodes: ReadonlySet<string> = new Set(firstDayAbsenceCodes);

/**
 * A stored mark that replaced an N, O or U with a code that is no longer one: that code. A module
 * of its own, without zod: the stream publisher puts it on the bus (docs/performance.md#functions).
 */
export function correctedAbsenceCode(record: StoredItem): string | undefined {
  const { code, previousCode } = record as { code?: unknown; previousCode?: unknown };
  return record.type === 'attendance.marked' && absenceCodes.has(String(previousCode)) && !absenceCodes.has(String(code)) ? String(previousCode) : undefined;
}
