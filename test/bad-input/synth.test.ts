/**
 * The synth-time half of the bad-input catalogue: a literal value that breaks a cloud's rule stops the
 * construct while it is built, with the rule in the message, before anything is synthesized or deployed.
 */
import { SYNTH_CASES } from './catalogue';
import { constructionError, newStack } from '../constructs/helpers';

describe('bad input at synth, through the constructs', () => {
  test.each(SYNTH_CASES.map((testCase) => [`${testCase.category}: ${testCase.title}`, testCase] as const))('%s', (_title, testCase) => {
    // WHEN the construct is built with the bad value
    const message = constructionError(testCase.build);

    // THEN it throws, naming the construct and the rule
    expect(message).toMatch(/^cdktf-keypair: stack\/\S+ \((Alicloud|Tencentcloud|Ucloud)KeyPair\) has invalid props:\n {2}- /);
    expect(message).toMatch(testCase.message);
    for (const text of testCase.mustNotQuote?.() ?? []) expect(message).not.toContain(text);
    // AND the value just inside the rule builds
    if (testCase.counterpart) expect(() => testCase.counterpart!(newStack())).not.toThrow();
  });
});
