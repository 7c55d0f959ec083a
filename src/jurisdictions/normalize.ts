/**
 * Name folding for jurisdiction matching. Every function here is total (never throws) and
 * idempotent, so a folded key can be folded again and stay the same; the property tests in
 * `normalize.test.ts` hold it to that.
 */

/** Token rewrites applied after punctuation is gone. Targets never rewrite again (idempotence). */
const TOKEN_REWRITES: ReadonlyMap<string, string> = new Map([
  ['co', 'county'],
  ['cnty', 'county'],
  ['cty', 'county'],
  ['saint', 'st'],
  ['sainte', 'ste'],
  ['dept', 'department'],
  ['dep', 'department'],
  ['twp', 'township'],
  ['twsp', 'township'],
  ['ft', 'fort'],
  ['mt', 'mount'],
  ['ctr', 'center'],
  ['cntr', 'center'],
  ['det', 'detention'],
  ['corr', 'correctional'],
  ['sheriff', 'sheriffs'],
  ['sherrifs', 'sheriffs'],
  ['sherriffs', 'sheriffs'],
  ['pct', 'precinct'],
]);

/** Whole-name tails that are abbreviations only at the end ("Clark SO", "Austin PD"). */
const TAIL_REWRITES: ReadonlyMap<string, string> = new Map([
  ['so', 'sheriffs office'],
  ['pd', 'police department'],
]);

const ASCII = /^[ -~]*$/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** ' ‘ ’ ʼ ` ~ (OCD writes an apostrophe as ~): dropped, so "Sheriff's" folds like "Sheriffs" */
const APOSTROPHES = /['\u2018\u2019\u02bc`~]/g;
const TOKEN = /[a-z0-9]+|&/g;

/**
 * Fold a jurisdiction, agency or facility name to a comparison key: lower case, no diacritics,
 * no punctuation, `&` → `and`, common abbreviations spelled out ("Co." → county, "Saint" → st,
 * "Dept" → department, "Twp" → township, trailing "SO"/"PD"), single spaces.
 * `"Doña Ana Co."` → `"dona ana county"`; `"St. Lawrence County Sheriff's Office"` →
 * `"st lawrence county sheriffs office"`.
 */
export function normalizeName(input: string): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  // most names are plain ASCII; NFD decomposition is the slowest step, so skip it for them
  const flat = (ASCII.test(input) ? input : input.normalize('NFD').replace(COMBINING_MARKS, ''))
    .toLowerCase()
    .replace(APOSTROPHES, '');
  const tokens = flat.match(TOKEN);
  if (tokens === null) return '';
  const out: string[] = [];
  for (const token of tokens) {
    // "sheriff s office" comes from "Sheriff´s" when the mark was a separator
    if (token === 's' && out[out.length - 1] === 'sheriffs') continue;
    out.push(token === '&' ? 'and' : (TOKEN_REWRITES.get(token) ?? token));
  }
  const last = out[out.length - 1];
  if (out.length > 1 && last !== undefined) {
    const tail = TAIL_REWRITES.get(last);
    if (tail !== undefined) out[out.length - 1] = tail;
  }
  return out.join(' ');
}

/** Turn a folded name into an OCD-style slug (`st lawrence` → `st_lawrence`). */
export function slugify(input: string): string {
  return normalizeName(input).replace(/ /g, '_');
}

/** Fold a name key out of an OCD id segment value (`st_mary~s` → `st marys`, `lakeside_~tarrant_county~` → `lakeside`). */
export function keyFromSlug(slug: string): string {
  const withoutSuffix = slug.replace(/_~[^~]*~$/, '');
  return normalizeName(withoutSuffix.replace(/~/g, '').replace(/_/g, ' '));
}

// ---------------------------------------------------------------------------------------------
// States

/** [code, full name, FIPS, extra spellings (AP style, old abbreviations)] */
const STATE_TABLE: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  ['al', 'Alabama', '01', ['ala']],
  ['ak', 'Alaska', '02', []],
  ['az', 'Arizona', '04', ['ariz']],
  ['ar', 'Arkansas', '05', ['ark']],
  ['ca', 'California', '06', ['calif', 'cal', 'cali']],
  ['co', 'Colorado', '08', ['colo', 'col']],
  ['ct', 'Connecticut', '09', ['conn']],
  ['de', 'Delaware', '10', ['del']],
  ['dc', 'District of Columbia', '11', ['washington dc', 'washington d c', 'd c']],
  ['fl', 'Florida', '12', ['fla', 'flor']],
  ['ga', 'Georgia', '13', []],
  ['hi', 'Hawaii', '15', []],
  ['id', 'Idaho', '16', ['ida']],
  ['il', 'Illinois', '17', ['ill', 'ills']],
  ['in', 'Indiana', '18', ['ind']],
  ['ia', 'Iowa', '19', []],
  ['ks', 'Kansas', '20', ['kan', 'kans']],
  ['ky', 'Kentucky', '21', []],
  ['la', 'Louisiana', '22', []],
  ['me', 'Maine', '23', []],
  ['md', 'Maryland', '24', []],
  ['ma', 'Massachusetts', '25', ['mass']],
  ['mi', 'Michigan', '26', ['mich']],
  ['mn', 'Minnesota', '27', ['minn']],
  ['ms', 'Mississippi', '28', ['miss']],
  ['mo', 'Missouri', '29', []],
  ['mt', 'Montana', '30', ['mont']],
  ['ne', 'Nebraska', '31', ['neb', 'nebr']],
  ['nv', 'Nevada', '32', ['nev']],
  ['nh', 'New Hampshire', '33', ['n h']],
  ['nj', 'New Jersey', '34', ['n j']],
  ['nm', 'New Mexico', '35', ['n m', 'n mex']],
  ['ny', 'New York', '36', ['n y']],
  ['nc', 'North Carolina', '37', ['n c']],
  ['nd', 'North Dakota', '38', ['n d', 'n dak']],
  ['oh', 'Ohio', '39', []],
  ['ok', 'Oklahoma', '40', ['okla']],
  ['or', 'Oregon', '41', ['ore', 'oreg']],
  ['pa', 'Pennsylvania', '42', ['penn', 'penna']],
  ['ri', 'Rhode Island', '44', ['r i']],
  ['sc', 'South Carolina', '45', ['s c']],
  ['sd', 'South Dakota', '46', ['s d', 's dak']],
  ['tn', 'Tennessee', '47', ['tenn']],
  ['tx', 'Texas', '48', ['tex']],
  ['ut', 'Utah', '49', []],
  ['vt', 'Vermont', '50', []],
  ['va', 'Virginia', '51', []],
  ['wa', 'Washington', '53', ['wash']],
  ['wv', 'West Virginia', '54', ['w va', 'w virginia']],
  ['wi', 'Wisconsin', '55', ['wis', 'wisc']],
  ['wy', 'Wyoming', '56', ['wyo']],
  ['as', 'American Samoa', '60', []],
  ['gu', 'Guam', '66', []],
  ['mp', 'Northern Mariana Islands', '69', ['commonwealth of the northern mariana islands', 'cnmi']],
  ['pr', 'Puerto Rico', '72', ['p r', 'commonwealth of puerto rico']],
  [
    'vi',
    'United States Virgin Islands',
    '78',
    ['virgin islands', 'us virgin islands', 'u s virgin islands', 'usvi'],
  ],
];

const STATE_BY_KEY = new Map<string, string>();
const STATE_NAME = new Map<string, string>();
const STATE_FIPS = new Map<string, string>();
for (const [code, name, fips, extra] of STATE_TABLE) {
  STATE_NAME.set(code, name);
  STATE_FIPS.set(code, fips);
  for (const spelling of [code, name, ...extra]) {
    const key = stateKey(spelling);
    STATE_BY_KEY.set(key, code);
    // "N.Y." folds to "n y"; also accept the run-together "ny" / "nmex"
    STATE_BY_KEY.set(key.replace(/ /g, ''), code);
  }
  STATE_BY_KEY.set(stateKey(`state of ${name}`), code);
}

function stateKey(input: string): string {
  return input
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

/**
 * A state name or abbreviation → its lower-case two-letter code, or null. Accepts full names,
 * USPS codes, AP abbreviations ("Calif.", "N.Y.", "Penn.", "W.Va.") and DC / PR spellings.
 */
export function parseState(input: string | null | undefined): string | null {
  if (typeof input !== 'string') return null;
  const key = stateKey(input);
  if (key.length === 0) return null;
  return STATE_BY_KEY.get(key) ?? STATE_BY_KEY.get(key.replace(/ /g, '')) ?? null;
}

/** The full name of a state code (`ny` → `New York`). */
export function stateName(code: string): string | undefined {
  return STATE_NAME.get(code.toLowerCase());
}

/** The 2-digit FIPS code of a state code (`ca` → `06`). */
export function stateFips(code: string): string | undefined {
  return STATE_FIPS.get(code.toLowerCase());
}

/** Every state, district and territory code, lower case. */
export const STATE_CODES: readonly string[] = STATE_TABLE.map(([code]) => code);

/** Folded full state names, so a name like "Florida Department of Corrections" can drop its state prefix. */
export function stateNameKey(code: string): string | undefined {
  const name = STATE_NAME.get(code);
  return name === undefined ? undefined : normalizeName(name);
}

// ---------------------------------------------------------------------------------------------
// Place / county name cores

/** Census suffixes of county-equivalents: "Franklin County" → franklin. */
const COUNTY_SUFFIXES = [
  'city and borough',
  'census area',
  'county',
  'parish',
  'borough',
  'municipio',
  'municipality',
];

/** Strip the county-equivalent type word from a folded name, returning [core, type word] or null. */
export function splitCountySuffix(folded: string): [string, string] | null {
  for (const suffix of COUNTY_SUFFIXES) {
    if (folded.endsWith(` ${suffix}`)) {
      const core = folded.slice(0, -suffix.length - 1).trim();
      if (core.length > 0) return [core, suffix];
    }
  }
  return null;
}

/**
 * The lower-case census suffixes of incorporated places ("Los Angeles city", "Urbana town").
 * "township" is kept on purpose: a township and a same-named city are different places.
 */
const PLACE_CENSUS_SUFFIX =
  / (city and borough|city|town|village|borough|municipality|plantation|\(balance\))$/;

/** The key of a census place name: "Los Angeles city" → `los angeles`; "Carson City" keeps its capital C. */
export function placeKey(censusName: string): string {
  return normalizeName(censusName.replace(PLACE_CENSUS_SUFFIX, ''));
}
