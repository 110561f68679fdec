import { compareVersions } from '@termline/readmodels';
import { classifyProvision } from '@termline/regulatory';
import { alignVersionProvisions, extractText, segmentProvisions, versionIdentity } from '@termline/text';

/**
 * A made-up terms page, one section per subject the classifier knows, so that a warm-up runs every path of the text
 * engine and the classifier once: the first real documents then meet compiled code, not the interpreter (a cold
 * classifier took 2.4 times as long per provision over its first 200 provisions, ADR 0025's amendment).
 */
const SUBJECTS = [
  [
    'Information we collect',
    'We collect the name, email address and payment details you give us when you sign up.',
  ],
  [
    'Usage data',
    'We record how you use the service: pages viewed, device identifiers, crash logs and performance metrics.',
  ],
  [
    'Training our models',
    'We may use your prompts and content to train and improve our machine learning models unless you opt out.',
  ],
  [
    'Outputs',
    'As between you and us, you own the output generated for you, and we assign to you our rights in it.',
  ],
  [
    'Your content',
    'You grant us a worldwide, royalty-free licence to host, copy and display the content you post.',
  ],
  [
    'Retention',
    'We keep personal data for as long as your account is open and delete it within 30 days of closure.',
  ],
  ['Transfers', 'Your data may be transferred to the United States under standard contractual clauses.'],
  [
    'Service providers',
    'We share data with sub-processors who host, support and secure the service on our behalf.',
  ],
  [
    'Children',
    'The service is not directed to children under 13, and we delete data we learn was collected from one.',
  ],
  [
    'Cookies',
    'We and our partners use cookies, pixels and similar trackers; you can refuse non-essential cookies.',
  ],
  [
    'Advertising',
    'We show ads selected on the basis of your interests and activity, and build a profile for that.',
  ],
  [
    'Sale of data',
    'We do not sell personal information, and we do not share it for cross-context behavioural advertising.',
  ],
  [
    'Your rights',
    'You may access, correct, delete or port your data, and object to processing, by writing to us.',
  ],
  [
    'Automated decisions',
    'Some decisions about your account are made by automated means; you may ask for a human review.',
  ],
  [
    'Security',
    'We protect data with encryption and will notify you of a breach that affects you without undue delay.',
  ],
  [
    'Law enforcement',
    'We disclose data to authorities when required by a valid subpoena, court order or search warrant.',
  ],
  ['Acceptable use', 'You must not use the service to harass others, send spam, scrape it or break the law.'],
  [
    'Moderation and appeals',
    'We may remove content that breaks these rules; you can appeal a decision within six months.',
  ],
  [
    'Liability',
    'To the maximum extent permitted by law we are not liable for indirect or consequential damages.',
  ],
  ['Indemnity', 'You will indemnify and hold us harmless from claims arising from your use of the service.'],
  ['Disputes', 'Disputes are settled by binding individual arbitration, and you waive any class action.'],
  ['Governing law', 'These terms are governed by the laws of the State of California.'],
  ['Termination', 'We may suspend or terminate your account at any time if you breach these terms.'],
  ['Changes', 'We may change these terms; we will notify you 30 days before a material change takes effect.'],
] as const;

/** The sample page; `variant` is appended to every section (the edited copy the diff runs on). */
export function warmUpSamplePage(variant = ''): string {
  const sections = SUBJECTS.map(([title, body], index) => `## ${index + 1}. ${title}\n\n${body}${variant}`);
  return `# Terms of Service\n\nLast updated: 1 March 2026\n\n${sections.join('\n\n')}\n`;
}

/**
 * Runs the text engine's steps and the classifier once on the sample page, in the calling thread: extraction (HTML),
 * the version identity, alignment and diff against an edited copy, and the classification of every provision.
 * Answers how many provisions it classified (for a test to see that the work was done).
 */
export function warmUpTextEngine(): number {
  const before = warmUpSamplePage('');
  const after = warmUpSamplePage(' This applies to every user.');
  const html = `<html><body><main>${before
    .split('\n\n')
    .map((block) => `<p>${block.replace(/^#+ /, '')}</p>`)
    .join('')}</main></body></html>`;
  extractText({
    content: Buffer.from(html),
    mimeType: 'text/html',
    fetchedAt: '2026-03-01T00:00:00Z',
    service: 'Warm-up',
    documentType: 'Terms of Service',
  });
  versionIdentity(after, ['relative-times']);
  const first = alignVersionProvisions(null, before);
  const previous = { text: before, provisionIds: first.provisions.map((p) => p.id), version: 1 };
  alignVersionProvisions(previous, after);
  compareVersions(previous, after, { withPatch: false });
  const provisions = segmentProvisions(after);
  for (const provision of provisions)
    classifyProvision({
      text: provision.text,
      heading: provision.heading,
      service: 'Warm-up',
      documentType: 'Terms of Service',
    });
  return provisions.length;
}
