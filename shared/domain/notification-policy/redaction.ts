import type { PupilProfile } from './inputs';

/** Other people in free text that is shared with a family. */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function replaceWord(text: string, word: string, replacement: string): string {
  if (word.trim().length < 2) return text;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word.trim())}(?![\\p{L}\\p{N}])`, 'giu'), replacement);
}

/**
 * summaryForParents is written to be shared, but one session's summary goes to the parents
 * of every pupil in it: the other pupils' ids and known names, and every staff id, are
 * replaced before it reaches this pupil's parents. (Staff names are not known to the system;
 * the school's text is trusted not to contain them.)
 */
export function redactOthers(
  text: string,
  pupilId: string,
  participants: readonly ({ pupilId: string } | { staffId: string })[],
  profiles: ReadonlyMap<string, PupilProfile | undefined>,
): string {
  let out = text;
  const others = participants.flatMap((person) => ('pupilId' in person && person.pupilId !== pupilId ? [person.pupilId] : []));
  for (const other of others) {
    const profile = profiles.get(other);
    const words = [...(profile ? [`${profile.firstName} ${profile.lastName}`, profile.firstName, profile.lastName] : []), other];
    for (const word of words) out = replaceWord(out, word, 'another pupil');
  }
  for (const person of participants) {
    if ('staffId' in person) out = replaceWord(out, person.staffId, 'a member of staff');
  }
  return out;
}
