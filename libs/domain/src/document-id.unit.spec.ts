import { DOCUMENT_ID_PATTERN, documentIdOf, documentIdOfStream, streamIdOf } from './document-id';

describe('document ids', () => {
  it('derives a stable, URL-safe id from service and document type', () => {
    expect(documentIdOf('Claude.ai', 'Privacy Policy')).toBe('claude-ai__privacy-policy');
    expect(documentIdOf('Google Generative AI Services', 'Terms of Service')).toBe(
      'google-generative-ai-services__terms-of-service',
    );
    expect(documentIdOf('Société Générale', 'Conditions générales')).toBe(
      'societe-generale__conditions-generales',
    );
    expect(documentIdOf('Grok', 'Terms of Service')).toMatch(DOCUMENT_ID_PATTERN);
  });

  it('round-trips through stream ids', () => {
    expect(documentIdOfStream(streamIdOf('grok__terms-of-service'))).toBe('grok__terms-of-service');
    expect(() => documentIdOfStream('other:x')).toThrow();
  });
});
