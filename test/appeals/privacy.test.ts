// Masking of personal data in free text: every valid-checksum ID number, mobile, landline,
// e-mail address and plate of the fixture is masked (no false negatives); dates, amounts and
// 文号 stay as they are.
import { describe, expect, it } from 'vitest';
import { isValidIdNumber, maskName, maskText, withIdCheckDigit } from '../../src/platform/privacy/index.js';

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
