// One table of strings for the free-text rule (chaincode/src/rules/text.ts), shared by the chaincode
// rule's tests and the gateway's body-schema tests, so both are held to the same verdicts.

export interface FreeTextCase {
  /** What the string is, as test names say it. */
  name: string;
  text: string;
  accepted: boolean;
}

export const FREE_TEXT_CASES: readonly FreeTextCase[] = [
  { name: 'plain ASCII', text: 'North VPP', accepted: true },
  { name: 'accented Latin', text: 'Société Énergie', accepted: true },
  { name: 'Arabic with an Arabic letter mark', text: 'شركة\u061C 12', accepted: true },
  { name: 'Hebrew with left-to-right and right-to-left marks', text: 'חברה\u200E 7\u200F', accepted: true },
  { name: 'a paired surrogate (emoji)', text: 'wind \u{1F32C}', accepted: true },
  { name: 'a no-break space and a zero-width joiner', text: 'a\u00A0b\u200Dc', accepted: true },
  { name: 'a tab', text: 'a\tb', accepted: false },
  { name: 'a newline', text: 'a\nb', accepted: false },
  { name: 'NUL', text: 'a\u0000b', accepted: false },
  { name: 'DEL', text: 'a\u007Fb', accepted: false },
  { name: 'a C1 control (NEL)', text: 'a\u0085b', accepted: false },
  { name: 'a C1 control (U+009F)', text: 'a\u009Fb', accepted: false },
  { name: 'a left-to-right embedding (U+202A)', text: 'a\u202Ab', accepted: false },
  { name: 'a right-to-left override (U+202E)', text: 'invoice\u202Efdp.exe', accepted: false },
  { name: 'a pop directional formatting (U+202C)', text: 'a\u202Cb', accepted: false },
  { name: 'a left-to-right isolate (U+2066)', text: 'a\u2066b', accepted: false },
  { name: 'a pop directional isolate (U+2069)', text: 'a\u2069b', accepted: false },
  { name: 'a lone high surrogate', text: 'a\uD800b', accepted: false },
  { name: 'a lone low surrogate', text: 'a\uDC00b', accepted: false },
  { name: 'a high surrogate at the end', text: 'ab\uD83D', accepted: false },
  { name: 'reversed surrogates', text: 'a\uDE00\uD83Db', accepted: false },
];
