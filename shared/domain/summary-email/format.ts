import type { DecisionReason } from '../notification-policy';
import { weekEnd, weekStart } from '../calendar';

/** Wording shared by the school and trust summaries: dates, numbers, changes. Pure. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function dateParts(date: string) {
  // The week's dates are already the school's calendar dates: format them as they are (UTC noon).
  const instant = new Date(`${date}T12:00:00Z`);
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(instant);
  return { weekday: part({ weekday: 'long' }), day: part({ day: 'numeric' }), month: part({ month: 'long' }), year: part({ year: 'numeric' }) };
}

/** "Monday 16 – Sunday 22 November 2026", "Monday 30 November – Sunday 6 December 2026", across years in full. */
export function weekRange(week: string): string {
  const start = dateParts(weekStart(week));
  const end = dateParts(weekEnd(week));
  const last = `${end.weekday} ${end.day} ${end.month} ${end.year}`;
  if (start.year !== end.year) return `${start.weekday} ${start.day} ${start.month} ${start.year} – ${last}`;
  if (start.month !== end.month) return `${start.weekday} ${start.day} ${start.month} – ${last}`;
  return `${start.weekday} ${start.day} – ${last}`;
}

export const weekNumber = (week: string) => Number(week.slice(6));

/** "Week 47: Monday 16 – Sunday 22 November 2026" */
export function weekTitle(week: string): string {
  return `Week ${weekNumber(week)}: ${weekRange(week)}`;
}

/** "16–22 November 2026" for subjects. */
export function shortWeekRange(week: string): string {
  const start = dateParts(weekStart(week));
  const end = dateParts(weekEnd(week));
  if (start.year !== end.year) return `${start.day} ${start.month} ${start.year} – ${end.day} ${end.month} ${end.year}`;
  if (start.month !== end.month) return `${start.day} ${start.month} – ${end.day} ${end.month} ${end.year}`;
  return `${start.day}–${end.day} ${end.month} ${end.year}`;
}

/** "Monday 30 November 2026" */
export function longDate(date: string): string {
  const parts = dateParts(date);
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

/** 0.9591 → "95.9%" */
export function percent(fraction: number, digits = 1): string {
  return `${(Math.round(fraction * 100 * 10 ** digits) / 10 ** digits).toFixed(digits)}%`;
}

export function decimal(value: number, digits = 1): string {
  return (Math.round(value * 10 ** digits) / 10 ** digits).toFixed(digits);
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Whether a rise is good news (attendance) or not (incidents), for colour and wording. */
export type Direction = 'higher-is-better' | 'lower-is-better' | 'neutral';
export type Tone = 'better' | 'worse' | 'same' | 'none';

export interface Change {
  text: string;
  tone: Tone;
}

/** A count's change: "up 2 on last week", "no change on last week", "down 1 on last week". */
export function countChange(now: number, before: number | null | undefined, direction: Direction): Change {
  if (before === null || before === undefined) return { text: 'no figure for last week', tone: 'none' };
  const delta = now - before;
  if (delta === 0) return { text: 'same as last week', tone: 'same' };
  return { text: `${delta > 0 ? 'up' : 'down'} ${Math.abs(delta)} on last week (${before})`, tone: toneOf(delta, direction) };
}

/** A rate's change in percentage points: "up 1.2 points on last week (94.1%)". */
export function rateChange(now: number | null, before: number | null | undefined, direction: Direction): Change {
  if (now === null) return { text: 'no sessions this week', tone: 'none' };
  if (before === null || before === undefined) return { text: 'no figure for last week', tone: 'none' };
  const points = Math.round((now - before) * 1000) / 10;
  if (points === 0) return { text: `same as last week (${percent(before)})`, tone: 'same' };
  return { text: `${points > 0 ? 'up' : 'down'} ${decimal(Math.abs(points))} points on last week (${percent(before)})`, tone: toneOf(points, direction) };
}

function toneOf(delta: number, direction: Direction): Tone {
  if (direction === 'neutral') return 'same';
  return delta > 0 === (direction === 'higher-is-better') ? 'better' : 'worse';
}

/** "disruption in lesson" → "Disruption in lesson"; "mini_conference" → "Mini conference" */
export function label(text: string): string {
  const spaced = text.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Why notifications were not sent, in words: one for every reason shared/domain/notification-policy records (the compiler asks for a new one). */
const reasonLabels: Record<Exclude<DecisionReason, `opted-out:${string}`>, string> = {
  safeguarding: 'Safeguarding concern (the DSL is told instead)',
  'not-notifiable': 'Nothing parents need to be told',
  'no-summary-for-parents': 'No summary for parents written',
  'past-date': 'Absence on an earlier date',
  'future-date': 'Absence dated in the future',
  'absence-corrected': 'Absence corrected before sending',
  'absence-now-authorised': 'Absence since authorised (no correction needed)',
  'absence-still-unauthorised': 'Absence recorded again as unauthorised (no correction needed)',
  'not-told-of-absence': 'Correction: contact was not sent the absence notice',
  'linked-safeguarding': 'Restorative session about a safeguarding incident',
  'no-contacts': 'No contacts on the roster',
  'notify-false': 'Contact asked not to be notified',
  'no-parental-responsibility': 'Contact without parental responsibility',
  'no-email': 'Contact has no email address',
  'duplicate-email': 'Same address as another contact',
  'already-notified-today': 'Already told of an absence that day',
  'mail-rejected': 'Email address rejected',
  'no-dsl-configured': 'No DSL configured (leaders told)',
  'dsl-undelivered': 'Alert to the DSL not delivered (leaders told)',
  'report-withheld': 'Restraint report withheld from parents (DSL told)',
};

export function reasonLabel(reason: string): string {
  if (Object.hasOwn(reasonLabels, reason)) return reasonLabels[reason as keyof typeof reasonLabels];
  const optedOut = /^opted-out:(.+)$/.exec(reason);
  if (optedOut) return `Contact opted out of ${optedOut[1]} messages`;
  return label(reason.replace(/-/g, ' '));
}
