import { CONDITION_IDS, type ConditionId } from '../taxonomy/categories.data';
import type { ProvisionAttributes } from './extract-attributes';

const KNOWN = new Set<string>(CONDITION_IDS);
/** Past about a quarter, a stated retention period is long enough that its purpose must carry it. */
const LONG_RETENTION_DAYS = 90;

/** The conditions of the taxonomy's rules that hold for a provision, from its extracted attributes. */
export function conditionsOf(attributes: ProvisionAttributes): Set<ConditionId> {
  const held = new Set<ConditionId>();
  const add = (id: ConditionId, when: boolean) => {
    if (when) held.add(id);
  };
  for (const flag of attributes.flags) if (KNOWN.has(flag)) held.add(flag as ConditionId);
  const regions = new Set(attributes.regions);
  add('us-audience', regions.has('us') || regions.has('us-california'));
  add('california', regions.has('us-california'));
  add('eu-audience', regions.has('eu-eea'));
  add('uk-audience', regions.has('uk'));
  add('brazil-audience', regions.has('brazil'));
  add(
    'under-13',
    attributes.ageThresholds.some((age) => age <= 13),
  );
  add('opt-out-offered', attributes.optOuts.length > 0);
  add('no-opt-out-stated', attributes.optOuts.length === 0);
  add(
    'provider-owns',
    attributes.ownershipClaims.some((claim) => claim.holder === 'provider'),
  );
  add(
    'user-owns',
    attributes.ownershipClaims.some((claim) => claim.holder === 'user'),
  );
  const mechanisms = new Set(attributes.transferMechanisms);
  add('adequacy-named', mechanisms.has('adequacy') || mechanisms.has('data-privacy-framework'));
  add(
    'safeguards-named',
    mechanisms.has('standard-contractual-clauses') ||
      mechanisms.has('binding-corporate-rules') ||
      mechanisms.has('idta'),
  );
  add('retention-period-stated', attributes.retentionPeriods.length > 0);
  add(
    'long-retention-period',
    attributes.retentionPeriods.some((period) => period.days > LONG_RETENTION_DAYS),
  );
  add('transfer-safeguards', attributes.transferMechanisms.length > 0);
  if (held.has('denies-sale')) held.delete('sells-or-shares');
  add('age-or-parent', held.has('age-requirement') || held.has('parental-permission'));
  // COPPA binds operators who collect from US children under 13 or know they do: a text naming it, a US text
  // with such an age, or the actual-knowledge statement ("we do not knowingly collect … from children under N").
  add(
    'coppa-engaged',
    attributes.flags.includes('names-coppa') ||
      (held.has('under-13') && held.has('us-audience')) ||
      (held.has('knowing-collection') &&
        (attributes.ageThresholds.length > 0 || attributes.flags.includes('names-children')) &&
        !held.has('eu-audience')),
  );
  // A notice in US state-law words that never speaks to the EU is a US notice: the taxonomy reads those laws through
  // the CCPA (as it does a California notice), and the GDPR is not what binds it (ADR 0030).
  add(
    'us-state-notice',
    held.has('us-privacy-vocabulary') &&
      !held.has('eu-audience') &&
      !held.has('uk-audience') &&
      !held.has('brazil-audience'),
  );
  if (held.has('us-state-notice')) held.add('california');
  // Sharing with named recipients (the group, a buyer, measurement partners) is a question of recipients and lawful
  // basis unless the text speaks the CCPA's language: selling, ads across contexts, a refusal to sell, California.
  // "A sale of assets or shares" is a corporate transaction, not the CCPA's "sell and share".
  const sellAndShare = attributes.flags.includes('sell-and-share') && !held.has('group-or-transaction');
  const saleLanguage =
    sellAndShare ||
    held.has('sells-or-shares') ||
    held.has('targeted-ads') ||
    held.has('denies-sale') ||
    held.has('california');
  add('disclosure-to-recipients', !saleLanguage);
  add('sale-context', saleLanguage);
  add('ccpa-engaged', held.has('california') || sellAndShare);
  return held;
}
