/** Seeded building blocks for synthetic school data (demo, benchmark, email fixture). */

/** Mulberry32: small, seeded, good enough for synthetic data. */
export function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const firstNames = ['Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Arthur', 'Freya', 'Leo', 'Lily', 'Oscar', 'Grace', 'Harry', 'Ivy', 'Muhammad', 'Sophia', 'Jack', 'Rosie', 'Theo', 'Zara', 'Alfie', 'Evie', 'Jacob', 'Aisha', 'Finley', 'Maya', 'Reuben', 'Hana', 'Kai'];
export const lastNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Khan', 'Clarke', 'Okafor', 'Nowak', 'Ahmed', 'Hughes'];
export const incidentCategories = ['disruption in lesson', 'defiance', 'verbal abuse', 'physical aggression', 'bullying', 'damage to property', 'truancy from lesson', 'unkind online behaviour'];
