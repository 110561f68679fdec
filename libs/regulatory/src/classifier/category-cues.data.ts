import type { CategoryId } from '../taxonomy/categories.data';

/**
 * The lexicon: weighted phrase patterns per category. `body` cues are matched in the provision's text, `heading`
 * cues in its heading, `negative` cues subtract. Patterns are case-insensitive, use only bounded gaps
 * (`[^.\n]{0,N}`) and no nested quantifiers, so a scan is linear in the text length.
 *
 * Written from the vocabulary of privacy policies and consumer terms in general, not from sentences of the
 * labelled set: each cue is a phrase a lawyer would recognise as a marker of the category.
 */
export interface CueSource {
  readonly pattern: string;
  readonly weight: number;
  /**
   * The cue names its category outright (automated decision-making): a text that matches it reports the category
   * beside the main one even when a long section's main topic outscores it by far. On a negative cue: the wording
   * is outright not the category, and the learned model may not add it back (1.6.0).
   */
  readonly decisive?: boolean;
}

export interface CategoryCueSource {
  readonly id: Exclude<CategoryId, 'none'>;
  readonly body: readonly CueSource[];
  readonly heading: readonly CueSource[];
  readonly negative?: readonly CueSource[];
  /** Document types (lower case, substring) in which a provision leans to this category. */
  readonly documentTypes?: readonly CueSource[];
}

const c = (pattern: string, weight: number): CueSource => ({ pattern, weight });
const decisive = (pattern: string, weight: number): CueSource => ({ pattern, weight, decisive: true });

export const CATEGORY_CUES: readonly CategoryCueSource[] = [
  {
    id: 'personal-data-collection',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c(
        '\\b(handynummer|telefonnummer|kontodaten|profilname|profilbild)\\b|\\bpersonenbezogenen? daten\\b',
        1.5,
      ),
      c('\\bprocess(es|ed|ing)? (their |your |the |any |such )?personal (data|information)\\b', 1.5),
      c('\\bcollect, (use|store|process|disclose)\\b', 2),
      c('\\bpersonal (data|information)\\b', 0.8),
      // Often a referent in other sections ("protect the information we collect"): weak on its own.
      c('\\b(the )?(personal )?(data|information) (that )?we (collect|process|obtain|hold)\\b', 0.8),
      c(
        '\\bwe (process|use) (the following|these|this|such) (categories of )?(personal )?(data|information)\\b',
        1.5,
      ),
      c('\\bpurposes? (for which|of (the )?processing)\\b', 1.5),
      c('\\b(your )?(name|username),? (and |or )?(e-?mail|password|phone)', 1.5),
      c('\\bprovided (by you|to us)\\b', 1),
      c(
        '\\binformation (that )?you (give|provide|share|submit)\\b|\\bwhen you (create|register|sign up|contact|use)\\b',
        1.5,
      ),
      c('\\b(personal )?information (such as|including)\\b|\\bidentifiers\\b', 1),
      // "We collect" followed by what is collected, not "the information we collect from …".
      c(
        '\\bwe (may |also )*(collect|gather) (the following|your|information|personal|data|certain|some|details|content|the (content|information|data|name)|any|such|limited|only|and (process|use|store))\\b',
        2,
      ),
      c('\\b(personal (data|information)|information|data) (that )?you (provide|give|submit)', 2),
      // "The information we collect" mostly names what was collected on the way to another subject (sharing it,
      // using it, securing it): a weaker sign than a statement of what is collected (1.11.0).
      c('\\b(personal (data|information)|information|data) (that )?we (collect|receive)', 1),
      c(
        '\\bcollect(s|ed|ion)? (of )?(your |the following |certain |some )?(personal )?(data|information)\\b',
        2,
      ),
      c('\\baccount (information|data|details)\\b', 1.5),
      // Data of the body: faces, voices, fingerprints read to identify a person (GDPR Art. 9; 1.11.0).
      c(
        '\\b(facial recognition|face (analysis|geometry|scans?|templates?)|biometric (data|information|identifiers?)|voiceprints?|fingerprints?)\\b',
        2,
      ),
      c('\\b(contact|payment|identity|profile|registration) (information|data|details)\\b', 1),
      c('\\bcategories of (personal )?(data|information)\\b', 1.5),
      c('\\b(email address|phone number|date of birth|billing address|payment card)\\b', 1),
      c('\\bsources? of (personal )?(data|information)\\b', 1),
      c('\\bwe (may )?(also )?(receive|obtain) (personal )?(data|information)\\b', 1.5),
      c('\\b(from|provided by) (other sources|third parties|our partners)\\b', 1),
      c('\\b(we|may) (use|process) (your |the )?(personal )?(data|information)\\b', 1.5),
      c('\\badmin(istrator)?s? (may|can|will)( be able to)? (access|monitor|control|view|manage)\\b', 2),
      // Kinds of collection a list of data types does not name (1.10.0): what is inferred about a person, what must
      // be given for the service to work, personal data taken from public sources, data others send about a person.
      c(
        '\\b(we|may|will|can|to) (also )?infer(s|red|ring)? (information|attributes|characteristics|details|things|your|certain|what)\\b|\\binferred (information|data|attributes)\\b',
        1.5,
      ),
      c(
        '\\b(some|certain|this|the|such|your) (personal )?(information|data|details) (is|are) (required|necessary|mandatory|needed)\\b|\\bneed(s)? to provide (us )?(with )?(certain|some|your|the following) (personal )?(information|data|details)\\b',
        1.5,
      ),
      c(
        '\\b(collect|obtain|receive|gather|use)s? (publicly available|public|publicly accessible) (personal )?(data|information)\\b',
        2,
      ),
      c(
        '\\b(share|send|provide|disclose)s? (certain |some )?(information|data|personal (data|information))( about (you|your [a-z]+))? (with|to) us\\b',
        1.5,
      ),
      c('\\b(information|data) (about|from) (you|your (use|account|device))\\b', 1),
      c(
        '\\blegal bas(is|es)\\b|\\blegitimate interests?\\b|\\bperformance of (a|the|our) contract\\b|\\bto perform (a|the|our) contract\\b|\\b(where|if) you (have )?(consent|consented|give (us )?(your )?consent)\\b',
        1.5,
      ),
    ],
    heading: [
      c(
        'special categor|sensitive (personal )?(data|information)|^(consent|legitimate interests?|public interest|vital interests?)$|^to perform (our|the|a) contract',
        4,
      ),
      c(
        '^privacy\\.?$|^your privacy$|^privacy and (data|security)|^personal (data|information)$|^(user|your) (content|data)\\.?:?$|^data (use|usage|processing)$',
        3.5,
      ),
      c(
        'why we (process|use|collect)|what (we|do we) (use|do with)|^purposes|purposes (of|for) (which|processing|using)',
        5,
      ),
      c(
        'personal (data|information)( that)?( we)? (collect|process|hold|obtain)|what we collect|information we (obtain|hold|process)|data we process|sources of',
        3.5,
      ),
      c(
        '(information|data) (we collect|you provide|we receive|collected)|what (personal )?(data|information)|collection|categories of personal|(data|information) you (give|provide)',
        3.5,
      ),
      c(
        'how we (may )?use|uses? of (your )?(personal )?(data|information)|purposes? (of|for) (processing|which)|legal bas[ie]s|lawful bas[ie]s',
        6,
      ),
      c(
        '^(account|location|contact|payment|profile|identity|publicly available|public|biometric|financial|health|purchase|transaction|demographic|inferred|voice|audio|communications?|messages?|contacts|professional|employment|job|preferences?)( and [a-z]+)? (data|information|details)',
        3,
      ),
    ],
  },
  {
    id: 'usage-telemetry',
    body: [
      c('\\b(browsing|search|listening|viewing|watch|playback|purchase) history\\b', 1.5),
      c(
        '\\b(pages|screens|content|features|links|ads) (that )?(you|they|users|people) (view|visit|click|open|use|interact with)\\b',
        1.5,
      ),
      c('\\b(clicks?|page views?|session (duration|length|data)|time spent)\\b', 1),
      c(
        '\\b(hardware|device) (models?|settings|attributes|types?)\\b|\\bmobile network\\b|\\bnetwork (information|connection)\\b|\\b(language|screen) (settings|preferences|resolution)\\b',
        1.5,
      ),
      c('\\b(collected|collect|gathered) automatically\\b|\\bautomatically[- ]collected\\b', 2),
      c('\\binteractions? with (our|the) (services?|products?|apps?|platform|website)\\b', 1.5),
      c('\\bunique (device )?identifiers?\\b|\\b(advertising|mobile) (id|identifiers?)\\b', 1),
      c('\\b(information|data) about (your )?(devices?|browsers?|usage|activit(y|ies)|interactions)\\b', 2),
      c('\\b(technical|activity) (information|data)\\b|\\bserver logs?\\b|\\bcrash reports?\\b', 1.5),
      c('\\blog (data|information|files?)\\b', 2),
      c('\\busage (data|information|statistics)\\b', 2),
      c('\\bdevice (information|data|identifiers?|type|ids?)\\b', 2),
      c('\\bip address(es)?\\b', 1.5),
      c('\\bbrowser (type|settings|information|version)\\b', 1.5),
      c('\\btelemetry\\b', 2.5),
      c('\\b(diagnostic|crash|performance) (data|reports?|logs?|information)\\b', 1.5),
      c(
        '\\b(operating system|time zone|approximate location|general location|referr?ing (url|website))\\b',
        1,
      ),
      c('\\b(how|when) you (use|interact with|access|engage with)\\b', 1.5),
      c('\\b(aggregated|de-identified|deidentified|anonymi[sz]ed) (data|information|usage)', 1),
      c('\\bautomatically (collect|receive|record)', 2),
      c(
        '\\b(analy[sz]e|understand|monitor|measure|learn|review|study)\\b[^.\\n]{0,30}\\bhow (you|people|users|visitors) (use|are using|interact|engage|navigate)\\b|\\bhow (our|the) (services?|products?|platform|apps?|features?) (is|are) (being )?used\\b|\\b(analy[sz]es?|monitors?|review) (your |the )?use of (the|our) (services?|platforms?|apps?|sites?|websites?)\\b',
        2,
      ),
    ],
    heading: [
      c(
        'information (collected )?automatically|automatically collected|device (information|data)|usage (information|data)|log (information|data)|activity (information|data)|analytics|technical (information|data)|how you use',
        3.5,
      ),
      c(
        'usage|log data|device|technical (data|information)|telemetry|automatically|your use of the services',
        3,
      ),
    ],
  },
  {
    id: 'ai-training-on-user-content',
    body: [
      c(
        '\\b(use|uses|using)\\b[^.\\n]{0,20}\\b(your )?(content|inputs|data|conversations|interactions)\\b[^.\\n]{0,60}\\b(develop|improve)\\b',
        1.5,
      ),
      c('\\bfine[- ]tun(e|es|ed|ing)\\b', 2),
      c('\\btraining (data|datasets?|sets?|corpus)\\b', 2.5),
      c('\\b(large language|foundation|generative ai|ai) models?\\b', 1),
      c(
        '\\b(artificial intelligence|generative ai|machine learning) (features|services|products|technolog(y|ies))\\b',
        1,
      ),
      c(
        '\\b(develop|improve|train|build)\\b[^.\\n]{0,30}\\b(ai|machine learning|generative) (models?|technolog(y|ies)|systems)\\b',
        2.5,
      ),
      c('\\b(human|trained) reviewers?\\b|\\breviewed by (humans|people)\\b', 1.5),
      c(
        '\\btrain(ing|s|ed)? (of )?(our |the |its |their |your )?(ai |artificial intelligence |machine[- ]learning |foundation |large language |generative )?models?\\b',
        3.5,
      ),
      c('\\b(improve|develop|enhance|refine)[^.\\n]{0,40}\\bmodels?\\b', 2),
      c('\\bmodel (training|improvement|performance|development)\\b', 3),
      c('\\b(to|for|used in) train(ing)?\\b', 1.5),
      c('\\b(opt|turn)[- ]?(out|off)\\b[^.\\n]{0,40}\\b(training|improve the model|model improvement)', 2.5),
      c(
        '\\b(content|conversations?|chats?|prompts?|inputs?|outputs?|data)\\b[^.\\n]{0,50}\\btrain(ing)?\\b',
        2,
      ),
      c('\\bmachine[- ]learning\\b', 1),
      c('\\bimprove (our )?(services|products|ai)\\b', 0.8),
    ],
    heading: [
      c('model training|training data|research and development|machine learning', 3),
      // A heading that names AI ("AI features", "Generative AI") says what the section is about, not that content
      // trains models: it only adds to a body that says so.
      c('\\bai\\b|artificial intelligence|generative', 1.5),
      c(
        'train|model (improvement|performance)|improv(e|ing) (our )?(models|model performance|services)|to improve',
        3.5,
      ),
    ],
  },
  {
    id: 'output-ownership',
    body: [
      c('\\b(ai-generated|generated) (content|outputs?|materials?|responses?|images?|media)\\b', 1.5),
      c(
        '\\bcontent (generated|created|produced) (by|through|using|with) (the|our) (services?|features?|ai|tools?)\\b',
        2,
      ),
      c('\\b(you|users?) (are|is|remain) (the )?(sole )?owners? of\\b', 2.5),
      c('\\bownership\\b', 1),
      c(
        '\\b(you|users?|customers?) (own|retain)s? (all |any )?(ownership|right|rights|title)?[^.\\n]{0,40}\\b(outputs?|inputs?|content|prompts?|images?|creations?|generations?|works?|media|code)\\b',
        3,
      ),
      c('\\bownership of\\b[^.\\n]{0,30}\\b(outputs?|content|inputs?)\\b', 2.5),
      c('\\bassigns? (to you|you)\\b', 2.5),
      c('\\b(belong|belongs) to you\\b', 2.5),
      c(
        '\\b(outputs?|responses|images|results|generations) (generated|created|produced) (by|with|using|through)\\b',
        1.5,
      ),
      c('\\b(right|rights), title,? and interest\\b', 1.5),
      c('\\boutputs?\\b', 0.7),
      c('\\bas between (you|the parties)\\b', 1.5),
      c("\\b(do not|don't|does not|doesn't) (claim|own|assert)\\b", 2),
      c('\\b(we|it) own(s)?\\b', 1),
      c('\\bintellectual property\\b', 0.8),
      c(
        '\\b(may|might) not be unique\\b|\\bsimilar (output|outputs|content|responses|images|results|generations)\\b',
        2.5,
      ),
      c('\\b(commercial|non-commercial) (use|purposes)\\b', 1),
      c(
        '\\boutputs?\\b[^.\\n]{0,60}\\b(third[- ]party licen[cs]es?|non-commercial|not be distributed|may be subject to)\\b',
        2,
      ),
    ],
    heading: [
      c('generated content|ai-generated|who owns|your creations', 2.5),
      c(
        'ownership|inputs? and outputs?|your content|content (rights|ownership)|outputs?|intellectual property|proprietary rights|similarity|own your',
        2.5,
      ),
    ],
  },
  {
    id: 'licence-to-user-content',
    body: [
      c(
        '\\b(non-exclusive|nonexclusive|transferable|sublicensable|royalty-free)\\b[^.\\n]{0,60}\\blicen[cs]e\\b',
        3,
      ),
      c('\\byou give (us|the company) (permission|the right)\\b', 2),
      c('\\b(derivative works|publicly (display|perform))\\b', 1.5),
      c(
        '\\b(grant|give)s?\\b[^.\\n]{0,40}\\b(licen[cs]e|right)\\b[^.\\n]{0,80}\\b(use|host|store|reproduce|modify|distribute|display|publish|exploit)',
        3.5,
      ),
      c('\\b(worldwide|perpetual|irrevocable|royalty[- ]free|sub-?licen[cs]able|fully[- ]paid)\\b', 1),
      c(
        '\\blicen[cs]e (to|in|over) (your|user|the|any|such) (content|inputs?|submissions?|materials?|feedback)',
        2.5,
      ),
      c('\\bfeedback\\b', 1),
      c(
        '\\b(we|us|company) (can|may) use (your|the|any|such) (content|inputs?|user content|materials|submissions)\\b',
        2.5,
      ),
      c('\\byou (hereby )?(grant|give)\\b', 2),
      c(
        '\\byou (hereby )?(authori[sz]e|permit|allow) (us|the company|[a-z]+) to (use|host|store|reproduce|display|distribute|publish|copy|modify|adapt)\\b',
        3,
      ),
      c('\\bwithout (any )?(compensation|obligation|attribution)\\b', 1),
      c(
        '\\b(entitled|free|permitted) to (use|disclose|exploit)\\b|\\bsubmit(ting)? (ideas|suggestions|feedback|proposals)\\b',
        2,
      ),
      c(
        '\\b(ideas|suggestions|feedback|comments)\\b[^.\\n]{0,120}\\bwithout (any )?(compensation|compensating|payment|paying|obligation|restriction)\\b',
        3,
      ),
      c('\\blicen[cs]es?\\b[^.\\n]{0,60}\\b(end|ends|terminates?|survives?|continues?)\\b', 2),
      // A licence already introduced, spoken of by reference: what it allows, how long it lasts, what it covers.
      c(
        '\\b(this|that|the above|such) (licen[cs]e|permission)\\b[^.\\n]{0,20}\\b(allows|lets|permits|lasts|covers|covered|is limited|includes|applies)\\b|\\bcovered by (this|that|the) (licen[cs]e|permission)\\b',
        2.5,
      ),
      c(
        '\\b(host|reproduce|distribute|communicate|publish|publicly (perform|display)|modify|adapt|translate)\\b[^.\\n]{0,40}\\byour content\\b',
        1.5,
      ),
      c(
        '\\bgrants? (to )?[a-z0-9&.-]{1,30} (only )?(the |a )?(limited |non-exclusive |worldwide )*(rights?|licen[cs]e|permission)s? (that are )?(reasonably )?(necessary|needed|required|to)\\b',
        2.5,
      ),
    ],
    heading: [
      c('permission|rights (in|to) your content|content you (post|share|upload|create)', 2),
      c('licen[cs]e|rights you grant|feedback|user content|your content|content you (submit|provide)', 2),
    ],
  },
  {
    id: 'retention',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\b(gespeichert|aufbewahrt|aufbewahrung|speicherdauer)\\b|\\bmonate\\b', 2),
      c(
        '\\bpreserv(e|ed|es|ing|ation)\\b[^.\\n]{0,40}\\b(data|information|records|content|accounts?)\\b|\\bpreservation requests?\\b',
        2.5,
      ),
      c(
        '\\b(keep|store|hold|retain|maintain)\\b[^.\\n]{0,50}\\b(as long as|for as long|only as long|until)\\b',
        2,
      ),
      c('\\bstorage (period|limitation|duration)s?\\b', 2.5),
      // Storage refused or deletion under way are statements of how long data stays too (1.11.0).
      c(
        "\\b(do not|don't|does not|doesn't|never|will not|won't) (store|retain|keep|log)\\b|\\b(queued|scheduled|marked) for (permanent )?deletion\\b",
        2,
      ),
      c(
        '\\b(necessary|needed|required) (for|to fulfil|to fulfill|to achieve|to accomplish) the purposes?\\b',
        1.5,
      ),
      c('\\b(backups?|archived?)\\b', 0.8),
      c('\\bretention (periods?|schedules?)\\b|\\bdeletion (periods?|schedules?)\\b', 2),
      c(
        '\\b(delete|anonymi[sz]e|de-identify)\\b[^.\\n]{0,30}\\b(when|once)\\b[^.\\n]{0,30}\\bno longer\\b',
        2,
      ),
      c('\\bretain(s|ed|ing)?\\b', 2.5),
      c('\\bretention\\b', 2.5),
      c(
        '\\b(keep|store|hold)s? (your |the |this )?(personal )?(data|information|content|conversations?|chats?)\\b[^.\\n]{0,40}\\b(for|until|as long)',
        2,
      ),
      c('\\bfor as long as\\b', 1.5),
      c(
        '\\b(stored|kept|retained|held)\\b[^.\\n]{0,40}\\b(for (a period of )?(up to )?\\d|for as long|until|no longer than|as long as)',
        2,
      ),
      c(
        '\\b(delete|erase|remove|anonymi[sz]e)\\b[^.\\n]{0,40}\\b(when|after|once|if) you (delete|close|deactivate|terminate|cancel)\\b',
        2,
      ),
      c(
        '\\b(deleted?|purged?|removed?|erased?)\\b[^.\\n]{0,30}\\b(from our (systems|servers|databases|records)|within \\d|after \\d|automatically)',
        2,
      ),
      c('\\b\\d+ (days?|months?|years?)\\b', 1),
      c('\\bno longer (needed|necessary|required)\\b', 1.5),
    ],
    heading: [
      c(
        'how long|storage period|storage and deletion|deletion of (your )?(data|information)|keep(ing)? your (data|information) for',
        3.5,
      ),
      c(
        // Not "Rights we retain": a heading about keeping data, not about reserving rights.
        '\\bretention|\\bretain(ing)? (your |personal )?(data|information|content)|(data|information|content) we retain|how long|storage (period|limitation)|deletion|delete automatically|return or delet',
        3.5,
      ),
    ],
    negative: [c('\\byou (retain|keep) (all |any )?(ownership|rights?|your rights)\\b', 2)],
  },
  {
    id: 'international-transfers',
    body: [
      c(
        '\\b(different|lower|other|equivalent) (data protection|privacy) (laws|standards|rules|protections)\\b|\\bsame level of (data )?protection\\b|\\badequate (level of )?protection\\b',
        2.5,
      ),
      c('\\bcountries (other than|outside)\\b|\\bthird countries\\b', 2),
      c('\\b(transfer mechanisms?|appropriate safeguards|supplementary measures)\\b', 2),
      c('\\b(servers|data cent(er|re)s?)\\b[^.\\n]{0,30}\\b(located|in|outside)\\b', 1.5),
      c("\\b(people's republic of china|prc|outside (of )?(your|the) country)\\b", 1.5),
      c('\\b(international|cross-border|overseas) (data )?transfers?\\b', 3),
      c(
        '\\btransfer(s|red|ring)?\\b[^.\\n]{0,60}\\b(outside|other countries|countries|united states|abroad|across borders|third countr)',
        3,
      ),
      c('\\bstandard contractual clauses\\b', 3),
      // Data moved or sought across borders without the word "transfer": shared or processed globally, requests
      // under mutual legal assistance treaties or letters rogatory (GDPR Art. 48; 1.11.0).
      c(
        '\\b(share|shares|shared|sharing|process|processes|processed|store|stores|stored)\\b[^.\\n]{0,40}\\bglobally\\b',
        2,
      ),
      c('\\bmutual legal assistance\\b|\\bmlats?\\b|\\bletters? rogatory\\b', 2.5),
      c('\\badequacy (decision|regulations?|findings?)\\b', 2.5),
      c('\\bdata privacy framework\\b', 2.5),
      c('\\b(european economic area|eea|switzerland|united kingdom)\\b', 0.5),
      c('\\bbinding corporate rules\\b', 2),
      c('\\b(stored|processed|hosted) in\\b[^.\\n]{0,30}\\b(united states|china|countries|servers)', 2),
    ],
    heading: [
      c('data privacy framework|privacy shield|standard contractual|adequacy|binding corporate', 4),
      c(
        'where (we|your) (data|information)|data (transfers|location)|transfers? (of|outside)|(other|different) countries|global operations|processed (abroad|globally)',
        3.5,
      ),
      c('transfer|international|cross-border|where we (store|process)|data location|storage location', 3.5),
    ],
  },
  {
    id: 'sub-processors',
    body: [
      c(
        '\\b(we|may) (share|disclose)\\b[^.\\n]{0,50}\\b(service providers?|vendors?|processors?|contractors?)\\b',
        2,
      ),
      c('\\b(categories of )?recipients\\b', 1.5),
      c(
        '\\bon (our|its) (documented )?instructions\\b|\\bcontractually (bound|obligated|required)\\b|\\bsubject to (confidentiality|contractual) (obligations|restrictions)\\b',
        1.5,
      ),
      c('\\b(data )?processors\\b', 1),
      c(
        '\\b(affiliates|partners|vendors|service providers)\\b[^.\\n]{0,10}\\b(that|who) (help|assist|support|process|perform)\\b',
        2,
      ),
      c('\\bsub-?processors?\\b', 3),
      // Processing under a data processing agreement (DPA, addendum, terms): the provider acts as a processor. The
      // agreement merely named (a list of the documents that make the contract) is not enough.
      c(
        '\\bprocess(es|ed|ing)?\\b[^.\\n]{0,80}\\b(in accordance with|under|subject to|pursuant to|as set out in|in line with)\\b[^.\\n]{0,40}\\b(data processing (agreement|addendum|terms|amendment)|dpa|data protection addendum)\\b',
        2.5,
      ),
      c(
        '\\b(use|utili[sz]e|engage|rely on) (various |certain |trusted |third[- ]party )*(service providers|vendors|processors)\\b',
        2,
      ),
      c('\\b(amazon web services|aws|microsoft azure|azure|google cloud)\\b', 1.5),
      c('\\b(service providers?|vendors?|suppliers?|contractors?)\\b', 1.5),
      c('\\bon (our|its) behalf\\b', 1.5),
      c(
        '\\b(third part(y|ies)|companies|partners|providers|vendors)\\b[^.\\n]{0,40}\\b(help|assist|support|provide services to|perform services for|work for) us\\b',
        2,
      ),
      c(
        '\\b(such as|including|like)\\b[^.\\n]{0,20}\\b(hosting|data storage|customer (support|service)|payment processing|infrastructure|email delivery)\\b',
        1.5,
      ),
      // Entities or vendors doing processing work "for us" (hosting, support, moderation): processors in substance.
      c('\\bprocess(es|ed|ing)?\\b[^.\\n]{0,250}\\bfor us\\b|\\bcarry out (work|services) for us\\b', 2),
      c('\\b(hosting|cloud|payment|customer support|infrastructure) (services|providers?|processors?)\\b', 1),
      c('\\b(third[- ]party|trusted) (service providers?|partners?|vendors?)\\b', 1),
      c('\\b(affiliates?|corporate group)\\b', 0.7),
      c(
        "\\b(process|processes|processing) (customer|personal) data on behalf of\\b|\\bcustomer'?s? (documented )?instructions\\b",
        2.5,
      ),
    ],
    heading: [
      c('partners$|third-party (apps|services|integrations)', 2.5),
      c(
        'sub-?processors?|service providers|vendors|disclos|sharing|share|third part|recipients|scope and roles|instructions|processing of customer data',
        2.5,
      ),
    ],
  },
  {
    id: 'children',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\bmindestens \\d{1,2} jahre\\b|\\bmindestalter\\b', 3),
      c('\\b(under|below) (the )?(minimum )?age\\b|\\bminimum age\\b', 2),
      c('\\b(youth|underage|adolescents?)\\b', 1.5),
      c('\\b(parents?|guardians?)\\b', 1),
      c("\\bchild(ren)?('s|’s)?\\b", 2),
      c('\\bunder (the age of )?\\d{1,2}\\b', 2),
      c('\\b(at least|over|older than) (the age of )?\\d{1,2}( years)?\\b', 1.5),
      c('\\b\\d{1,2} years (of age|old)\\b', 1.5),
      c(
        '\\b(must|have to|need to) be (at least )?\\d{1,2}\\b|\\b\\d{1,2}\\+? \\(?(years )?(or|and) (older|over|above)\\b',
        2.5,
      ),
      c('\\b(minors?|teen(ager)?s?|young people|kids)\\b', 2),
      c("\\bparent(al|s|'s|’s)? (consent|or (legal )?guardian|permission|supervision)\\b", 2.5),
      c('\\bbetween (the ages of )?\\d{1,2} and \\d{1,2}\\b', 2),
      c('\\bage (requirement|verification|assurance|of (digital )?consent|of majority|limit)\\b', 2),
    ],
    // `\bage` so that "usage", "page" or "language" in a heading do not read as an age rule.
    heading: [c('child|minor|\\bage(s|d)?\\b|teen|young|kids|years old|under \\d{1,2}\\b', 3.5)],
    negative: [
      c('\\bchild (sexual|abuse|exploitation|endangerment)|\\bcsam\\b', 3),
      // "Minor" the adjective (a minor impact, minor changes) cancels the noun's cue: no one under age is meant.
      c(
        '\\bminor (negative )?(impacts?|effects?|changes?|modifications?|issues?|updates?|adjustments?|errors?)\\b',
        2,
      ),
    ],
  },
  {
    id: 'cookies-trackers',
    body: [
      c(
        '\\b(analytics|advertising|functional|performance|essential|strictly necessary|targeting) cookies\\b',
        1,
      ),
      c('\\bcookie (settings|preferences|banner|consent)\\b', 2),
      c('\\b(tracking pixels?|fingerprint(ing)?|tags)\\b', 1),
      c('\\bcookies?\\b', 2.5),
      c('\\bweb beacons?\\b|\\bbeacons?\\b|\\bpixels?\\b', 2),
      c('\\btracking technolog(y|ies)\\b|\\bsimilar technologies\\b', 2.5),
      c('\\blocal storage\\b|\\bsdks?\\b|\\bsession storage\\b', 2),
      c('\\bdo not track\\b', 1.5),
      c('\\btrackers?\\b', 2),
    ],
    heading: [c('cookie|tracker|tracking|similar technologies', 4)],
    // No prior from a trackers policy (removed in 1.4.0): its words already name cookies wherever a clause is about
    // them, and the prior pulled its scope, definitions and change clauses into the category.
  },
  {
    id: 'profiling-advertising',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\b(werbung|werbemodelle|werbetreibenden?)\\b', 2.5),
      c('\\b(advertising|targeting|marketing) (cookies|pixels|partners|purposes|technologies)\\b', 2),
      c(
        '\\b(measure|measuring|measurement of) (the )?(effectiveness|performance) of (our |the )?(ads|advertising|campaigns|marketing)\\b',
        2,
      ),
      c(
        '\\b(personali[sz]e|personali[sz]ed|personali[sz]ation|tailor|tailored|customi[sz]e)\\b[^.\\n]{0,40}\\b(ads|advertising|content|recommendations|experiences?|feeds?)\\b',
        1.5,
      ),
      c('\\brecommend(ation|er)? (systems?|algorithms?|engine)\\b|\\brecommender\\b', 1.5),
      c('\\b(advertisers|ad partners|advertising partners|ad networks?|measurement partners)\\b', 1.5),
      c(
        '\\b(inferences?|inferred) (about|from|drawn)\\b|\\binterests? (you may have|inferred|based on)\\b',
        1.5,
      ),
      c('\\b(sponsored|promoted) (content|posts?|listings?|results|links|ads)\\b', 1.5),
      c('\\bbased on (your )?(interests|activity|preferences|browsing|inferences|profile)\\b', 2),
      c('\\bdirect marketing\\b', 2),
      c('\\badvertis(ing|ements?|ers?)\\b|\\bads\\b', 2),
      c(
        '\\b(targeted|personali[sz]ed|interest-based|behaviou?ral|contextual) (ads|advertising|advertisements)\\b',
        3,
      ),
      c('\\bmarketing\\b', 2),
      c('\\bmarket (additional|our|other|new)\\b', 1.5),
      c('\\bprofiling\\b', 2),
      // Profiling as GDPR Art. 4(4) defines it: analysing or predicting a person's interests or preferences (1.11.0).
      c(
        '\\b(understand|assess|analy[sz]e|learn|predict)\\b[^.\\n]{0,30}\\byour (personal )?(interests|preferences)\\b',
        2,
      ),
      c('\\b(build|create|maintain)s? (a )?profiles? (of|about|based on)\\b', 2.5),
      c(
        '\\brecommend (content|videos|posts|products|items|accounts)\\b|\\brelevant (ads|advertising|advertisements)\\b',
        1,
      ),
      c(
        '\\binfer(s|red|ring)? (your |certain |users.? )?(attributes|interests|characteristics|preferences|age|gender|demographics?)\\b',
        3,
      ),
      c('\\b(promotional|marketing) (emails?|communications?|messages?|offers?)\\b', 2),
      c('\\bunsubscrib(e|ing)\\b', 1.5),
      c('\\bcross-context behaviou?ral\\b', 2.5),
    ],
    heading: [
      c('personali[sz]|recommend|interest-based|sponsored', 3),
      c('advertis|marketing|promotion|profiling|ads', 3.5),
    ],
  },
  {
    id: 'sale-or-sharing',
    body: [
      c('\\b(do not sell|do not share|sell or share)\\b', 2.5),
      c('\\b(sales?|selling|sharing) of (your )?personal (data|information)\\b', 2),
      c('\\bdata brokers?\\b', 2),
      c('\\bopt[- ]out preference signals?\\b|\\blimit the use of (my|your) sensitive\\b', 2),
      c('\\b(sell|sale|sold|selling)\\b[^.\\n]{0,40}\\b(personal|your) (data|information)', 3),
      c('\\b(personal|your) (data|information)\\b[^.\\n]{0,40}\\b(sell|sale|sold|selling)\\b', 3),
      c("\\b(do not|don't|does not|never|not|has not|have not) [\"“']?(sell|sold)\\b", 2.5),
      c('\\bvaluable consideration\\b|\\bcross-context behaviou?ral advertising\\b', 2),
      c('\\bshar(e|ed|ing)\\b[^.\\n]{0,60}\\bcross-context\\b', 3),
      c('\\bopt[- ]out of (the )?(sale|sharing|selling)\\b', 3),
      c('\\b(global privacy control|gpc)\\b', 2),
      c('\\b(sell|sale of)\\b', 1),
      // Disclosure to the group or to a buyer: the data leaves the service for others' purposes.
      c(
        '\\b(shar(e|ed|es|ing)|disclos(e|ed|es|ing)|transfer(s|red|ring)?|accessed by)\\b[^.\\n]{0,80}\\b(affiliates|subsidiaries|parents|parent (company|companies)|corporate (group|family)|companies under common (control|ownership)|group companies)\\b',
        3,
      ),
      c(
        '\\b(merger|acquisition|reorgani[sz]ation|bankruptcy|change of control|corporate transactions?|business transfers?|sale of (all or )?(some|part|substantially all|a portion|assets|shares)|sale,? (and |or )?transfer of (our )?assets)\\b',
        3,
      ),
      c(
        // A wide gap: the shared categories are often links, blanked but still counted.
        '\\b(shar(e|ed|es|ing)|disclos(e|ed|es|ing)|provide)\\b[^.\\n]{0,200}\\b(with|to) (our )?(advertisers|(measurement|advertising|marketing|business|data) (partners|providers)|third[- ]party (partners|advertisers|measurement))\\b',
        2.5,
      ),
      c('\\bopt(ing)? out\\b[^.\\n]{0,60}\\b(shared|sharing|sold|sale|selling)\\b', 3),
      // The business itself changing hands: the data goes with it to the buyer.
      c(
        '\\b(sell|sells|sold|transfer|transfers|transferred)\\b[^.\\n]{0,30}\\b(all or (a )?part|all or (some|any)|(a |any )?part|substantially all)\\b[^.\\n]{0,20}\\b(business|company|assets)\\b|\\bnew owners?\\b|\\b(buyer|acquirer|purchaser|successor)s?\\b[^.\\n]{0,60}\\b(information|data)\\b',
        3,
      ),
      // Disclosure beyond the service in general words: to third parties, other companies, the general public.
      c(
        '\\b(shar(e|ed|es|ing)|disclos(e|ed|es|ing))\\b[^.\\n]{0,80}\\b(with|to) (any |certain |selected )?(third parties|other companies|companies,? (and |or )?organi[sz]ations|the general public|(the )?other [a-z]+ companies)\\b',
        2,
      ),
      c(
        '\\b(sale|sharing|selling|sell|share)\\b[^.\\n]{0,40}\\b(under|as defined (in|by)|for the purposes of)\\b[^.\\n]{0,40}\\b(laws?|ccpa|cpra|state)\\b',
        3,
      ),
    ],
    heading: [
      c('\\bsell(ing)?\\b|\\bsale\\b|\\bsold\\b|do not share|sharing of personal', 3.5),
      // A section on how or when the service shares what it holds about the user (1.11.0).
      c('shar(e|es|ing) (your |of (your )?)?(personal )?(information|data)', 2.5),
      c(
        'affiliates|parent company|corporate transactions?|business transfers?|mergers?|acquisitions?|change (in|of) (ownership|control)',
        3.5,
      ),
    ],
  },
  {
    id: 'data-subject-rights',
    body: [
      c('\\byou (may |might |also )?(have|has) (the|a|certain) (right|rights)\\b', 2.5),
      c('\\b(access|deletion|correction|erasure|portability|objection|restriction) requests?\\b', 2),
      c('\\bdata subjects?\\b', 1.5),
      c('\\bauthori[sz]ed agents?\\b', 2),
      c('\\brequest (a copy|access|correction|deletion|erasure|rectification)\\b', 2.5),
      c('\\b(its|their) (correction|erasure|deletion|rectification|portability)\\b', 1.5),
      c(
        '\\b(request|ask us|asking us) to (know|access|delete|erase|correct|rectify|see|receive|obtain|port|stop)\\b',
        2.5,
      ),
      c('\\b(privacy|account) (settings|dashboard|controls?)\\b', 1),
      c(
        // Not "the right to opt out of arbitration": only an opt-out from a use of data.
        '\\bright(s)? (to|of) (access|delet|erasure|rectif|correct|portab|object|restrict|withdraw|know|opt[- ]out of (the )?(sale|shar|sell|process|profil|target|having)|limit|request|obtain)',
        3,
      ),
      c(
        '\\b(access|delete|correct|rectify|update|port|export|download)\\b[^.\\n]{0,30}\\b(your )?(personal )?(data|information)\\b',
        1.5,
      ),
      c('\\byour (privacy |data protection )?rights\\b', 2),
      // Controls the user holds without a request: deleting, exporting or downloading what the service keeps (1.11.0).
      c(
        '\\b(you|users|members) (can|may|are able to|will be able to) (also )?(access|delete|export|download|obtain a download of|review and delete)\\b[^.\\n]{0,40}\\b(data|information|conversations|chats|history|memories|content)\\b',
        1.5,
      ),
      c('\\bdata portability\\b', 2),
      c(
        '\\b(lodge|file|make) a complaint\\b|\\bsupervisory authority\\b|\\bdata protection (authority|regulator)\\b',
        2,
      ),
      c('\\bexercise (your|these|any of|those|such)\\b', 2.5),
      c('\\bwithdraw (your )?consent\\b', 1.5),
      c('\\bverify (your|the) (identity|request)\\b', 1.5),
      c(
        '\\b(deny|denies|denied|refuse|refused|decline|declined) (your |a |the )?(privacy |data |rights |consumer )?requests?\\b|\\bappeal\\b[^.\\n]{0,40}\\b(privacy|data|rights|consumer) requests?\\b',
        3,
      ),
    ],
    heading: [
      c('^(the )?rights? (to|of)\\b', 5),
      c(
        '^(access(ing)?|delet(e|ing)|correct(ing)?|rectify(ing)?|restrict(ing)?|object(ing)?|withdraw(ing)?|export(ing)?|download(ing)?|eras(e|ing)|updat(e|ing)|control(ling)?|manag(e|ing)|chang(e|ing))\\b[^.]{0,40}\\b(your|my)\\b|supervisory authority|withdraw(ing)? (your )?consent|right (to|of) (object|erasure|be forgotten|restrict|access|rectification|portability|correct|delete|know)',
        4,
      ),
      c(
        // "Your rights in user content" is about ownership, not about data.
        'your rights(?! in)|privacy rights|(data|user|consumer|individual|protection) rights|rights (and|&) choices|^rights$|choices|data controls|access (to )?your (data|information)|right of access|privacy requests|control|data subject requests|portability',
        3,
      ),
    ],
    negative: [
      // A consumer's rights under contract or consumer law (a legal guarantee, rights no contract can limit, ending
      // or withdrawing from the contract) share the words "your rights" but are not rights over personal data.
      c(
        '\\bconsumer (laws?|protection laws?)\\b|\\blegal guarantee\\b|\\bstatutory rights\\b|\\brights that (can(’|\\x27)?t|cannot) be (limited|excluded|waived)\\b|\\bwithdraw from (this|the) contract\\b|\\bend your relationship with\\b',
        2.5,
      ),
    ],
  },
  {
    id: 'automated-decisions',
    body: [
      c('\\b(without|no) human (intervention|involvement|review)\\b', 2.5),
      c('\\balgorithmic (decisions?|decision-making)\\b', 2.5),
      c(
        '\\bdecisions? (based|made|taken) (solely |only |entirely )?(on|by|through|using) (our |an |the )?(automated|algorithm)',
        3,
      ),
      c('\\bsignificant(ly)? (effects?|affects?|impacts?)\\b', 1.5),
      decisive('\\bautomated (individual )?decision(s|-making| making)?\\b', 4),
      decisive('\\bsolely (on )?automated\\b', 3),
      c('\\blegal(ly)? or (other )?similarly significant\\b', 3),
      c('\\bautomated processing\\b', 2),
      decisive('\\b(solely|exclusively|entirely|only)\\b[^.\\n]{0,30}\\bautomated\\b', 3),
      decisive(
        '\\bautomated (processing|means|systems?|tools?)\\b[^.\\n]{0,60}\\b(decisions?|determinations?)\\b',
        3,
      ),
      c('\\bhigh[- ](stakes|risk)\\b', 2),
      decisive(
        '\\bdecisions? (about|on|regarding|affecting)\\b[^.\\n]{0,30}\\b(credit|employment|housing|insurance|education|eligibility|lending|benefits|hiring)\\b',
        3,
      ),
      c('\\bhuman (review|oversight|in the loop)\\b|\\bhuman-in-the-loop\\b', 2),
      c(
        '\\b(eligibility|credit|employment|insurance|housing|lending)\\b[^.\\n]{0,30}\\b(decisions?|determinations?|assessments?)\\b',
        2.5,
      ),
    ],
    heading: [c('algorithm|profiling and automated', 3), c('automated decision|high[- ](stakes|risk)', 4)],
    negative: [
      // Automated tools that detect spam or abuse are moderation tooling, not decisions about a person (1.6.0).
      decisive(
        '\\bautomated (tools?|systems?|means|technolog(y|ies))\\b[^.\\n]{0,30}\\b(detect|identify|flag|find|filter)\\b[^.\\n]{0,30}\\b(spam|abuse|malware|fraud|violations?|violating)',
        1,
      ),
    ],
  },
  {
    id: 'security-breach',
    body: [
      c('\\b(safeguard|protect|secure)(s|ing)? (your|the|personal) (personal )?(data|information)\\b', 2),
      c(
        '\\b(access controls?|firewalls?|pseudonymi[sz]ation|multi-factor|two-factor|penetration test(s|ing)?|security (audits?|assessments?|certifications?))\\b',
        1.5,
      ),
      c('\\bsecurity incidents?\\b', 2),
      c('\\bsecurity (measures|safeguards|practices|program|controls)\\b', 2.5),
      c(
        '\\b(technical|organi[sz]ational|administrative|physical)\\b[^.\\n]{0,30}\\b(measures|safeguards)\\b',
        2.5,
      ),
      c('\\bencrypt(ion|ed)?\\b', 2),
      c('\\bunauthori[sz]ed (access|use|disclosure|acquisition)\\b', 2),
      c('\\b(data|security|personal data|personal information) breach(es)?\\b', 3),
      c('\\b(no|not)\\b[^.\\n]{0,40}\\b(100%|completely|perfectly|fully|entirely) secure\\b', 2),
      c('\\bsecurity\\b', 0.5),
      c('\\bvulnerabilit(y|ies)\\b', 1.5),
      c('\\bincidents?\\b', 1.5),
    ],
    heading: [
      c('keeping (your )?(data|information) (safe|secure)|data protection measures', 3.5),
      c(
        'security|safeguard|breach|protect(ing)? (your )?(data|information)|vulnerabilit|encrypt|incident',
        3.5,
      ),
    ],
  },
  {
    id: 'law-enforcement-requests',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\bstrafverfolgungsbeh|\\bjustizbeh|\\bgerichtsbeschl', 3),
      c('\\b(valid|lawful|legally binding) (legal )?(requests?|process|orders?|demands?)\\b', 2.5),
      c('\\b(police|prosecutors?|regulators?|national security)\\b', 1),
      c(
        '\\b(requests?|demands?|orders?)\\b[^.\\n]{0,40}\\b(from|by) (the )?(police|authorities|law enforcement|government|courts?|public bodies)\\b',
        2.5,
      ),
      c(
        '\\b(emergency disclosure|imminent (danger|harm|threat)|risk of (death|serious (physical )?(injury|harm)))\\b',
        2,
      ),
      c('\\b(required|compelled|obliged) (to do so )?by (applicable )?law\\b', 1.5),
      c('\\btransparency reports?\\b', 2),
      c('\\blaw enforcement\\b', 3),
      c(
        '\\b(government(al)?|public|regulatory|judicial) (authorit(y|ies)|agenc(y|ies)|requests?|officials|bodies)\\b',
        2.5,
      ),
      c('\\b(subpoenas?|court orders?|search warrants?|legal process|legal requests?)\\b', 3),
      c(
        '\\bcomply with (a |any |applicable |our )?(law|laws|legal (obligations?|process|requirements?)|requests?)\\b',
        2,
      ),
      c('\\b(protect|defend)\\b[^.\\n]{0,40}\\b(rights|property|safety)\\b', 1),
      c('\\bemergency\\b', 1),
    ],
    negative: [
      // Data kept for legal reasons or on a legal hold is a retention period; the request is named as its cause.
      c(
        '\\b(retain|retained|preserve|preserved|archived?|kept|keep)\\b[^.\\n]{0,60}\\b(legal(ly)?|law|laws)\\b(?![^.\\n]{0,30}\\b(disclos|shar|provid))',
        1.5,
      ),
      // The channel a service designates for authorities' communications (DSA Art. 11 and 12): an address, not a
      // disclosure of users' data (1.11.0).
      c('\\b(single |designated |electronic )?points? of contact\\b', 2),
    ],
    heading: [
      c('authorities|requests for (user )?(data|information)', 2),
      c('law enforcement|legal (requirements|reasons|process|requests|obligations)|government|authorit', 3.5),
    ],
    documentTypes: [c('law enforcement', 3)],
  },
  {
    id: 'acceptable-use',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\b(unterlassen|verboten|untersagt)\\b', 2.5),
      c(
        '\\b(reverse[- ]engineer|decompile|disassemble|circumvent|bypass|interfere with|impersonat(e|ing)|misrepresent|false identit(y|ies)|unauthori[sz]ed (automated|scripts|means)|deep-link|data mining)\\b',
        1.5,
      ),
      c(
        '\\b(users|developers|organi[sz]ations|customers|you) (must|should|shall) (not |only |also )?(disclose|ensure|comply|obtain|follow|use|implement|provide)\\b',
        1.5,
      ),
      // Named in enforcement and reporting clauses as often as in rules: a modest sign.
      c('\\b(community (guidelines|standards|rules)|rules of conduct|code of conduct)\\b', 1.2),
      c(
        '\\b(impersonat(e|ing|ion)|circumvent|bypass|bots?|automated (means|scripts)|hate speech|hateful|harmful content|misinformation|terrorist|extremist)\\b',
        1,
      ),
      // "You won't see ads" describes; "you can't" and "you cannot" forbid (1.11.0: "won't" left out).
      c("\\byou (can't|cannot)\\b", 1.5),
      c('\\byou (agree|undertake|represent|warrant|promise)\\b[^.\\n]{0,40}\\b(not|never)\\b', 2.5),
      c(
        '\\b(may|must|will|shall|agree) not\\b[^.\\n]{0,30}\\b(use|access|attempt|engage|upload|share|create|generate|to)\\b',
        2,
      ),
      // An instruction to the user (at the start of a sentence or item, or after "you", "please" or a conjunction),
      // not what something else does not do ("these terms don't create rights", "we don't share"; 1.11.0).
      c(
        "\\b(do not|don't)(?<!\\b(?!(you|please|and|or|but|so|therefore)\\b)[a-z]+ (do not|don't)) (use|attempt|engage|create|generate|share)\\b",
        2,
      ),
      c('\\bprohibit(ed|s)?\\b', 2),
      c(
        '\\b(misuse|abuse|harass(ment)?|spam|malware|fraud(ulent)?|illegal|unlawful|infring(e|es|ing|ement)|violen(ce|t)|weapons?|exploit(ation)?)\\b',
        1,
      ),
      c('\\breverse[- ]engineer|\\bscrap(e|ing)\\b|\\bcrawl', 1.5),
      c('\\b(usage|acceptable use) polic(y|ies)\\b', 1.2),
      c('\\bin (a |any )?(manner|way) that\\b', 1.5),
      c("\\b(we )?(do not|don't) (allow|permit|tolerate)\\b|\\bnot (allowed|permitted)\\b", 2.5),
      c('\\b(should|must) not\\b', 1.5),
      c('\\bnot (intended|designed) (for|to be used)\\b', 1.5),
      c(
        '\\bcompet(e|es|ing) with (us|our)\\b|\\bcompeting (products?|services?|models?)\\b|\\bextract (the )?(model )?weights\\b',
        1.5,
      ),
      c("\\b(you are|you're) (solely )?responsible for (complying|your use|ensuring|compliance)\\b", 1.5),
      c('\\busing our (products|services|models)\\b[^.\\n]{0,20}\\bto\\b', 1.5),
    ],
    heading: [
      c('guidelines|standards|responsibilities|obligations', 2),
      c(
        'acceptable use|usage polic|prohibited|restriction|restricted use|conduct|what you (can|may)|you (cannot|can.t|must not|may not)|things you|dos and don|use of (our )?services|using (our|the) service|don.t|do not|rules|universal usage|respect|misuse|medical use|high[- ]risk use',
        3,
      ),
    ],
    documentTypes: [c('acceptable use', 1.5)],
  },
  {
    id: 'content-moderation-appeals',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\bmoderatoren\\b|\\bbeschwerden?\\b', 2),
      // Moderation in the passive: content that "may be removed", behaviour that "may be sanctioned" (1.11.0).
      c(
        '\\b(content|posts?|material|videos?|photos?|images?|comments?|behaviou?r|activity|accounts?)\\b[^.\\n]{0,60}\\b(may|will|can|could) (also )?be (removed|sanctioned|restricted|labell?ed|taken down|hidden|demoted|age-restricted)\\b',
        2,
      ),
      c(
        '\\breport (violative|violating|abusive|illegal|harmful|inappropriate|offensive) (content|behaviou?r|accounts?|posts?)\\b|\\b(report|flag) (an? )?(issues?|posts?|accounts?|users?|comments?)\\b',
        2,
      ),
      c(
        '\\b(content|safety) (classifiers?|filters?)\\b|\\bautomated (content )?(detection|classifiers?|systems?|tools?) (and|to) (human )?(review|identify|detect|flag)',
        2,
      ),
      c('\\b(detect(ion)?|monitor(ing)?) and (enforce|enforcement|review)\\b', 1.5),
      c(
        '\\b(enforcement (actions?|decisions?|measures)|restrict(ing)? (the )?(visibility|reach|distribution))\\b',
        2,
      ),
      c(
        '\\b(we|may) (review|remove|label|restrict|hide|limit)\\b[^.\\n]{0,40}\\b(content|posts?|accounts?)\\b',
        1.5,
      ),
      c('\\b(repeat infringers?|strikes?)\\b', 1.5),
      c('\\brepeated(ly)? (violat|breach|infring)', 2),
      c('\\b(notice and action|trusted flaggers?|illegal content)\\b', 2),
      c('\\b(complain|complaints?)\\b[^.\\n]{0,40}\\b(decisions?|moderation|removal)\\b', 2),
      c('\\bappeal(s|ed|ing)?\\b', 2.5),
      c('\\bmoderation\\b', 3),
      c(
        '\\b(remove|removal of|take down|disable access to|restrict)\\b[^.\\n]{0,40}\\b(content|materials?|posts?)\\b',
        2,
      ),
      c('\\b(report|flag)(ing|s)?\\b[^.\\n]{0,30}\\b(content|abuse|violations?|concerns?)\\b', 2),
      c('\\bstatement of reasons\\b|\\bout-of-court\\b|\\bcomplaint[- ]handling\\b', 3),
      // A counter-notice contests a removal for claimed infringement: the appeal of copyright takedowns.
      c('\\bcounter[- ]?(notice|notification)s?\\b', 3),
      c('\\b(review|reviewed)\\b[^.\\n]{0,30}\\b(content|decision|accounts?)\\b', 1),
      c('\\bnotices?\\b[^.\\n]{0,30}\\billegal content\\b', 2.5),
      c(
        '\\b(reject|remove|delete|disable)\\b[^.\\n]{0,20}\\b(or|and) (remove|disable|restrict|reject)\\b',
        2,
      ),
      c(
        '\\bcopyright (complaints?|infringement|agent)\\b|\\bdmca\\b|\\btake ?down\\b|\\bnotice of (alleged )?infringement\\b',
        2.5,
      ),
      c(
        '\\btake (appropriate |necessary |any |such )?(action|actions|measures|steps)\\b[^.\\n]{0,60}\\b(content|posts?|accounts?|violat|breach)',
        2.5,
      ),
      c(
        '\\b(delete|block|filter|screen|demote|down-?rank|blur|hide|label|flag)\\b[^.\\n]{0,30}\\b(content|posts?|messages?|comments?|outputs?|inputs?|prompts?)\\b',
        1.5,
      ),
      c(
        '\\b(content|material|posts?|outputs?)\\b[^.\\n]{0,30}\\b(that|which) (violates?|breaches|infringes|is (illegal|unlawful|harmful))\\b',
        2,
      ),
      c(
        '\\b(reasons?|explanation) for (our|the|this|that|any) (decisions?|actions?|restrictions?|removals?|suspensions?)\\b',
        2.5,
      ),
      c(
        '\\b(dispute|challenge|contest|request (a )?(re-?|second |human )?review of)\\b[^.\\n]{0,20}\\b(decisions?|actions?|removals?|restrictions?|suspensions?)\\b',
        3,
      ),
      // The provider's reserved right to screen, refuse or delete what users post: a moderation power, however
      // the terms name the posts (contributions, submissions, user content).
      c(
        '\\b(right|may|reserves?)\\b[^.\\n]{0,60}\\b(pre-?screen|redact|refuse|reject|delete|remove)\\b[^.\\n]{0,40}\\b(contributions?|submissions?|user content|your content|user posts)\\b',
        2.5,
      ),
      c('\\btrust (and|&) safety\\b|\\bsafety teams?\\b|\\bmoderators?\\b', 1.5),
      c(
        '\\breport(ing)? (feature|tool|mechanism|form|button|link|option)s?\\b|\\breporting functionalit(y|ies)\\b',
        2,
      ),
      c(
        '\\b(you (believe|think|suspect)|suspected)\\b[^.\\n]{0,40}\\b(violat|breach|break|illegal|unlawful|infring)',
        2.5,
      ),
    ],
    heading: [
      c(
        'review (my|your|of) (business )?(data|content)|report(ing)? (a|an|abuse|content|violations|issues)|safety issues',
        3.5,
      ),
      c('enforc|reporting|notice and action|illegal content|label|trust and safety', 3.5),
      c(
        'moderation|appeal|removal|report|complaint|notice and action|enforcement|copyright|counter[- ]?notic',
        3.5,
      ),
    ],
    // Appealing a refused privacy request is a data-subject right, not a moderation appeal.
    negative: [c('\\bappeal\\b[^.\\n]{0,60}\\b(privacy|data|rights|consumer) requests?\\b', 2.5)],
  },
  {
    id: 'liability-limits',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\bentsch.digen\\b|\\bhaftung\\b|\\bhaften\\b', 2.5),
      c('\\bto the (maximum|fullest|greatest) extent (permitted|permissible|allowed)\\b', 1.5),
      // Liability stated as limited rather than denied (1.11.0).
      c('\\bliability (is|shall be|will be|are|remains) (limited|capped|excluded)\\b', 3),
      c('\\b(aggregate|total|maximum|entire) liability\\b', 3),
      c('\\b(lost|loss of) (profits|revenues?|data|goodwill|business)\\b', 2),
      c('\\b(express|implied)(ly)? (or (express|implied) )?warrant', 2),
      c('\\bwithout (any )?warrant(y|ies)\\b', 2.5),
      c('\\bbeyond (our|its) (reasonable )?control\\b', 1),
      c('\\blimitation (of|on) liability\\b', 3),
      c('\\b(shall|will|is|are) not be (held )?(liable|responsible)\\b|\\bnot (be )?liable\\b', 3),
      c('\\bin no event\\b', 2),
      c('\\b(indirect|incidental|special|consequential|punitive|exemplary)\\b[^.\\n]{0,40}\\bdamages\\b', 3),
      c('\\bliability\\b', 1.5),
      c('\\b(as is|as available)\\b', 2.5),
      c('\\bdisclaim(s|er|ers)?\\b', 2),
      c('\\bwarrant(y|ies)\\b', 1.5),
      c('\\bmerchantability\\b|\\bfitness for a particular purpose\\b|\\bnon-infringement\\b', 2),
      c('\\b(death|personal injury)\\b', 1),
      c(
        '\\b(not|no) (be |have (any )?)?responsib(le|ility)\\b|\\bnot have any liability\\b|\\b(accept|assume|take) no (responsibility|liability)\\b',
        2.5,
      ),
      c('\\bat your (own|sole) risk\\b', 2.5),
      // Responsibility put on the user whole: what the service answers for, it says it does not (1.11.0).
      c(
        "\\b(you are|you're|you will be|you shall be|you remain) (solely|fully|entirely|exclusively) responsible\\b",
        1.5,
      ),
      c("\\b(do not|does not|don't|cannot|can't|make no) (guarantee|promise|warrant|representations?)\\b", 2),
      c('\\b(rely|relying|reliance) (on|upon)\\b', 1.5),
      c(
        '\\b(should|must|do) not rely\\b|\\bnot (a substitute for|intended as) (professional|legal|medical|financial)\\b|\\bprofessional advice\\b',
        2.5,
      ),
      c('\\b(inaccurate|accuracy|error-free|uninterrupted|reliable)\\b', 1),
      c('\\bloss(es)? (of|or damage)\\b', 1.5),
      c('\\bstatutory rights\\b', 2),
    ],
    heading: [
      c('limitation|no warrant|our responsibilit|exclusion', 3),
      c(
        'liabilit|warrant|disclaim|as is|no limitation|foreseeable loss|accuracy|reliance|statutory rights|third[- ]party (services|content|links)',
        4,
      ),
    ],
  },
  {
    id: 'indemnity',
    body: [
      c('\\bindemnif(y|ies|ication)|\\bindemnit(y|ies)\\b', 4),
      c('\\bhold\\b[^.\\n]{0,30}\\bharmless\\b', 3),
      c('\\bdefend\\b[^.\\n]{0,60}\\b(claims?|against)\\b', 1.5),
      c('\\b(compensate|reimburse) us\\b[^.\\n]{0,60}\\b(claims?|losses|damages|costs)\\b', 3),
    ],
    heading: [c('indemn', 4)],
    // "Except for your indemnification obligations": a liability clause pointing at the indemnity, not one.
    negative: [
      c('\\b(other than|except( for)?|excluding|save for|exclusive of)\\b[^.\\n]{0,40}\\bindemni', 3),
    ],
  },
  {
    id: 'arbitration-class-waiver',
    body: [
      c('\\bwaive(s|r)?\\b[^.\\n]{0,40}\\b(right to|class|jury)', 2),
      c('\\barbitrat(ion|e|or|ors)\\b', 3),
      c(
        '\\bclass[- ]action\\b|\\bclass,? (collective|consolidated|or representative)\\b|\\b(class|collective|representative) (proceedings?|actions?|basis)\\b',
        3,
      ),
      c('\\bjury trial\\b|\\btrial by jury\\b', 2.5),
      c('\\b(aaa|jams|american arbitration association)\\b', 2.5),
      c('\\bmass (arbitration|filings?)\\b', 2),
      c('\\binformal (dispute )?resolution\\b', 1.5),
      c('\\bsmall claims\\b', 2),
    ],
    heading: [c('arbitration|class action', 3.5), c('dispute', 1.5)],
  },
  {
    id: 'governing-law',
    body: [
      c('\\blaws of\\b', 1.5),
      c('\\bwithout regard to (its |their |any )?(conflict|choice)', 2.5),
      c('\\bsubmit to the (personal |exclusive )?jurisdiction\\b', 2.5),
      c('\\b(bring|file) (a |any )?(claim|proceedings|lawsuit|action)\\b[^.\\n]{0,40}\\bcourts?\\b', 2),
      c('\\b(subject to|under|in accordance with) the laws of\\b|\\bjurisdiction of (the )?courts\\b', 2.5),
      c('\\bgoverned by\\b[^.\\n]{0,40}\\blaws?\\b', 3.5),
      c('\\bgoverning law\\b|\\bchoice of law\\b|\\bconflict(s)? of laws?\\b', 2.5),
      // "As permitted by applicable law" is in clauses of every kind: a weak sign of a choice of law.
      c('\\bapplicable law\\b', 0.8),
      c('\\b(exclusive|non-exclusive) (jurisdiction|venue)\\b|\\bjurisdiction (of|and venue)\\b', 2.5),
      c('\\bcourts (of|located in|in)\\b', 2),
      c('\\b(brought|filed|resolved|heard|litigated)\\b[^.\\n]{0,40}\\bcourts?\\b', 2.5),
      c('\\b(state|federal) (or (state|federal) )?courts\\b', 1.5),
      c('\\bvenue\\b', 1.5),
      c('\\bmandatory (consumer )?(protection|law|rules)\\b', 1),
    ],
    // "Under the laws of your country you may have rights": the reader's own law, not a choice of law.
    negative: [
      c('\\blaws? of your (country|state|jurisdiction|region|province)\\b', 2),
      // A company "incorporated under the laws of Ireland" names the contracting entity, not the law chosen (1.11.0).
      c(
        '\\b(incorporated|registered|organi[sz]ed|established|existing)\\b[^.\\n]{0,30}\\bunder the laws of\\b',
        2.5,
      ),
    ],
    heading: [
      c('governing law|jurisdiction|choice of law|applicable law|venue|law and', 4),
      c('dispute', 1.5),
    ],
  },
  {
    id: 'termination',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\b(beendigung|sperrung|ausschluss|deaktivierung|kontosperre)\\b', 2.5),
      c(
        '\\b(end|ending|cancel|cancell?ing|cancell?ation of) (this|these|the|your) (agreement|terms|subscription|account|contract)\\b',
        2,
      ),
      c('\\bsurvive (any )?(termination|expiration)\\b', 1.5),
      c('\\b(restrict|block|revoke|limit) (your )?access\\b', 1.5),
      c(
        '\\b(revoke|terminate|suspend|disable|deactivate|cancel)\\b[^.\\n]{0,20}\\b(your )?(access|account|membership|subscription|right to use)\\b',
        2.5,
      ),
      c(
        '\\b(stop|cease) (providing|offering)\\b|\\baccount (suspension|termination|deactivation|closure)\\b',
        2,
      ),
      c('\\bterminat(e|es|ed|ing|ion)\\b', 2),
      c('\\bsuspend(ed|s|ing)?\\b|\\bsuspension\\b', 2),
      c('\\b(close|delete|deactivate|cancel|disable)\\b[^.\\n]{0,20}\\baccounts?\\b', 2),
      c('\\b(at any time|for any reason|without (prior )?notice)\\b', 1),
      c('\\bstop using\\b|\\bdiscontinu(e|ation|ed)\\b', 1),
    ],
    heading: [
      c('end of|deleting your account|account (closure|deletion)|leaving', 3.5),
      c('terminat|suspen|cancel|discontinu|closing (your )?account|\\bending\\b', 4),
    ],
    negative: [
      // Challenging a suspension is redress against a moderation decision; the suspension itself is named in passing.
      decisive(
        '\\b(appeal|appeals|challenge|contest|dispute|review of)\\b[^.\\n]{0,40}\\b(suspensions?|terminations?|restrictions?|decisions?)\\b|\\b(suspend|terminat|restrict)(ed|ing|ion)?\\b[^.\\n]{0,80}\\b(you (can|may) (file an |submit an )?appeal|in error|a mistake)\\b',
        2,
      ),
      // Ending the contract offered as the answer to a change of the service or the terms: the clause is the change.
      c(
        '\\b(changes?|modifications?|updates?)\\b[^.\\n]{0,100}\\b(you (may|can|have the right to)|right to) (end|cancel|terminate|stop)\\b',
        2,
      ),
      // A provider adding, removing or resizing features of an evolving service: a change of the service, not the end
      // of the user's access ("stop offering" nearby names a feature, not the account).
      decisive(
        '\\b(add(ing)?|remov(e|ing)|increas(e|ing)|decreas(e|ing))\\b[^.\\n]{0,40}\\b(features?|functionalit(y|ies)|(usage|capacity) limits)\\b',
        2,
      ),
    ],
  },
  {
    id: 'unilateral-changes',
    body: [
      // German-language versions (EU services publish them): the category's everyday legal word (1.6.0).
      c('\\brecht vor\\b[^.\\n]{0,150}zu .ndern\\b', 3),
      c(
        '\\b(discontinue|suspend|modify|change)\\b[^.\\n]{0,20}\\b(the|our|any) (service|services|platform|products?|features?)\\b',
        2,
      ),
      c('\\b(updated|revised|new) (version|terms|polic(y|ies))\\b', 1.5),
      c('\\b(post|posting) (the )?(updated|revised|new|changes)\\b', 2),
      c(
        "\\b(if you do not|if you don't) agree\\b[^.\\n]{0,60}\\b(changes|updated|revised|modified|new)\\b",
        2.5,
      ),
      c('\\bfrom time to time\\b', 1),
      c(
        '\\b(may|can|will|reserve the right to) (change|modify|update|amend|revise)\\b[^.\\n]{0,40}\\b(terms|polic(y|ies)|agreement|services?|these|this)\\b',
        3,
      ),
      c(
        '\\b(changes?|updates?|modifications?|amendments?) to (these|this|our|the) (terms|polic(y|ies)|agreement|services?)\\b',
        3,
      ),
      c(
        '\\bcontinu(ed|e|ing) (use|to use|access)\\b[^.\\n]{0,80}\\b(accept|agree|constitutes?|means|bound)',
        2.5,
      ),
      c('\\b(notify|inform|notice to|tell) you\\b[^.\\n]{0,40}\\b(changes?|updates?|modifications?)\\b', 2),
      c('\\b(material|significant) changes?\\b', 1.5),
      c('\\b(may|can) (change|modify|update|discontinue|alter)\\b', 1.5),
      c(
        '\\b(add|remove|change) (or remove )?features\\b|\\bforever\\b|\\bin (its|their) current form\\b',
        1.5,
      ),
      c('\\bprices?\\b[^.\\n]{0,40}\\b(change|changes|increase|increases)\\b', 2),
      // The provider describing its service as evolving: features come and go, modifications are made, notice of
      // them is given. Worded by every platform in its own way; these are the shared turns of phrase.
      c(
        '\\b(make|making|made) (modifications|changes|updates)\\b|\\b(constantly|continually|continuously) (changing|evolving|improving)\\b|\\bcontinual evolution\\b',
        2,
      ),
      c(
        '\\b(adding|removing|add|remove|change|changing)\\b[^.\\n]{0,30}\\b(features?|functionalit(y|ies))\\b',
        1.5,
      ),
      c(
        '\\bnotice\\b[^.\\n]{0,60}\\b(of|about|describing|including a description of) (the |any |such )?(changes?|modifications?)\\b',
        1.5,
      ),
      c(
        '\\b(add|change|modify|remove|discontinue|alter)\\b[^.\\n]{0,30}\\b(features|functionalit(y|ies)|the service)\\b[^.\\n]{0,40}\\b(at any time|without notice|from time to time)\\b',
        3,
      ),
      c('\\b(assigned|transferred) by us\\b|\\bwithout (advance|prior) notice\\b', 1.5),
      c('\\b(automatic|manual) updates\\b|\\bupdates to (our|the) (software|apps?)\\b', 1.5),
      c('\\bprice (changes?|increases?)\\b|\\bchange (our|the|its) (prices|fees|pricing)\\b', 2.5),
      c('\\bmay (assign|transfer) (these|this|the|our|its)\\b', 2),
      c(
        '\\bdeprecat(e|ed|es|ing|ion)\\b|\\bretir(e|es|ing) (a |the |any )?(model|feature|product|version)s?\\b',
        2,
      ),
    ],
    heading: [
      c('changes|updates? to|amendment|modification|revision', 3.5),
      c('assignment|software|updates|pricing|price', 2),
    ],
  },
];

/**
 * Markers of text that carries no governance category (contact details, definitions, boilerplate, tables of
 * contents). They do not add up with the categories: `none` is reported when they outweigh the best category.
 */
export const NONE_CUES: { readonly heading: readonly CueSource[]; readonly body: readonly CueSource[] } = {
  heading: [
    // A contact section outweighs the "contact information" a collection clause would list.
    c(
      '^(how to )?contact( (information|details|us|info))?$|^contacting us$|^how (to|you can) (contact|reach) us\\b',
      5,
    ),
    c(
      'contact|controller|definitions?|severab|no waiver|entire agreement|useful resources|changelog|introduction|overview|about (us|this)|who we are|table of contents|welcome|confidentiality|publicity|notices|force majeure|export|headings|relationship of the parties|updated|effective|^(additional|more|further) information$',
      3.5,
    ),
    // A document's own title (the provision that opens it) and its change log describe the document, not a rule.
    c(
      '^(usage polic(y|ies)|privacy (policy|notice)|terms of (service|use)|cookie (policy|notice)|changelog|change log)',
      4,
    ),
    // The contract's boilerplate sections, named alone: they set no rule on data, content or the service.
    c('^(waiver|survival|miscellaneous|general|general provisions|assignment|entire agreement)[.:]?$', 4),
    // Explanations of a technology and representatives' details inform; they set no rule.
    c('^what (are )?cookies( are)?\\??$|^(our |data protection |privacy |eu |uk )?representatives?\\b', 4),
    // A short title that names a document ("Acme Privacy Policy", "Europe Terms of Use", "Data Processing
    // Addendum"), unless it starts like a section about the document ("Changes to this Policy").
    c(
      "^(?!(changes?|updates?|amendments?|modifications?|contact(ing)?|how|what|why|who|when|where|your|our|this|these|about|use|scope|acceptance|agreement to)\\b)[\\w’'.&-]+( [\\w’'.&-]+){0,5} (polic(y|ies)|notice|terms( of (service|use))?|addendum|guidelines)$",
      4,
    ),
  ],
  body: [
    c('\\b(contact us|email us|write to us|reach us)\\b', 1.5),
    c('\\b(questions|comments|concerns) (about|regarding)\\b', 1),
    c('\\bmeans\\b', 0.5),
    c('\\bregistered (office|address)\\b|\\b(company|vat) (number|no\\.?)\\b', 2),
    // Who the contracting party or a representative is, and how to reach them.
    c(
      '\\b(you(’|\\x27)?re|you are) contracting with\\b|\\bincorporated (and operating )?under the laws of\\b|\\bregistration number\\b',
      2.5,
    ),
    c(
      '\\b(appointed|designated)\\b[^.\\n]{0,60}\\brepresentatives?\\b|\\b(domestic|privacy|eu|uk|local) representatives?\\b',
      3,
    ),
    c(
      '\\b(send|direct|address) (any |your )?(questions|queries|comments)\\b|\\bif you have any (questions|queries)\\b',
      1.5,
    ),
    c('\\bcookies are (small )?(text )?(files|pieces of)\\b', 3),
    c(
      '\\b(thank you|thanks) for (using|choosing)\\b|\\bplease read (these|this|the)\\b[^.\\n]{0,30}\\bcarefully\\b',
      3,
    ),
    // Contract boilerplate: the whole agreement, no waiver by inaction, severability, what survives the end.
    c(
      '\\b(constitutes?|is|are) the entire agreement\\b|\\bfailure to (exercise|enforce)\\b[^.\\n]{0,80}\\bwaiver\\b|\\bheld (to be )?(invalid|unenforceable)\\b[^.\\n]{0,80}\\b(remain|continue)\\b|\\bby their nature\\b[^.\\n]{0,40}\\bsurvive\\b',
      2,
    ),
    // The opening of a document: it says what the document is about rather than setting a rule.
    c(
      '\\bth(is|ese) [^.\\n]{0,30}\\b(policy|notice|statement|terms|agreement)\\b[^.\\n]{0,60}\\b(describes|explains|outlines|sets out|is intended to|applies|apply|governs|govern)\\b',
      3,
    ),
  ],
};
