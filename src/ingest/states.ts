/**
 * State names as ICE writes them (full upper-case names, postal codes, territory variants) → the
 * lower-case postal code the ledger stores. Kept here, not in the registry, because it is needed
 * per row on the hot path and the table never changes.
 */
const STATES: Array<[string, string]> = [
  ['al', 'alabama'],
  ['ak', 'alaska'],
  ['az', 'arizona'],
  ['ar', 'arkansas'],
  ['ca', 'california'],
  ['co', 'colorado'],
  ['ct', 'connecticut'],
  ['de', 'delaware'],
  ['dc', 'district of columbia'],
  ['fl', 'florida'],
  ['ga', 'georgia'],
  ['hi', 'hawaii'],
  ['id', 'idaho'],
  ['il', 'illinois'],
  ['in', 'indiana'],
  ['ia', 'iowa'],
  ['ks', 'kansas'],
  ['ky', 'kentucky'],
  ['la', 'louisiana'],
  ['me', 'maine'],
  ['md', 'maryland'],
  ['ma', 'massachusetts'],
  ['mi', 'michigan'],
  ['mn', 'minnesota'],
  ['ms', 'mississippi'],
  ['mo', 'missouri'],
  ['mt', 'montana'],
  ['ne', 'nebraska'],
  ['nv', 'nevada'],
  ['nh', 'new hampshire'],
  ['nj', 'new jersey'],
  ['nm', 'new mexico'],
  ['ny', 'new york'],
  ['nc', 'north carolina'],
  ['nd', 'north dakota'],
  ['oh', 'ohio'],
  ['ok', 'oklahoma'],
  ['or', 'oregon'],
  ['pa', 'pennsylvania'],
  ['ri', 'rhode island'],
  ['sc', 'south carolina'],
  ['sd', 'south dakota'],
  ['tn', 'tennessee'],
  ['tx', 'texas'],
  ['ut', 'utah'],
  ['vt', 'vermont'],
  ['va', 'virginia'],
  ['wa', 'washington'],
  ['wv', 'west virginia'],
  ['wi', 'wisconsin'],
  ['wy', 'wyoming'],
  ['as', 'american samoa'],
  ['gu', 'guam'],
  ['mp', 'northern mariana islands'],
  ['pr', 'puerto rico'],
  ['vi', 'virgin islands'],
];

const ALIASES: Array<[string, string]> = [
  ['washington dc', 'dc'],
  ['washington d.c.', 'dc'],
  ['d.c.', 'dc'],
  ['commonwealth of the northern mariana islands', 'mp'],
  ['united states virgin islands', 'vi'],
  ['u.s. virgin islands', 'vi'],
  ['us virgin islands', 'vi'],
  ['commonwealth of puerto rico', 'pr'],
];

const BY_KEY = new Map<string, string>();
for (const [code, name] of STATES) {
  BY_KEY.set(code, code);
  BY_KEY.set(name, code);
}
for (const [alias, code] of ALIASES) BY_KEY.set(alias, code);

/** The postal code (lower case) for a state name or code, or null. */
export function stateCode(raw: string): string | null {
  const direct = BY_KEY.get(raw);
  if (direct !== undefined) return direct;
  const key = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  return BY_KEY.get(key) ?? null;
}

export function stateName(code: string): string | undefined {
  return STATES.find(([c]) => c === code)?.[1];
}
