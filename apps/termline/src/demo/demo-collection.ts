/**
 * A small demo collection of fictional services, written for Termline. It shows the interesting cases at once:
 * several versions, a re-fetch that changed nothing, markup-only changes, a document combined from two pages, and
 * for the governance layer provisions of most categories with changes that move exposure: a retention period
 * lengthened, an AI-training opt-out added then removed, an arbitration clause added, advertising sharing added,
 * and a change announced for a date still ahead.
 */
export interface DemoFetch {
  fetchId: string;
  service: string;
  documentType: string;
  sourceUrl: string;
  sourcePart?: string;
  fetchedAt: string;
  mimeType: 'text/html' | 'text/markdown' | 'text/plain';
  content: string;
}

const page = (title: string, body: string, tracking = 'a1') =>
  `<!doctype html><html><head><title>${title}</title><script>window.t="${tracking}"</script></head>` +
  `<body><nav>Home · Pricing · Legal</nav><main><h1>${title}</h1>${body}</main><footer>© Fictional Ltd.</footer></body></html>`;

const section = (heading: string, ...paragraphs: string[]) =>
  `<h2>${heading}</h2>${paragraphs.map((p) => `<p>${p}</p>`).join('')}`;

interface NimbusTerms {
  retention: string;
  disputes: string;
  termination: string;
  changes: string;
  preamble?: string;
}

const NIMBUS_TERMS_V1: NimbusTerms = {
  retention:
    'We retain your deleted notes for 30 days so that you can restore them; after this retention period we delete them permanently.',
  disputes:
    'These terms are governed by the laws of Ireland, and any dispute is settled by the courts of Dublin, Ireland. If you live in the EU you may also bring proceedings in the courts of your home country.',
  termination:
    'We may suspend or terminate your account if you seriously or repeatedly breach these terms. We will give you notice and a chance to export your notes first, unless the law requires us to act at once.',
  changes:
    'We will tell you about material changes to these terms by email at least 30 days before they take effect, and you may close your account before then.',
};

const nimbusTerms = (t: NimbusTerms) =>
  page(
    'Nimbus Notes Terms of Service',
    (t.preamble ? `<p>${t.preamble}</p>` : '') +
      section('1. Acceptance', 'By creating an account or using Nimbus Notes you accept these terms.') +
      section(
        '2. Your content',
        'You own the notes you write. You grant us a worldwide, non-exclusive, royalty-free licence to host, copy and display your content only as needed to run the service for you.',
      ) +
      section('3. Deleted notes', t.retention) +
      section(
        '4. Acceptable use',
        'You must not use Nimbus Notes to store malware, to harass other people or to infringe intellectual property. We may remove content that breaks these rules.',
      ) +
      section('5. Suspension and termination', t.termination) +
      section(
        '6. Liability',
        'To the extent permitted by law, our total liability to you is limited to the fees you paid us in the twelve months before the claim. Nothing in these terms limits liability for death or personal injury caused by negligence.',
      ) +
      section('7. Disputes', t.disputes) +
      section('8. Changes to these terms', t.changes),
  );

const nimbusPrivacy = (advertising: string) =>
  page(
    'Nimbus Notes Privacy Policy',
    section(
      'Information we collect',
      'We collect the personal data you give us when you create an account: your name, email address and payment details.',
    ) +
      section(
        'Device and usage data',
        'We collect log data and device information such as your IP address, browser type and crash reports to keep the service running.',
      ) +
      section(
        'Cookies',
        'We use strictly necessary cookies to keep you signed in. With your consent we also use analytics cookies, which you can refuse in the cookie banner.',
      ) +
      section('Advertising', advertising) +
      section(
        'International transfers',
        'Your data is stored in the EU. When our service providers access it from outside the European Economic Area, we rely on the Standard Contractual Clauses approved by the European Commission.',
      ) +
      section(
        'Service providers',
        'We use sub-processors for hosting, email delivery and payments. Each is bound by a data processing agreement, and we list them on our sub-processor page.',
      ) +
      section(
        'Children',
        'Nimbus Notes is not directed to children under 13, and we do not knowingly collect personal information from children under 13. If we learn that we have, we delete it.',
      ) +
      section(
        'Your rights',
        'You have the right to access, correct, delete and export your personal data, and to object to processing, by writing to privacy@nimbus.example.',
      ) +
      section(
        'Security',
        'We encrypt your notes in transit and at rest. If a personal data breach affects you, we will notify you and the supervisory authority without undue delay.',
      ),
  );

interface OrbitPrivacy {
  training: string;
  retention: string;
}

const orbitPrivacy = (o: OrbitPrivacy) =>
  page(
    'Orbit Chat Privacy Policy',
    `<h2>What we collect</h2><ul><li>Account data: name, email.</li><li>Messages you send to the assistant.</li></ul>` +
      `<h2>How we use it</h2><p>To provide the service and keep it secure.</p><p>${o.training}</p>` +
      section('How long we keep your data', o.retention) +
      section(
        'Automated decisions',
        'We use automated systems to detect abuse, which may suspend an account without human involvement. You can ask for a human to review any such decision.',
      ) +
      section(
        'Requests from authorities',
        'We disclose personal data to law enforcement or government authorities only when a valid legal process such as a subpoena or court order requires it, and we tell you unless the law forbids it.',
      ) +
      section(
        'Your rights',
        'You can access, correct and erase your data under the GDPR by writing to privacy@orbit.example.',
      ),
  );

const ORBIT_V1: OrbitPrivacy = {
  training: 'We do not use your conversations to train our models.',
  retention: 'We keep your conversations for 30 days, then delete them.',
};

const quillTerms = (outputs: string, data: string) =>
  `# Quill AI Terms\n\n## 1. The service\n\nQuill AI writes drafts for you.\n\n## 2. Outputs\n\n${outputs}\n\n` +
  `## 3. Your prompts\n\n${data}\n\n` +
  `## 4. Indemnity\n\nYou agree to indemnify and hold Quill AI harmless from any claims, damages and costs arising from your use of the outputs or your breach of these terms.\n\n` +
  `## 5. Appeals\n\nIf we remove your content or restrict your account, we tell you why. You can appeal the decision within 14 days through the in-app form, and a person reviews every appeal.\n`;

const QUILL_DATA_V1 =
  'We store your prompts for 30 days to monitor abuse and then delete them. We do not use your prompts or outputs to train our models.';

export const DEMO_COLLECTION: DemoFetch[] = [
  {
    fetchId: 'demo-nimbus-tos-1',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-01-05T09:00:00Z',
    mimeType: 'text/html',
    content: nimbusTerms(NIMBUS_TERMS_V1),
  },
  {
    fetchId: 'demo-nimbus-tos-2',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-01-12T09:00:00Z',
    mimeType: 'text/html',
    // The same page fetched again: recorded as "checked, unchanged".
    content: nimbusTerms(NIMBUS_TERMS_V1),
  },
  {
    fetchId: 'demo-nimbus-tos-3',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-02-02T09:00:00Z',
    mimeType: 'text/html',
    // The retention period of deleted notes lengthened.
    content: nimbusTerms({
      ...NIMBUS_TERMS_V1,
      retention:
        'We retain your deleted notes for 180 days so that you can restore them; after this retention period we delete them permanently.',
    }),
  },
  {
    fetchId: 'demo-nimbus-tos-4',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-03-16T09:00:00Z',
    mimeType: 'text/html',
    // An arbitration clause with a class-action waiver replaces the courts.
    content: nimbusTerms({
      ...NIMBUS_TERMS_V1,
      retention:
        'We retain your deleted notes for 180 days so that you can restore them; after this retention period we delete them permanently.',
      disputes:
        'Any dispute arising from these terms is resolved by binding individual arbitration, and you waive any right to participate in a class action or class-wide arbitration.',
    }),
  },
  {
    fetchId: 'demo-nimbus-tos-5',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-10-20T09:00:00Z',
    mimeType: 'text/html',
    // Announced months ahead: termination without notice and changes at any time, effective 1 June 2027.
    content: nimbusTerms({
      preamble: 'Last updated: 20 October 2026. These terms take effect on 1 June 2027.',
      retention:
        'We retain your deleted notes for 180 days so that you can restore them; after this retention period we delete them permanently.',
      disputes:
        'Any dispute arising from these terms is resolved by binding individual arbitration, and you waive any right to participate in a class action or class-wide arbitration.',
      termination:
        'We may suspend or terminate your account at any time, for any reason, without notice and without liability to you.',
      changes:
        'We may change these terms at any time without notice. Your continued use of Nimbus Notes after a change means you accept the new terms.',
    }),
  },
  {
    fetchId: 'demo-nimbus-privacy-1',
    service: 'Nimbus Notes',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://nimbus.example/legal/privacy',
    fetchedAt: '2026-01-05T09:05:00Z',
    mimeType: 'text/html',
    content: nimbusPrivacy('We do not show ads and we do not sell or share your personal information.'),
  },
  {
    fetchId: 'demo-nimbus-privacy-2',
    service: 'Nimbus Notes',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://nimbus.example/legal/privacy',
    fetchedAt: '2026-05-04T09:05:00Z',
    mimeType: 'text/html',
    // Free plans get ads: profiling and sharing with advertising partners.
    content: nimbusPrivacy(
      'On free plans we show personalised ads. We share device identifiers and usage data with advertising partners to build interest profiles, which may count as a sale or sharing of personal information under California law. You can opt out of the sale or sharing of your personal information through the "Do Not Sell or Share My Personal Information" link.',
    ),
  },
  {
    fetchId: 'demo-orbit-privacy-1',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-01-08T14:30:00Z',
    mimeType: 'text/html',
    content: orbitPrivacy(ORBIT_V1),
  },
  {
    fetchId: 'demo-orbit-privacy-2',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-02-20T14:30:00Z',
    mimeType: 'text/html',
    // Only the tracking script changed: a new snapshot, the same text, no new version.
    content: orbitPrivacy(ORBIT_V1).replace('window.t="a1"', 'window.t="b7"'),
  },
  {
    fetchId: 'demo-orbit-privacy-3',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-04-01T14:30:00Z',
    mimeType: 'text/html',
    content: orbitPrivacy({
      ...ORBIT_V1,
      training:
        'We may use your conversations to train and improve our models unless you opt out in Settings › Data controls.',
    }),
  },
  {
    fetchId: 'demo-orbit-privacy-4',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-07-15T14:30:00Z',
    mimeType: 'text/html',
    // The opt-out is gone, and conversations are kept much longer.
    content: orbitPrivacy({
      training:
        'We use your conversations to train and improve our models. This is part of how the service works and cannot be turned off.',
      retention: 'We may retain your conversations indefinitely, including after you close your account.',
    }),
  },
  {
    fetchId: 'demo-quill-terms-main-1',
    service: 'Quill AI',
    documentType: 'Terms of Service',
    sourceUrl: 'https://quill.example/terms',
    sourcePart: 'terms',
    fetchedAt: '2026-02-01T08:00:00Z',
    mimeType: 'text/markdown',
    content: quillTerms('You own the outputs, subject to the Usage Policy.', QUILL_DATA_V1),
  },
  {
    fetchId: 'demo-quill-terms-usage-1',
    service: 'Quill AI',
    documentType: 'Terms of Service',
    sourceUrl: 'https://quill.example/usage-policy',
    sourcePart: 'usage-policy',
    fetchedAt: '2026-02-01T08:02:00Z',
    mimeType: 'text/markdown',
    content: '# Usage Policy\n\n- Do not generate malware.\n- Do not impersonate real people.\n',
  },
  {
    fetchId: 'demo-quill-terms-usage-2',
    service: 'Quill AI',
    documentType: 'Terms of Service',
    sourceUrl: 'https://quill.example/usage-policy',
    sourcePart: 'usage-policy',
    fetchedAt: '2026-05-10T08:02:00Z',
    mimeType: 'text/markdown',
    content:
      '# Usage Policy\n\n- Do not generate malware.\n- Do not impersonate real people.\n- Label AI-generated images as such, as the EU AI Act requires.\n',
  },
  {
    fetchId: 'demo-quill-terms-main-2',
    service: 'Quill AI',
    documentType: 'Terms of Service',
    sourceUrl: 'https://quill.example/terms',
    sourcePart: 'terms',
    fetchedAt: '2026-08-03T08:00:00Z',
    mimeType: 'text/markdown',
    // Outputs become Quill's to reuse, and prompts are kept longer.
    content: quillTerms(
      'You own the outputs, but you grant Quill AI a perpetual, irrevocable licence to use, copy and publish them for any purpose.',
      'We store your prompts for 2 years to monitor abuse and improve the service. We do not use your prompts to train our models.',
    ),
  },
];
