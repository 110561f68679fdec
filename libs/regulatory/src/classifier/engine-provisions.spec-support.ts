/**
 * Provisions written for the engine's specs (not corpus text): one per category of the taxonomy and three kinds of
 * `none`, phrased the way privacy notices and consumer terms phrase them, each with a Markdown heading. Each is the
 * main category of its own provision (checked by cue-matcher.unit.spec.ts), so together they run every category's
 * cues, the attribute patterns and the `none` tests.
 */
export const ENGINE_PROVISIONS: Readonly<Record<string, string>> = {
  'personal-data-collection':
    '## Information we collect\n\nWe collect the following personal information when you create an account: your name and email address, the phone number you give us and the content you submit.',
  'usage-telemetry':
    '## Information collected automatically\n\nWhen you use the app we automatically collect log data, device information, your IP address, browser type and how you interact with features.',
  'ai-training-on-user-content':
    '## How we improve our models\n\nWe may use your prompts, conversations and other content to train and improve our AI models. You can opt out of model training in your settings.',
  'output-ownership':
    '## Ownership of outputs\n\nAs between you and us, you own all outputs you generate, and we assign to you all our right, title and interest in and to the output.',
  'licence-to-user-content':
    '## Your content\n\nBy posting content you grant us a worldwide, non-exclusive, royalty-free, sublicensable and transferable licence to host, reproduce, display and distribute it.',
  retention:
    '## Data retention\n\nWe keep your profile for as long as you hold an account. Messages you delete are erased from our servers within 30 days, and backups are kept for no longer than 90 days.',
  'international-transfers':
    '## Transfers outside the EEA\n\nWe transfer personal data to countries outside the European Economic Area. Where no adequacy decision applies we rely on the standard contractual clauses.',
  'sub-processors':
    '## Sub-processors\n\nWe engage sub-processors to process customer data on our behalf. A list of our sub-processors is available, and we will notify you before adding a new one.',
  children:
    '## Children\n\nOur service is not directed to children under 13 and we do not knowingly collect personal information from them. Teenagers aged 13 to 17 may use it only with the consent of a parent.',
  'cookies-trackers':
    '## Cookies\n\nWe use cookies, pixels and similar technologies. Analytics cookies are set only with your consent, and you can manage your cookie preferences at any time.',
  'profiling-advertising':
    '## Advertising\n\nWe show personalised ads based on your interests and activity, and we work with advertising partners who measure how ads perform.',
  'sale-or-sharing':
    '## Sale or sharing of personal information\n\nWe do not sell your personal information. We share it with advertising partners for cross-context behavioral advertising, and you may opt out of this sharing.',
  'data-subject-rights':
    '## Your rights\n\nYou have the right to access, correct or delete your personal data, to object to processing and to data portability. To exercise these rights, submit a request and we will verify your identity.',
  'automated-decisions':
    '## Automated decisions\n\nWe use automated decision-making to assess eligibility for credit. You have the right to obtain human review of any decision made by automated processing and to contest it.',
  'security-breach':
    '## Security\n\nWe use encryption and access controls to protect your data. If a data breach affects your personal data, we will notify you and the supervisory authority without undue delay.',
  'law-enforcement-requests':
    '## Requests from authorities\n\nWe disclose information to law enforcement only in response to valid legal process such as a subpoena or court order, and we notify affected users unless prohibited.',
  'acceptable-use':
    '## Prohibited conduct\n\nYou agree not to harass other users, upload viruses, scrape the site with bots, or circumvent our security measures.',
  'content-moderation-appeals':
    '## Content moderation\n\nWe may remove content that violates these terms. If we remove your content you will be notified and you can appeal the decision through our appeals form.',
  'liability-limits':
    '## Limitation of liability\n\nTo the maximum extent permitted by law, we are not liable for indirect or consequential damages, and our aggregate liability will not exceed the greater of $100 or the fees you paid.',
  indemnity:
    '## Your obligation to defend us\n\nYou agree to indemnify, defend and hold harmless the company and its officers against all claims, losses and legal fees that result from your content or misuse of the platform.',
  'arbitration-class-waiver':
    '## Dispute resolution\n\nAny dispute will be resolved by binding individual arbitration. You waive any right to participate in a class action. You may opt out of arbitration within 30 days.',
  'governing-law':
    '## Applicable law and venue\n\nThe laws of the State of California govern this agreement, and you consent to the exclusive jurisdiction of the state and federal courts located in San Francisco.',
  termination:
    '## Ending your account\n\nWe may terminate or suspend your access immediately if you violate this agreement. You may stop using the service and delete your account whenever you like; upon termination your licence ends.',
  'unilateral-changes':
    '## Updates to this agreement\n\nWe may revise this agreement at any time by posting the updated version. If a change is material we will email you in advance, and by continuing to use the service after the change you agree to it.',
  'none-contents':
    '## Contents\n\n- [Who we are](#who)\n- [What we collect](#collect)\n- [How we use it](#use)\n- [Your choices](#choices)\n- [Contact us](#contact)',
  'none-definitions':
    '## Definitions\n\n"Account" means your registration with us. "Content" means text and images. "Service" means our website and apps.',
  'none-outline': '* 1. Introduction\n* 2. Scope\n* 3. Accounts\n* 4. Payments\n* 5. Contact',
};
