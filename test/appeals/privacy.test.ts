// Masking of personal data in free text: every valid-checksum ID number, mobile, landline,
// e-mail address and plate of the fixture is masked (no false negatives); dates, amounts and
// 文号 stay as they are. Property tests (fast-check) generate every kind of personal data written
// the ways people and attackers write it — full-width, Chinese digits and numerals, separators
// between digits, any letter case, zero-width characters — and check that its identifying part
// is gone; a second property checks that dates, amounts and 文号 come back exactly as written.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidIdNumber, maskName, maskText, readsAsOrdinaryNumbers, withIdCheckDigit } from '../../src/platform/privacy/index.js';

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
const r = rng(7);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

const IDS = Array.from({ length: 40 }, (_, i) => {
  const region = ['110101', '210211', '310104', '440305', '510107', '650102'][i % 6];
  const y = 1940 + Math.floor(r() * 80);
  const m = String(1 + Math.floor(r() * 12)).padStart(2, '0');
  const d = String(1 + Math.floor(r() * 28)).padStart(2, '0');
  return withIdCheckDigit(`${region}${y}${m}${d}${digits(3)}`);
});
const MOBILES = Array.from({ length: 30 }, (_, i) => `1${[3, 4, 5, 6, 7, 8, 9][i % 7]}${digits(9)}`);
const LANDLINES = ['0411-87654321', '010-12345678', '(0411)8765432', '（021）62345678', '0755 28765432', '0411-87654321转805'];
const EMAILS = ['zhang.san@example.com', 'li_si+tag@mail.gov.cn', 'w123@qq.com', 'A.B-C@sub.example.org'];
const PLATES = ['辽B12345', '辽B·12345', '京AD12345', '沪A·F12345', '粤B12345D', '川A8G9K2', '苏E·D8K456', '浙A12345学'];

describe('maskText', () => {
  it('generated ID numbers carry valid checksums; a wrong check digit is not an ID', () => {
    for (const id of IDS) expect(isValidIdNumber(id)).toBe(true);
    const bad = IDS[0].slice(0, 17) + (IDS[0][17] === '1' ? '2' : '1');
    expect(isValidIdNumber(bad)).toBe(false);
    expect(isValidIdNumber('110101199902301234')).toBe(false); // 30 February
  });

  it('masks every ID number, mobile, landline, e-mail and plate in free text (no false negatives)', () => {
    const text = [
      ...IDS.map((id, i) => `第${i + 1}位来电人身份证号${id}，`),
      ...MOBILES.map((m, i) => (i % 3 === 0 ? `手机${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}；` : i % 3 === 1 ? `电话：+86 ${m}。` : `联系${m}。`)),
      ...LANDLINES.map((l) => `座机${l}，`),
      ...EMAILS.map((e) => `邮箱${e}，`),
      ...PLATES.map((p) => `车牌${p}的车辆违停，`),
    ].join('');
    const out = maskText(text).text;
    for (const id of IDS) expect(out).not.toContain(id);
    for (const id of IDS) expect(out).not.toContain(id.slice(6, 14)); // the birth date part is gone too
    for (const m of MOBILES) {
      expect(out).not.toContain(m);
      expect(out).not.toContain(m.slice(3, 7) + '-' + m.slice(7));
    }
    for (const l of LANDLINES) expect(out).not.toContain(l.replace(/\D/g, '').slice(-7));
    for (const e of EMAILS) expect(out).not.toContain(e);
    for (const p of PLATES) expect(out).not.toContain(p.replace('·', '').slice(2, 6));
  });

  it('leaves dates, amounts, 文号 and ordinary numbers alone', () => {
    const text = '2025年3月12日（2025-03-12、2025/03/12）缴纳费用3000元，合计12,345.67元、¥860，依据示范新区发〔2025〕12号文件，第3条第2款，共18人，编号20250312001，订单号123456789012345678。';
    expect(maskText(text).text).toBe(text);
  });

  it('masks names (known contact names and names after a cue), house numbers and flat numbers', () => {
    const out = maskText('我叫李秀英，住阳光小区3号楼2单元501室，幸福路12号。联系人：王小明。欧阳娜娜女士也反映了。2025年5月12号下午。', { names: ['李秀英'] }).text;
    expect(out).toContain('李**');
    expect(out).not.toContain('李秀英');
    expect(out).not.toContain('王小明');
    expect(out).toContain('王**');
    expect(out).toContain('欧阳**女士');
    expect(out).toContain('*号楼*单元***室');
    expect(out).toContain('幸福路**号');
    expect(out).toContain('2025年5月12号下午');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('诸葛孔明')).toBe('诸葛**');
  });
});

// ---- property tests: every kind of personal data, written in the ways people (and attackers) write it --

const HAN_VALUE: Record<string, string> = { 〇: '0', '○': '0', 零: '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 贰: '2', 三: '3', 叁: '3', 四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9' };
const HAN_FORMS = ['〇零○', '一幺壹', '二贰', '三叁', '四肆', '五伍', '六陆', '七柒', '八捌', '九玖'];
const CN_NUMERALS = /[〇○零一二两三四五六七八九十百千]/;
/** Full-width form of ASCII letters, digits and @ (U+FF01–U+FF5E). */
const full = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);
/** Digits (and X) left in the text, whatever way they are written. */
const digitsLeft = (s: string) => [...s.normalize('NFKC')].map((c) => HAN_VALUE[c] ?? (/[0-9X]/i.test(c) ? c.toUpperCase() : '')).join('');

/** Separators people put between digits: spaces (incl. U+3000), hyphens and dashes, dots, middle dots, a zero-width space. */
const SEPARATORS = ['', '', '', '', ' ', '  ', '-', ' - ', '.', '\u3000', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u30fc', '·', '・', '－', '．', '_', '\u200b'];
const sep = fc.constantFrom(...SEPARATORS);

/** A digit string rendered as ASCII, full-width or Chinese digits (or a mix), with random separators between the digits. */
function rendered(chars: string): fc.Arbitrary<string> {
  const n = chars.length;
  return fc
    .tuple(fc.constantFrom('ascii', 'full', 'han', 'mixed'), fc.array(sep, { minLength: n - 1, maxLength: n - 1 }), fc.array(fc.nat(2), { minLength: n, maxLength: n }), fc.array(fc.nat(2), { minLength: n, maxLength: n }))
    .map(([form, seps, pick, mix]) =>
      [...chars]
        .map((c, i) => {
          const f = form === 'mixed' ? (['ascii', 'full', 'han'] as const)[mix[i]] : form;
          let out: string;
          if (c === 'X') out = ['X', 'x', full('X'), full('x')][pick[i] + (mix[i] % 2)];
          else if (f === 'full') out = full(c);
          else if (f === 'han') out = HAN_FORMS[Number(c)][pick[i] % HAN_FORMS[Number(c)].length];
          else out = c;
          return (i ? seps[i - 1] : '') + out;
        })
        .join(''),
    );
}

const digitsArb = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** Chinese text around the data: no digits, numerals or Latin letters. */
const before = fc.constantFrom('', '身份证号', '身份证号码：', '我的手机是', '联系方式：', '请联系', '（', '车牌', '邮箱', '反映人住在', '地址：');
const after = fc.constantFrom('', '。', '，谢谢', '）', ' 请尽快处理', '的情况属实', '！');

const REGIONS = ['110101', '120104', '210203', '210211', '310104', '370102', '440305', '510107', '650102'];
const idNumber = fc.tuple(fc.constantFrom(...REGIONS), fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }), digitsArb(3)).map(([r, d, seq]) => withIdCheckDigit(r + d.toISOString().slice(0, 10).replace(/-/g, '') + seq));
const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digitsArb(9)).map(([b, rest]) => `1${b}${rest}`);

/** 1..9999 in Chinese numerals (一百二十三, 一千零四, 十五; 两 for 2 in the hundreds and thousands if asked). */
function cnNumber(n: number, liang = false): string {
  const D = '零一二三四五六七八九';
  const units = ['', '十', '百', '千'];
  const s = String(n);
  let out = '';
  let zero = false;
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i]);
    const u = s.length - 1 - i;
    if (d === 0) {
      zero = true;
      continue;
    }
    if (zero && out) out += '零';
    zero = false;
    out += (d === 1 && u === 1 && !out ? '' : d === 2 && liang && u >= 2 ? '两' : D[d]) + units[u];
  }
  return out;
}
/** A house number rendered in Arabic, full-width, Chinese (positional) or Chinese digit-by-digit form. */
const houseNumber = (max: number) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.constantFrom('ascii', 'full', 'cn', 'cn2', 'digits'), fc.boolean()).map(([n, f, z]) =>
    f === 'full' ? [...String(n)].map(full).join('') : f === 'cn' ? cnNumber(n) : f === 'cn2' ? cnNumber(n, true) : f === 'digits' ? [...String(n)].map((c) => (c === '0' ? (z ? '零' : '〇') : '零一二三四五六七八九'[Number(c)])).join('') : String(n),
  );

interface Case {
  text: string;
  names?: string[];
  check(out: string): void;
}

const CASES: Record<string, fc.Arbitrary<Case>> = {
  'ID card numbers (valid check digit, X in any case)': fc
    .tuple(idNumber, before, after)
    .chain(([id, b, a]) => rendered(id).map((r) => ({ id, r, b, a })))
    .filter(({ r }) => !readsAsOrdinaryNumbers(r))
    .map(({ id, r, b, a }) => ({
      text: `${b}${r}${a}`,
      check: (out) => {
        const left = digitsLeft(out);
        expect(left).not.toContain(id.slice(6, 14)); // the birth date is gone
        expect(left.length).toBeLessThanOrEqual(5); // 110*************1X
      },
    })),
  'mobile numbers (+86 / 86 / 0086 prefixes)': fc
    .tuple(mobile, fc.constantFrom('', '', '+86', '+86 ', '86', '0086 ', '(+86)', '＋８６ ', '+86-', '（+86）'), before, after)
    .chain(([m, p, b, a]) => rendered(m).map((r) => ({ m, p, r, b, a })))
    .filter(({ r }) => !readsAsOrdinaryNumbers(r, true))
    .map(({ m, p, r, b, a }) => ({
      text: `${b}${p}${r}${a}`,
      check: (out) => {
        const left = digitsLeft(out);
        expect(left).not.toContain(m);
        expect(left.length).toBeLessThanOrEqual(7 + digitsLeft(p).length); // 138****5678
      },
    })),
  'landline numbers with area code': fc
    .tuple(fc.constantFrom('010', '021', '022', '0411', '0755', '0571'), fc.integer({ min: 2, max: 8 }), digitsArb(7), fc.boolean(), fc.constantFrom('()', '（）', ' ', '-', '－', '\u2014', ' - '), before, after)
    .chain(([area, first, rest, seven, how, b, a]) => {
      const sub = `${first}${area.length === 4 && seven ? rest.slice(1) : rest}`;
      return fc.tuple(rendered(area).filter((x) => digitsLeft(x) === area && !/[^\d０-９〇○零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖]/.test(x)), rendered(sub)).map(([ra, rs]) => ({
        area,
        rs,
        text: `${b}${how.length === 2 ? how[0] + ra + how[1] : ra + how}${rs}${a}`,
      }));
    })
    .map(({ area, rs, text }) => ({
      text,
      check: (out) => {
        expect(out).not.toContain(rs);
        expect(digitsLeft(out).length).toBeLessThanOrEqual(area.length + 4); // 0411-****4321
      },
    })),
  'e-mail addresses (full-width, ＠, any case)': fc
    .tuple(fc.stringMatching(/^[a-z][a-z._]{1,8}[0-9]{1,3}$/), fc.constantFrom('example.com', 'mail.gov.cn', 'qq.com', 'sub.example.org'), fc.constantFrom('@', '＠', ' @ ', '(at)'), fc.boolean(), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), before, after)
    .map(([user, domain, at, wide, upper, b, a]) => {
      const shape = (s: string, k: number) => [...s].map((c, i) => ((upper[(i + k) % 16] ? c.toUpperCase() : c) === c && wide && /[a-z0-9]/.test(c) ? full(c) : upper[(i + k) % 16] ? c.toUpperCase() : c)).join('');
      return {
        text: `${b}${shape(user, 0)}${at}${shape(domain, 7)}${a}`,
        check: (out: string) => expect(out.normalize('NFKC').toLowerCase()).not.toContain(user.slice(1)),
      };
    }),
  'vehicle plates (real provinces, any case, new-energy)': fc
    .tuple(
      fc.constantFrom(...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'),
      fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ'),
      fc.oneof(
        // Ordinary: five characters with at most two letters.
        fc.tuple(digitsArb(5), fc.subarray([0, 1, 2, 3, 4], { maxLength: 2 }), fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ')).map(([d, at, l]) => [...d].map((c, i) => (at.includes(i) ? l : c)).join('')),
        // New energy, small (D/F + letter or digit + 4 digits) and large (5 digits + D/F).
        fc.tuple(fc.constantFrom('D', 'F'), fc.constantFrom(...'0123456789ABCDEFGHJK'), digitsArb(4)).map(([k, x, d]) => `${k}${x}${d}`),
        fc.tuple(digitsArb(5), fc.constantFrom('D', 'F')).map(([d, k]) => `${d}${k}`),
      ),
      fc.constantFrom('', '', '·', ' ', '-', '•', '・', '\u3000'),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom('', '车牌', '车牌号', '一辆', '看到'),
      fc.constantFrom('', '的车辆违停', '，请处理', '。'),
    )
    .map(([prov, city, body, s, lower, wide, b, a]) => {
      const shape = (c: string) => (wide ? full(lower ? c.toLowerCase() : c) : lower ? c.toLowerCase() : c);
      return {
        text: `${b}${prov}${shape(city)}${s}${[...body].map(shape).join('')}${a}`,
        check: (out: string) => expect(out.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '').length).toBeLessThanOrEqual(1), // 辽B*****
      };
    }),
  'house numbers (street + number + 号, Arabic or Chinese numerals up to 9999)': fc
    .tuple(fc.constantFrom('幸福', '人民', '解放', '中山', '光明', '胜利', '建设', '新华', '和平', '友好'), fc.constantFrom('路', '街', '大街', '巷', '弄', '胡同'), houseNumber(9999), fc.constantFrom('', ' ', '\u3000'), fc.constantFrom('号', '號', '号院'), fc.constantFrom('', '家住', '地址：', '我在'), fc.constantFrom('', '附近', '门口', '，路灯不亮'))
    .map(([street, suffix, no, s, hao, b, a]) => ({
      text: `${b}${street}${suffix}${s}${no}${s}${hao}${a}`,
      check: (out: string) => expect([...out.normalize('NFKC')].filter((c) => /[0-9]/.test(c) || CN_NUMERALS.test(c))).toEqual([]),
    })),
  'flat numbers (号楼/栋/幢 + 单元 + 室, 3-2-501)': fc
    .tuple(houseNumber(99), fc.constantFrom('号楼', '栋', '幢', '座'), houseNumber(9), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('ascii', 'full', 'digits', 'cn'), fc.constantFrom('室', '房', '号'), fc.constantFrom('', ' '), fc.constantFrom('', '住', '小区', '阳光小区'), fc.constantFrom('', '，楼上漏水', '。'))
    .map(([bld, kind, unit, floor, flat, roomForm, roomSuffix, s, b, a]) => {
      const room = floor * 100 + flat;
      const r = roomForm === 'full' ? [...String(room)].map(full).join('') : roomForm === 'digits' ? [...String(room)].map((c) => '零一二三四五六七八九'[Number(c)]).join('') : roomForm === 'cn' ? cnNumber(room) : String(room);
      return {
        text: `${b}${bld}${s}${kind}${s}${unit}${s}单元${s}${r}${s}${roomSuffix}${a}`,
        check: (out: string) => expect([...out.normalize('NFKC')].filter((c) => /[0-9]/.test(c) || CN_NUMERALS.test(c))).toEqual([]),
      };
    }),
  'flat numbers written 3-2-501 and rooms alone': fc
    .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 101, max: 3304 }), fc.constantFrom('-', '－', '\u2013', '\u2014'), fc.boolean(), fc.boolean(), fc.constantFrom('', '住', '小区'), fc.constantFrom('', '，楼上漏水'))
    .map(([bld, unit, room, dash, wide, alone, b, a]) => {
      const w = (n: number) => (wide ? [...String(n)].map(full).join('') : String(n));
      return {
        text: alone ? `${b}${w(room)}室${a}` : `${b}${w(bld)}${dash}${w(unit)}${dash}${w(room)}${a}`,
        check: (out: string) => expect(digitsLeft(out)).toBe(''),
      };
    }),
  'names (after a cue word; known names, also spaced out)': fc
    .tuple(fc.constantFrom(...'王李张刘陈杨黄赵吴周徐孙马朱胡郭'), fc.array(fc.constantFrom(...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华'), { minLength: 1, maxLength: 2 }), fc.constantFrom('我叫', '本人', '姓名：', '姓名:', '联系人', '投诉人', '举报人：'), fc.constantFrom('，', '。', '的', '反映', '住'), fc.constantFrom('cue', 'known', 'known-spaced'))
    .map(([surname, given, cue, a, how]) => {
      const name = surname + given.join('');
      const spaced = [...name].join(how === 'known-spaced' ? '\u3000' : '');
      return {
        text: how === 'cue' ? `${cue}${name}${a}有事反映` : `市民${spaced}${a}有事反映`,
        names: how === 'cue' ? [] : [name],
        check: (out: string) => {
          for (const c of given) expect(out).not.toContain(c);
        },
      };
    }),
};

describe('maskText against written variants (property tests)', () => {
  for (const [kind, arb] of Object.entries(CASES)) {
    it(`masks ${kind} in every written form`, () => {
      fc.assert(
        fc.property(arb, (c) => {
          const out = maskText(c.text, { names: c.names }).text;
          c.check(out);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('known attack strings are masked (at their original positions, the rest exactly as written)', () => {
    const cases: [string, string][] = [
      ['身份证210203-19850612-1236，', '身份证210*************36，'],
      ['证件号２１０２０３１９８５０６１２１２３６。', '证件号210*************36。'],
      ['手机１３８１２３４５６７８！', '手机138****5678！'],
      ['电话 1 3 8 1 2 3 4 5 6 7 8 谢谢', '电话 138****5678 谢谢'],
      ['邮箱zhangwei＠example.com，', '邮箱z***@example.com，'],
      ['车牌辽b12345违停', '车牌辽B*****违停'],
      ['住幸福路一百二十三号（２０２６年）', '住幸福路*****号（２０２６年）'],
      ['电话\u200b138\u200b1234\u200b5678。', '电话\u200b138****5678。'],
      ['前𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖后😀', '前138****5678后😀'],
      ['手机١٣٨١٢٣٤٥٦٧٨。', '手机138****5678。'],
      ['电话一三八 一二三四 五六七八', '电话138****5678'],
      ['身份证 210203 1985 06 12 1236', '身份证 210*************36'],
    ];
    for (const [text, masked] of cases) expect(maskText(text).text).toBe(masked);
  });
});

// ---- ordinary numbers stay exactly as written --------------------------------------------------------

const year = fc.integer({ min: 1930, max: 2099 });
const month = fc.integer({ min: 1, max: 12 });
const day = fc.integer({ min: 1, max: 28 });
const p2 = (n: number) => String(n).padStart(2, '0');
const yearHan = (y: number) => [...String(y)].map((c) => '〇一二三四五六七八九'[Number(c)]).join('');
const date = fc.tuple(year, month, day, year, month, day, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 12 })).map(([y, m, d, y2, m2, d2, hh, mi, f]) =>
  [
    `${y}-${p2(m)}-${p2(d)}`,
    `${y}/${m}/${d}`,
    `${y}.${m}.${d}`,
    `${y}年${m}月${d}日`,
    `${m}月${d}日`,
    `${m}月${d}号`,
    `${y}${p2(m)}${p2(d)}`,
    `${yearHan(y)}年${cnNumber(m)}月${cnNumber(d)}日`,
    `${y}.${m}-${y2}.${m2}`,
    `${y}-${p2(m)}-${p2(d)}—${y2}-${p2(m2)}-${p2(d2)}`,
    `${y}.${m}.${d}-${y2}.${m2}.${d2}`,
    `${y}年${m}月至${y2}年${m2}月`,
    `${y}-${p2(m)}-${p2(d)} ${p2(hh)}:${p2(mi)}`,
  ][f],
);
const amount = fc.tuple(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 8 }), fc.constantFrom('元', ' 元', '万元', '亿元', '块', '%')).map(([n, cents, f, unit]) =>
  [
    `${n}${unit}`,
    `${n.toLocaleString('en-US')}${unit}`,
    `${n}.${p2(cents)}${unit}`,
    `${n.toLocaleString('en-US')}.${p2(cents)}${unit}`,
    `¥${n}`,
    `￥${n.toLocaleString('en-US')}.${p2(cents)}`,
    `人民币${n}.${cents % 10}元`,
    `${n}.${p2(cents)}`,
    `¥ ${n}.${p2(cents)}`,
  ][f],
);
const docNo = fc.tuple(fc.constantFrom('辽政发', '大政办发', '示范新区发', '国办发', '辽政办函', '大公（治）罚字'), year, fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 })).map(([org, y, n, f, k]) =>
  [`${org}〔${y}〕${n}号`, `${org}[${y}]${n}号`, `${org}［${y}］${n}号`, `${org}（${y}）第${n}号`, `第${cnNumber(n)}条`, `第${n}条第${k}款`, '12345热线', '拨打12345', `SQ${y}0101${String(n).padStart(7, '0')}`, `共${n}人`][f],
);
const otherNumbers = fc.tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 })), { minLength: 2, maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.boolean()).map(([decimals, ip, which]) =>
  which ? `读数${decimals.map(([a, b]) => `${a}.${b}`).join(' ')}度` : `地址${ip.join('.')}无法访问`,
);
const wide = (s: string) => s.replace(/[0-9]/g, full);

describe('ordinary numbers (property test)', () => {
  it('dates, amounts, 文号, measurements and addresses of machines come back exactly as written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(date, amount, docNo, otherNumbers), fc.boolean(), fc.constantFrom('，', '。', '、', '；', '：', '（', '）', '于', '共计', '根据', '在', '和')), { minLength: 1, maxLength: 6 }),
        (parts) => {
          const text = parts.map(([s, w, j]) => (w ? wide(s) : s) + j).join('');
          expect(maskText(text).text).toBe(text);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
