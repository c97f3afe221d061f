import * as z from 'zod';

/** Shared field rules, so every event type spells a date or an id the same way. */
export const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
export const id = z.string().min(1).max(128);
export const staffId = z.string().min(1).max(64);
export const pupilId = z.string().min(1).max(64);
export const score = z.number().min(0).max(10);
export const text = z.string().max(10_000);
/** Staff-only text: stored, never sent to a parent or put on the bus. */
export const staffNotes = text.describe("Staff-only; never leaves the school's staff.");
export const targetScores = z.array(z.object({ targetId: id, score })).max(50);
