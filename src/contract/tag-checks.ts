import { CLOUD_LABELS, type CloudName } from './clouds';
import { RESERVED_TAG_KEYS } from './ownership';
import { ruleViolation, TAG_RULES } from './rules';

/**
 * Every problem with a key pair's declared tags, in the same words at synth and in the handler: the cloud
 * takes no tags, too many (cdktf-keypair's own count), a reserved key, a key or value the cloud refuses.
 * `isToken` skips the keys and values only known at deploy time (synth); the handler has none.
 */
export function tagViolations(
  cloud: CloudName,
  tags: Readonly<Record<string, string>>,
  isToken: (value: string) => boolean = () => false,
): string[] {
  const rules = TAG_RULES[cloud];
  const entries = Object.entries(tags);
  if (rules === undefined) return entries.length > 0 ? [`${CLOUD_LABELS[cloud]} key pairs carry no tags; remove tags`] : [];
  const problems: string[] = [];
  const ownTags = rules.maxTags - RESERVED_TAG_KEYS.length;
  if (entries.length > ownTags) {
    problems.push(
      `${CLOUD_LABELS[cloud]} allows ${rules.maxTags} tags per key pair, cdktf-keypair's ${RESERVED_TAG_KEYS.join(' and ')} included: ` +
        `at most ${ownTags} of your own; got ${entries.length}`,
    );
  }
  for (const [key, value] of entries) {
    if (RESERVED_TAG_KEYS.includes(key)) {
      problems.push(`tag key ${key} is reserved: cdktf-keypair sets it on the key pairs it creates (ownership, tag revision); remove it from tags`);
      continue;
    }
    for (const [rule, text] of [[rules.key, key], [rules.value, value]] as const) {
      const violation = isToken(text) ? undefined : ruleViolation(rule, text);
      if (violation !== undefined) problems.push(violation);
    }
  }
  return problems;
}
