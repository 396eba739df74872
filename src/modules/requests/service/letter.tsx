// The reply letter (政府信息公开申请答复告知书): one component for the stored standalone file (signed),
// the console's print view and the requester's status page. Every text is escaped (Preact); the
// body keeps its line breaks as paragraphs. The remedy sentence, the agency and the date are always
// printed after the body, whatever the body says.
import { render } from 'preact-render-to-string';
import { LETTER_TITLE, REMEDY } from './reply-types.js';

export interface LetterData {
  letterNo: string;
  addressee: string;
  receivedOn: string;
  infoName: string;
  body: string;
  agency: string;
  date: string;
  signer: string;
  /** Before signing: a draft, marked as such. */
  draft?: boolean;
}

export function Letter({ l, headingLevel = 1 }: { l: LetterData; headingLevel?: 1 | 3 }) {
  const H = headingLevel === 1 ? 'h1' : 'h3';
  return (
    <article class={`reply-letter${l.draft ? ' draft' : ''}`} lang="zh-CN">
      <H class="letter-title">{LETTER_TITLE}</H>
      {l.draft && <p class="letter-draft">（草稿，未签发）</p>}
      <p class="letter-no">{l.letterNo}</p>
      <p class="letter-to">{l.addressee}：</p>
      {l.body.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).map((s) => (
        <p class="letter-p">{s}</p>
      ))}
      <p class="letter-p letter-remedy">{REMEDY}</p>
      <p class="letter-sign">
        <span class="letter-agency">{l.agency}</span>
        <br />
        <time dateTime={l.date}>{l.date}</time>
      </p>
      <p class="letter-signer">签发人：{l.signer}</p>
    </article>
  );
}

const PRINT_CSS =
  'body{font-family:"FangSong","STFangsong","Songti SC",serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.9;color:#000;background:#fff}' +
  '.letter-title{text-align:center;font-size:1.6em;font-family:"SimHei","Heiti SC",sans-serif;font-weight:normal}.letter-no{text-align:center}' +
  '.letter-p{text-indent:2em;margin:.3em 0}.letter-sign{text-align:right;margin-top:3em}.letter-signer{text-align:right}';

/** The standalone file kept when the letter is signed (its SM3 hash is recorded). */
export function letterHtml(l: LetterData): string {
  return `<!doctype html>\n${render(
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <title>{`${LETTER_TITLE} ${l.letterNo}`}</title>
        <style dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      </head>
      <body>
        <Letter l={l} />
      </body>
    </html>,
  )}\n`;
}
