// 统一社会信用代码 (GB 32100-2015): real published codes pass; each kind of mistake is refused with
// a message that says what to fix (which character, which check character was expected).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkUscc, isValidUscc, usccCheckChar, USCC_ALPHABET, withUsccCheck } from '../../src/modules/enforcement/service/uscc.js';
import { t } from '../../src/platform/i18n/index.js';
import { enforcementMessages } from '../../src/modules/enforcement/messages.js';
import { addMessages } from '../../src/platform/i18n/index.js';

addMessages('zh-CN', enforcementMessages['zh-CN']);
addMessages('en', enforcementMessages.en);

/** Codes as their holders publish them (business licences, the national enterprise credit system). */
const REAL = [
  '91350100M000100Y43', // the standard's example (福州)
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '91330100799655058B', // 阿里巴巴（中国）有限公司
  '91110000100010433L', // 北京
  '91100000100003962T', // a national body (region 100000)
  '12100000400000624D', // 事业单位 (机构编制 1, 类别 2)
];

describe('the check character', () => {
  it('accepts real published codes', () => {
    for (const code of REAL) expect(checkUscc(code), code).toEqual({ ok: true, code });
  });

  it('is computed by hand for the standard’s example (M = 21, Y = 30): the 18th character is 3', () => {
    // 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 with the weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
    const values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4];
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = values.reduce((s, v, i) => s + v * weights[i], 0);
    expect(USCC_ALPHABET[(31 - (sum % 31)) % 31]).toBe('3');
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('names the expected check character when it is wrong', () => {
    const r = checkUscc('91350100M000100Y44');
    expect(r).toMatchObject({ ok: false, key: 'enforcement.err.uscc_check', params: { expected: '3', actual: '4' } });
    if (!r.ok) {
      expect(t('zh-CN', r.key, r.params)).toBe('校验码不符：按前17位计算，第18位应为“3”，而不是“4”。请核对代码。');
      expect(t('en', r.key, r.params)).toContain('must be “3”, not “4”');
    }
  });

  it('says which character is illegal and where, and what the length is', () => {
    expect(checkUscc('91350100M00O100Y43')).toMatchObject({ ok: false, key: 'enforcement.err.uscc_char', params: { position: 12, char: 'O' } });
    expect(checkUscc('91350100M000100Y4I')).toMatchObject({ ok: false, key: 'enforcement.err.uscc_char', params: { position: 18, char: 'I' } });
    expect(checkUscc('91350100M000100Y4')).toMatchObject({ ok: false, key: 'enforcement.err.uscc_length', params: { length: 17 } });
    expect(checkUscc('91350100M000100Y433')).toMatchObject({ ok: false, key: 'enforcement.err.uscc_length', params: { length: 19 } });
    expect(checkUscc('  ')).toMatchObject({ ok: false, key: 'enforcement.err.uscc_required' });
    // Z, S and V are not in the alphabet either.
    for (const ch of 'ZSV') expect(checkUscc(`91350100M000100${ch}43`)).toMatchObject({ key: 'enforcement.err.uscc_char', params: { position: 16, char: ch } });
  });

  it('checks the registration authority, the kind of body and the region', () => {
    // 0 is no authority; 94 is no kind the market regulator registers; 99 is no province.
    expect(checkUscc(withUsccCheck('01350100M000100Y4'))).toMatchObject({ ok: false, key: 'enforcement.err.uscc_authority', params: { char: '0' } });
    expect(checkUscc(withUsccCheck('94350100M000100Y4'))).toMatchObject({ ok: false, key: 'enforcement.err.uscc_kind', params: { char: '4', authority: '9' } });
    expect(checkUscc(withUsccCheck('91990100M000100Y4'))).toMatchObject({ ok: false, key: 'enforcement.err.uscc_region', params: { region: '990100' } });
    expect(checkUscc(withUsccCheck('913501A0M000100Y4'))).toMatchObject({ ok: false, key: 'enforcement.err.uscc_region' });
    // 个体工商户 (92) and 农民专业合作社 (93), a 社会团体 (51), 其他 (Y1).
    for (const head of ['92', '93', '51', 'Y1', 'N2']) expect(isValidUscc(withUsccCheck(`${head}350100M000100Y4`)), head).toBe(true);
  });

  it('accepts a code as people type it: lower case, spaces, full-width characters', () => {
    expect(checkUscc(' 91350100m000100y43 ')).toEqual({ ok: true, code: '91350100M000100Y43' });
    expect(checkUscc('9135 0100 M000 100Y 43')).toEqual({ ok: true, code: '91350100M000100Y43' });
    expect(checkUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });

  it('catches every single-character change and every swap of two different adjacent characters (property)', () => {
    const ch = fc.constantFrom(...USCC_ALPHABET);
    const body = fc.tuple(fc.constantFrom('91', '92', '93', '11', '12', '51', '52'), fc.constantFrom('350100', '110105', '210213', '440300'), fc.array(ch, { minLength: 9, maxLength: 9 })).map(([a, r, rest]) => withUsccCheck(a + r + rest.join('')));
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 17 }), ch, (code, i, c) => {
        expect(isValidUscc(code)).toBe(true);
        if (c !== code[i]) expect(isValidUscc(code.slice(0, i) + c + code.slice(i + 1))).toBe(false);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(body, fc.integer({ min: 8, max: 15 }), (code, i) => {
        if (code[i] === code[i + 1]) return;
        expect(isValidUscc(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('withUsccCheck refuses what is not 17 characters of the alphabet', () => {
    expect(() => withUsccCheck('91350100M000100Y')).toThrow();
    expect(() => withUsccCheck('91350100M000100YI')).toThrow();
  });
});
