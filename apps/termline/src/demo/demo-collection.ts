/**
 * A small demo collection of fictional services, written for Termline. It shows the interesting cases at once:
 * several versions, a re-fetch that changed nothing, markup-only changes, and a document combined from two pages.
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

const nimbusTerms = (retention: string, arbitration: string) =>
  page(
    'Nimbus Notes Terms of Service',
    `<h2>1. Acceptance</h2><p>By using Nimbus Notes you accept these terms.</p>` +
      `<h2>2. Your content</h2><p>You own your notes. We keep deleted notes for ${retention} so you can restore them.</p>` +
      `<h2>3. Disputes</h2><p>${arbitration}</p>` +
      `<h2>4. Changes</h2><p>We will tell you about material changes by email at least 30 days in advance.</p>`,
  );

const orbitPrivacy = (training: string) =>
  page(
    'Orbit Chat Privacy Policy',
    `<h2>What we collect</h2><ul><li>Account data: name, email.</li><li>Messages you send to the assistant.</li></ul>` +
      `<h2>How we use it</h2><p>To provide the service and keep it secure.</p><p>${training}</p>` +
      `<h2>Your rights</h2><p>You can access, correct and erase your data under the GDPR by writing to privacy@orbit.example.</p>`,
  );

export const DEMO_COLLECTION: DemoFetch[] = [
  {
    fetchId: 'demo-nimbus-tos-1',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-01-05T09:00:00Z',
    mimeType: 'text/html',
    content: nimbusTerms('30 days', 'Disputes are settled by the courts of Dublin, Ireland.'),
  },
  {
    fetchId: 'demo-nimbus-tos-2',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-01-12T09:00:00Z',
    mimeType: 'text/html',
    // The same page fetched again: recorded as "checked, unchanged".
    content: nimbusTerms('30 days', 'Disputes are settled by the courts of Dublin, Ireland.'),
  },
  {
    fetchId: 'demo-nimbus-tos-3',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-02-02T09:00:00Z',
    mimeType: 'text/html',
    content: nimbusTerms('90 days', 'Disputes are settled by the courts of Dublin, Ireland.'),
  },
  {
    fetchId: 'demo-nimbus-tos-4',
    service: 'Nimbus Notes',
    documentType: 'Terms of Service',
    sourceUrl: 'https://nimbus.example/legal/terms',
    fetchedAt: '2026-03-16T09:00:00Z',
    mimeType: 'text/html',
    content: nimbusTerms(
      '90 days',
      'Any dispute is resolved by binding individual arbitration; you waive the right to a class action.',
    ),
  },
  {
    fetchId: 'demo-orbit-privacy-1',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-01-08T14:30:00Z',
    mimeType: 'text/html',
    content: orbitPrivacy('We do not use your conversations to train our models.'),
  },
  {
    fetchId: 'demo-orbit-privacy-2',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-02-20T14:30:00Z',
    mimeType: 'text/html',
    // Only the tracking script changed: a new snapshot, the same text, no new version.
    content: orbitPrivacy('We do not use your conversations to train our models.').replace('window.t="a1"', 'window.t="b7"'),
  },
  {
    fetchId: 'demo-orbit-privacy-3',
    service: 'Orbit Chat',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://orbit.example/privacy',
    fetchedAt: '2026-04-01T14:30:00Z',
    mimeType: 'text/html',
    content: orbitPrivacy(
      'We may use your conversations to train and improve our models unless you opt out in Settings › Data controls.',
    ),
  },
  {
    fetchId: 'demo-quill-terms-main-1',
    service: 'Quill AI',
    documentType: 'Terms of Service',
    sourceUrl: 'https://quill.example/terms',
    sourcePart: 'terms',
    fetchedAt: '2026-02-01T08:00:00Z',
    mimeType: 'text/markdown',
    content:
      '# Quill AI Terms\n\n## 1. The service\n\nQuill AI writes drafts for you.\n\n## 2. Outputs\n\nYou own the outputs, subject to the Usage Policy.\n',
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
];
