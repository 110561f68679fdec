import {
  isPresent,
  keyPresence,
  lowerHits,
  lowerPattern as compileLower,
  lowerPresence,
  lowerPresent,
  prepareText,
  textMatches,
  textPattern,
  type LowerPattern,
  type LowerPresence,
  type PreparedText,
} from './cue-matcher';
import { literalTriggers } from './literal-triggers';

/**
 * Facts read from a provision's text: periods, ages, opt-outs, ownership and licence claims, parties, dates,
 * regions and a set of flags the mapping and exposure rules test. Every pattern is bounded (no nested
 * quantifiers, gaps of fixed maximum length), so extraction stays linear on hostile input.
 */
export interface Period {
  readonly text: string;
  readonly value: number;
  readonly unit: 'hour' | 'day' | 'week' | 'month' | 'year';
  /** The period in days (months as 30, years as 365), for comparisons. */
  readonly days: number;
}

export interface ProvisionAttributes {
  readonly retentionPeriods: Period[];
  readonly noticePeriods: Period[];
  readonly ageThresholds: number[];
  readonly optOuts: string[];
  readonly ownershipClaims: Array<{ holder: 'user' | 'provider'; text: string }>;
  readonly licenceTerms: string[];
  readonly parties: string[];
  readonly effectiveDates: string[];
  readonly regions: string[];
  readonly transferMechanisms: string[];
  readonly flags: string[];
}

const UNIT_DAYS = { hour: 1 / 24, day: 1, week: 7, month: 30, year: 365 } as const;
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  eighteen: 18,
  thirty: 30,
  sixty: 60,
  ninety: 90,
};
const NUMBER =
  '(\\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|thirty|sixty|ninety)';
const PERIOD = new RegExp(`\\b${NUMBER}(?:\\s?\\(\\d{1,4}\\))?[- ](hour|day|week|month|year)s?\\b`, 'gi');
// Context words in the 80 characters before a period decide whether it is a retention or a notice period.
const RETENTION_CONTEXT =
  /\b(retain|retention|keep|kept|store|stored|delete|deleted|deletion|purge|remov|erase|hold)/i;
const NOTICE_AFTER = /^['’]?s?\s+(?:(?:prior|advance|written)\s+)?notice\b/i;
const NOTICE_CONTEXT = /\b(notice|notify|notif|advance|prior|before (the|they|changes)|in advance)/i;

const AGE_PATTERNS = [
  /\bunder (?:the age of )?(\d{1,2})\b/gi,
  /\b(?:at least|over|older than|aged) (?:the age of )?(\d{1,2})\b/gi,
  /\b(\d{1,2}) years (?:of age|old)\b/gi,
  /\bage of (\d{1,2})\b/gi,
  /\b(\d{1,2}) or older\b/gi,
];

const OPT_OUT =
  /\b(opt(?:ing)?[- ]out|unsubscrib(?:e|ing)|turn(?:ing)? off|disabl(?:e|ing)|withdraw (?:your )?consent|object to|do not sell or share|manage (?:your )?(?:preferences|settings)|(?:choose|select|decide) whether)\b/gi;
const USER_OWNS =
  /\b(?:you|users?|customers?) (?:own|retain)s? (?:all |any )?(?:ownership|right|rights|title)?[^.\n]{0,40}\b(?:outputs?|inputs?|content|prompts?)\b|\bassigns? (?:to you|you)\b[^.\n]{0,60}/gi;
const PROVIDER_OWNS =
  /\b(?:we|it|(?:the )?company) (?:own|retain)s? (?:all |any )?(?:ownership|right|rights|title)[^.\n]{0,60}|\b(?:is|are|remain)s? (?:the )?(?:sole|exclusive) property of\b[^.\n]{0,40}|\bsole(?:ly)? (?:and exclusive )?property\b/gi;
const LICENCE_TERMS =
  /\b(worldwide|perpetual|irrevocable|royalty[- ]free|sub-?licen[cs]able|transferable|non-exclusive|exclusive|fully[- ]paid)\b/gi;
/** The company suffixes that make a capitalised name a contracting party (pattern sources, as written). */
const PARTY_SUFFIXES = String.raw`Inc\.|LLC|L\.L\.C\.|Ltd\.?|Limited|GmbH|S\.A\.|B\.V\.|PBC|Corp\.|Corporation|Co\., Ltd\.|Unlimited Company|Ireland Limited`;
const PARTY = new RegExp(
  String.raw`\b([A-Z][A-Za-z0-9&.-]{1,30}(?: [A-Z][A-Za-z0-9&.-]{1,30}){0,4}),? (${PARTY_SUFFIXES})`,
  'g',
);
const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const DATE_TEXT = new RegExp(
  `\\b(?:(${MONTHS}) (\\d{1,2}),? (\\d{4})|(\\d{1,2}) (${MONTHS}),? (\\d{4})|(\\d{4})-(\\d{2})-(\\d{2}))\\b`,
  'gi',
);
const FOUR_DIGITS = /\d{4}/;
const EFFECTIVE_CONTEXT =
  /\b(effective|updated|last (?:modified|revised|updated)|as of|from|take effect|in force)\b/i;

const REGIONS: ReadonlyArray<readonly [string, RegExp]> = [
  ['eu-eea', /\b(european union|european economic area|eea|eu|gdpr|europe|european)\b/i],
  ['us-california', /\b(california|ccpa|cpra|californian|notice at collection|shine the light)\b/i],
  [
    'us',
    /\b(united states|u\.s\.|usa|us state|state privacy laws?|your state|states? of residence|state laws?)\b/i,
  ],
  ['uk', /\b(united kingdom|uk|u\.k\.|britain|ico)\b/i],
  ['brazil', /\b(brazil|brasil|lgpd)\b/i],
  ['switzerland', /\b(switzerland|swiss)\b/i],
  ['china', /\b(china|prc|people's republic)\b/i],
];

const MECHANISMS: ReadonlyArray<readonly [string, RegExp]> = [
  ['standard-contractual-clauses', /\bstandard (contractual|data protection) clauses\b|\bsccs?\b/i],
  ['adequacy', /\badequacy\b|\badequate (level|protection)\b/i],
  ['data-privacy-framework', /\bdata privacy framework\b|\bdpf\b/i],
  ['binding-corporate-rules', /\bbinding corporate rules\b/i],
  ['idta', /\binternational data transfer (agreement|addendum)\b|\bidta\b/i],
];

/** Flags: name → pattern. A flag holds when its pattern matches anywhere in the provision. */
const FLAG_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'device-data',
    /\b(device (identifiers?|information|ids?)|cookies?|local storage|sdks?|advertising id|pixels?|browser (type|information)|ip address)/i,
  ],
  [
    'breach-notification',
    /\b(notify|notification|inform)\b[^.\n]{0,100}\b(breach|security incident)|\b(breach|security incident)\b[^.\n]{0,100}\b(notify|notification|inform)/i,
  ],
  ['death-or-injury', /\b(death|personal injury|bodily injury)\b/i],
  [
    'forum-clause',
    /\b(exclusive|non-exclusive) (jurisdiction|venue)\b|\bcourts (of|located in|in)\b|\bvenue\b|\bsubmit to the (personal )?jurisdiction\b/i,
  ],
  [
    'suspension',
    /\bsuspen(d|ds|ded|sion)\b|\b(repeat(ed)?|serious|material) (violat|breach|infring)|\bviolat(e|es|ed|ing|ion)\b[^.\n]{0,40}\b(terms|polic)/i,
  ],
  [
    'notice-of-changes',
    /\b(notify|inform|notice|tell|let you know|email|alert)\b[^.\n]{0,60}\b(changes?|updates?|modif|amend|revis)/i,
  ],
  [
    'no-notice',
    /\bwithout (prior |advance |any )?notice\b|\bat any time,? (for any reason|with or without)|\bsole (and absolute )?discretion\b|\beffective (immediately|upon posting)\b|\bcontinu(ed|e|ing) (use|to use)\b[^.\n]{0,80}\b(accept|agree|constitutes?|means|bound)/i,
  ],
  [
    'targeted-ads',
    /\b(targeted|personali[sz]ed|interest-based|behaviou?ral|cross-context)\b[^.\n]{0,20}\b(ads|advertising|advertisements)\b|\bcross-context behaviou?ral\b|\badvertising (partners|networks?|cookies)\b/i,
  ],
  // Ads the service shows or serves (what DSA Art. 26 regulates), as against profiling alone or marketing messages.
  [
    'ads-on-platform',
    /\b(show|shows|showing|shown|see|serve|serves|serving|served|display|displays|displayed|deliver|delivering|place|run)\b[^.\n]{0,40}\b(ads|advertising|advertisements|sponsored)\b|\b(ads|advertisements) (you see|we show|shown|on (our|the) (platform|services?|products?|apps?|site))\b|\badvertisers?\b|\bsponsored (content|posts?|listings?)\b|\bbranded content\b|\b(free|paid) with ads\b|\bwerbung\b/i,
  ],
  [
    'sells-or-shares',
    /\b(we|may) (sell|share)\b[^.\n]{0,60}\b(for|with)\b[^.\n]{0,40}\b(advertis|cross-context|marketing)|\b(sold|shared) (your )?(personal )?(data|information) (to|with) (third parties|advertisers|data brokers)/i,
  ],
  ['denies-sale', /\b(do not|don't|does not|never|will not|won't) (sell|sold|"sell")\b|\bnot (sell|sold)\b/i],
  [
    'special-categories',
    /\b(health|biometric|genetic|racial|ethnic|religio|political opinions?|sexual orientation|sex life|trade union|precise geolocation|sensitive (personal )?(data|information))/i,
  ],
  ['anonymised-data', /\b(aggregated|de-identified|deidentified|anonymi[sz]ed|pseudonymi[sz]ed)\b/i],
  [
    'legal-obligation',
    /\b(legal obligation|comply with (a |any |applicable )?(law|legal)|required (to do so )?by (applicable )?law|legal process|court order|subpoena)/i,
  ],
  [
    'class-waiver',
    /\bclass[- ]action\b|\bclass,? (collective|consolidated|or representative)\b|\brepresentative (proceedings?|actions?)\b/i,
  ],
  [
    'arbitration-opt-out',
    /\bopt[- ]out of (this |the )?(arbitration|agreement to arbitrate)|\b(arbitration|arbitrate)\b[^.\n]{0,100}\bopt[- ]out\b/i,
  ],
  ['sole-discretion', /\bsole (and absolute )?discretion\b|\bfor any (reason|or no reason)\b/i],
  [
    'broad-licence',
    /\b(perpetual|irrevocable)\b[^.\n]{0,80}\b(licen[cs]e|right)|\b(licen[cs]e|right)\b[^.\n]{0,80}\b(perpetual|irrevocable)\b|\bsub-?licen[cs]able\b/i,
  ],
  [
    'training-use',
    /\btrain(ing|s|ed)?\b[^.\n]{0,30}\bmodels?\b|\bmodel (training|improvement)\b|\bimprove (our )?(ai )?models\b/i,
  ],
  ['consent-basis', /\b(your|parental|parent's|explicit|with) (consent|permission)\b/i],
  [
    'direct-marketing',
    /\b(marketing|promotional) (emails?|communications?|messages?|texts?|sms)\b|\bnewsletters?\b|\b(offers|ads|advertising|marketing)\b[^.\n]{0,60}\b(by|via) (e-?mail|sms|text messages?)\b/i,
  ],
  [
    'full-exclusion',
    /\bin no event\b|\b(as is|as available)\b|\bto the (maximum|fullest) extent permitted\b|\bdisclaim (all|any)\b|\bno (method|system)\b[^.\n]{0,60}\bsecure\b|\bcannot guarantee\b/i,
  ],
  [
    'liability-cap',
    /\b(aggregate|total|maximum|entire) liability\b[^.\n]{0,80}\b(exceed|limited to|greater of)\b|\$\s?\d{2,4}\b/i,
  ],
  [
    'ai-generated-content',
    /\b(ai-generated|generated by (ai|artificial intelligence)|synthetic (content|media)|watermark|interacting with an ai|ai system rather than a human)/i,
  ],
  [
    'service-changes',
    /\b(change|modify|discontinue|update|updates)\b[^.\n]{0,30}\b(the |our )?(services?|features?|functionality|software|apps?|products?)\b/i,
  ],
  ['names-rectification', /\b(rectif|correct(ion)?\b|inaccurate)/i],
  [
    'names-portability',
    /\bportab|\b(export|download|receive|obtain|get) (a copy of )?(your )?[^.\n]{0,30}\b(data|information|chats?|chat history|conversations|content)\b|\ba copy of (your|the) [^.\n]{0,30}\b(data|information|chats?|chat history|conversations|content)\b/i,
  ],
  ['names-restriction', /\brestrict(ion)? (of |the )?(our )?processing\b|\bright to restrict\b/i],
  ['names-objection', /\b(right to )?object(ion)? to\b/i],
  [
    'indefinite-retention',
    /\bindefinite(ly)?\b|\bno (fixed|set|specific) (retention )?period\b|\bpermanently (retain|store|keep)/i,
  ],
  [
    'processor-context',
    /\b(sub-?processors?|data processing (agreement|addendum)|on behalf of (the |our )?customers?|customer (data|content|personal data)|as a processor|business (customers|users|offerings|products|services)|(to|notify|assist|inform|instructs?) customer|customer(’|')s (use|data|content|instructions|end users|account|personal data)|api (inputs|outputs|usage|data|customers)|your end users|end users of your)\b/i,
  ],
  [
    'names-automated',
    /\bautomated (decision|processing)|\b(eligibility|credit|employment|insurance|housing) (decisions?|determinations?)/i,
  ],
  ['names-consent-withdrawal', /\bwithdraw (your )?consent\b/i],
  // Flags below choose among a category's references (taxonomy 2026.11.3): which article a text engages first.
  [
    'age-requirement',
    // Also an age bound on using the service ("use by anyone under 13", "18 years old or older"; not the ages a
    // child-safety rule protects, "anyone under 18") and the actual-knowledge
    // statement however it is padded ("knowingly or willingly collects"): the same age floor in other words.
    /\b(must be (at least|over|\d{1,2})|at least \d{1,2} years|minimum age|not (directed|intended|aimed|targeted) (to|at|for|towards)|(knowingly|intentionally|deliberately) (or \w+ly )?collect|\b(use|using|access)\b[^.\n]{0,40}\bby (anyone|persons?|people|users?|individuals?) under (the age of )?\d{1,2}\b|\b(anyone|persons?|people|users?|individuals?) under (the age of )?\d{1,2}\b[^.\n]{0,30}\b(may not|cannot|must not|is prohibited|are not (allowed|permitted))\b|\d{1,2} years (of age|old) or (older|over))/i,
  ],
  [
    'parental-permission',
    /\b(parents?|parental|guardians?)\b[^.\n]{0,60}\b(permission|consent|agree|approval)|\b(permission|consent|approval)\b[^.\n]{0,40}\b(parents?|parental|guardians?)\b/i,
  ],
  [
    'minor-safety',
    /\b(safety|safe|safer|safeguards?|age[- ](assurance|verification|appropriate)|well-being|wellbeing|exploit|endanger)/i,
  ],
  ['names-coppa', /\b(coppa|children's online privacy protection)\b/i],
  // The audience COPPA's "directed to children" test asks about, named without an age ("not aimed at children").
  ['names-children', /\b(children|child|kids)\b/i],
  // The provider undertakes to tell the user of a restriction, or why: the statement of reasons (DSA Art. 17).
  [
    'reasons-given',
    /\b(notify|inform|tell|notice to|let you know)\b[^.\n]{0,80}\b(reasons?|in advance|advance notice|beforehand)\b|\bstatement of reasons\b|\b(the|our) reasons? for\b/i,
  ],
  // The user's consent or agreement given to a transfer abroad: the explicit-consent derogation (GDPR Art. 49(1)(a)).
  [
    'transfer-consent',
    /\b(consent|agree|agreement)\b[^.\n]{0,40}\btransfer|\btransfer\w*\b[^.\n]{0,60}\b(you|users?) (expressly |explicitly )?(consent|agree)\b/i,
  ],
  [
    'knowing-collection',
    /\b(knowingly|intentionally|deliberately) (or \w+ly )?(collect|solicit|receive|process|obtain)/i,
  ],
  [
    'sell-and-share',
    /\b(sell|sells|selling|sale|sold)\b[^.\n]{0,30}\b(share|shares|sharing|shared)\b|\bcross-context behaviou?ral\b|\bglobal privacy control\b/i,
  ],
  [
    'optional-trackers',
    /\b(analytics|advertising|marketing|targeting|non-essential)\b[^.\n]{0,20}\b(cookies?|trackers?|technologies|pixels?)\b|\bconsent\b|\b(cookies?|pixels?|similar technologies)\b[^.\n]{0,120}\b(advertis\w*|ads|marketing)\b|\bcookie (settings|preferences|choices|controls|banner)\b|\b(manage|disable|reject|decline|refuse|block|turn off|opt out of|choose which)\b[^.\n]{0,25}\bcookies\b/i,
  ],
  [
    'ai-prohibited-practice',
    /\b(social scoring|emotion(al)? (recognition|inference|states?)|infer(ring)? (emotions|sensitive)|biometric (categori[sz]ation|identification)|predictive policing|facial recognition|subliminal|manipulat(e|es|ing|ive|ion)\b[^.\n]{0,30}\b(people|persons?|individuals?|users?|someone|behaviou?r|decisions?|choices)\b|exploit(ing|s)? (the )?vulnerabilit)/i,
  ],
  [
    'ai-disclosure',
    /\b(disclose|disclosing|disclosure|inform|tell)\b[^.\n]{0,60}\b(ai|artificial intelligence|bot|automated system)\b|\b(interacting|talking|chatting) with (an? )?(ai|bot|machine)\b/i,
  ],
  [
    'request-handling',
    /\b(verify|verification|authori[sz]ed agent|within (one|1|a) month|within (30|thirty|45|forty-five) days|respond to (your )?requests?)\b/i,
  ],
  [
    'mentions-incident',
    /\b(security incidents?|incidents?|breach(es)? of security|data breach(es)?|personal data breach(es)?)\b|\b(report|reports|reporting|notify)\b[^.\n]{0,60}\bbreach(es)?\b/i,
  ],
  [
    'user-notified-of-request',
    /\b(notify|notifies|notice to|inform|tell)\b[^.\n]{0,40}\b(users?|account holders?|affected|customers?|you)\b[^.\n]{0,80}\b(requests?|orders?|process|demands?)\b|\b(provide|provides|give|gives) (the )?(users?|account holders?|customers?) (with )?(prior )?notice\b/i,
  ],
  ['preservation', /\b(preserve|preserved|preservation)\b/i],
  [
    'reporting',
    /\b(report|reports|reporting|reported|flag|flagging|notice and action)\b|\bsend (us )?(a )?notices?\b|\bnotices? of (alleged )?(infring|illegal)|\bif you (believe|find|see|think|come across)\b[^.\n]{0,120}\b(illegal|infring\w*|violat\w*|abusive|harmful)\b/i,
  ],
  [
    'appeal',
    /\b(appeal|appeals|complaint|complaints|complain|request (a )?review|reconsider|counter[- ]?(notices?|notifications?)|contest(s|ed|ing)?|overturn\w*|(disagree with|challenge) (our|the|this|a) decision)\b/i,
  ],
  [
    'removal',
    /\b(remove|removes|removal|removed|restrict|restricts|restriction|disable|disabling|take down|taken down|block|blocking|suspend|suspension|delete|deletes|deleting|screen|screening|limit the (visibility|reach|distribution))\b/i,
  ],
  [
    'courts-named',
    /\b(courts?|venue|sue|tribunals?|(exclusive|non-exclusive) jurisdiction|jurisdiction of)\b/i,
  ],
  [
    'terms-changes',
    /\b(change|changes|modify|modifies|update|updates|amend|amends|revise|revises)\b[^.\n]{0,40}\b(terms|agreement|polic(y|ies)|prices?|fees?|pricing)\b/i,
  ],
  ['non-discrimination', /\b(discriminate|discrimination|discriminatory)\b/i],
  // Words the US state privacy laws coined and the GDPR never uses: a notice written in them addresses US residents.
  [
    'us-privacy-vocabulary',
    /\b(requests? to know|authori[sz]ed agents?|household requests?|state privacy laws?|(laws|rights) of (your|certain|some) states?|states? of residence|opt[- ]out preference signals?|global privacy control|cross[- ]context(ual)? behaviou?ral)\b/i,
  ],
  [
    'minimisation',
    /\b(minimi[sz]e|minimi[sz]es|minimi[sz]ation|minimi[sz]ing|reduce the amount of personal)/i,
  ],
  [
    'user-deletion',
    /\b(you|users?) (can |may |choose to )?(delete|erase|remove)\b|\b(when|if|after|once) you (delete|erase|remove)\b|\bdelet(e|ion) (requests?|your account)\b/i,
  ],
  ['names-erasure', /\b(delete|deletes|deleted|deletion|erase|erasure)\b/i],
  // Disclosure inside the corporate group or to a buyer: recipients under the GDPR, not a CCPA "sale" by itself.
  [
    'group-or-transaction',
    /\b(affiliates?|affiliated compan|subsidiar(y|ies)|parent compan(y|ies)|corporate (group|family|transactions?)|common (control|ownership)|mergers?|acquisitions?|acquired|reorgani[sz]ation|restructuring|bankruptcy|insolvency|change (of|in) control|divestiture)\b/i,
  ],
];

const lowerPattern = (pattern: RegExp): LowerPattern => compileLower(pattern.source, pattern.flags);

type Named = readonly [string, LowerPresence];
// Flags are presence tests: a pattern without literals is tried by its alternatives (see `lowerPresence`).
const lowerCased = (list: ReadonlyArray<readonly [string, RegExp]>): readonly Named[] =>
  list.map(([id, pattern]) => [id, lowerPresence(pattern.source, pattern.flags)] as const);

const REGIONS_LOWER = lowerCased(REGIONS);
const MECHANISMS_LOWER = lowerCased(MECHANISMS);
const FLAGS_LOWER = lowerCased(FLAG_PATTERNS);

function periodOf(match: RegExpExecArray): Period {
  const raw = match[1]!.toLowerCase();
  const value = NUMBER_WORDS[raw] ?? Number(raw);
  const unit = match[2]!.toLowerCase() as Period['unit'];
  return { text: match[0], value, unit, days: Math.round(value * UNIT_DAYS[unit] * 100) / 100 };
}

function monthIndex(name: string): number {
  return MONTHS.split('|').indexOf(name.toLowerCase()) + 1;
}

function isoDate(m: RegExpExecArray): string | null {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (m[1]) return `${m[3]}-${pad(monthIndex(m[1]))}-${pad(Number(m[2]))}`;
  if (m[5]) return `${m[6]}-${pad(monthIndex(m[5]))}-${pad(Number(m[4]))}`;
  if (m[7]) return `${m[7]}-${m[8]}-${m[9]}`;
  return null;
}

const uniq = <T>(items: T[]): T[] => [...new Set(items)];
const MAX_ITEMS = 12;

/** At most `limit` matches of a global pattern: hostile texts with thousands of matches stay cheap. */
function firstMatches(pattern: RegExp, text: string, limit: number): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null && found.length < limit; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex++;
    found.push(m);
  }
  return found;
}

// Prefilters (see cue-matcher.ts): periods need a unit word, parties a company suffix.
const PERIOD_KEYS = keyPresence(['hour', 'day', 'week', 'month', 'year']);
// PARTY's own suffixes, as written (case-sensitive like PARTY): a party needs one. Keys of words would miss "S.A."
// and "B.V." (one letter before the dot) and "Unlimited Company" (no word opens with a suffix's letters).
const PARTY_SUFFIX = new RegExp(PARTY_SUFFIXES);
// Without literals a pattern has no prefilter: it always runs.
const AGE_KEYS = AGE_PATTERNS.map((pattern) => {
  const literals = literalTriggers(pattern.source);
  return literals ? keyPresence(literals) : null;
});
const AGE_TEXT = AGE_PATTERNS.map(textPattern);
const OPT_OUT_LOWER = lowerPattern(OPT_OUT);
const USER_OWNS_LOWER = lowerPattern(USER_OWNS);
const PROVIDER_OWNS_LOWER = lowerPattern(PROVIDER_OWNS);
const LICENCE_LOWER = lowerPattern(LICENCE_TERMS);

export function extractAttributes(
  text: string,
  prepared: PreparedText = prepareText(text),
): ProvisionAttributes {
  const { lower } = prepared;
  const retentionPeriods: Period[] = [];
  const noticePeriods: Period[] = [];
  if (isPresent(PERIOD_KEYS, prepared))
    for (const m of firstMatches(PERIOD, text, 200)) {
      // Context is read within the period's own sentence: before it, and "days' notice" right after it.
      const window = text.slice(Math.max(0, m.index - 80), m.index);
      const before = window.slice(window.lastIndexOf('. ') + 1);
      const end = m.index + m[0].length;
      const after = text.slice(end, end + 60);
      const sentenceAfter = after.slice(0, after.indexOf('. ') === -1 ? after.length : after.indexOf('. '));
      const period = periodOf(m);
      if (NOTICE_CONTEXT.test(before) || NOTICE_AFTER.test(after)) noticePeriods.push(period);
      else if (RETENTION_CONTEXT.test(before) || RETENTION_CONTEXT.test(sentenceAfter))
        retentionPeriods.push(period);
      if (retentionPeriods.length + noticePeriods.length >= MAX_ITEMS) break;
    }
  const ages: number[] = [];
  AGE_TEXT.forEach((pattern, index) => {
    const keys = AGE_KEYS[index];
    if (keys && !isPresent(keys, prepared)) return;
    for (const m of textMatches(pattern, text, prepared, 50)) {
      const age = Number(m[1]);
      if (age >= 6 && age <= 21) ages.push(age);
    }
  });
  // Offsets of the lower-cased text are the text's only when lower-casing kept the length (almost always).
  const sameOffsets = lower.length === text.length;
  const quote = (hit: { start: number; end: number; match: RegExpExecArray }) =>
    (sameOffsets ? text.slice(hit.start, hit.end) : hit.match[0]).trim();
  const optOuts = uniq(lowerHits(OPT_OUT_LOWER, prepared, 50).map((h) => h.match[0])).slice(0, MAX_ITEMS);
  const ownershipClaims = [
    ...lowerHits(USER_OWNS_LOWER, prepared, 5).map((h) => ({ holder: 'user' as const, text: quote(h) })),
    ...lowerHits(PROVIDER_OWNS_LOWER, prepared, 5).map((h) => ({
      holder: 'provider' as const,
      text: quote(h),
    })),
  ];
  const licenceTerms = uniq(lowerHits(LICENCE_LOWER, prepared, 50).map((h) => h.match[1]!));
  const parties = PARTY_SUFFIX.test(text)
    ? uniq(firstMatches(PARTY, text, 50).map((m) => `${m[1]} ${m[2]}`)).slice(0, MAX_ITEMS)
    : [];
  const effectiveDates: string[] = [];
  // Every date form holds a year: a text without four digits in a row has none (and is not scanned).
  for (const m of FOUR_DIGITS.test(text) ? firstMatches(DATE_TEXT, text, 200) : []) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const iso = isoDate(m);
    if (iso && EFFECTIVE_CONTEXT.test(before)) effectiveDates.push(iso);
    if (effectiveDates.length >= MAX_ITEMS) break;
  }
  // Presence tests only: the lower-cased text with case-sensitive patterns, tried at word starts when possible.
  const holds = (list: readonly Named[]) =>
    list.filter(([, presence]) => lowerPresent(presence, prepared)).map(([id]) => id);
  const regions = holds(REGIONS_LOWER);
  const transferMechanisms = holds(MECHANISMS_LOWER);
  const flags = holds(FLAGS_LOWER);
  return {
    retentionPeriods,
    noticePeriods,
    ageThresholds: uniq(ages).sort((a, b) => a - b),
    optOuts,
    ownershipClaims,
    licenceTerms,
    parties,
    effectiveDates: uniq(effectiveDates),
    regions,
    transferMechanisms,
    flags,
  };
}
