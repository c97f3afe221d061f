/**
 * The closed lists the event schemas are built from, without zod, for code that only needs
 * the words (the weekly rollup and its email): importing a schema module would bring its
 * schemas and zod into that function's bundle (docs/performance.md#functions).
 */
export const interventionKinds = [
  'mentoring',
  'semh_group',
  'emotional_literacy',
  'social_skills',
  'anger_management',
  'reintegration',
  'reflective',
  'counselling',
  'literacy',
  'numeracy',
  'other',
] as const;

export const interventionOutcomes = ['achieved', 'partially_achieved', 'not_achieved', 'withdrawn'] as const;

export const restorativeFormats = ['conversation', 'mini_conference', 'circle', 'conference'] as const;

export const restrictiveTypes = ['reasonable_force', 'restraint', 'seclusion'] as const;
export type RestrictiveType = (typeof restrictiveTypes)[number];
